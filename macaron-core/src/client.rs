//! The client side (PyMacaron's `is_error` and re-raised errors): read
//! Error-model bodies from other services, whatever their status, and
//! re-raise them as the local errors that declare their codes.

use crate::{ApiError, Error, ErrorBody, ErrorInfo};
use http::StatusCode;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// The most bytes of a received error body that the client side reads
/// and parses, unless told otherwise: error bodies are small, and a body
/// an upstream service or an attacker made huge must not cost gigabytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// Why a response did not carry an Error-model body: a proxy's HTML page,
/// an empty body, a truncated one, one too large to read. Carries the raw
/// status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnErrorBody {
    /// The HTTP status of the response.
    pub status: u16,
    /// What kind of problem it is.
    pub kind: BodyProblem,
    /// What was wrong with the body, in words.
    pub problem: String,
    /// The start of the body (at most 1 KiB), for reports.
    pub start: String,
}

/// What kind of body a [`NotAnErrorBody`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyProblem {
    /// No body, or only whitespace.
    Empty,
    /// More bytes than the limit; not read in full.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Not JSON.
    NotJson,
    /// JSON with a key twice in one object: which one counts is anyone's
    /// guess, so neither does.
    DuplicateKey,
    /// An error object whose `status` is no HTTP status (RFC 9110: 100 to 599).
    InvalidStatus,
    /// JSON of another shape.
    NotAnErrorObject,
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
/// `error_description` strings and a `status` that is an HTTP status, 100 to
/// 599 (PyMacaron's `is_error`).
///
/// ```
/// use serde_json::json;
///
/// assert!(macaron_core::is_error(&json!({"error": "NOT_FOUND", "error_description": "gone", "status": 404})));
/// assert!(!macaron_core::is_error(&json!({"id": 7, "name": "ada"})));
/// assert!(!macaron_core::is_error(&json!("NOT_FOUND")));
/// assert!(!macaron_core::is_error(&json!({"error": "X", "error_description": "d", "status": 0})));
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
        && object.get("status").is_some_and(is_status)
        && optional_string("user_message")
        && optional_string("error_id")
}

/// Whether `value` is an HTTP status: RFC 9110 gives them three digits,
/// from 100 to 599.
fn is_status(value: &Value) -> bool {
    value
        .as_u64()
        .is_some_and(|status| (100..=599).contains(&status))
}

impl ErrorBody {
    /// The Error-model body of a response, whatever its status (error
    /// bodies come with odd statuses through proxies, and statuses with
    /// odd bodies). A body over [`DEFAULT_MAX_BODY_BYTES`] is refused
    /// unparsed ([`from_status_and_bytes_limited`](Self::from_status_and_bytes_limited)
    /// sets another limit); so is one with a key twice in an object, or a
    /// `status` that is no HTTP status.
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
        Self::from_status_and_bytes_limited(status, body, DEFAULT_MAX_BODY_BYTES)
    }

    /// [`from_status_and_bytes`](Self::from_status_and_bytes) with a limit
    /// of `max_bytes` instead of [`DEFAULT_MAX_BODY_BYTES`].
    ///
    /// ```
    /// use macaron_core::{BodyProblem, ErrorBody};
    ///
    /// let body = br#"{"error":"GONE","error_description":"gone","status":410}"#;
    /// assert!(ErrorBody::from_status_and_bytes_limited(410, body, 64).is_ok());
    /// let refused = ErrorBody::from_status_and_bytes_limited(410, body, 32).unwrap_err();
    /// assert_eq!(refused.kind, BodyProblem::TooLarge { limit: 32 });
    ///
    /// let twice = br#"{"error":"FIRST","error":"SECOND","error_description":"d","status":400}"#;
    /// let refused = ErrorBody::from_status_and_bytes(400, twice).unwrap_err();
    /// assert_eq!(refused.kind, BodyProblem::DuplicateKey);
    /// ```
    pub fn from_status_and_bytes_limited(
        status: u16,
        body: &[u8],
        max_bytes: usize,
    ) -> Result<ErrorBody, NotAnErrorBody> {
        let refused = |kind, problem: String| not_an_error_body(status, kind, problem, body);
        if body.len() > max_bytes {
            return Err(too_large(status, max_bytes, body));
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(refused(BodyProblem::Empty, "the body is empty".into()));
        }
        let value = crate::strict_json::from_slice(body).map_err(|error| {
            if error.is_data() {
                refused(BodyProblem::DuplicateKey, format!("JSON, but {error}"))
            } else {
                refused(BodyProblem::NotJson, format!("not JSON: {error}"))
            }
        })?;
        if !is_error(&value) {
            let status_key = value.get("status");
            if status_key.is_some_and(|status| status.is_u64() && !is_status(status)) {
                return Err(refused(
                    BodyProblem::InvalidStatus,
                    format!(
                        "an error object whose status {} is no HTTP status",
                        status_key.unwrap_or(&Value::Null)
                    ),
                ));
            }
            return Err(refused(
                BodyProblem::NotAnErrorObject,
                "JSON, but not an error object".into(),
            ));
        }
        serde_json::from_value(value).map_err(|error| {
            refused(
                BodyProblem::NotAnErrorObject,
                format!("not an error object: {error}"),
            )
        })
    }
}

/// Why `body`, received with `status`, is no error body.
pub(crate) fn not_an_error_body(
    status: u16,
    kind: BodyProblem,
    problem: String,
    body: &[u8],
) -> NotAnErrorBody {
    NotAnErrorBody {
        status,
        kind,
        problem,
        start: String::from_utf8_lossy(&body[..body.len().min(1024)]).into_owned(),
    }
}

/// A body refused for its size; `start` is what was read of it.
fn too_large(status: u16, limit: usize, start: &[u8]) -> NotAnErrorBody {
    not_an_error_body(
        status,
        BodyProblem::TooLarge { limit },
        format!("the body is larger than {limit} bytes"),
        start,
    )
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
    /// carries (its body read and parsed), as a [`RemoteError`]. At most
    /// [`DEFAULT_MAX_BODY_BYTES`] of the body are read: a larger one is
    /// refused as [`BodyProblem::TooLarge`], its connection dropped.
    fn api_result(self) -> impl std::future::Future<Output = Result<Self, RemoteError>> + Send {
        self.api_result_limited(DEFAULT_MAX_BODY_BYTES)
    }

    /// [`api_result`](Self::api_result), reading at most `max_bytes` of
    /// an error's body.
    fn api_result_limited(
        self,
        max_bytes: usize,
    ) -> impl std::future::Future<Output = Result<Self, RemoteError>> + Send;
}

#[cfg(feature = "reqwest")]
impl ResponseExt for reqwest::Response {
    async fn api_result_limited(mut self, max_bytes: usize) -> Result<Self, RemoteError> {
        if self.status().is_success() {
            return Ok(self);
        }
        let status = self.status().as_u16();
        let too_large =
            |start: &[u8]| RemoteError::new(status, Err(too_large(status, max_bytes, start)));
        if self
            .content_length()
            .is_some_and(|length| length > max_bytes as u64)
        {
            return Err(too_large(&[]));
        }
        // Read chunk by chunk, to stop at the limit whatever the length
        // header said. A body that cannot be read is an empty one.
        let mut bytes = Vec::new();
        while let Ok(Some(chunk)) = self.chunk().await {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(too_large(&bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        Err(RemoteError::new(
            status,
            ErrorBody::from_status_and_bytes_limited(status, &bytes, max_bytes),
        ))
    }
}
