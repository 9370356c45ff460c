use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("copy failed", status = 500)]
struct CopyFailed {
    #[source]
    read: std::io::Error,
    #[source]
    write: std::io::Error,
}

fn main() {}
