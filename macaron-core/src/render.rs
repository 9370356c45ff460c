//! Writing error bodies and headers: the JSON writer generated code drives,
//! and the helpers every rendering shares.

use crate::body::is_reserved_key;
use crate::json::{escape_into, BodyBuf};
use crate::ErrorBody;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, Response, StatusCode};
use serde_json::{Map, Value};
use std::fmt::{self, Display, Write as _};

/// How the serving path has an error's response written: the `error_id`
/// as the body's last key, and every text cut at a limit, in the one pass
/// that writes the body. [`ApiError::to_response`](crate::ApiError::to_response)
/// renders with [`Rendering::new`]: no id, no limit.
///
/// ```
/// use macaron_core::{ApiError, Rendering, TRUNCATION_MARK};
///
/// #[derive(Debug, ApiError)]
/// #[error("no user named {name}", status = 404)]
/// struct UnknownUser {
///     name: String,
/// }
///
/// let error = UnknownUser { name: "bob".repeat(10) };
/// let rendering = Rendering::new().error_id("4c3e").max_text_bytes(16);
/// assert_eq!(
///     error.render(&rendering).body(),
///     &format!(r#"{{"error":"UNKNOWN_USER","error_description":"no user named bo{TRUNCATION_MARK}","status":404,"error_id":"4c3e"}}"#)
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Rendering<'a> {
    error_id: Option<&'a str>,
    max_text_bytes: usize,
    source_text: bool,
}

impl Default for Rendering<'_> {
    fn default() -> Self {
        Rendering::new()
    }
}

impl<'a> Rendering<'a> {
    /// No `error_id`, texts whole, no source's text in a 5xx.
    pub const fn new() -> Self {
        Rendering {
            error_id: None,
            max_text_bytes: usize::MAX,
            source_text: false,
        }
    }

    /// The body ends with `"error_id":"<id>"`.
    #[must_use]
    pub const fn error_id(mut self, error_id: &'a str) -> Self {
        self.error_id = Some(error_id);
        self
    }

    /// A text longer than `bytes` (a code, a description, a user message,
    /// a string in extra data) is cut at a character boundary and ends with
    /// [`TRUNCATION_MARK`]; a header value longer than that is left out and
    /// reported.
    #[must_use]
    pub const fn max_text_bytes(mut self, bytes: usize) -> Self {
        self.max_text_bytes = bytes;
        self
    }

    /// Whether a 5xx whose texts show its source's text is served with them
    /// (see [`ApiError::texts_from_source`](crate::ApiError::texts_from_source)).
    #[must_use]
    pub const fn source_text(mut self, shown: bool) -> Self {
        self.source_text = shown;
        self
    }

    pub(crate) const fn shows_source_text(&self) -> bool {
        self.source_text
    }

    /// The most bytes of a text this rendering writes.
    pub(crate) const fn max_text_bytes_of(&self) -> usize {
        self.max_text_bytes
    }

    /// Whether every one of `texts` is written whole.
    pub(crate) fn fits(&self, texts: &[&str]) -> bool {
        texts.iter().all(|text| text.len() <= self.max_text_bytes)
    }

    /// `body` as this rendering writes it: texts cut, the id set.
    pub(crate) fn apply(&self, body: &mut ErrorBody) {
        truncate(&mut body.error, self.max_text_bytes);
        truncate(&mut body.error_description, self.max_text_bytes);
        if let Some(user_message) = &mut body.user_message {
            truncate(user_message, self.max_text_bytes);
        }
        for value in body.extra.values_mut() {
            bound_value(value, self.max_text_bytes);
        }
        if let Some(error_id) = self.error_id {
            body.error_id = Some(error_id.to_owned());
        }
    }
}

/// Cuts every string in `value`, keys included, at `limit` bytes (see
/// [`truncate`]). Walks with a stack of its own: a value may be nested
/// deeper than a thread's stack allows recursion.
pub(crate) fn bound_value(value: &mut Value, limit: usize) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(text) => truncate(text, limit),
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(object) => {
                if object.keys().any(|key| key.len() > limit) {
                    *object = std::mem::take(object)
                        .into_iter()
                        .map(|(mut key, value)| {
                            truncate(&mut key, limit);
                            (key, value)
                        })
                        .collect();
                }
                stack.extend(object.values_mut());
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// `value` with every string cut at `limit` bytes: itself when none is
/// longer.
pub(crate) fn bounded_value(value: &Value, limit: usize) -> std::borrow::Cow<'_, Value> {
    let mut stack = vec![value];
    let mut fits = true;
    while let Some(part) = stack.pop() {
        match part {
            Value::String(text) => fits = text.len() <= limit,
            Value::Array(items) => stack.extend(items),
            Value::Object(object) => {
                fits = object.keys().all(|key| key.len() <= limit);
                stack.extend(object.values());
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
        if !fits {
            let mut value = value.clone();
            bound_value(&mut value, limit);
            return std::borrow::Cow::Owned(value);
        }
    }
    std::borrow::Cow::Borrowed(value)
}

/// What ends a description or user message cut at
/// [`ConfigBuilder::max_text_bytes`](crate::ConfigBuilder::max_text_bytes).
pub const TRUNCATION_MARK: &str = "… [truncated]";

/// Cuts `text` to at most `limit` bytes, at a character boundary, then
/// appends [`TRUNCATION_MARK`].
pub(crate) fn truncate(text: &mut String, limit: usize) {
    if text.len() > limit {
        text.truncate(char_boundary(text, limit));
        text.push_str(TRUNCATION_MARK);
    }
}

/// The largest character boundary of `text` at or before `index`.
fn char_boundary(text: &str, index: usize) -> usize {
    let mut end = index.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

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

/// The response of an error whose whole body the macro computed: as it
/// is, without a copy, or written again with the rendering's id.
pub(crate) fn static_response(
    status: StatusCode,
    body: &'static [u8],
    rendering: &Rendering<'_>,
) -> Response<Bytes> {
    match (rendering.error_id, body.split_last()) {
        (Some(_), Some((b'}', fields))) => {
            let mut writer = BodyWriter::new(rendering);
            writer.json(fields);
            writer.response(status)
        }
        _ => json_response(status, Bytes::from_static(body)),
    }
}

/// Writes a body from the macro's JSON fragments and the running values,
/// under a [`Rendering`]: texts bounded, then the `error_id` and the
/// closing brace.
pub struct BodyWriter<'r> {
    pub(crate) buf: BodyBuf,
    rendering: &'r Rendering<'r>,
}

impl<'r> BodyWriter<'r> {
    /// An empty body.
    #[inline]
    pub fn new(rendering: &'r Rendering<'r>) -> Self {
        BodyWriter {
            buf: BodyBuf::new(),
            rendering,
        }
    }

    /// JSON the macro wrote and escaped.
    #[inline]
    pub fn json(&mut self, json: &[u8]) {
        self.buf.put(json);
    }

    /// Text known to the macro, escaped inside a JSON string, cut at the
    /// rendering's limit.
    #[inline]
    pub fn str(&mut self, text: &str) {
        let mut bounded = Bounded::new(&mut self.buf, self.rendering.max_text_bytes);
        let _ = bounded.write_str(text);
        bounded.finish();
    }

    /// Formatted text, escaped inside a JSON string, cut at the rendering's
    /// limit. A `Display` impl that fails leaves what it wrote so far,
    /// which is still valid JSON text.
    #[inline]
    pub fn text(&mut self, args: fmt::Arguments<'_>) {
        match args.as_str() {
            Some(text) => self.str(text),
            None => {
                let mut bounded = Bounded::new(&mut self.buf, self.rendering.max_text_bytes);
                let _ = bounded.write_fmt(args);
                bounded.finish();
            }
        }
    }

    /// `"key":value` for a `#[data]` field (`key` is `,"key":`). Goes
    /// through `serde_json::Value`, as `to_body` does, so both give the same
    /// bytes (an `f32` is widened the same way); a value that fails to
    /// serialize leaves no key.
    pub fn data<T: serde::Serialize + ?Sized>(&mut self, key: &'static [u8], value: &T) {
        if let Ok(mut value) = serde_json::to_value(value) {
            bound_value(&mut value, self.rendering.max_text_bytes);
            self.buf.put(key);
            // Writing a `Value` into memory cannot fail.
            let _ = serde_json::to_writer(&mut self.buf, &value);
        }
    }

    /// Sets a response header from a `#[header]` field, as
    /// [`put_header`] does, leaving out and reporting a value longer than
    /// the rendering's limit.
    pub fn header<T: Display + ?Sized>(
        &self,
        response: &mut Response<Bytes>,
        name: &'static str,
        value: &T,
    ) {
        put_header_within(
            response.headers_mut(),
            name,
            value,
            self.rendering.max_text_bytes,
        );
    }

    /// The response: the `error_id`, if any, and the closing brace end the
    /// body. By reference: moving the writer would copy its buffer.
    pub fn response(&mut self, status: StatusCode) -> Response<Bytes> {
        if let Some(error_id) = self.rendering.error_id {
            self.buf.put(b",\"error_id\":\"");
            escape_into(&mut self.buf, error_id);
            self.buf.put(b"\"");
        }
        self.buf.put(b"}");
        json_response(status, self.buf.take_bytes())
    }
}

/// Escapes text into a JSON string up to a number of bytes of text, then
/// ends it with [`TRUNCATION_MARK`]: a long text costs what its first
/// bytes cost.
struct Bounded<'b> {
    buf: &'b mut BodyBuf,
    left: usize,
    cut: bool,
}

impl<'b> Bounded<'b> {
    fn new(buf: &'b mut BodyBuf, limit: usize) -> Self {
        Bounded {
            buf,
            left: limit,
            cut: false,
        }
    }

    fn finish(self) {
        if self.cut {
            escape_into(self.buf, TRUNCATION_MARK);
        }
    }
}

impl fmt::Write for Bounded<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        if text.len() <= self.left {
            escape_into(self.buf, text);
            self.left -= text.len();
        } else {
            escape_into(self.buf, &text[..char_boundary(text, self.left)]);
            self.cut = true;
        }
        Ok(())
    }
}

/// Sets a header from a field's `Display` text. Text that is not a valid
/// header value (a CR or LF, say) is dropped and reported: it must never
/// split the response.
pub fn put_header<T: Display + ?Sized>(headers: &mut HeaderMap, name: &'static str, value: &T) {
    put_header_within(headers, name, value, usize::MAX);
}

fn put_header_within<T: Display + ?Sized>(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &T,
    max_bytes: usize,
) {
    // The derive has refused the names error data cannot set.
    let value = value.to_string();
    if value.len() > max_bytes {
        return crate::notice::long_header(name, value.len());
    }
    match http::HeaderValue::try_from(value) {
        Ok(value) => {
            headers.append(HeaderName::from_static(name), value);
        }
        Err(_) => crate::notice::dropped_header(name),
    }
}

/// The response headers error data never sets: those that frame the
/// message (a wrong `content-length` on a kept-alive connection puts the
/// rest of the body in front of the next response) and the content type,
/// which the renderer writes.
const OWNED_HEADERS: [HeaderName; 9] = [
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::UPGRADE,
    header::TE,
    header::TRAILER,
    HeaderName::from_static("proxy-connection"),
    header::CONTENT_TYPE,
];

/// Whether error data may not set a response header named `name`.
pub(crate) fn is_owned_header(name: &HeaderName) -> bool {
    OWNED_HEADERS.contains(name)
}

/// Writes an error's headers (what `write`, its `write_headers`, adds)
/// into `headers`, leaving out and reporting those error data never sets
/// and values longer than `max_bytes`.
pub(crate) fn write_error_headers(
    headers: &mut HeaderMap,
    max_bytes: usize,
    write: impl FnOnce(&mut HeaderMap),
) {
    let mut written = HeaderMap::new();
    write(&mut written);
    let mut current = None;
    for (name, value) in written {
        if let Some(name) = name {
            current = Some(name);
        }
        let Some(name) = &current else { continue };
        if is_owned_header(name) {
            crate::notice::owned_header(name.as_str());
        } else if value.len() > max_bytes {
            crate::notice::long_header(name.as_str(), value.len());
        } else {
            headers.append(name.clone(), value);
        }
    }
}

/// Leaves out of `data` the [reserved](crate::RESERVED_KEYS) keys a
/// hand-written `write_data` put there, reporting each.
pub(crate) fn drop_reserved_keys(data: &mut Map<String, Value>) {
    data.retain(|key, _| {
        let reserved = is_reserved_key(key);
        if reserved {
            crate::notice::reserved_key(key);
        }
        !reserved
    });
}

/// Adds a `#[data]` field to a body map (the macro has checked `key`).
pub fn put_data<T: serde::Serialize + ?Sized>(data: &mut Map<String, Value>, key: &str, value: &T) {
    if let Ok(value) = serde_json::to_value(value) {
        data.insert(key.to_owned(), value);
    }
}

/// Adds extra data given at run time: a [reserved](crate::RESERVED_KEYS)
/// key is left out and reported, a value that fails to serialize leaves no
/// key.
pub(crate) fn insert_extra<T: serde::Serialize + ?Sized>(
    data: &mut Map<String, Value>,
    key: String,
    value: &T,
) {
    if is_reserved_key(&key) {
        crate::notice::reserved_key(&key);
        return;
    }
    if let Ok(value) = serde_json::to_value(value) {
        data.insert(key, value);
    }
}
