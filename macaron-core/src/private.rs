//! Not public API: items used by the code `#[derive(ApiError)]` and
//! `define_errors!` generate. They may change in any release.

use crate::json::{escape_into, BodyBuf, Escaper};
use crate::{ApiError, ErrorBody, ErrorInfo};
use std::borrow::Cow;
use std::error::Error;
use std::fmt::{self, Display, Write as _};
use std::sync::Arc;

#[cfg(feature = "actix-web")]
pub use crate::actix::{actix_response, actix_status};
#[cfg(feature = "axum")]
pub use crate::axum::axum_response;
#[cfg(feature = "actix-web")]
pub use actix_web;

pub use crate::defined::Definition;
pub use crate::registry::{Registration, Registrations};
pub use crate::transparent::{
    CatalogViaApiError, CatalogViaForeign, Transparent, ViaApiError, ViaForeign, Wrapped,
};
#[cfg(feature = "axum")]
pub use axum;

pub use bytes::Bytes;
pub use http::{HeaderMap, Response, StatusCode};
pub use inventory;
pub use serde;
pub use serde_json::{Map, Value};
#[cfg(feature = "utoipa")]
pub use utoipa;

pub use crate::report::BoxError;

/// The status for a number the macro has checked to be in 400..=599.
pub const fn status_const(status: u16) -> StatusCode {
    match StatusCode::from_u16(status) {
        Ok(status) => status,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `ErrorInfo` is `#[non_exhaustive]`: generated code builds it here.
#[allow(clippy::too_many_arguments)]
pub const fn error_info(
    type_name: &'static str,
    module_path: &'static str,
    variant: Option<&'static str>,
    code: &'static str,
    status: StatusCode,
    description: &'static str,
    user_message: Option<&'static str>,
    doc: &'static str,
    headers: &'static [&'static str],
    data: &'static [&'static str],
) -> ErrorInfo {
    ErrorInfo {
        type_name,
        module_path,
        variant,
        code,
        status,
        description,
        user_message,
        doc,
        headers,
        data,
    }
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
    body
}

/// `Serialize` of a declared error: its body, as in its response.
pub fn serialize<E: ApiError + ?Sized, S: serde::Serializer>(
    error: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&error.to_body(), serializer)
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

/// The response of an error whose whole body the macro computed.
pub fn static_response(status: StatusCode, body: &'static [u8]) -> Response<Bytes> {
    json_response(status, Bytes::from_static(body))
}

/// Builds a body from the macro's JSON fragments and the running values.
pub struct BodyWriter {
    buf: BodyBuf,
}

impl BodyWriter {
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

/// What the macro knows of one declared error: a struct or variant of a
/// derived type (one table of them per type, so that `code`, `status`,
/// static texts, the catalog and most bodies are a lookup instead of a
/// match arm per method and variant), or a `define_errors!` type.
///
/// The compiler evaluates a thousand-variant enum's thousand entries, and
/// what it pays is about the number of references in each: an entry holds
/// what every error has, and one reference to the rest ([`More`]), which
/// the entries with nothing more of one type share. The catalog's
/// [`ErrorInfo`] is put together from both when it is first asked for.
pub struct Declared {
    code: &'static str,
    /// Checked by the macro to be in 400..=599. A number: a `StatusCode`
    /// would be one more `const fn` call per entry for the compiler.
    status: u16,
    /// The variant's name; empty for a struct or a `define_errors!` type.
    variant: &'static str,
    /// The description as declared, placeholders and all.
    template: &'static str,
    more: &'static More,
}

/// What a [`Declared`] entry has beyond its code, status and template.
#[derive(Clone, Copy)]
pub struct More {
    type_name: &'static str,
    module_path: &'static str,
    /// The description when it has no placeholders; empty when it has
    /// (then it is the `Display` text, as it also is when static).
    description: &'static str,
    /// The user message as declared.
    user_message_template: Option<&'static str>,
    /// The user message when it has no placeholders (a variant whose user
    /// message has some answers without the table).
    user_message: &'static str,
    /// The whole body, when the macro knew it; empty otherwise.
    body: &'static str,
    doc: &'static str,
    headers: &'static [&'static str],
    data: &'static [&'static str],
}

/// A [`Declared`] entry, from what the macro read: an error whose
/// description is only known at run time, unless `more` says otherwise.
/// Built here directly: the compiler evaluates this for every entry.
pub const fn declared(
    variant: &'static str,
    code: &'static str,
    status: u16,
    template: &'static str,
    more: &'static More,
) -> Declared {
    Declared {
        code,
        status,
        variant,
        template,
        more,
    }
}

impl More {
    /// Nothing more than the type: what a derived type's entries share.
    pub const fn of(type_name: &'static str, module_path: &'static str) -> Self {
        More {
            type_name,
            module_path,
            description: "",
            user_message_template: None,
            user_message: "",
            body: "",
            doc: "",
            headers: &[],
            data: &[],
        }
    }

    // The rest, for the entries that have it. By value: a method that
    // borrows its receiver gives the compiler a temporary to check for
    // promotion at each call, a large share of a big block's compile.

    /// The description has no placeholders.
    pub const fn with_description(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// The description has no placeholders, and the whole body is known.
    pub const fn with_static(mut self, description: &'static str, body: &'static str) -> Self {
        self.description = description;
        self.body = body;
        self
    }

    /// A user message: its template, and its text when it has no
    /// placeholders (else empty).
    pub const fn with_user_message(mut self, template: &'static str, text: &'static str) -> Self {
        self.user_message_template = Some(template);
        self.user_message = text;
        self
    }

    /// A doc comment.
    pub const fn with_doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    /// The names of the headers and the data keys the error writes.
    pub const fn with_names(
        mut self,
        headers: &'static [&'static str],
        data: &'static [&'static str],
    ) -> Self {
        self.headers = headers;
        self.data = data;
        self
    }
}

impl Declared {
    /// The `error` code.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The HTTP status.
    #[inline]
    pub const fn status(&self) -> StatusCode {
        status_const(self.status)
    }

    /// The error's description: static, or its `Display` text.
    pub fn description<'a, E: Display + ?Sized>(&'static self, error: &'a E) -> Cow<'a, str> {
        if self.more.description.is_empty() {
            Cow::Owned(error.to_string())
        } else {
            Cow::Borrowed(self.more.description)
        }
    }

    /// The user message, when it has no placeholders.
    pub fn user_message(&'static self) -> Option<&'static str> {
        self.more
            .user_message_template
            .map(|_| self.more.user_message)
    }

    /// The response of the error, unless its variant writes its own (one
    /// with an interpolated user message, `#[data]` or `#[header]`): the
    /// static body, or the body around the `Display` text.
    pub fn render(&'static self, error: &dyn Display) -> Response<Bytes> {
        if !self.more.body.is_empty() {
            return self.static_response();
        }
        self.render_with(
            |body| body.text(format_args!("{error}")),
            self.user_message(),
            None,
        )
    }

    fn static_response(&'static self) -> Response<Bytes> {
        static_response(self.status(), self.more.body.as_bytes())
    }

    /// The body with texts and data known only at run time.
    /// (`description` writes the description's text: straight from a
    /// `&str`, escaped, where there is one, not through `fmt`.)
    fn render_with(
        &'static self,
        description: impl FnOnce(&mut BodyWriter),
        user_message: Option<&str>,
        data: Option<&Map<String, Value>>,
    ) -> Response<Bytes> {
        let status = self.status();
        let mut body = BodyWriter::new();
        body.json(b"{\"error\":\"");
        escape_into(&mut body.buf, self.code);
        body.json(b"\",\"error_description\":\"");
        description(&mut body);
        if let Some(user_message) = user_message {
            body.json(b"\",\"user_message\":\"");
            escape_into(&mut body.buf, user_message);
        }
        body.json(b"\",\"status\":");
        body.buf.put(status.as_str().as_bytes());
        for (key, value) in data.into_iter().flatten() {
            body.json(b",\"");
            escape_into(&mut body.buf, key);
            body.json(b"\":");
            // Writing a `Value` into memory cannot fail.
            let _ = serde_json::to_writer(&mut body.buf, value);
        }
        body.json(b"}");
        body.response(status)
    }

    /// The entry's [`ErrorInfo`]: made on the first call, then kept for
    /// the program's life, one per declared error. Kept by what it says,
    /// not by the entry's address: a `define_errors!` entry is a constant,
    /// which may have one address in each crate that uses it, and the
    /// catalog tells entries apart by their `ErrorInfo`'s address.
    pub fn info(&'static self) -> &'static ErrorInfo {
        use std::collections::HashSet;
        use std::sync::{Mutex, OnceLock};
        static INFOS: OnceLock<Mutex<HashSet<&'static ErrorInfo>>> = OnceLock::new();
        let more = self.more;
        let info = ErrorInfo {
            type_name: more.type_name,
            module_path: more.module_path,
            variant: (!self.variant.is_empty()).then_some(self.variant),
            code: self.code,
            status: self.status(),
            description: self.template,
            user_message: more.user_message_template,
            doc: more.doc,
            headers: more.headers,
            data: more.data,
        };
        // A panic while the set was held left it whole: it only grows.
        let mut infos = INFOS
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match infos.get(&info) {
            Some(kept) => kept,
            None => {
                let kept: &'static ErrorInfo = Box::leak(Box::new(info));
                infos.insert(kept);
                kept
            }
        }
    }
}

/// The catalog entries of a derived type's table.
pub fn catalog_of(table: &'static [Declared]) -> Vec<&'static ErrorInfo> {
    table.iter().map(Declared::info).collect()
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
        Err(_) => crate::config::report_dropped_header(name),
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

/// What a `define_errors!` value holds at run time: its type's entry and
/// what differs from the entry's defaults. `Clone` (the source is shared)
/// so that every `DefinedError` is.
///
/// The description is inline, as `new` sets it; what the builders add is
/// boxed, made by the first of them: a value with neither is three words
/// that drop with two checks.
#[derive(Clone)]
pub struct ErrorFields {
    declared: &'static Declared,
    description: Option<Cow<'static, str>>,
    added: Option<Box<Added>>,
}

/// What the builders of a `define_errors!` value add.
#[derive(Clone, Default)]
struct Added {
    user_message: Option<Cow<'static, str>>,
    data: Map<String, Value>,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl ErrorFields {
    /// The declared error as it is, with no run-time changes.
    pub fn of(declared: &'static Declared) -> Self {
        ErrorFields {
            declared,
            description: None,
            added: None,
        }
    }

    pub fn new(declared: &'static Declared, description: Cow<'static, str>) -> Self {
        // Written out: `..ErrorFields::of(declared)` measured slower per
        // interpolated error.
        ErrorFields {
            declared,
            description: Some(description),
            added: None,
        }
    }

    pub fn with_user_message(mut self, user_message: Cow<'static, str>) -> Self {
        self.added().user_message = Some(user_message);
        self
    }

    pub fn with_data<T: serde::Serialize + ?Sized>(mut self, key: String, value: &T) -> Self {
        insert_extra(&mut self.added().data, key, value);
        self
    }

    pub fn with_source(mut self, source: BoxError) -> Self {
        self.added().source = Some(Arc::from(source));
        self
    }

    fn added(&mut self) -> &mut Added {
        self.added.get_or_insert_with(Box::default)
    }

    /// The description given to `new`, else the declared one (always
    /// static in `define_errors!`).
    fn description(&self) -> &str {
        self.description
            .as_deref()
            .unwrap_or(self.declared.more.description)
    }

    fn data(&self) -> Option<&Map<String, Value>> {
        self.added.as_ref().map(|added| &added.data)
    }
}

/// The type's `Debug` (and the registry's view's): its name and fields.
impl fmt::Debug for ErrorFields {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let added = self.added.as_deref();
        let no_data = Map::new();
        formatter
            .debug_struct(self.declared.more.type_name)
            .field("description", &self.description)
            .field(
                "user_message",
                &added.and_then(|added| added.user_message.as_ref()),
            )
            .field("data", self.data().unwrap_or(&no_data))
            .field("source", &added.and_then(|added| added.source.as_ref()))
            .finish()
    }
}

impl Display for ErrorFields {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.description())
    }
}

impl Error for ErrorFields {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.added
            .as_ref()?
            .source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

/// The `ApiError` of every `define_errors!` value, which the registry
/// hands out: one vtable for all of them.
impl ApiError for ErrorFields {
    fn code(&self) -> &str {
        self.declared.code
    }

    fn status(&self) -> StatusCode {
        self.declared.status()
    }

    fn error_description(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.description())
    }

    fn user_message(&self) -> Option<Cow<'_, str>> {
        self.added
            .as_ref()
            .and_then(|added| added.user_message.as_deref())
            .or(self.declared.user_message())
            .map(Cow::Borrowed)
    }

    fn write_data(&self, data: &mut Map<String, Value>) {
        data.extend(
            self.data()
                .into_iter()
                .flatten()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
    }

    fn to_response(&self) -> Response<Bytes> {
        let declared = self.declared;
        // A source alone leaves the body as declared.
        let body_as_declared = self.description.is_none()
            && self.added.as_deref().map_or(true, |added| {
                added.user_message.is_none() && added.data.is_empty()
            });
        if body_as_declared {
            return declared.static_response();
        }
        declared.render_with(
            |body| escape_into(&mut body.buf, self.description()),
            self.user_message().as_deref(),
            self.data(),
        )
    }
}

/// The timer `#[report_slow]` puts at the start of a function. In a request
/// an adapter serves, it replaces the adapter's own timing of the request.
pub fn time_call(name: &'static str, limit_ms: Option<u64>) -> crate::CallTimer {
    crate::config::with_scope_or_global(|config, request| {
        let timer = config.time_call(name, limit_ms);
        match request {
            Some(request) => {
                request
                    .handler_timed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                timer.with_request(request.info.clone())
            }
            None => timer,
        }
    })
}
