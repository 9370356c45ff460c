use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum AppError {
    #[source]
    #[error("read failed", status = 500)]
    Read(std::io::Error),
}

fn main() {}
