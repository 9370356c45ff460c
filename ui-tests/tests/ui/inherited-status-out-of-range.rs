use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error(status = 200)]
enum Storage {
    #[error("disk")]
    Disk,
    #[error("network")]
    Network,
}

fn main() {}
