use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("{} of {limit}", limit = 10, .0, status = 400)]
struct Over(u32);

fn main() {}
