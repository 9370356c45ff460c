use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("negative", status = -404)]
struct Negative;

fn main() {}
