// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
// https://github.com/dtolnay/thiserror/issues/163

use std::backtrace::Backtrace;
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error("...", status = 500)]
pub struct Error(
    #[from]
    #[backtrace]
    std::io::Error,
    Backtrace,
);

fn main() {}
