use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", code = UNKNOWN_USER, status = 401)]
struct UnknownUser;

fn main() {}
