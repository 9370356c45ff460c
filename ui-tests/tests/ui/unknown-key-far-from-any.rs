use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", status = 401, severity = "high")]
struct UnknownUser;

fn main() {}
