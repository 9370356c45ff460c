use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user with id {id:Z}", status = 401)]
struct UnknownUser {
    id: u64,
}

fn main() {}
