//! Rules on fields: which is the source, the backtrace, the `From`
//! field; headers and data; what makes an error neither `Send` nor `Sync`.

use super::BacktraceField;
use crate::ast::{Field, Variant};
use crate::ctxt::Ctxt;
use crate::types::{is_backtrace, unshareable_object};
use proc_macro2::Span;
use syn::{LitStr, Member};

/// Keys of the body that `#[data]` may not take: every key macaron writes
/// (`macaron_core::RESERVED_KEYS`, which a test keeps equal to this).
pub(crate) const RESERVED_KEYS: &[&str] = &[
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

/// The `#[source]` or `#[from]` field, else a field named `source` (not
/// written `r#source`, which opts out, as in thiserror).
pub(super) fn check_source(variant: &Variant, cx: &Ctxt) -> Option<usize> {
    let mut explicit = variant
        .fields
        .iter()
        .enumerate()
        .filter_map(|(index, field)| {
            let attrs = &field.attrs;
            attrs.source.or(attrs.from).map(|span| (index, span))
        });
    let first = explicit.next();
    for (_, span) in explicit {
        cx.error_at(
            span,
            format!(
                "`{}` has two sources: mark a single field #[source] or #[from]",
                variant.ident
            ),
        );
    }
    first.map(|(index, _)| index).or_else(|| {
        variant
            .fields
            .iter()
            .position(|field| field.name == "source" && !field.raw)
    })
}

/// The `#[backtrace]` field, else a field whose type is `Backtrace`. On a
/// source, `#[backtrace]` takes the source's backtrace when it is a
/// declared error: stable Rust cannot ask any other error for one.
pub(super) fn check_backtrace(
    variant: &Variant,
    source: Option<usize>,
    cx: &Ctxt,
) -> Option<BacktraceField> {
    let mut marked = variant
        .fields
        .iter()
        .enumerate()
        .filter_map(|(index, field)| field.attrs.backtrace.map(|span| (index, span)));
    let first = marked.next();
    for (_, span) in marked {
        cx.error_at(span, "duplicate #[backtrace]: mark a single field");
    }
    match first {
        Some((index, _)) if is_backtrace(variant.fields[index].ty) => {
            Some(BacktraceField::Own(index))
        }
        Some((index, span)) => {
            if source != Some(index) {
                cx.error_at(
                    span,
                    "#[backtrace] goes on a field of type `std::backtrace::Backtrace`, or on the \
                     source to take its backtrace",
                );
            }
            Some(BacktraceField::Source(index))
        }
        None => variant
            .fields
            .iter()
            .position(|field| is_backtrace(field.ty))
            .map(BacktraceField::Own),
    }
}

/// `#[from]` generates `From<field>` (of `T` for `Option<T>`), so the
/// variant may have no other field than a backtrace, which `from` captures.
pub(super) fn check_from(
    variant: &Variant,
    source: Option<usize>,
    backtrace: Option<usize>,
    cx: &Ctxt,
) -> Option<(usize, Span)> {
    let (index, span) = variant
        .fields
        .iter()
        .enumerate()
        .find_map(|(index, field)| field.attrs.from.map(|span| (index, span)))?;
    if source.is_some_and(|source| source != index) {
        // Reported as two sources.
        return None;
    }
    let others: Vec<String> = variant
        .fields
        .iter()
        .enumerate()
        .filter(|&(other, _)| other != index && Some(other) != backtrace)
        .map(|(_, field)| format!("`{}`", field.name))
        .collect();
    if !others.is_empty() {
        cx.error_at(
            span,
            format!(
                "#[from] needs the source to be the only field (a backtrace aside), but `{}` also \
                 has {}: use #[source] instead and construct the error yourself",
                variant.ident,
                others.join(", ")
            ),
        );
        return None;
    }
    Some((index, span))
}

/// An `ApiError` is `Send + Sync`: a field holding a trait object without
/// both bounds is reported at it, with what to write.
pub(super) fn check_send_sync(variant: &Variant, cx: &Ctxt) {
    for field in &variant.fields {
        if let Some(object) = unshareable_object(field.ty) {
            cx.error_spanned_by(
                object,
                "an ApiError is `Send + Sync` (handlers run on many threads, and reports are \
                 sent from another): add `+ Send + Sync` to this trait object, as in \
                 `Box<dyn std::error::Error + Send + Sync>`",
            );
        }
    }
}

pub(super) fn check_headers(variant: &Variant, cx: &Ctxt) -> Vec<(String, usize)> {
    let mut headers = Vec::new();
    for (index, field) in variant.fields.iter().enumerate() {
        let Some(lit) = &field.attrs.header else {
            continue;
        };
        let name = lit.value();
        let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(is_token) {
            cx.error_spanned_by(
                lit,
                format!(
                    "{name:?} is not a valid header name: use letters, digits and `-`, such as \
                     #[header(\"retry-after\")]"
                ),
            );
        } else if OWNED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            cx.error_spanned_by(
                lit,
                format!(
                    "`{name}` cannot come from a field: the headers that frame the response \
                     (content-length, transfer-encoding, connection, keep-alive, upgrade, te, \
                     trailer, proxy-connection) and its content-type are written by macaron and \
                     the server"
                ),
            );
        } else {
            headers.push((name.to_ascii_lowercase(), index));
        }
    }
    headers
}

/// The response headers error data never sets: a wrong value would
/// desynchronize the connection, or give a second content type.
const OWNED_HEADERS: [&str; 9] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-connection",
    "content-type",
];

pub(super) fn check_data(variant: &Variant, cx: &Ctxt) -> Vec<(String, usize)> {
    let mut keys: Vec<(String, usize)> = Vec::new();
    for (index, field) in variant.fields.iter().enumerate() {
        let Some((explicit, span)) = &field.attrs.data else {
            continue;
        };
        let key = match explicit {
            Some(lit) => lit.value(),
            None if is_named(field) => field.name.clone(),
            None => {
                cx.error_at(
                    *span,
                    "#[data] on a tuple field needs a body key: #[data(\"key\")]",
                );
                continue;
            }
        };
        let span = explicit.as_ref().map_or(*span, LitStr::span);
        if RESERVED_KEYS.contains(&key.as_str()) {
            cx.error_at(
                span,
                format!(
                    "`{key}` is a key macaron writes in the error body (`macaron_core::RESERVED_KEYS`): \
                     give the data another key, as in #[data(\"{key}_detail\")]"
                ),            );
        } else if keys.iter().any(|(seen, _)| *seen == key) {
            cx.error_at(span, format!("duplicate #[data] key `{key}`"));
        } else {
            keys.push((key, index));
        }
    }
    // Sorted as a JSON map's keys are.
    keys.sort_unstable();
    keys
}

fn is_named(field: &Field) -> bool {
    matches!(field.member, Member::Named(_))
}
