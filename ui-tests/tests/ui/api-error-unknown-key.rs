use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[api_error(serialise = false)]
#[error("conflict", status = 409)]
struct Conflict;

fn main() {}
