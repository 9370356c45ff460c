use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited {
    #[data]
    status: u32,
}

fn main() {}
