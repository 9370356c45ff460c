use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user {id", status = 401)]
struct UnknownUser {
    id: u64,
}

fn main() {}
