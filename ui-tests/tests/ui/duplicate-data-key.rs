use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited {
    #[data]
    limit: u32,
    #[data("limit")]
    other_limit: u32,
}

fn main() {}
