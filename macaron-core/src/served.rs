//! What marks a response as served by macaron.

use crate::Error;
use std::sync::Arc;

/// In the extensions of every error response macaron serves: its
/// `error_id`, and the typed error when the adapter had it by value (as
/// axum's `IntoResponse` does), for middleware of your own.
#[derive(Clone, Debug)]
pub struct ServedError {
    error_id: String,
    error: Option<Arc<Error>>,
}

impl ServedError {
    pub(crate) fn new(error_id: String) -> Self {
        ServedError {
            error_id,
            error: None,
        }
    }

    pub(crate) fn set_error(&mut self, error: Arc<Error>) {
        self.error = Some(error);
    }

    /// The `error_id` sent in the body.
    pub fn error_id(&self) -> &str {
        &self.error_id
    }

    /// The error, when the adapter had it by value.
    pub fn error(&self) -> Option<&Arc<Error>> {
        self.error.as_ref()
    }
}
