use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("all good", status = 200)]
struct NotAnError;

fn main() {}
