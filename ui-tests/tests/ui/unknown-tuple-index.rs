use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user with id {1}", status = 401)]
struct UnknownUser(u64);

fn main() {}
