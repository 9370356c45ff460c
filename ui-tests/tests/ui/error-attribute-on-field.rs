use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("read failed", status = 500)]
struct ReadFailed {
    #[error("cause", status = 500)]
    cause: std::io::Error,
}

fn main() {}
