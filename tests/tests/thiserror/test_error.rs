#![allow(dead_code)]

use core::fmt::{self, Display};
use macaron_core::ApiError;
use std::io;

macro_rules! unimplemented_display {
    ($ty:ty) => {
        impl Display for $ty {
            fn fmt(&self, _formatter: &mut fmt::Formatter) -> fmt::Result {
                unimplemented!()
            }
        }
    };
}

#[derive(ApiError, Debug)]
#[error(status = 500)]
struct BracedError {
    msg: String,
    pos: usize,
}

#[derive(ApiError, Debug)]
#[error(status = 500)]
struct TupleError(String, usize);

#[derive(ApiError, Debug)]
#[error(status = 500)]
struct UnitError;

#[derive(ApiError, Debug)]
#[error(status = 500)]
struct WithSource {
    #[source]
    cause: io::Error,
}

#[derive(ApiError, Debug)]
#[error(status = 500)]
struct WithAnyhow {
    #[source]
    cause: anyhow::Error,
}

#[derive(ApiError, Debug)]
#[error(status = 500)]
enum EnumError {
    Braced {
        #[source]
        cause: io::Error,
    },
    Tuple(#[source] io::Error),
    Unit,
}

unimplemented_display!(BracedError);
unimplemented_display!(TupleError);
unimplemented_display!(UnitError);
unimplemented_display!(WithSource);
unimplemented_display!(WithAnyhow);
unimplemented_display!(EnumError);
