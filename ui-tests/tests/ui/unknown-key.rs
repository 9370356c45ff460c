use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", stauts = 401)]
struct UnknownUser;

fn main() {}
