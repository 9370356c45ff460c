//! Writing error bodies and headers: the JSON writer generated code drives,
//! and the helpers every rendering shares.

use crate::json::{escape_into, BodyBuf, Escaper};
use crate::ErrorBody;
use bytes::Bytes;
use http::{HeaderMap, Response, StatusCode};
use serde_json::{Map, Value};
use std::fmt::{self, Display, Write as _};

pub(crate) fn body_bytes(body: &ErrorBody) -> Bytes {
    let mut buf = BodyBuf::new();
    // Serializing strings and `Value`s into memory cannot fail.
    let _ = serde_json::to_writer(&mut buf, body);
    buf.take_bytes()
}

pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The response of an error whose whole body the macro computed.
pub fn static_response(status: StatusCode, body: &'static [u8]) -> Response<Bytes> {
    json_response(status, Bytes::from_static(body))
}

/// Builds a body from the macro's JSON fragments and the running values.
pub struct BodyWriter {
    pub(crate) buf: BodyBuf,
}

impl BodyWriter {
    /// An empty body.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        BodyWriter {
            buf: BodyBuf::new(),
        }
    }

    /// JSON the macro wrote and escaped.
    #[inline]
    pub fn json(&mut self, json: &'static [u8]) {
        self.buf.put(json);
    }

    /// Formatted text, escaped, inside a JSON string. A `Display` impl that
    /// fails leaves what it wrote so far, which is still valid JSON text.
    #[inline]
    pub fn text(&mut self, args: fmt::Arguments<'_>) {
        match args.as_str() {
            Some(text) => escape_into(&mut self.buf, text),
            None => {
                let _ = Escaper(&mut self.buf).write_fmt(args);
            }
        }
    }

    /// `"key":value` for a `#[data]` field (`key` is `,"key":`). Goes
    /// through `serde_json::Value`, as `to_body` does, so both give the same
    /// bytes (an `f32` is widened the same way); a value that fails to
    /// serialize leaves no key.
    pub fn data<T: serde::Serialize + ?Sized>(&mut self, key: &'static [u8], value: &T) {
        if let Ok(value) = serde_json::to_value(value) {
            self.buf.put(key);
            // Writing a `Value` into memory cannot fail.
            let _ = serde_json::to_writer(&mut self.buf, &value);
        }
    }

    /// By reference: moving the writer would copy its buffer.
    pub fn response(&mut self, status: StatusCode) -> Response<Bytes> {
        json_response(status, self.buf.take_bytes())
    }
}

/// Sets a header from a field's `Display` text. Text that is not a valid
/// header value (a CR or LF, say) is dropped and reported: it must never
/// split the response.
pub fn put_header<T: Display + ?Sized>(headers: &mut HeaderMap, name: &'static str, value: &T) {
    let value = value.to_string();
    match http::HeaderValue::try_from(value) {
        Ok(value) => {
            headers.append(http::HeaderName::from_static(name), value);
        }
        Err(_) => crate::notice::dropped_header(name),
    }
}

/// Adds a `#[data]` field to a body map (the macro has checked `key`).
pub fn put_data<T: serde::Serialize + ?Sized>(data: &mut Map<String, Value>, key: &str, value: &T) {
    if let Ok(value) = serde_json::to_value(value) {
        data.insert(key.to_owned(), value);
    }
}

/// Adds extra data given at run time: a key of the model itself is
/// ignored, a value that fails to serialize leaves no key.
pub(crate) fn insert_extra<T: serde::Serialize + ?Sized>(
    data: &mut Map<String, Value>,
    key: String,
    value: &T,
) {
    if crate::body::RESERVED_KEYS.contains(&key.as_str()) {
        return;
    }
    if let Ok(value) = serde_json::to_value(value) {
        data.insert(key, value);
    }
}
