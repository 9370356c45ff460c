use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("read failed", status = 500)]
struct ReadFailed {
    #[source(io)]
    cause: std::io::Error,
}

fn main() {}
