//! The reason phrase of a status, as RFC 9110 names it: problem details'
//! `title`, the description of an error that gives none, the description a
//! hidden 5xx gets. `http` still spells two of them as RFC 7231 did.

use http::StatusCode;

/// The reason phrase of `status` (RFC 9110, section 15), if HTTP names it.
///
/// ```
/// use http::StatusCode;
///
/// assert_eq!(macaron_core::reason_phrase(StatusCode::PAYLOAD_TOO_LARGE), Some("Content Too Large"));
/// assert_eq!(macaron_core::reason_phrase(StatusCode::UNPROCESSABLE_ENTITY), Some("Unprocessable Content"));
/// assert_eq!(macaron_core::reason_phrase(StatusCode::NOT_FOUND), Some("Not Found"));
/// assert_eq!(macaron_core::reason_phrase(StatusCode::from_u16(499).unwrap()), None);
/// ```
pub fn reason_phrase(status: StatusCode) -> Option<&'static str> {
    match status.as_u16() {
        413 => Some("Content Too Large"),
        422 => Some("Unprocessable Content"),
        _ => status.canonical_reason(),
    }
}

/// The reason phrase of `status`, or a generic one for the statuses HTTP
/// leaves unnamed (such as 499).
pub(crate) fn reason_or_generic(status: StatusCode) -> &'static str {
    reason_phrase(status).unwrap_or(if status.is_client_error() {
        "Client Error"
    } else {
        "Server Error"
    })
}
