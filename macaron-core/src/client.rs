//! The client side (PyMacaron's `is_error` and re-raised errors): read
//! Error-model bodies from other services, whatever their status, and
//! re-raise them as the local errors that declare their codes.

use crate::{ApiError, Error, ErrorBody, ErrorInfo};
use http::StatusCode;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Why a response did not carry an Error-model body: a proxy's HTML page,
/// an empty body, a truncated one. Carries the raw status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnErrorBody {
    /// The HTTP status of the response.
    pub status: u16,
    /// What was wrong with the body.
    pub problem: String,
    /// The start of the body (at most 1 KiB), for reports.
    pub start: String,
}

impl fmt::Display for NotAnErrorBody {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "a {} response without an error body: {}",
            self.status, self.problem
        )
    }
}

impl std::error::Error for NotAnErrorBody {}

/// Whether `value` is an Error-model object: `error` and
/// `error_description` strings and a numeric `status` (PyMacaron's
/// `is_error`).
///
/// ```
/// use serde_json::json;
///
/// assert!(macaron_core::is_error(&json!({"error": "NOT_FOUND", "error_description": "gone", "status": 404})));
/// assert!(!macaron_core::is_error(&json!({"id": 7, "name": "ada"})));
/// assert!(!macaron_core::is_error(&json!("NOT_FOUND")));
/// ```
pub fn is_error(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let optional_string = |key| {
        object
            .get(key)
            .map_or(true, |value: &Value| value.is_string() || value.is_null())
    };
    object.get("error").is_some_and(Value::is_string)
        && object
            .get("error_description")
            .is_some_and(Value::is_string)
        && object
            .get("status")
            .and_then(Value::as_u64)
            .is_some_and(|status| status <= u64::from(u16::MAX))
        && optional_string("user_message")
        && optional_string("error_id")
}

impl ErrorBody {
    /// The Error-model body of a response, whatever its status (error
    /// bodies come with odd statuses through proxies, and statuses with
    /// odd bodies).
    ///
    /// ```
    /// use macaron_core::ErrorBody;
    ///
    /// let response = http::Response::builder()
    ///     .status(404)
    ///     .body(r#"{"error":"NOT_FOUND","error_description":"gone","status":404}"#)
    ///     .unwrap();
    /// assert_eq!(ErrorBody::from_response(&response).unwrap().error, "NOT_FOUND");
    ///
    /// let proxy = http::Response::builder().status(502).body("<html>Bad Gateway</html>").unwrap();
    /// let not_an_error = ErrorBody::from_response(&proxy).unwrap_err();
    /// assert_eq!(not_an_error.status, 502);
    /// ```
    pub fn from_response<B: AsRef<[u8]>>(
        response: &http::Response<B>,
    ) -> Result<ErrorBody, NotAnErrorBody> {
        Self::from_status_and_bytes(response.status().as_u16(), response.body().as_ref())
    }

    /// [`from_response`](Self::from_response) from a status and the body's bytes.
    pub fn from_status_and_bytes(status: u16, body: &[u8]) -> Result<ErrorBody, NotAnErrorBody> {
        let problem = |problem: String| NotAnErrorBody {
            status,
            problem,
            start: String::from_utf8_lossy(&body[..body.len().min(1024)]).into_owned(),
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(problem("the body is empty".into()));
        }
        let value: Value =
            serde_json::from_slice(body).map_err(|error| problem(format!("not JSON: {error}")))?;
        if !is_error(&value) {
            return Err(problem("JSON, but not an error object".into()));
        }
        serde_json::from_value(value)
            .map_err(|error| problem(format!("not an error object: {error}")))
    }
}

/// An error another service answered, re-raised here. When a local type
/// declares its code (found through the [catalog](crate::catalog())), it
/// keeps that code with the local status, and the remote description,
/// user message and `error_id`; otherwise it is a 502 `BAD_GATEWAY`, and
/// the remote body goes to the crash report only.
#[derive(Debug, Clone)]
pub struct RemoteError {
    status: u16,
    body: Result<ErrorBody, NotAnErrorBody>,
    local: Option<&'static ErrorInfo>,
}

impl RemoteError {
    /// The error for a response with `status` and `body`.
    pub fn new(status: u16, body: Result<ErrorBody, NotAnErrorBody>) -> Self {
        let local = body.as_ref().ok().and_then(|body| {
            crate::catalog().into_iter().find(|info| {
                info.code == body.error && !info.module_path.starts_with("macaron_core::")
            })
        });
        RemoteError {
            status,
            body,
            local,
        }
    }

    /// The error for a response (see [`ErrorBody::from_response`]).
    pub fn from_response<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        Self::new(
            response.status().as_u16(),
            ErrorBody::from_response(response),
        )
    }

    /// The body received, or why there was none.
    pub fn body(&self) -> Result<&ErrorBody, &NotAnErrorBody> {
        self.body.as_ref()
    }

    /// The local declaration of the received code, if any.
    pub fn local(&self) -> Option<&'static ErrorInfo> {
        self.local
    }

    /// As a [`macaron_core::Error`](Error), keeping the remote `error_id`.
    pub fn into_error(self) -> Error {
        let error_id = self
            .body
            .as_ref()
            .ok()
            .and_then(|body| body.error_id.clone());
        let error = Error::declared(self);
        match error_id {
            Some(error_id) => error.with_error_id(error_id),
            None => error,
        }
    }

    fn declared(&self) -> Option<(&ErrorBody, &'static ErrorInfo)> {
        Some((self.body.as_ref().ok()?, self.local?))
    }
}

impl fmt::Display for RemoteError {
    /// Everything received, for the report.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.body {
            Ok(body) => write!(
                formatter,
                "a service answered {}: {}",
                self.status,
                serde_json::to_string(body).unwrap_or_default()
            ),
            Err(not_an_error) => write!(formatter, "{not_an_error}: {}", not_an_error.start),
        }
    }
}

impl std::error::Error for RemoteError {}

impl ApiError for RemoteError {
    fn code(&self) -> &str {
        match self.declared() {
            Some((body, _)) => &body.error,
            None => "BAD_GATEWAY",
        }
    }

    fn status(&self) -> StatusCode {
        match self.declared() {
            Some((_, local)) => local.status,
            None => StatusCode::BAD_GATEWAY,
        }
    }

    fn error_description(&self) -> Cow<'_, str> {
        match self.declared() {
            Some((body, _)) => Cow::Borrowed(&body.error_description),
            None => Cow::Borrowed("An upstream service failed"),
        }
    }

    fn user_message(&self) -> Option<Cow<'_, str>> {
        let (body, _) = self.declared()?;
        body.user_message.as_deref().map(Cow::Borrowed)
    }
}

crate::__framework_impls!([] [RemoteError] []);

inventory::submit! {
    crate::__private::Registrations(&[crate::__private::Registration::of::<RemoteError>()])
}

/// `reqwest`: a non-2xx response as the [`RemoteError`] it carries.
#[cfg(feature = "reqwest")]
pub trait ResponseExt: Sized {
    /// The response itself when its status is 2xx; otherwise the error it
    /// carries (its body read and parsed), as a [`RemoteError`].
    fn api_result(self) -> impl std::future::Future<Output = Result<Self, RemoteError>> + Send;
}

#[cfg(feature = "reqwest")]
impl ResponseExt for reqwest::Response {
    async fn api_result(self) -> Result<Self, RemoteError> {
        if self.status().is_success() {
            return Ok(self);
        }
        let status = self.status().as_u16();
        // A body that cannot be read is an empty one: no error body.
        let bytes = self.bytes().await.unwrap_or_default();
        Err(RemoteError::new(
            status,
            ErrorBody::from_status_and_bytes(status, &bytes),
        ))
    }
}
