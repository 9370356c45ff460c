use macaron_core::ApiError;
// A type that derives `Serialize` too opts out: #[api_error(serialize = false)].
#[derive(Debug, ApiError, serde::Serialize)]
#[error("conflict", status = 409)]
struct Conflict {
    key: String,
}

fn main() {}
