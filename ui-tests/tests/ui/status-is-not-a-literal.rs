use macaron_core::ApiError;
const UNAUTHORIZED: u16 = 401;

#[derive(Debug, ApiError)]
#[error("no such user", status = UNAUTHORIZED)]
struct UnknownUser;

fn main() {}
