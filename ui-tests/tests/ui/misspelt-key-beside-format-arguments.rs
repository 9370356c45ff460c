use macaron_core::ApiError;
// A name the format string does not use is no format argument: a key.
#[derive(Debug, ApiError)]
#[error("user {name} has {}", .items.len(), stauts = 404)]
struct Missing {
    name: String,
    items: Vec<u8>,
}

fn main() {}
