//! What framework adapters call: serve an error through the policies of
//! the configuration and request in scope, and mark the response as
//! served.

use crate::handlers::ErrorHandlers;
use crate::scope::with_scope_or_global;
#[cfg(feature = "tonic")]
use crate::ErrorBody;
use crate::{Config, Error, ErrorRef, RequestInfo, ServedError};
use bytes::Bytes;
#[cfg(feature = "tonic")]
use http::HeaderMap;
use http::Response;
use std::sync::Arc;

impl Error {
    /// The response under every policy of the configuration and request in
    /// scope (what the framework adapters do), for services of your own
    /// under `MacaronLayer`; outside any scope,
    /// under [`Config::current`](crate::Config::current).
    pub fn serve(self) -> Response<Bytes> {
        serve_owned(self)
    }
}

/// The response for `error` under the configuration and request in scope
/// (set by the layer or middleware around each handler), else under
/// [`Config::current`] with no request.
pub(crate) fn serve<'a>(error: impl Into<ErrorRef<'a>>) -> Response<Bytes> {
    in_scope(|config, request, router| config.respond_with(error.into(), request, router))
}

/// What [`serve`] writes, as values: the body (in the Error model) and
/// the error's headers, given to `then` with the configuration that
/// decided them.
#[cfg(feature = "tonic")]
pub(crate) fn answer<'a, R>(
    error: impl Into<ErrorRef<'a>>,
    then: impl FnOnce(&Config, ErrorBody, HeaderMap) -> R,
) -> R {
    in_scope(|config, request, router| {
        let (body, headers) = config.answer(error.into(), request, router);
        then(config, body, headers)
    })
}

/// `f` of the configuration, request and router's error handlers in
/// scope, else of [`Config::current`] alone.
fn in_scope<R>(f: impl FnOnce(&Config, Option<&RequestInfo>, Option<&ErrorHandlers>) -> R) -> R {
    with_scope_or_global(|config, request| {
        let router = request.and_then(|request| request.handlers.as_deref());
        f(config, request.map(|request| &request.info), router)
    })
}

/// [`serve`], keeping the error in the response's [`ServedError`].
pub(crate) fn serve_owned(error: Error) -> Response<Bytes> {
    let error = Arc::new(error);
    let mut response = serve(&*error);
    if let Some(served) = response.extensions_mut().get_mut::<ServedError>() {
        served.set_error(error);
    }
    response
}
