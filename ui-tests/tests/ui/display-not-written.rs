use macaron_core::ApiError;
// No description: the `Display` impl is the user's to write, as in thiserror.
#[derive(Debug, ApiError)]
#[error(status = 404)]
struct PageMissing;

fn main() {}
