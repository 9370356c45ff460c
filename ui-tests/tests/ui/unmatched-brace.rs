use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user } here", status = 401)]
struct UnknownUser;

fn main() {}
