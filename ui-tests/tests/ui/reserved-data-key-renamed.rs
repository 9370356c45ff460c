use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("slow down", status = 429)]
struct RateLimited {
    #[data("error_description")]
    detail: String,
}

fn main() {}
