use macaron_core::ApiError;
// A deliberate difference from thiserror: an ApiError is Send + Sync.
#[derive(Debug, ApiError)]
#[error("boxed", status = 500)]
struct Boxed {
    #[source]
    source: Box<dyn std::error::Error + Send + 'static>,
}

fn main() {}
