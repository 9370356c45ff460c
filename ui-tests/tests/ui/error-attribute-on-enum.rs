use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("account error", status = 400)]
enum AccountError {
    #[error("no such user", status = 401)]
    UnknownUser,
}

fn main() {}
