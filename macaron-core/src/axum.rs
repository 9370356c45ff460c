//! axum: every error type implements `IntoResponse`.

use crate::serve::serve_owned;
use crate::Error;
use axum::response::{IntoResponse, Response};

/// A handler returning `Result<T, macaron_core::Error>` works as is.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        axum_response(self)
    }
}

/// The response of an error served under the scope's policies.
pub fn axum_response(error: Error) -> Response {
    serve_owned(error).map(axum::body::Body::from)
}
