use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("denied", status = 403)]
struct Denied;

#[derive(Debug, ApiError)]
enum AppError {
    #[error("wrapped", transparent)]
    Auth(Denied),
}

fn main() {}
