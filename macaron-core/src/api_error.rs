//! The trait every macaron error implements, and the static description of
//! each declared error.

use crate::render::{
    body_bytes, drop_reserved_keys, json_response, write_error_headers, Rendering,
};
use crate::ErrorBody;
use bytes::Bytes;
use http::{HeaderMap, Response, StatusCode};
use serde_json::{Map, Value};
use std::backtrace::Backtrace;
use std::borrow::Cow;

/// An error that renders to the Error model: a code, a status, a
/// description, an optional user message, extra body keys and headers.
///
/// Derive it (`#[derive(ApiError)]`), declare types with
/// [`define_errors!`](crate::define_errors), or implement it by hand. A hand
/// implementation gives at least [`code`](Self::code) and
/// [`status`](Self::status); the description defaults to the `Display` text
/// and the rendering methods to a generic, correct implementation:
///
/// ```
/// use macaron_core::ApiError;
/// use http::StatusCode;
///
/// #[derive(Debug)]
/// struct Teapot;
///
/// impl std::fmt::Display for Teapot {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("this server brews tea")
///     }
/// }
///
/// impl std::error::Error for Teapot {}
///
/// impl ApiError for Teapot {
///     fn code(&self) -> &str {
///         "TEAPOT"
///     }
///     fn status(&self) -> StatusCode {
///         StatusCode::IM_A_TEAPOT
///     }
/// }
///
/// let response = Teapot.to_response();
/// assert_eq!(response.status(), 418);
/// assert_eq!(response.headers()["content-type"], "application/json");
/// assert_eq!(
///     response.body(),
///     r#"{"error":"TEAPOT","error_description":"this server brews tea","status":418}"#
/// );
/// ```
///
/// Derived and declared types override [`render`](Self::render) with a
/// renderer that writes the JSON from fragments computed at compile time;
/// its bytes are the same as `serde_json::to_vec(&self.to_body())`.
pub trait ApiError: std::error::Error + Send + Sync + 'static {
    /// The `error` key of the body, such as `INVALID_USER`.
    fn code(&self) -> &str;

    /// The HTTP status of the response, also the `status` key of the body.
    fn status(&self) -> StatusCode;

    /// The `error_description` key: what went wrong, for developers.
    /// Defaults to the `Display` text.
    fn error_description(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }

    /// The `user_message` key: what went wrong, for end users.
    fn user_message(&self) -> Option<Cow<'_, str>> {
        None
    }

    /// Whether the description or user message shows the text of the
    /// error's source (`#[error("parse failed: {source}")]`). For a status
    /// of 500 and above, such texts are not served unless the configuration
    /// allows it ([`ConfigBuilder::source_text`](crate::ConfigBuilder::source_text)):
    /// the description becomes the status' reason phrase and the user
    /// message is left out. `Display` and the crash report keep them. The
    /// derive answers it; a hand implementation whose texts show a source
    /// says so here.
    ///
    /// ```
    /// use macaron_core::{ApiError, ErrorBody};
    ///
    /// #[derive(Debug, ApiError)]
    /// #[error("parse failed: {source}", status = 500)]
    /// struct ParseFailed {
    ///     source: std::num::ParseIntError,
    /// }
    ///
    /// let error = ParseFailed { source: "x".parse::<u8>().unwrap_err() };
    /// assert!(error.texts_from_source());
    /// assert_eq!(error.to_string(), "parse failed: invalid digit found in string");
    /// let body: ErrorBody = serde_json::from_slice(error.to_response().body()).unwrap();
    /// assert_eq!(body.error_description, "Internal Server Error");
    /// ```
    fn texts_from_source(&self) -> bool {
        false
    }

    /// Adds the error's response headers, such as `retry-after`.
    fn write_headers(&self, headers: &mut HeaderMap) {
        let _ = headers;
    }

    /// Adds the error's extra body keys. Keys of the model itself (`error`,
    /// `status`, ...) are ignored when the body is written.
    fn write_data(&self, data: &mut Map<String, Value>) {
        let _ = data;
    }

    /// The backtrace captured where the error was made, which crash reports
    /// carry. The derive gives the one of a `std::backtrace::Backtrace`
    /// field (also in an `Option`, `Arc` or `Box`).
    ///
    /// ```
    /// use macaron_core::ApiError;
    /// use std::backtrace::Backtrace;
    ///
    /// #[derive(Debug, ApiError)]
    /// #[error("the ledger is inconsistent", status = 500)]
    /// struct Inconsistent {
    ///     backtrace: Backtrace,
    /// }
    ///
    /// let error = Inconsistent { backtrace: Backtrace::force_capture() };
    /// let error = macaron_core::Error::from(error);
    /// // The field's, which crash reports carry.
    /// assert_eq!(error.backtrace().status(), std::backtrace::BacktraceStatus::Captured);
    /// ```
    fn backtrace(&self) -> Option<&Backtrace> {
        None
    }

    /// The body as a value, for inspection or change before sending.
    fn to_body(&self) -> ErrorBody {
        body_of(self)
    }

    /// The complete response: status, `content-type: application/json`, the
    /// error's headers, and the body ([`render`](Self::render) with no
    /// `error_id` and no limit).
    fn to_response(&self) -> Response<Bytes> {
        self.render(&Rendering::new())
    }

    /// The response under a [`Rendering`], as the serving path sends it:
    /// the body written once, with the `error_id` as its last key and its
    /// texts cut at the limit. The default writes [`to_body`](Self::to_body);
    /// derived and declared types write the body from fragments computed
    /// at compile time, the same bytes. A type that changes its bytes
    /// overrides this method, which `to_response` and the serving path
    /// both call.
    fn render(&self, rendering: &Rendering<'_>) -> Response<Bytes> {
        render_body(self, rendering)
    }

    /// Every error this type can be, for documentation and tools: one entry
    /// per declared struct, variant or `define_errors!` type, plus the
    /// entries of the errors its transparent variants wrap.
    fn catalog() -> Vec<&'static ErrorInfo>
    where
        Self: Sized,
    {
        Vec::new()
    }
}

/// What a declared error is, known at compile time: one entry of
/// [`ApiError::catalog`].
///
/// ```
/// use macaron_core::ApiError;
///
/// /// The login is unknown.
/// #[derive(Debug, ApiError)]
/// #[error("no user with id {id}", status = 401)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// let info = UnknownUser::catalog()[0];
/// assert_eq!(info.code, "UNKNOWN_USER");
/// assert_eq!(info.status, 401);
/// assert_eq!(info.description, "no user with id {id}");
/// assert_eq!(info.doc, "The login is unknown.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// The type's name, such as `AccountError`.
    pub type_name: &'static str,
    /// The module the type is declared in, such as `my_service::errors`.
    pub module_path: &'static str,
    /// The enum variant's name, for errors declared as variants.
    pub variant: Option<&'static str>,
    /// The `error` code.
    pub code: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The description as declared, with its `{field}` placeholders, or the
    /// status' reason phrase when none was given.
    pub description: &'static str,
    /// The user message as declared, with its placeholders.
    pub user_message: Option<&'static str>,
    /// The description with a sample value in each placeholder
    /// (`no user with id 42`), for documentation: the description itself
    /// when it has none. A placeholder whose field is of a type of the
    /// user's, or an expression, shows `…`.
    pub description_example: &'static str,
    /// The user message with sample values, likewise.
    pub user_message_example: Option<&'static str>,
    /// The doc comment of the struct, variant or entry.
    pub doc: &'static str,
    /// The names of the response headers the error sets.
    pub headers: &'static [&'static str],
    /// The extra body keys the error adds.
    pub data: &'static [&'static str],
}

/// The body of any error, from its trait methods.
pub fn body_of<E: ApiError + ?Sized>(error: &E) -> ErrorBody {
    let mut body = ErrorBody::new(
        error.code(),
        error.error_description(),
        error.status().as_u16(),
    );
    body.user_message = error.user_message().map(Cow::into_owned);
    error.write_data(&mut body.extra);
    if !body.extra.is_empty() {
        drop_reserved_keys(&mut body.extra);
    }
    body
}

/// `Serialize` of a declared error: its body, as in its response.
pub fn serialize<E: ApiError + ?Sized, S: serde::Serializer>(
    error: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&error.to_body(), serializer)
}

/// Whether `rendering` leaves out the texts of `error`: a 5xx whose
/// texts show its source's.
pub(crate) fn hides_source_text<E: ApiError + ?Sized>(
    error: &E,
    rendering: &Rendering<'_>,
) -> bool {
    !rendering.shows_source_text() && error.status().is_server_error() && error.texts_from_source()
}

/// Whether a type that writes its body from fragments hands `error` to
/// [`render_body`] instead: when its texts may not be served, or its code
/// is longer than the rendering's limit (the fragments hold it whole).
pub fn renders_as_value<E: ApiError + ?Sized>(error: &E, rendering: &Rendering<'_>) -> bool {
    error.code().len() > rendering.max_text_bytes_of() || hides_source_text(error, rendering)
}

/// `body` without the texts that show the error's source: the status'
/// reason phrase as its description, and no user message.
pub(crate) fn hide_texts(body: &mut ErrorBody, status: StatusCode) {
    body.error_description = crate::reason::reason_or_generic(status).to_owned();
    body.user_message = None;
}

/// The response of any error from its body as a value: what
/// [`ApiError::render`] does by default, and what a derived type's does
/// when its texts show its source's and may not be served.
pub fn render_body<E: ApiError + ?Sized>(error: &E, rendering: &Rendering<'_>) -> Response<Bytes> {
    let mut body = error.to_body();
    if hides_source_text(error, rendering) {
        hide_texts(&mut body, error.status());
    }
    rendering.apply(&mut body);
    let mut response = json_response(error.status(), body_bytes(&body));
    write_error_headers(
        response.headers_mut(),
        rendering.max_text_bytes_of(),
        |headers| error.write_headers(headers),
    );
    response
}
