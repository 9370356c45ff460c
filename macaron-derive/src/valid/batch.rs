//! The entries of a `define_errors!` block: no fields, static texts.

use super::codes::{check_code, check_unique_codes};
use super::Declared;
use crate::ast::BatchEntry;
use crate::attr::DisplayAttr;
use crate::ctxt::Ctxt;
use crate::fmt::{self, Text};
use crate::names::{default_description, screaming_snake_case};

/// The checked entries of a `define_errors!` block: no fields, static texts.
pub(crate) fn check_batch(entries: &[BatchEntry], cx: &Ctxt) -> Vec<Declared> {
    let declared: Vec<Declared> = entries.iter().map(|entry| check_entry(entry, cx)).collect();
    let codes: Vec<(String, &Declared)> = entries
        .iter()
        .map(|entry| entry.ident.to_string())
        .zip(&declared)
        .collect();
    check_unique_codes(&codes, cx);
    declared
}

fn check_entry(entry: &BatchEntry, cx: &Ctxt) -> Declared {
    let attr = &entry.attr;
    let status = match &attr.status {
        Some((status, _)) => *status,
        None => {
            // An entry that is transparent or formats fields is wrong
            // already: no "missing status" on top.
            let other_mistake = matches!(
                attr.display,
                Some(DisplayAttr::Transparent(_) | DisplayAttr::Fmt { .. })
            );
            if !attr.status_attempted && !other_mistake {
                cx.error_spanned_by(
                    &attr.whole,
                    "missing `status` in #[error(...)]: add one, such as `status = 400`",
                );
            }
            500
        }
    };
    let reason = default_description(status);
    let description = match &attr.display {
        Some(DisplayAttr::Format { lit, args }) => {
            let first = args
                .positional
                .first()
                .or(args.named.first().map(|(_, value)| value));
            let text = match first {
                Some(first) => {
                    cx.error_spanned_by(
                        first,
                        "a define_errors! description is static: it takes no format arguments",
                    );
                    lit.value()
                }
                None => fmt::static_text(lit, &entry.ident, cx),
            };
            Some((text, lit.value()))
        }
        Some(DisplayAttr::Transparent(transparent)) => {
            cx.error_spanned_by(
                transparent,
                format!(
                    "#[error(transparent)] needs exactly one field, the error it forwards to; \
                     `{}` has 0",
                    entry.ident
                ),
            );
            None
        }
        Some(DisplayAttr::Fmt { key, .. }) => {
            cx.error_spanned_by(
                key,
                "a define_errors! entry has no fields for `fmt = ...` to show: write its \
                 description as a string",
            );
            None
        }
        None => None,
    };
    let (description, template) =
        description.unwrap_or_else(|| (reason.to_owned(), reason.to_owned()));
    let (user_message, user_message_template) = attr
        .user_message
        .as_ref()
        .map(|lit| {
            (
                Text::Static(fmt::static_text(lit, &entry.ident, cx)),
                lit.value(),
            )
        })
        .unzip();
    let (code, code_span) = match &attr.code {
        Some(lit) => (check_code(lit, cx), lit.span()),
        None => (
            screaming_snake_case(&entry.ident.to_string()),
            entry.ident.span(),
        ),
    };
    Declared {
        code,
        code_span,
        code_inherited: false,
        status,
        description: Some(description),
        template,
        user_message,
        user_message_template,
        description_example: None,
        user_message_example: None,
        headers: Vec::new(),
        data: Vec::new(),
    }
}
