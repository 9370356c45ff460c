use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user with id {}", status = 401)]
struct UnknownUser(u64);

fn main() {}
