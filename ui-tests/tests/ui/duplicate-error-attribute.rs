use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", status = 401)]
#[error(code = "UNKNOWN")]
struct UnknownUser;

fn main() {}
