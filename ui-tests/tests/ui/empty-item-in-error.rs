// Found by the macro fuzz test: an empty item has no tokens of its own, so
// the error points at the comma after it.
use macaron_core::ApiError;

#[derive(Debug, ApiError)]
#[error(, status = 409)]
struct Conflict;

fn main() {}
