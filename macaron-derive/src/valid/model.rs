//! The checked model expansion works from: what each struct or variant
//! displays, declares or forwards, and which fields do what.

use crate::fmt::{Format, Text};
use proc_macro2::Span;

/// A checked derive input.
pub(crate) struct Checked {
    /// `false` when no struct, variant or enum attribute describes the
    /// error: its `Display` is the user's, as in thiserror.
    pub display_impl: bool,
    /// One per variant (one for a struct).
    pub specs: Vec<Spec>,
}

/// A checked struct or variant.
pub(crate) struct Spec {
    pub display: Display,
    pub kind: Kind,
    /// The field `Error::source` returns.
    pub source: Option<usize>,
    /// The field a `From` impl takes, and the `#[from]` it is spanned at.
    pub from: Option<(usize, Span)>,
    /// Where the error's backtrace is, for crash reports.
    pub backtrace: Option<BacktraceField>,
}

pub(crate) enum BacktraceField {
    /// A `std::backtrace::Backtrace` field.
    Own(usize),
    /// A `#[backtrace]` source: a declared error's own backtrace.
    Source(usize),
}

/// How the variant's `Display` text is written.
pub(crate) enum Display {
    /// Static text.
    Text(String),
    Format(Format),
    /// `path(fields..., formatter)`.
    Fmt(syn::ExprPath),
    /// The one field's own.
    Transparent,
    /// The user's `Display` impl.
    HandWritten,
}

pub(crate) enum Kind {
    /// Everything forwarded to the one field.
    Transparent(usize),
    Declared(Box<Declared>),
}

pub(crate) struct Declared {
    pub code: String,
    /// The code literal, or the name the code was derived from.
    pub code_span: Span,
    /// The code comes from the enum's `#[error(...)]`: variants may share it.
    pub code_inherited: bool,
    pub status: u16,
    /// The description when it is known at compile time; else it is the
    /// `Display` text.
    pub description: Option<String>,
    /// As written (`"no user with id {id}"`), for the catalog.
    pub template: String,
    pub user_message: Option<Text>,
    pub user_message_template: Option<String>,
    /// The templates with sample values in their placeholders, for
    /// documentation; `None` for a template without placeholders.
    pub description_example: Option<String>,
    pub user_message_example: Option<String>,
    /// Response header name (lowercase) and field.
    pub headers: Vec<(String, usize)>,
    /// Body key and field, sorted by key as JSON maps are.
    pub data: Vec<(String, usize)>,
}

impl Spec {
    pub(crate) fn declared(&self) -> Option<&Declared> {
        match &self.kind {
            Kind::Declared(declared) => Some(declared),
            Kind::Transparent(_) => None,
        }
    }
}
