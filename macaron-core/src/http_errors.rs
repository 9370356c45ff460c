//! Ready-made errors for every 4xx and 5xx status `http::StatusCode`
//! names, each with the status' code and reason phrase, and
//! [`abort`] (Werkzeug's and Flask-RESTPlus') for an error
//! made on the spot.
//!
//! ```
//! use macaron_core::http_errors::NotFound;
//! use macaron_core::ApiError;
//!
//! assert_eq!(
//!     NotFound::default().to_response().body(),
//!     r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404}"#
//! );
//! assert_eq!(
//!     NotFound::new("no page /about").to_response().body(),
//!     r#"{"error":"NOT_FOUND","error_description":"no page /about","status":404}"#
//! );
//! ```

use crate::ApiError;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

crate::define_errors! {
    pub BadRequest(status = 400);
    pub Unauthorized(status = 401);
    pub PaymentRequired(status = 402);
    pub Forbidden(status = 403);
    pub NotFound(status = 404);
    pub MethodNotAllowed(status = 405);
    pub NotAcceptable(status = 406);
    pub ProxyAuthenticationRequired(status = 407);
    pub RequestTimeout(status = 408);
    pub Conflict(status = 409);
    pub Gone(status = 410);
    pub LengthRequired(status = 411);
    pub PreconditionFailed(status = 412);
    pub PayloadTooLarge(status = 413);
    pub UriTooLong(status = 414);
    pub UnsupportedMediaType(status = 415);
    pub RangeNotSatisfiable(status = 416);
    pub ExpectationFailed(status = 417);
    pub ImATeapot(status = 418);
    pub MisdirectedRequest(status = 421);
    pub UnprocessableEntity(status = 422);
    pub Locked(status = 423);
    pub FailedDependency(status = 424);
    pub TooEarly(status = 425);
    pub UpgradeRequired(status = 426);
    pub PreconditionRequired(status = 428);
    pub TooManyRequests(status = 429);
    pub RequestHeaderFieldsTooLarge(status = 431);
    pub UnavailableForLegalReasons(status = 451);
    pub InternalServerError(status = 500);
    pub NotImplemented(status = 501);
    pub BadGateway(status = 502);
    pub ServiceUnavailable(status = 503);
    pub GatewayTimeout(status = 504);
    pub HttpVersionNotSupported(status = 505);
    pub VariantAlsoNegotiates(status = 506);
    pub InsufficientStorage(status = 507);
    pub LoopDetected(status = 508);
    pub NotExtended(status = 510);
    pub NetworkAuthenticationRequired(status = 511);
}

/// The code of a status: its reason phrase in SCREAMING_SNAKE_CASE
/// (`404` -> `NOT_FOUND`, `418` -> `IM_A_TEAPOT`), or `CLIENT_ERROR` /
/// `SERVER_ERROR` for statuses HTTP does not name.
pub fn status_code_name(status: StatusCode) -> Cow<'static, str> {
    let Some(reason) = status.canonical_reason() else {
        return Cow::Borrowed(if status.is_client_error() {
            "CLIENT_ERROR"
        } else {
            "SERVER_ERROR"
        });
    };
    let mut code = String::with_capacity(reason.len());
    for c in reason.chars() {
        match c {
            ' ' | '-' => code.push('_'),
            '\'' => {}
            c => code.push(c.to_ascii_uppercase()),
        }
    }
    Cow::Owned(code)
}

/// An error made on the spot by [`abort`]: any status, a
/// message, extra body keys, response headers.
#[derive(Debug, Clone)]
pub struct HttpError {
    status: StatusCode,
    code: Cow<'static, str>,
    description: Cow<'static, str>,
    user_message: Option<Cow<'static, str>>,
    data: Map<String, Value>,
    headers: HeaderMap,
}

/// An error with `status`, its code (`NOT_FOUND`) and its reason phrase as
/// description, to change with the `with_*` methods (Flask-RESTPlus'
/// `abort(400, "message", custom="value")`). A status outside 400..=599
/// is a bug in the caller: it becomes a 500 `INTERNAL_SERVER_ERROR`.
///
/// ```
/// use macaron_core::{abort, ApiError};
/// use http::{header::ALLOW, StatusCode};
///
/// let error = abort(StatusCode::METHOD_NOT_ALLOWED)
///     .with_message("use GET")
///     .with_data("custom", "value")
///     .with_data("status", 200) // the model's own keys are never replaced
///     .with_header(ALLOW, "GET, HEAD");
/// let response = error.to_response();
/// assert_eq!(response.status(), 405);
/// assert_eq!(response.headers()[ALLOW], "GET, HEAD");
/// assert_eq!(
///     response.body(),
///     r#"{"error":"METHOD_NOT_ALLOWED","error_description":"use GET","status":405,"custom":"value"}"#
/// );
/// ```
pub fn abort(status: StatusCode) -> HttpError {
    let status = if status.is_client_error() || status.is_server_error() {
        status
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    HttpError {
        status,
        code: status_code_name(status),
        description: Cow::Borrowed(crate::reason::reason_or_generic(status)),
        user_message: None,
        data: Map::new(),
        headers: HeaderMap::new(),
    }
}

impl HttpError {
    /// Sets the description (the `Display` text, `error_description`).
    #[must_use]
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.description = message.into();
        self
    }

    /// Sets the code (the `error` key).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = code.into();
        self
    }

    /// Sets the user message.
    #[must_use]
    pub fn with_user_message(mut self, user_message: impl Into<Cow<'static, str>>) -> Self {
        self.user_message = Some(user_message.into());
        self
    }

    /// Adds a key to the body; the model's own keys are ignored.
    #[must_use]
    pub fn with_data(mut self, key: impl Into<String>, value: impl serde::Serialize) -> Self {
        crate::render::insert_extra(&mut self.data, key.into(), &value);
        self
    }

    /// Adds a response header (`Allow`, `WWW-Authenticate`, `Retry-After`,
    /// ...). A name or value that is not valid in HTTP (a CR or LF, say)
    /// is dropped and reported non-fatally: it never splits the response.
    /// So is a header that frames the response (`content-length`,
    /// `transfer-encoding`, `connection`...) or its `content-type`, which
    /// macaron and the server write.
    #[must_use]
    pub fn with_header<N, V>(mut self, name: N, value: V) -> Self
    where
        HeaderName: TryFrom<N>,
        HeaderValue: TryFrom<V>,
    {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), _) if crate::render::is_owned_header(&name) => {
                crate::notice::owned_header(name.as_str());
            }
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Ok(name), Err(_)) => crate::notice::dropped_header(name.as_str()),
            (Err(_), _) => crate::notice::dropped_header("<invalid name>"),
        }
        self
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.description)
    }
}

impl std::error::Error for HttpError {}

impl ApiError for HttpError {
    fn code(&self) -> &str {
        &self.code
    }

    fn status(&self) -> StatusCode {
        self.status
    }

    fn error_description(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.description)
    }

    fn user_message(&self) -> Option<Cow<'_, str>> {
        self.user_message.as_deref().map(Cow::Borrowed)
    }

    fn write_headers(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
    }

    fn write_data(&self, data: &mut Map<String, Value>) {
        data.extend(
            self.data
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
    }
}

inventory::submit! {
    crate::__private::Registrations(&[crate::__private::Registration::of::<HttpError>()])
}

crate::__framework_impls!([] [HttpError] []);
