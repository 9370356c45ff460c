use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum AccountError {
    #[error("no such user", code = "UNKNOWN_USER", status = 401)]
    Missing,
    #[error("user deleted", status = 410)]
    UnknownUser,
}

fn main() {}
