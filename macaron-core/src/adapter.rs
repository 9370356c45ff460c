//! What the tower layer and the actix-web middleware share: panics as
//! errors, and error responses the framework made itself translated into
//! the Error model.

use crate::http_errors::{abort, status_code_name};
use crate::report::panic_message;
use crate::scope::Scope;
use crate::{Config, Error, HttpError, RequestInfo};
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Response, StatusCode};
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Once;
use std::task::{Context, Poll};
use std::time::Duration;

/// How much of a framework-made error body is read for its description.
pub(crate) const MAX_FRAMEWORK_TEXT: usize = 4096;

/// A panic in a handler, as an error: its message and where it happened.
#[derive(Debug)]
struct Panic {
    message: String,
    location: Option<String>,
}

impl fmt::Display for Panic {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(formatter, "panicked at {location}: {}", self.message),
            None => write!(formatter, "panicked: {}", self.message),
        }
    }
}

impl std::error::Error for Panic {}

thread_local! {
    static LAST_PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The payload of a panic says nothing of where it happened: a panic hook,
/// chained to the one already installed (which still runs), records it.
pub(crate) fn record_panic_locations() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info.location().map(ToString::to_string);
            LAST_PANIC_LOCATION.with(|last| *last.borrow_mut() = location);
            previous(info);
        }));
    });
}

impl Panic {
    /// The panic just caught on this thread.
    fn caught(payload: &(dyn Any + Send)) -> Self {
        Panic {
            message: panic_message(payload).to_owned(),
            location: LAST_PANIC_LOCATION.with(|last| last.borrow_mut().take()),
        }
    }
}

/// Codes for the rejections axum and actix-web write as plain text, by
/// status and the start of the text.
const REJECTIONS: &[(u16, &str, &str)] = &[
    // axum
    (
        400,
        "Failed to parse the request body as JSON",
        "INVALID_JSON",
    ),
    (
        400,
        "Failed to deserialize query string",
        "INVALID_PARAMETER",
    ),
    (400, "Invalid URL", "INVALID_PARAMETER"),
    (400, "Failed to deserialize form", "INVALID_PARAMETER"),
    (
        422,
        "Failed to deserialize the JSON body",
        "INVALID_PARAMETER",
    ),
    (422, "Failed to deserialize form body", "INVALID_PARAMETER"),
    // actix-web
    (400, "Query deserialize error", "INVALID_PARAMETER"),
    (400, "Path deserialize error", "INVALID_PARAMETER"),
    (400, "URL encoded error", "INVALID_PARAMETER"),
];

/// The starts of serde's errors about a document's shape (as opposed to
/// its syntax).
const SHAPE_ERRORS: &[&str] = &[
    "missing field",
    "unknown field",
    "invalid type",
    "invalid value",
    "invalid length",
    "duplicate field",
    "unknown variant",
];

/// The status and code of a rejection. actix-web says 400 for both a
/// missing content type and a JSON body of the wrong shape, and 404 for a
/// path parameter that does not parse: they get the 415, 422 and 400 axum
/// gives, so that one mistake has one answer.
fn classify(status: StatusCode, text: &str) -> Option<(StatusCode, &'static str)> {
    if let Some(detail) = text.strip_prefix("Json deserialize error: ") {
        return Some(
            if SHAPE_ERRORS.iter().any(|shape| detail.starts_with(shape)) {
                (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_PARAMETER")
            } else {
                (StatusCode::BAD_REQUEST, "INVALID_JSON")
            },
        );
    }
    if status == StatusCode::BAD_REQUEST && text.starts_with("Content type error") {
        return Some((StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"));
    }
    // actix-web's path extractor answers 404 for a parameter it cannot parse.
    if status == StatusCode::NOT_FOUND && text.starts_with("can not parse") {
        return Some((StatusCode::BAD_REQUEST, "INVALID_PARAMETER"));
    }
    REJECTIONS
        .iter()
        .find(|(rejection, prefix, _)| *rejection == status.as_u16() && text.starts_with(prefix))
        .map(|&(_, _, code)| (status, code))
}

/// An error response the framework made (a 404 for an unknown route, a
/// 405, a rejected body...) as a declared error: a code by status (and
/// text, for rejections), the text as description, the headers kept.
fn framework_error(status: StatusCode, text: Option<&str>, headers: &HeaderMap) -> HttpError {
    let (status, code) = match text.and_then(|text| classify(status, text)) {
        Some((status, code)) => (status, code.into()),
        None => (status, status_code_name(status)),
    };
    let mut error = abort(status).with_code(code);
    if let Some(text) = text {
        error = error.with_message(text.to_owned());
    }
    // The framework's own framing headers are not the error's.
    for (name, value) in headers {
        if !crate::render::is_owned_header(name) {
            error = error.with_header(name.clone(), value.clone());
        }
    }
    error
}

/// The text of a framework-made body, when it is short plain text.
fn framework_text(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let plain = headers
        .get(CONTENT_TYPE)
        .map_or(true, |value| value.as_bytes().starts_with(b"text/plain"));
    let text = std::str::from_utf8(body).ok()?.trim();
    (plain && !text.is_empty()).then(|| text.to_owned())
}

/// Polls a handler's future with the configuration and request in scope,
/// catching its panics.
pub(crate) fn poll_scoped<F: Future>(
    scope: &Scope,
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<Result<F::Output, Box<dyn Any + Send>>> {
    match catch_unwind(AssertUnwindSafe(|| scope.enter(|| future.poll(cx)))) {
        Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(panic) => Poll::Ready(Err(panic)),
    }
}

/// What both adapters do once a handler has finished: a slow call is
/// reported, unless the handler times itself with `#[report_slow]`. The
/// call is timed from the request's arrival, so a call that was not slow
/// costs one clock read.
#[inline]
pub(crate) fn report_if_slow(scope: &Scope, limit_ms: Option<u64>) {
    let Some(request) = &scope.request else {
        return;
    };
    let limit_ms = limit_ms.unwrap_or_else(|| scope.config.report_call_exceeding_ms());
    if !request.handler_timed.load(Ordering::Relaxed)
        && request.info.elapsed() > Duration::from_millis(limit_ms)
    {
        report_slow_request(&scope.config, &request.info, limit_ms);
    }
}

/// The slow-call report of a request, named by its method and route.
#[cold]
fn report_slow_request(config: &Config, info: &RequestInfo, limit_ms: u64) {
    let name = format!(
        "{} {}",
        info.method,
        info.route().unwrap_or(info.uri.path())
    );
    config.report_slow_call(&name, limit_ms, Some(info));
}

/// A handler's panic, served as a 500 and reported.
#[cold]
pub(crate) fn serve_panic(scope: &Scope, panic: Box<dyn Any + Send>) -> Response<Bytes> {
    let panic = Panic::caught(&*panic);
    let location = panic.location.clone();
    let error = Error::unhandled(panic).with_location(location);
    scope.config.respond(&error, scope.request_info())
}

/// Runs a handler's future: [`poll_scoped`], then [`report_if_slow`], and
/// a panic becomes [`serve_panic`]'s response.
#[cfg(feature = "actix-web")]
pub(crate) async fn run_handler<F: Future>(
    scope: &Scope,
    limit_ms: Option<u64>,
    future: F,
) -> Result<F::Output, Response<Bytes>> {
    let mut future = std::pin::pin!(future);
    let outcome = std::future::poll_fn(|cx| poll_scoped(scope, future.as_mut(), cx)).await;
    report_if_slow(scope, limit_ms);
    outcome.map_err(|panic| serve_panic(scope, panic))
}

/// An error response the framework made, in the Error model: `body` is
/// its start, read for its text.
pub(crate) fn serve_framework_error(
    config: &Config,
    request: Option<&RequestInfo>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Response<Bytes> {
    let text = framework_text(headers, body);
    let error = Error::declared(framework_error(status, text.as_deref(), headers));
    config.respond(&error, request)
}

/// What the tower layer and the actix-web middleware do with an error
/// response that macaron did not serve: one a handler wrote itself, or one
/// the framework made.
///
/// By default, an empty body or a plain-text one (what frameworks write
/// for a rejection, an unknown route or a timeout) is translated into the
/// Error model, and a body a handler wrote in a media type of its own
/// (JSON, HTML...) is kept, so that a service keeps its existing error
/// bodies when it adds the layer. The layer changes the default for the
/// handlers' own bodies ([`MacaronLayer::handler_bodies`](crate::MacaronLayer::handler_bodies)),
/// a route overrides both ([`MacaronLayer::route_bodies`](crate::MacaronLayer::route_bodies)),
/// and a handler overrides everything by putting one on its response:
///
/// ```
/// use macaron_core::ErrorBodies;
///
/// let mut response = http::Response::new("<h1>Gone</h1>");
/// *response.status_mut() = http::StatusCode::GONE;
/// response.extensions_mut().insert(ErrorBodies::Keep);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorBodies {
    /// Sent as it is.
    Keep,
    /// Put in the Error model, its status and headers kept, its text (when
    /// it is plain text) as the description.
    Translate,
}

/// Whether an error response macaron did not serve is kept as it is:
/// `marker` is the response's own choice, `route` its route's,
/// `handler_bodies` the default for bodies in a media type of their own.
pub(crate) fn keeps(
    marker: Option<ErrorBodies>,
    route: Option<ErrorBodies>,
    handler_bodies: ErrorBodies,
    content_type: Option<&[u8]>,
    empty: bool,
) -> bool {
    let choice = marker.or(route).unwrap_or_else(|| {
        let framework_made =
            empty || content_type.map_or(true, |value| value.starts_with(b"text/plain"));
        if framework_made {
            ErrorBodies::Translate
        } else {
            handler_bodies
        }
    });
    choice == ErrorBodies::Keep
}
