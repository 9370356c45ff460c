use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("failed", status = 500)]
struct Failed {
    #[backtrace]
    trace: String,
}

fn main() {}
