// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error(transparent)]
pub struct Error(#[source] anyhow::Error);

fn main() {}
