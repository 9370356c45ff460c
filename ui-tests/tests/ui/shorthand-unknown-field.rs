use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("{} items", .itmes.len(), status = 400)]
struct TooMany {
    items: Vec<u8>,
}

fn main() {}
