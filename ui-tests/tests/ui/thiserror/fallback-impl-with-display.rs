// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use core::fmt::{self, Display};
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error]
pub struct MyError;

impl Display for MyError {
    fn fmt(&self, _formatter: &mut fmt::Formatter) -> fmt::Result {
        unimplemented!()
    }
}

fn main() {}
