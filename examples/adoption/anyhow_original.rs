//! axum's `examples/anyhow-error-response` (tokio-rs/axum, MIT): a handler
//! whose plumbing is anyhow, and an error type that wraps it and answers a
//! 500 with the error's text.
//!
//! Step 0 of the walkthrough: before macaron.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn app() -> Router {
    Router::new().route("/", get(handler))
}

async fn handler() -> Result<(), AppError> {
    try_thing()?;
    Ok(())
}

pub fn try_thing() -> Result<(), anyhow::Error> {
    anyhow::bail!("it failed!")
}

struct AppError(anyhow::Error);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Something went wrong: {}", self.0),
        )
            .into_response()
    }
}

impl<E> From<E> for AppError
where
    E: Into<anyhow::Error>,
{
    fn from(err: E) -> Self {
        Self(err.into())
    }
}
