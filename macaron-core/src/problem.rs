//! RFC 9457 problem details: the same error as `application/problem+json`.

use crate::docs_url::docs_url;
use crate::ErrorBody;
use serde::ser::SerializeMap as _;
use serde::{Serialize, Serializer};

/// When responses are problem details (RFC 9457) instead of the
/// PyMacaron model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProblemJson {
    /// When the request's `Accept` prefers `application/problem+json` to
    /// `application/json`, weighing q-values as RFC 9110 does: a higher
    /// weight, or the same one with problem details named rather than
    /// reached through a wildcard (the default). Responses then carry
    /// `Vary: Accept`.
    #[default]
    OnRequest,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An [`ErrorBody`] as problem details: `type`, `title`, `status`,
/// `detail`, `instance`, then the extension members `code`,
/// `user_message`, the extra data, and `error_id`.
///
/// ```
/// use macaron_core::{ErrorBody, ProblemDetails};
///
/// let mut body = ErrorBody::new("UNKNOWN_USER", "no user with id 7", 404);
/// body.error_id = Some("abc".into());
/// let problem = ProblemDetails::new(&body, None, Some("/users/7"));
/// assert_eq!(
///     serde_json::to_string(&problem).unwrap(),
///     r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no user with id 7","instance":"/users/7","code":"UNKNOWN_USER","error_id":"abc"}"#
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProblemDetails<'a> {
    body: &'a ErrorBody,
    type_base: Option<&'a str>,
    instance: Option<&'a str>,
}

impl<'a> ProblemDetails<'a> {
    /// The problem of `body`. With `type_base`, `type` is the base followed
    /// by the code, percent-encoded where a URL needs it
    /// (`https://example.com/errors/UNKNOWN_USER`); without it,
    /// `about:blank`. `instance` is usually the request's path.
    pub fn new(body: &'a ErrorBody, type_base: Option<&'a str>, instance: Option<&'a str>) -> Self {
        ProblemDetails {
            body,
            type_base,
            instance,
        }
    }
}

impl Serialize for ProblemDetails<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let body = self.body;
        let title = http::StatusCode::from_u16(body.status)
            .map_or("Error", crate::reason::reason_or_generic);
        let mut map = serializer.serialize_map(None)?;
        match self.type_base {
            Some(base) => map.serialize_entry("type", &docs_url(base, &body.error))?,
            None => map.serialize_entry("type", "about:blank")?,
        }
        map.serialize_entry("title", title)?;
        map.serialize_entry("status", &body.status)?;
        map.serialize_entry("detail", &body.error_description)?;
        if let Some(instance) = self.instance {
            map.serialize_entry("instance", instance)?;
        }
        map.serialize_entry("code", &body.error)?;
        if let Some(user_message) = &body.user_message {
            map.serialize_entry("user_message", user_message)?;
        }
        // Written above or below, or the model's keys renamed here.
        const MEMBERS: [&str; 10] = [
            "type",
            "title",
            "status",
            "detail",
            "instance",
            "code",
            "user_message",
            "error_id",
            "error",
            "error_description",
        ];
        for (key, value) in &body.extra {
            if !MEMBERS.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        if let Some(error_id) = &body.error_id {
            map.serialize_entry("error_id", error_id)?;
        }
        map.end()
    }
}
