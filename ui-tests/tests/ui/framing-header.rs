use macaron_core::ApiError;

#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited {
    #[header("Content-Length")]
    length: usize,
    #[header("transfer-encoding")]
    encoding: String,
    #[header("retry-after")]
    retry_after: u32,
}

fn main() {}
