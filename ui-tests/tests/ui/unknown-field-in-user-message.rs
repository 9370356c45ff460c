use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", status = 401, user_message = "Hello {name}")]
struct UnknownUser {
    id: u64,
}

fn main() {}
