use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error(status = 401, "no such user")]
struct UnknownUser;

fn main() {}
