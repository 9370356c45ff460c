// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error("...", status = 500)]
#[error("...")]
pub struct Error;

#[derive(ApiError, Debug)]
#[error(fmt = core::fmt::Octal::fmt, status = 500)]
#[error(fmt = core::fmt::LowerHex::fmt)]
pub enum FmtFmt {}

#[derive(ApiError, Debug)]
#[error(fmt = core::fmt::Octal::fmt, status = 500)]
#[error(transparent)]
pub enum FmtTransparent {}

#[derive(ApiError, Debug)]
#[error(fmt = core::fmt::Octal::fmt, status = 500)]
#[error("...")]
pub enum FmtDisplay {}

fn main() {}
