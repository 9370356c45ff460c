//! `macaron_core::Error`: the one error type a handler returns, whatever
//! went wrong.

use crate::registry::AsApiError;
use crate::source::{chain, chain_text};
use crate::unhandled::rendered;
use crate::{ApiError, BoxError, ErrorBody};
use bytes::Bytes;
use http::{Response, StatusCode};
use std::backtrace::{Backtrace, BacktraceStatus};
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt::{self, Debug, Display};
use std::sync::OnceLock;

/// Any error a handler can fail with: a declared [`ApiError`], rendered as
/// declared, or any other error, rendered as a 500
/// `UNHANDLED_SERVER_ERROR` whose own text, type and causes go into the
/// crash report and never into the response.
///
/// `?` converts both kinds:
///
/// ```
/// use macaron_core::{ApiError, Context as _, Error};
///
/// #[derive(Debug, ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// fn load(id: u64) -> Result<String, Error> {
///     if id == 0 {
///         return Err(UnknownUser { id })?;
///     }
///     let profile = std::fs::read_to_string("/no/such/profile/password=hunter2")
///         .context("loading the profile")?;
///     Ok(profile)
/// }
///
/// let declared = load(0).unwrap_err();
/// assert_eq!(declared.to_response().body(), r#"{"error":"UNKNOWN_USER","error_description":"no user with id 0","status":404}"#);
///
/// let foreign = load(1).unwrap_err();
/// assert_eq!(foreign.status(), 500);
/// let body = foreign.to_response().into_body();
/// assert_eq!(body, r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#);
/// assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
/// assert_eq!(foreign.context(), ["loading the profile"]);
/// ```
///
/// What `?` accepts is anything that converts into a `Box<dyn Error + Send +
/// Sync>`: any error, an `anyhow::Error` (a declared error in its chain is
/// found), a `Box<dyn Error + Send + Sync>`, a `String` message (see
/// [`From`](#impl-From<E>-for-Error)). With the `anyhow` feature, `?` also
/// turns an `Error` into an `anyhow::Error`, and back as it was. Generic
/// `ApiError` types cannot register themselves: convert them with
/// [`Error::declared`], which always keeps them declared.
pub struct Error {
    error: BoxError,
    /// `std::any::type_name` of what the error was made from, for reports.
    type_name: fn() -> &'static str,
    /// `Some` for a declared error: a checked downcast, made for its type.
    as_api_error: Option<AsApiError>,
    /// What few errors carry, allocated only for them.
    extra: Option<Box<Extra>>,
}

/// The parts of an error only some errors have.
#[derive(Default)]
struct Extra {
    /// How many `source()` steps below the error its declared error is:
    /// 0 but for an error that wraps a declared one (through anyhow, say).
    declared_depth: usize,
    context: Vec<Cow<'static, str>>,
    error_id: Option<String>,
    /// Where the error was raised, when known: a panic's place.
    location: Option<String>,
    /// Only a captured one: most errors have none.
    backtrace: Option<Backtrace>,
}

/// What [`Error::backtrace`] gives for an error without one.
static NO_BACKTRACE: Backtrace = Backtrace::disabled();

/// Whether `Backtrace::capture` captures: std decides it once, at its first
/// capture, from `RUST_LIB_BACKTRACE` and `RUST_BACKTRACE`. Asked first, so
/// that an error costs no work toward a backtrace when they are off.
fn backtraces_enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| Backtrace::capture().status() == BacktraceStatus::Captured)
}

impl Error {
    /// The error, given how to see its declared error when it has one
    /// (`declared`: a view, and how many sources below `error` it is).
    pub(crate) fn build(
        error: BoxError,
        type_name: fn() -> &'static str,
        declared: Option<(AsApiError, usize)>,
    ) -> Self {
        let mut error = Error {
            error,
            type_name,
            as_api_error: declared.map(|(as_api_error, _)| as_api_error),
            // Most errors have none of the extras.
            extra: None,
        };
        if let Some((_, depth @ 1..)) = declared {
            error.extra_mut().declared_depth = depth;
        }
        if backtraces_enabled() {
            error.capture_backtrace();
        }
        error
    }

    /// Out of line: with backtraces off, the usual case, making an error
    /// is then as small as it was before errors had backtraces of their own.
    #[cold]
    #[inline(never)]
    fn capture_backtrace(&mut self) {
        // A backtrace is read only by crash reports and debug mode: declared
        // client errors, the common case, skip the capture (microseconds).
        // An error with a backtrace of its own (a field of a derived type)
        // needs none more.
        let needs_one = !self.as_api_error().is_some_and(|declared| {
            declared.status().is_client_error() || declared.backtrace().is_some()
        });
        if needs_one {
            self.extra_mut().backtrace = Some(Backtrace::capture());
        }
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }

    /// Adds what the program was doing, for the crash report (never sent to
    /// the client).
    #[must_use]
    pub fn with_context(mut self, context: impl Into<Cow<'static, str>>) -> Self {
        self.extra_mut().context.push(context.into());
        self
    }

    /// Keeps the `error_id` of an error received from another service, so
    /// that the id survives across services.
    #[must_use]
    pub fn with_error_id(mut self, error_id: impl Into<String>) -> Self {
        self.extra_mut().error_id = Some(error_id.into());
        self
    }

    /// Records where the error was raised (a panic's file, line and
    /// column), which the crash report carries and groups reports by.
    #[cfg(any(feature = "tower", feature = "actix-web"))]
    pub(crate) fn with_location(mut self, location: Option<String>) -> Self {
        if location.is_some() {
            self.extra_mut().location = location;
        }
        self
    }

    /// A borrowed view of the error, as the serving path and decorators
    /// see it.
    pub fn as_ref(&self) -> ErrorRef<'_> {
        ErrorRef {
            api: self.as_api_error(),
            error: &*self.error,
            type_name: (self.type_name)(),
            context: self.context(),
            backtrace: Some(self.backtrace()),
            error_id: self.error_id(),
            location: self
                .extra
                .as_ref()
                .and_then(|extra| extra.location.as_deref()),
        }
    }

    /// The declared error, or `None` for an unhandled one.
    #[inline]
    pub fn as_api_error(&self) -> Option<&dyn ApiError> {
        let as_api_error = self.as_api_error?;
        as_api_error(chain(&*self.error).nth(self.declared_depth())?)
    }

    fn declared_depth(&self) -> usize {
        self.extra.as_ref().map_or(0, |extra| extra.declared_depth)
    }

    /// The error itself, declared or not.
    pub fn as_std_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.error
    }

    /// The error as `T`, if it is one.
    /// For an error that wraps a declared one (see [`From`](#impl-From<E>-for-Error)),
    /// the declared one may be `T` too.
    pub fn downcast_ref<T: StdError + 'static>(&self) -> Option<&T> {
        self.error.downcast_ref().or_else(|| {
            let depth = self.declared_depth();
            (self.as_api_error.is_some() && depth > 0)
                .then(|| chain(&*self.error).nth(depth)?.downcast_ref())?
        })
    }

    /// The Rust type of the error, such as `std::io::error::Error`.
    pub fn type_name(&self) -> &'static str {
        (self.type_name)()
    }

    /// The contexts added, oldest first.
    pub fn context(&self) -> &[Cow<'static, str>] {
        self.extra.as_ref().map_or(&[], |extra| &extra.context)
    }

    /// The id given with [`with_error_id`](Self::with_error_id).
    pub fn error_id(&self) -> Option<&str> {
        self.extra.as_ref()?.error_id.as_deref()
    }

    /// The backtrace captured when the error was created: the declared
    /// error's own ([`ApiError::backtrace`]), or else one captured here when
    /// `RUST_BACKTRACE` or `RUST_LIB_BACKTRACE` asks for it and the error is
    /// not a declared 4xx (whose reports and debug payloads then carry
    /// none).
    pub fn backtrace(&self) -> &Backtrace {
        self.extra
            .as_ref()
            .and_then(|extra| extra.backtrace.as_ref())
            .or_else(|| self.as_api_error()?.backtrace())
            .unwrap_or(&NO_BACKTRACE)
    }

    /// The error's text and the text of each of its sources, outermost first.
    pub fn chain(&self) -> Vec<String> {
        self.as_ref().chain()
    }

    /// The `error` code: declared, or `UNHANDLED_SERVER_ERROR`.
    pub fn code(&self) -> &str {
        self.as_ref().code()
    }

    /// The status: declared, or 500.
    pub fn status(&self) -> StatusCode {
        self.as_ref().status()
    }

    /// The body clients receive (without `error_id`, which the serving path
    /// adds).
    pub fn to_body(&self) -> ErrorBody {
        self.as_ref().to_body()
    }

    /// The response clients receive (without `error_id`, which the serving
    /// path adds).
    // Inline: a call fewer for every error response.
    #[inline]
    pub fn to_response(&self) -> Response<Bytes> {
        rendered(self.as_api_error()).to_response()
    }
}

/// A borrowed view of an error being served: an [`Error`], or a declared
/// error borrowed as it is (what framework traits taking `&self` have).
/// Decorators receive one.
#[derive(Clone, Copy)]
pub struct ErrorRef<'a> {
    api: Option<&'a dyn ApiError>,
    error: &'a (dyn StdError + 'static),
    type_name: &'static str,
    context: &'a [Cow<'static, str>],
    backtrace: Option<&'a Backtrace>,
    error_id: Option<&'a str>,
    location: Option<&'a str>,
}

impl<'a> ErrorRef<'a> {
    /// The declared error, or `None` for an unhandled one.
    pub fn as_api_error(self) -> Option<&'a dyn ApiError> {
        self.api
    }

    /// The error itself, declared or not.
    pub fn as_std_error(self) -> &'a (dyn StdError + 'static) {
        self.error
    }

    /// The error as `T`, if it is one.
    pub fn downcast_ref<T: StdError + 'static>(self) -> Option<&'a T> {
        self.error.downcast_ref()
    }

    /// The Rust type of the error.
    pub fn type_name(self) -> &'static str {
        self.type_name
    }

    /// The contexts added, oldest first.
    pub fn context(self) -> &'a [Cow<'static, str>] {
        self.context
    }

    /// The backtrace, when the error carries one.
    pub fn backtrace(self) -> Option<&'a Backtrace> {
        self.backtrace
    }

    /// The id received from another service, if any.
    pub fn error_id(self) -> Option<&'a str> {
        self.error_id
    }

    /// Where the error was raised, when known: a panic's file, line and
    /// column.
    pub fn location(self) -> Option<&'a str> {
        self.location
    }

    /// The error's text and the text of each of its sources, outermost first.
    pub fn chain(self) -> Vec<String> {
        chain_text(self.error)
    }

    /// The `error` code: declared, or `UNHANDLED_SERVER_ERROR`.
    pub fn code(self) -> &'a str {
        rendered(self.api).code()
    }

    /// The status: declared, or 500.
    pub fn status(self) -> StatusCode {
        rendered(self.api).status()
    }

    /// The body clients receive, without `error_id`.
    pub fn to_body(self) -> ErrorBody {
        rendered(self.api).to_body()
    }

    /// The response clients receive, without `error_id`.
    pub fn to_response(self) -> Response<Bytes> {
        rendered(self.api).to_response()
    }
}

impl<'a> From<&'a Error> for ErrorRef<'a> {
    fn from(error: &'a Error) -> Self {
        error.as_ref()
    }
}

impl<'a, T: ApiError> From<&'a T> for ErrorRef<'a> {
    fn from(error: &'a T) -> Self {
        ErrorRef {
            api: Some(error),
            error,
            type_name: std::any::type_name::<T>(),
            context: &[],
            backtrace: error.backtrace(),
            error_id: None,
            location: None,
        }
    }
}

impl ErrorRef<'_> {
    /// `Debug` for both `Error` and `ErrorRef`, under `name`.
    fn debug(self, name: &str, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct(name)
            .field("code", &self.code())
            .field("status", &self.status().as_u16())
            .field("type", &self.type_name)
            .field("error", &self.error)
            .field("context", &self.context)
            .finish()
    }
}

impl Debug for ErrorRef<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug("ErrorRef", formatter)
    }
}

/// The body clients receive (without `error_id`), so that an error can sit
/// inside another response: a batch's per-item results, a message.
///
/// ```
/// let error = macaron_core::Error::msg("the database is down");
/// assert_eq!(
///     serde_json::to_string(&error).unwrap(),
///     r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#
/// );
/// ```
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::api_error::serialize(rendered(self.as_api_error()), serializer)
    }
}

impl Display for Error {
    /// The error's own text: for logs, never for clients.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(&*self.error, formatter)
    }
}

impl Debug for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().debug("Error", formatter)
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use std::mem::size_of;

    /// The boxed error's two words, its type's name, the view and the
    /// extras: a larger `Error` makes every `Result` of a handler larger.
    #[test]
    fn an_error_is_five_words() {
        assert_eq!(size_of::<Error>(), 5 * size_of::<usize>());
    }
}
