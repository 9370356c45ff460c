use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("denied", status = 403)]
struct Denied;

#[derive(Debug, ApiError)]
enum AppError {
    #[error(transparent, status = 500)]
    Auth(Denied),
}

fn main() {}
