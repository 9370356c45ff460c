use macaron_core::ApiError;
// `code`, `status` and `user_message` are keys, never format arguments.
#[derive(Debug, ApiError)]
#[error("failed with {code}", code = "UPSTREAM", status = 502)]
struct Upstream;

fn main() {}
