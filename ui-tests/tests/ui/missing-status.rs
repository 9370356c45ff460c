use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user")]
struct UnknownUser;

fn main() {}
