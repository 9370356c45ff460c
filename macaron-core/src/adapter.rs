//! What the tower layer and the actix-web middleware share: panics as
//! errors, and error responses the framework made itself translated into
//! the Error model.

use crate::http_errors::status_code_name;
use crate::reason::reason_or_generic;
use crate::rejection::classify;
use crate::report::panic_message;
use crate::scope::Scope;
use crate::{ApiError, Config, Error, RequestInfo};
use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use std::any::Any;
use std::borrow::Cow;
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

/// An error response the framework made (a 404 for an unknown route, a
/// 405, a rejected body...) as an error: the code, status and description
/// of its kind when it is a rejection macaron knows (see `rejection`), its
/// words as the error's source, for the report and the debug payload.
/// Other plain text is a handler's (`(StatusCode::NOT_FOUND, "no such
/// user")`): a 4xx keeps it as its description; a 5xx, whose text may be
/// an error's, gets the status' reason phrase, and the text goes to the
/// report. Its headers are kept, but those that frame the response.
#[derive(Debug)]
struct FrameworkMade {
    status: StatusCode,
    code: Cow<'static, str>,
    description: Cow<'static, str>,
    headers: HeaderMap,
    text: Option<FrameworkText>,
}

/// What the framework said.
#[derive(Debug)]
struct FrameworkText(String);

impl fmt::Display for FrameworkText {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for FrameworkText {}

impl fmt::Display for FrameworkMade {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.description)
    }
}

impl std::error::Error for FrameworkMade {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.text.as_ref().map(|text| text as _)
    }
}

impl ApiError for FrameworkMade {
    fn code(&self) -> &str {
        &self.code
    }

    fn status(&self) -> StatusCode {
        self.status
    }

    fn error_description(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.description)
    }

    fn write_headers(&self, headers: &mut HeaderMap) {
        headers.extend(self.headers.clone());
    }
}

impl FrameworkMade {
    fn new(status: StatusCode, text: Option<String>, headers: &HeaderMap) -> Self {
        let rejection = text.as_deref().and_then(|text| classify(status, text));
        let (status, code, description) = match rejection {
            Some(kind) => (
                kind.status,
                Cow::Borrowed(kind.code),
                Cow::Borrowed(kind.description),
            ),
            None => {
                let description = match text.as_deref() {
                    Some(text) if status.is_client_error() => Cow::Owned(text.to_owned()),
                    _ => Cow::Borrowed(reason_or_generic(status)),
                };
                (status, status_code_name(status), description)
            }
        };
        // A 4xx's own text is its description, not its source as well.
        let text = text.filter(|_| rejection.is_some() || !status.is_client_error());
        let mut kept = HeaderMap::new();
        for (name, value) in headers {
            // The framework's own framing headers are not the error's.
            if crate::render::is_owned_header(name) {
                continue;
            }
            if name == ALLOW {
                if let Some(allow) = allow_with_head(headers) {
                    kept.insert(ALLOW, allow);
                }
                continue;
            }
            kept.append(name.clone(), value.clone());
        }
        FrameworkMade {
            status,
            code,
            description,
            headers: kept,
            text: text.map(FrameworkText),
        }
    }
}

/// The methods of `Allow` as axum writes them (`GET,HEAD`: a list RFC 9110
/// reads the same with or without spaces), with `HEAD` wherever `GET` is:
/// both adapters serve a `HEAD` by the `GET` route. (Under `Router::layer`,
/// axum adds its own `Allow` after the layer has answered.)
fn allow_with_head(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut methods: Vec<&str> = Vec::new();
    for value in headers.get_all(ALLOW) {
        let value = value.to_str().ok()?;
        for method in value
            .split(',')
            .map(str::trim)
            .filter(|method| !method.is_empty())
        {
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
    }
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        let get = methods
            .iter()
            .position(|method| *method == "GET")
            .unwrap_or(0);
        methods.insert(get + 1, "HEAD");
    }
    HeaderValue::from_str(&methods.join(",")).ok()
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
    scope
        .config
        .respond(&panic_error(panic), scope.request_info())
}

/// The error a caught panic is: unhandled, with its message and where it
/// happened.
#[cold]
pub(crate) fn panic_error(panic: Box<dyn Any + Send>) -> Error {
    let panic = Panic::caught(&*panic);
    let location = panic.location.clone();
    Error::unhandled(panic).with_location(location)
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
    let error = Error::declared(FrameworkMade::new(status, text, headers));
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
