use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited(#[data] u32);

fn main() {}
