use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("huge", status = 99999999999999999999999)]
struct Huge;

fn main() {}
