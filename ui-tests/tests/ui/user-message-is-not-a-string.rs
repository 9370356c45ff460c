use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", status = 401, user_message = 42)]
struct UnknownUser;

fn main() {}
