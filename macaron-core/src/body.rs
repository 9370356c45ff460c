//! The Error object every error renders to, as a type.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// The keys of the model itself, which [`ErrorBody::extra`] never writes.
const MODEL_KEYS: [&str; 5] = [
    "error",
    "error_description",
    "user_message",
    "status",
    "error_id",
];

/// Every body key macaron writes itself, which extra data (`with_data`,
/// `#[data]`, `write_data`) may not take: the model's keys, debug mode's
/// `__debug__`, the `sentry_id` a Sentry reporter adds, and the members of
/// problem details (RFC 9457). A forged `__debug__` or `sentry_id` would
/// pass for macaron's own. Such a key is left out and reported, non-fatally.
///
/// ```
/// use macaron_core::{abort, ApiError, RESERVED_KEYS};
/// use http::StatusCode;
///
/// assert!(RESERVED_KEYS.contains(&"__debug__"));
/// let error = abort(StatusCode::CONFLICT)
///     .with_data("__debug__", "forged")
///     .with_data("seat", 12);
/// assert_eq!(
///     error.to_response().body(),
///     r#"{"error":"CONFLICT","error_description":"Conflict","status":409,"seat":12}"#
/// );
/// ```
pub const RESERVED_KEYS: [&str; 12] = [
    "error",
    "error_description",
    "user_message",
    "status",
    "error_id",
    "__debug__",
    "sentry_id",
    "type",
    "title",
    "detail",
    "instance",
    "code",
];

/// Whether extra data may not take `key` (see [`RESERVED_KEYS`]).
pub(crate) fn is_reserved_key(key: &str) -> bool {
    RESERVED_KEYS.contains(&key)
}

/// The JSON object every macaron error renders to:
///
/// ```json
/// {"error": "INVALID_USER", "error_description": "DB entry not found", "user_message": "Sorry, we don't know you", "status": 401}
/// ```
///
/// Keys come in that order, `user_message` only when there is one, then the
/// extra keys (sorted, as in any `serde_json::Map`), then `error_id` when
/// there is one (the serving path adds it to every response). Clients parse error
/// bodies with it; keys it does not know land in [`extra`](Self::extra) and
/// are written back when it is serialized again.
///
/// ```
/// use macaron_core::ErrorBody;
///
/// let json = r#"{"error":"RATE_LIMITED","error_description":"slow down","status":429,"limit":10}"#;
/// let body: ErrorBody = serde_json::from_str(json)?;
/// assert_eq!(body.error, "RATE_LIMITED");
/// assert_eq!(body.status, 429);
/// assert_eq!(body.extra["limit"], 10);
/// assert_eq!(serde_json::to_string(&body)?, json);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// The error's code, such as `INVALID_USER`: what clients match on.
    pub error: String,
    /// What went wrong, for developers.
    pub error_description: String,
    /// What went wrong, for end users.
    pub user_message: Option<String>,
    /// The HTTP status of the response.
    pub status: u16,
    /// Every other key. The keys of the model (the fields of this struct)
    /// are never written from here: such an entry is skipped when
    /// serializing.
    pub extra: Map<String, Value>,
    /// The id linking this response to its crash report; written last.
    pub error_id: Option<String>,
}

impl ErrorBody {
    /// A body with no user message and no extra keys.
    ///
    /// ```
    /// let body = macaron_core::ErrorBody::new("NOT_FOUND", "no such page", 404);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"error":"NOT_FOUND","error_description":"no such page","status":404}"#
    /// );
    /// ```
    pub fn new(
        error: impl Into<String>,
        error_description: impl Into<String>,
        status: u16,
    ) -> Self {
        ErrorBody {
            error: error.into(),
            error_description: error_description.into(),
            user_message: None,
            status,
            extra: Map::new(),
            error_id: None,
        }
    }

    /// The extra keys a body is written with: the model's own keys are
    /// never taken from [`extra`](Self::extra).
    pub(crate) fn extra_entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.extra
            .iter()
            .filter(|(key, _)| !MODEL_KEYS.contains(&key.as_str()))
    }
}

impl Serialize for ErrorBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 3
            + usize::from(self.user_message.is_some())
            + self.extra_entries().count()
            + usize::from(self.error_id.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("error", &self.error)?;
        map.serialize_entry("error_description", &self.error_description)?;
        if let Some(user_message) = &self.user_message {
            map.serialize_entry("user_message", user_message)?;
        }
        map.serialize_entry("status", &self.status)?;
        for (key, value) in self.extra_entries() {
            map.serialize_entry(key, value)?;
        }
        if let Some(error_id) = &self.error_id {
            map.serialize_entry("error_id", error_id)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = ErrorBody;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an error object with `error`, `error_description` and `status`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorBody, A::Error> {
        fn once<T, E: de::Error>(
            slot: &mut Option<T>,
            value: T,
            key: &'static str,
        ) -> Result<(), E> {
            match slot.replace(value) {
                Some(_) => Err(E::duplicate_field(key)),
                None => Ok(()),
            }
        }
        let mut error = None;
        let mut error_description = None;
        let mut user_message = None;
        let mut status = None;
        let mut error_id = None;
        let mut extra = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "error" => once(&mut error, map.next_value()?, "error")?,
                "error_description" => once(
                    &mut error_description,
                    map.next_value()?,
                    "error_description",
                )?,
                "user_message" => once(&mut user_message, map.next_value()?, "user_message")?,
                "status" => once(&mut status, map.next_value()?, "status")?,
                "error_id" => once(&mut error_id, map.next_value()?, "error_id")?,
                _ => {
                    let value = map.next_value()?;
                    if extra.insert(key, value).is_some() {
                        return Err(de::Error::custom("duplicate key in error object"));
                    }
                }
            }
        }
        Ok(ErrorBody {
            error: error.ok_or_else(|| de::Error::missing_field("error"))?,
            error_description: error_description
                .ok_or_else(|| de::Error::missing_field("error_description"))?,
            user_message: user_message.flatten(),
            status: status.ok_or_else(|| de::Error::missing_field("status"))?,
            extra,
            error_id: error_id.flatten(),
        })
    }
}
