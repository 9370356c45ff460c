use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", code = "", status = 401)]
struct UnknownUser;

fn main() {}
