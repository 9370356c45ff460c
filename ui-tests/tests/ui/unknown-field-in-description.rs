use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user with id {idd}", status = 401)]
struct UnknownUser {
    id: u64,
}

fn main() {}
