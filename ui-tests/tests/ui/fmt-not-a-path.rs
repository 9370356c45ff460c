use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error(fmt = |f| f.write_str("x"), status = 400)]
struct Closure;

fn main() {}
