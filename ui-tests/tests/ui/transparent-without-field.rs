use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum AppError {
    #[error(transparent)]
    Nothing,
}

fn main() {}
