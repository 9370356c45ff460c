use macaron_core::ApiError;
#[derive(Debug, ApiError)]
struct UnknownUser;

fn main() {}
