use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited {
    #[header]
    retry_after: u32,
}

fn main() {}
