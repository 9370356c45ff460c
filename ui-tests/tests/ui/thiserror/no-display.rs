// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use macaron_core::ApiError;

#[derive(Debug)]
struct NoDisplay;

#[derive(ApiError, Debug)]
#[error("thread: {thread}", status = 500)]
pub struct Error {
    thread: NoDisplay,
}

#[derive(ApiError, Debug)]
#[error("thread: {thread:o}", status = 500)]
pub struct ErrorOctal {
    thread: NoDisplay,
}

fn main() {}
