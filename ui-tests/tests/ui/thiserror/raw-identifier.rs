// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error("error: {r#fn}", status = 500)]
pub struct Error {
    r#fn: &'static str,
}

fn main() {
    let r#fn = "...";
    let _ = format!("error: {r#fn}");
}
