use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", status =)]
struct UnknownUser;

fn main() {}
