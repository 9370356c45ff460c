//! What framework adapters call: serve an error through the policies of
//! the configuration and request in scope, and mark the response as
//! served.

use crate::config::with_scope_or_global;
use crate::{Error, ErrorRef};
use bytes::Bytes;
use http::Response;
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

    /// The `error_id` sent in the body.
    pub fn error_id(&self) -> &str {
        &self.error_id
    }

    /// The error, when the adapter had it by value.
    pub fn error(&self) -> Option<&Arc<Error>> {
        self.error.as_ref()
    }
}

/// The response for `error` under the configuration and request in scope
/// (set by the layer or middleware around each handler), else under
/// [`Config::current`] with no request.
pub(crate) fn serve<'a>(error: impl Into<ErrorRef<'a>>) -> Response<Bytes> {
    with_scope_or_global(|config, request| {
        config.respond(error, request.map(|request| &request.info))
    })
}

/// [`serve`], keeping the error in the response's [`ServedError`].
pub(crate) fn serve_owned(error: Error) -> Response<Bytes> {
    let error = Arc::new(error);
    let mut response = serve(&*error);
    if let Some(served) = response.extensions_mut().get_mut::<ServedError>() {
        served.error = Some(error);
    }
    response
}
