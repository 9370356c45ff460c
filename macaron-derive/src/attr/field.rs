//! The field attributes: `#[source]`, `#[from]`, `#[backtrace]`,
//! `#[header("name")]`, `#[data]`.

use crate::ctxt::Ctxt;
use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr, Meta};

/// What a field is for, from its attributes.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub source: Option<Span>,
    pub from: Option<Span>,
    pub backtrace: Option<Span>,
    pub header: Option<LitStr>,
    /// The body key (`None` inside: use the field's name) and the attribute.
    pub data: Option<(Option<LitStr>, Span)>,
}

impl FieldAttrs {
    pub(crate) fn parse(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut parsed = FieldAttrs::default();
        for attr in attrs {
            let path = attr.path();
            let flag = if path.is_ident("source") {
                Some(("source", &mut parsed.source))
            } else if path.is_ident("from") {
                Some(("from", &mut parsed.from))
            } else if path.is_ident("backtrace") {
                Some(("backtrace", &mut parsed.backtrace))
            } else {
                None
            };
            if let Some((name, slot)) = flag {
                if !matches!(attr.meta, Meta::Path(_)) {
                    cx.error_spanned_by(attr, format!("#[{name}] takes no arguments"));
                } else if slot.is_some() {
                    cx.error_spanned_by(attr, format!("duplicate #[{name}] attribute"));
                } else {
                    *slot = Some(attr_span(attr));
                }
            } else if path.is_ident("header") {
                match attr.parse_args::<LitStr>() {
                    Ok(_) if parsed.header.is_some() => {
                        cx.error_spanned_by(attr, "duplicate #[header(...)] attribute");
                    }
                    Ok(name) => parsed.header = Some(name),
                    Err(_) => cx.error_spanned_by(
                        attr,
                        "expected the header's name: #[header(\"retry-after\")]",
                    ),
                }
            } else if path.is_ident("data") {
                let key = match &attr.meta {
                    Meta::Path(_) => Ok(None),
                    Meta::List(list) => syn::parse2::<LitStr>(list.tokens.clone()).map(Some),
                    Meta::NameValue(_) => Err(syn::Error::new(Span::call_site(), "")),
                };
                match key {
                    Ok(_) if parsed.data.is_some() => {
                        cx.error_spanned_by(attr, "duplicate #[data] attribute");
                    }
                    Ok(key) => parsed.data = Some((key, attr_span(attr))),
                    Err(_) => cx.error_spanned_by(
                        attr,
                        "expected #[data] or #[data(\"key\")] to choose the body key",
                    ),
                }
            } else if path.is_ident("error") {
                cx.error_spanned_by(
                    attr,
                    "#[error(...)] goes on the type or on an enum variant, not on a field",
                );
            } else if path.is_ident("api_error") {
                cx.error_spanned_by(attr, "#[api_error(...)] goes on the type");
            }
        }
        parsed
    }
}

/// Reports field attributes placed on a type or variant.
pub(crate) fn reject_field_attrs(attrs: &[Attribute], cx: &Ctxt) {
    for attr in attrs {
        for name in ["source", "from", "backtrace", "header", "data"] {
            if attr.path().is_ident(name) {
                cx.error_spanned_by(attr, format!("#[{name}] goes on a field"));
            }
        }
    }
}

fn attr_span(attr: &Attribute) -> Span {
    attr.path()
        .get_ident()
        .map_or_else(Span::call_site, Ident::span)
}
