//! What the macros know of each declared error, as data: one entry per
//! struct, variant or `define_errors!` type, which answers `code`,
//! `status`, static texts, whole static bodies and the catalog.

use crate::json::escape_into;
use crate::render::{bounded_value, static_response, BodyWriter, Rendering};
use crate::ErrorInfo;
use bytes::Bytes;
use http::{Response, StatusCode};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt::Display;

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
        description_example: description,
        user_message_example: user_message,
        doc,
        headers,
        data,
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
    pub(crate) code: &'static str,
    /// Checked by the macro to be in 400..=599. A number: a `StatusCode`
    /// would be one more `const fn` call per entry for the compiler.
    status: u16,
    /// The variant's name; empty for a struct or a `define_errors!` type.
    variant: &'static str,
    /// The description as declared, placeholders and all.
    template: &'static str,
    pub(crate) more: &'static More,
}

/// What a [`Declared`] entry has beyond its code, status and template.
#[derive(Clone, Copy)]
pub struct More {
    pub(crate) type_name: &'static str,
    module_path: &'static str,
    /// The description when it has no placeholders; empty when it has
    /// (then it is the `Display` text, as it also is when static).
    pub(crate) description: &'static str,
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
    pub fn render(
        &'static self,
        error: &dyn Display,
        rendering: &Rendering<'_>,
    ) -> Response<Bytes> {
        if !self.more.body.is_empty() {
            return self.render_declared(rendering);
        }
        self.render_with(
            |body| body.text(format_args!("{error}")),
            self.user_message(),
            None,
            rendering,
        )
    }

    /// The body as declared: static, unless a text is over the limit.
    pub(crate) fn render_declared(&'static self, rendering: &Rendering<'_>) -> Response<Bytes> {
        let more = self.more;
        if rendering.fits(&[more.description, more.user_message]) {
            return static_response(self.status(), more.body.as_bytes(), rendering);
        }
        self.render_with(
            |body| body.str(more.description),
            self.user_message(),
            None,
            rendering,
        )
    }

    /// The body with texts and data known only at run time.
    /// (`description` writes the description's text: straight from a
    /// `&str`, escaped, where there is one, not through `fmt`.)
    pub(crate) fn render_with(
        &'static self,
        description: impl FnOnce(&mut BodyWriter),
        user_message: Option<&str>,
        data: Option<&Map<String, Value>>,
        rendering: &Rendering<'_>,
    ) -> Response<Bytes> {
        let status = self.status();
        let mut body = BodyWriter::new(rendering);
        body.json(b"{\"error\":\"");
        escape_into(&mut body.buf, self.code);
        body.json(b"\",\"error_description\":\"");
        description(&mut body);
        if let Some(user_message) = user_message {
            body.json(b"\",\"user_message\":\"");
            body.str(user_message);
        }
        body.json(b"\",\"status\":");
        body.buf.put(status.as_str().as_bytes());
        for (key, value) in data.into_iter().flatten() {
            body.json(b",\"");
            escape_into(&mut body.buf, key);
            body.json(b"\":");
            let value = bounded_value(value, rendering.max_text_bytes_of());
            // Writing a `Value` into memory cannot fail.
            let _ = serde_json::to_writer(&mut body.buf, &*value);
        }
        body.response(status)
    }

    /// The entry's [`ErrorInfo`]: made on the first call, then kept for
    /// the program's life, one per declared error. Kept by what it says,
    /// not by the entry's address: a `define_errors!` entry is a constant,
    /// which may have one address in each crate that uses it, and the
    /// catalog tells entries apart by their `ErrorInfo`'s address.
    pub fn info(&'static self) -> &'static ErrorInfo {
        self.info_with(NO_EXAMPLES)
    }

    /// [`info`](Self::info), with the texts' examples (see [`Examples`]).
    fn info_with(&'static self, examples: Examples) -> &'static ErrorInfo {
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
            description_example: or_else(examples.0, self.template),
            user_message_example: more
                .user_message_template
                .map(|template| or_else(examples.1, template)),
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

/// `text`, or `otherwise` when it is empty.
fn or_else(text: &'static str, otherwise: &'static str) -> &'static str {
    if text.is_empty() {
        otherwise
    } else {
        text
    }
}

/// The description and user message of an entry with sample values in
/// their placeholders, for documentation; empty for a text without any.
/// Kept apart from the table, in the catalog's code: the compiler would
/// otherwise evaluate one more call for every entry with a placeholder.
pub type Examples = (&'static str, &'static str);

const NO_EXAMPLES: Examples = ("", "");

/// The catalog entries of a derived type's table, with the examples of its
/// entries (one per entry, or none when no text has a placeholder).
pub fn catalog_of(
    table: &'static [Declared],
    examples: &'static [Examples],
) -> Vec<&'static ErrorInfo> {
    let examples = examples
        .iter()
        .copied()
        .chain(std::iter::repeat(NO_EXAMPLES));
    table
        .iter()
        .zip(examples)
        .map(|(entry, examples)| entry.info_with(examples))
        .collect()
}
