//! Rules across attributes and fields, and what each variant inherits
//! from its enum. Each check reports what is wrong and goes on, so that one
//! compile shows every mistake; expansion runs only when none was found
//! (else `fallback` writes stub impls).

mod batch;
mod codes;
mod fields;
mod model;

pub(crate) use batch::check_batch;
pub(crate) use model::{BacktraceField, Checked, Declared, Display, Kind, Spec};

use crate::ast::{Input, Variant};
use crate::attr::{DisplayAttr, ErrorAttr, FormatArgs};
use crate::ctxt::Ctxt;
use crate::example::example;
use crate::fmt::{self, Text};
use crate::names::{default_description, screaming_snake_case};
use codes::{check_code, check_unique_codes};
use fields::{
    check_backtrace, check_data, check_from, check_headers, check_send_sync, check_source,
};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::LitStr;

pub(crate) fn check_input(input: &Input, cx: &Ctxt) -> Checked {
    let generics = &input.original.generics;
    for lifetime in generics.lifetimes() {
        cx.error_spanned_by(
            lifetime,
            "an ApiError type must be 'static (errors travel across threads and into \
             responses): remove the lifetime and own the data",
        );
    }
    if let Some(inherited) = &input.inherited {
        if let Some(DisplayAttr::Transparent(transparent)) = &inherited.display {
            cx.error_spanned_by(
                transparent,
                "#[error(transparent)] on an enum: put it on each variant that forwards",
            );
        }
    }
    let has_display =
        |attr: &Option<ErrorAttr>| attr.as_ref().is_some_and(|attr| attr.display.is_some());
    let display_impl = has_display(&input.inherited)
        || input
            .variants
            .iter()
            .any(|variant| has_display(&variant.attr))
        || input.variants.is_empty();
    let specs: Vec<Spec> = input
        .variants
        .iter()
        .map(|variant| check_variant(input, variant, display_impl, cx))
        .collect();
    let mut codes = Vec::new();
    for (variant, spec) in input.variants.iter().zip(&specs) {
        if let Some(declared) = spec.declared() {
            codes.push((variant.ident.to_string(), declared));
        }
    }
    check_unique_codes(&codes, cx);
    Checked {
        display_impl,
        specs,
    }
}

/// The variant's own attribute, key by key over the enum's.
struct Effective<'a> {
    display: Option<&'a DisplayAttr>,
    code: Option<(&'a LitStr, bool)>,
    status: Option<u16>,
    status_attempted: bool,
    user_message: Option<&'a LitStr>,
    /// Where a "missing status" points.
    whole: TokenStream,
}

fn effective<'a>(input: &'a Input, variant: &'a Variant) -> Effective<'a> {
    let own = variant.attr.as_ref();
    let inherited = input.inherited.as_ref();
    let pick = |get: fn(&'a ErrorAttr) -> Option<&'a LitStr>| {
        own.and_then(get)
            .map(|lit| (lit, false))
            .or_else(|| inherited.and_then(get).map(|lit| (lit, true)))
    };
    Effective {
        display: own
            .and_then(|attr| attr.display.as_ref())
            .or_else(|| inherited.and_then(|attr| attr.display.as_ref())),
        code: pick(|attr| attr.code.as_ref()),
        status: own
            .and_then(|attr| attr.status.as_ref())
            .or_else(|| inherited.and_then(|attr| attr.status.as_ref()))
            .map(|(status, _)| *status),
        // A transparent enum attribute is wrong already (reported): no
        // "missing status" on top.
        status_attempted: own.is_some_and(|attr| attr.status_attempted)
            || inherited.is_some_and(|attr| {
                attr.status_attempted || matches!(attr.display, Some(DisplayAttr::Transparent(_)))
            }),
        user_message: pick(|attr| attr.user_message.as_ref()).map(|(lit, _)| lit),
        whole: match own {
            Some(attr) => attr.whole.clone(),
            None => variant.ident.to_token_stream(),
        },
    }
}

fn check_variant(input: &Input, variant: &Variant, display_impl: bool, cx: &Ctxt) -> Spec {
    let source = check_source(variant, cx);
    let backtrace = check_backtrace(variant, source, cx);
    let backtrace_field = match backtrace {
        Some(BacktraceField::Own(index)) => Some(index),
        _ => None,
    };
    let from = check_from(variant, source, backtrace_field, cx);
    let headers = check_headers(variant, cx);
    let data = check_data(variant, cx);
    check_send_sync(variant, cx);
    let own = variant.attr.as_ref();
    if let Some(DisplayAttr::Transparent(transparent)) = own.and_then(|attr| attr.display.as_ref())
    {
        let own = own.expect("transparent comes from the attribute");
        check_transparent(variant, own, transparent, &headers, &data, source, cx);
        return Spec {
            display: Display::Transparent,
            kind: Kind::Transparent(0),
            source: None,
            from,
            backtrace: None,
        };
    }
    let effective = effective(input, variant);
    let status = match effective.status {
        Some(status) => status,
        None => {
            if !effective.status_attempted {
                let message = if input.is_enum {
                    format!(
                        "missing `status` for variant `{}`: add #[error(status = ...)] on the \
                         enum for every variant, or on this variant",
                        variant.ident
                    )
                } else if variant.attr.is_none() {
                    "missing #[error(...)]: add #[error(\"description\", status = ...)] above \
                     the struct"
                        .to_owned()
                } else {
                    "missing `status` in #[error(...)]: add one, such as `status = 400`".to_owned()
                };
                cx.error_spanned_by(&effective.whole, message);
            }
            500
        }
    };
    let (code, code_span, code_inherited) = match effective.code {
        Some((lit, inherited)) => (check_code(lit, cx), lit.span(), inherited),
        None => (
            screaming_snake_case(&variant.ident.to_string()),
            variant.ident.span(),
            false,
        ),
    };
    let reason = default_description(status);
    let (display, description, template) = match effective.display {
        Some(DisplayAttr::Format { lit, args }) => {
            let text = fmt::text(lit, args, variant, cx);
            match text {
                Text::Static(text) => (Display::Text(text.clone()), Some(text), lit.value()),
                Text::Format(format) => {
                    if format.shows_self {
                        cx.error_spanned_by(
                            lit,
                            "`{self}` in the description formats the error with its own \
                             Display, which would recurse forever: use `{self:?}`",
                        );
                    }
                    (Display::Format(format), None, lit.value())
                }
            }
        }
        Some(DisplayAttr::Fmt { path, .. }) => {
            (Display::Fmt(path.clone()), None, reason.to_owned())
        }
        // Reported above (on an enum) or handled (on a variant).
        Some(DisplayAttr::Transparent(_)) => (Display::HandWritten, None, reason.to_owned()),
        None if display_impl => (
            Display::Text(reason.to_owned()),
            Some(reason.to_owned()),
            reason.to_owned(),
        ),
        None => (Display::HandWritten, None, reason.to_owned()),
    };
    let (user_message, user_message_template) = effective
        .user_message
        .map(|lit| {
            (
                fmt::text(lit, &FormatArgs::default(), variant, cx),
                lit.value(),
            )
        })
        .unzip();
    let description_example = match &display {
        Display::Format(_) => example(&template, variant),
        _ => None,
    };
    let user_message_example = user_message_template
        .as_deref()
        .and_then(|template| example(template, variant));
    Spec {
        display,
        kind: Kind::Declared(Box::new(Declared {
            code,
            code_span,
            code_inherited,
            status,
            description,
            template,
            user_message,
            user_message_template,
            description_example,
            user_message_example,
            headers,
            data,
        })),
        source,
        from,
        backtrace,
    }
}

fn check_transparent(
    variant: &Variant,
    attr: &ErrorAttr,
    transparent: &syn::Ident,
    headers: &[(String, usize)],
    data: &[(String, usize)],
    source: Option<usize>,
    cx: &Ctxt,
) {
    for (name, present) in [
        ("code", attr.code.as_ref().map(LitStr::span)),
        (
            "status",
            attr.status.as_ref().map(|(_, tokens)| first_span(tokens)),
        ),
        ("user_message", attr.user_message.as_ref().map(LitStr::span)),
    ] {
        if let Some(span) = present {
            cx.error_at(
                span,
                format!(
                    "`{name}` cannot be combined with #[error(transparent)]: the wrapped error's \
                     {name} is used"
                ),
            );
        }
    }
    if !headers.is_empty() || !data.is_empty() {
        cx.error_spanned_by(
            transparent,
            "#[header] and #[data] have no effect with #[error(transparent)]: the wrapped \
             error's headers and data are used",
        );
    }
    if variant.fields.len() != 1 {
        cx.error_spanned_by(
            transparent,
            format!(
                "#[error(transparent)] needs exactly one field, the error it forwards to; `{}` \
                 has {}",
                variant.ident,
                variant.fields.len()
            ),
        );
    } else if let Some(span) = variant.fields[0].attrs.source.filter(|_| source.is_some()) {
        cx.error_at(
            span,
            "#[source] has no effect with #[error(transparent)]: the wrapped error's source is \
             the source",
        );
    }
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span())
}
