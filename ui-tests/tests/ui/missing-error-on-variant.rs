use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum AccountError {
    #[error("no such user", status = 401)]
    UnknownUser,
    Locked,
}

fn main() {}
