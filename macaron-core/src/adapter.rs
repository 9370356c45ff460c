//! What the tower layer and the actix-web middleware share: panics as
//! errors, and error responses the framework made itself translated into
//! the Error model.

use crate::http_errors::{abort, status_code_name};
use crate::report::panic_message;
use crate::HttpError;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::sync::Once;

/// How much of a framework-made error body is read for its description.
pub(crate) const MAX_FRAMEWORK_TEXT: usize = 4096;

/// A panic in a handler, as an error: its message and where it happened.
#[derive(Debug)]
pub(crate) struct Panic {
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
    pub(crate) fn caught(payload: &(dyn Any + Send)) -> Self {
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
    (400, "Json deserialize error", "INVALID_JSON"),
    (400, "Query deserialize error", "INVALID_PARAMETER"),
    (400, "Can not parse", "INVALID_PARAMETER"),
    (404, "Path deserialize error", "INVALID_PARAMETER"),
    (400, "UrlEncoded", "INVALID_PARAMETER"),
];

/// An error response the framework made (a 404 for an unknown route, a
/// 405, a rejected body...) as a declared error: a code by status (and
/// text, for rejections), the text as description, the headers kept.
pub(crate) fn framework_error(
    status: StatusCode,
    text: Option<&str>,
    headers: &HeaderMap,
) -> HttpError {
    let code = text
        .and_then(|text| {
            REJECTIONS
                .iter()
                .find(|(rejection_status, prefix, _)| {
                    *rejection_status == status.as_u16() && text.starts_with(prefix)
                })
                .map(|&(_, _, code)| code)
        })
        .map_or_else(|| status_code_name(status), Into::into);
    let mut error = abort(status).with_code(code);
    if let Some(text) = text {
        error = error.with_message(text.to_owned());
    }
    for (name, value) in headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            error = error.with_header(name.clone(), value.clone());
        }
    }
    error
}

/// The text of a framework-made body, when it is short plain text.
pub(crate) fn framework_text(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let plain = headers
        .get(CONTENT_TYPE)
        .map_or(true, |value| value.as_bytes().starts_with(b"text/plain"));
    let text = std::str::from_utf8(body).ok()?.trim();
    (plain && !text.is_empty()).then(|| text.to_owned())
}
