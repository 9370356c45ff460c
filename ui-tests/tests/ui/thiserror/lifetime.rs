// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use core::fmt::Debug;
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error("error", status = 500)]
struct Error<'a>(#[from] Inner<'a>);

#[derive(ApiError, Debug)]
#[error("{0}", status = 500)]
struct Inner<'a>(&'a str);

#[derive(ApiError, Debug)]
#[error(status = 500)]
enum Enum<'a> {
    #[error("error")]
    Foo(#[from] Generic<&'a str>),
}

#[derive(ApiError, Debug)]
#[error("{0:?}", status = 500)]
struct Generic<T: Debug>(T);

fn main() -> Result<(), Error<'static>> {
    Err(Error(Inner("some text")))
}
