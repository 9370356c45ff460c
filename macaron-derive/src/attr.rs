//! Helper attributes: `#[error(...)]` (whose arguments are also the grammar
//! of a `define_errors!` entry), the field attributes, and doc comments.

use crate::ctxt::Ctxt;
use crate::names::did_you_mean;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, Ident, Lit, LitStr, Meta, Token};

/// The keys `#[error(...)]` takes after its leading description.
pub(crate) const KEYS: &[&str] = &["code", "status", "user_message"];

/// The parsed arguments of one `#[error(...)]`, or of one
/// `define_errors!` entry's parentheses.
pub(crate) struct ErrorArgs {
    /// Where "missing key" errors point: the attribute, or the entry's name.
    pub whole: TokenStream,
    pub transparent: Option<Ident>,
    pub description: Option<LitStr>,
    pub code: Option<LitStr>,
    /// The status and its tokens (for errors that point at it).
    pub status: Option<(u16, TokenStream)>,
    /// `status` was written, even if wrongly (already reported), or a
    /// `transparent` out of place was: no "missing status" on top.
    pub status_attempted: bool,
    pub user_message: Option<LitStr>,
}

impl ErrorArgs {
    pub(crate) fn parse(tokens: TokenStream, whole: TokenStream, cx: &Ctxt) -> Self {
        let mut args = ErrorArgs {
            whole,
            transparent: None,
            description: None,
            code: None,
            status: None,
            status_attempted: false,
            user_message: None,
        };
        let parser = |input: ParseStream| {
            args.parse_items(input, cx);
            Ok(())
        };
        if let Err(error) = parser.parse2(tokens) {
            cx.syn_error(error);
        }
        args
    }

    /// `"description"` or `transparent` first, then `key = value` pairs.
    /// Each item that does not parse is reported and skipped, up to the next
    /// top-level comma, so one mistake does not hide the next.
    fn parse_items(&mut self, input: ParseStream, cx: &Ctxt) {
        let mut first = true;
        while !input.is_empty() {
            if !first {
                if let Err(error) = input.parse::<Token![,]>() {
                    cx.syn_error(error);
                    skip_item(input);
                    let _ = input.parse::<Token![,]>();
                }
                if input.is_empty() {
                    break;
                }
            }
            self.parse_item(input, cx, first);
            first = false;
        }
    }

    fn parse_item(&mut self, input: ParseStream, cx: &Ctxt, first: bool) {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse().expect("peeked a string literal");
            if first {
                self.description = Some(lit);
            } else {
                cx.error_spanned_by(
                    &lit,
                    "the description must come first: #[error(\"description\", key = value, ...)]",
                );
            }
            return;
        }
        let key = match input.call(Ident::parse_any) {
            Ok(key) => key,
            Err(_) => {
                // An empty item (`#[error(, ...)]`) has no tokens to span:
                // the error points at the comma after it.
                let next = input.span();
                let item = skip_item(input);
                let message = "expected a description string or `key = value` in #[error(...)]";
                if item.is_empty() {
                    cx.error_at(next, message);
                } else {
                    cx.error_spanned_by(item, message);
                }
                return;
            }
        };
        if key == "transparent" && !input.peek(Token![=]) {
            if first {
                self.transparent = Some(key);
            } else {
                self.status_attempted = true;
                cx.error_spanned_by(
                    &key,
                    "`transparent` must come first and alone: #[error(transparent)]",
                );
            }
            return;
        }
        let name = key.unraw().to_string();
        // A misspelt `status` counts as an attempt, so that no second error
        // says the status is missing; a key spelt right is never misspelt.
        let known = KEYS.contains(&name.as_str());
        if name == "status" || (!known && crate::names::nearest(&name, KEYS) == Some("status")) {
            self.status_attempted = true;
        }
        if input.parse::<Token![=]>().is_err() {
            skip_item(input);
            let hint = if known {
                format!("expected `{name} = ...` in #[error(...)]")
            } else {
                unknown_key_message(&name)
            };
            cx.error_spanned_by(&key, hint);
            return;
        }
        let value = skip_item(input);
        if value.is_empty() {
            cx.error_spanned_by(&key, format!("expected a value after `{name} =`"));
            return;
        }
        match name.as_str() {
            "code" => set_string(&mut self.code, &key, value, "code = \"INVALID_USER\"", cx),
            "user_message" => set_string(
                &mut self.user_message,
                &key,
                value,
                "user_message = \"Sorry, we don't know you\"",
                cx,
            ),
            "status" => match syn::parse2::<Lit>(value.clone()) {
                Ok(Lit::Int(lit)) => match lit.base10_parse::<u16>() {
                    Ok(status @ 400..=599) => set_once(&mut self.status, &key, (status, value), cx),
                    _ => cx.error_spanned_by(
                        value,
                        format!(
                            "status `{}` is not an error status: use an integer between 400 and 599",
                            lit.base10_digits()
                        ),
                    ),
                },
                Ok(Lit::Str(lit)) => cx.error_spanned_by(
                    &lit,
                    format!(
                        "`status` must be an integer literal, not a string: `status = {}`",
                        lit.value().trim()
                    ),
                ),
                _ => cx.error_spanned_by(
                    value,
                    "`status` must be an integer literal between 400 and 599, like `status = 404`",
                ),
            },
            _ => cx.error_spanned_by(&key, unknown_key_message(&name)),
        }
    }
}

fn unknown_key_message(name: &str) -> String {
    format!(
        "unknown key `{name}` in #[error(...)], expected one of: {}{}",
        KEYS.join(", "),
        did_you_mean(name, KEYS)
    )
}

fn set_string(
    slot: &mut Option<LitStr>,
    key: &Ident,
    value: TokenStream,
    example: &str,
    cx: &Ctxt,
) {
    match syn::parse2::<LitStr>(value.clone()) {
        Ok(lit) => set_once(slot, key, lit, cx),
        Err(_) => cx.error_spanned_by(
            value,
            format!("`{key}` must be a string literal, like `{example}`"),
        ),
    }
}

fn set_once<T>(slot: &mut Option<T>, key: &Ident, value: T, cx: &Ctxt) {
    if slot.is_some() {
        cx.error_spanned_by(key, format!("duplicate key `{key}` in #[error(...)]"));
    } else {
        *slot = Some(value);
    }
}

/// Consumes tokens up to (not including) the next top-level comma.
fn skip_item(input: ParseStream) -> TokenStream {
    let mut skipped = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<TokenTree>() {
            Ok(token) => skipped.extend([token]),
            Err(_) => break,
        }
    }
    skipped
}

/// The `#[error(...)]` of a struct or variant; `None` (and no error) when
/// there is none, which the caller reports with the item's own span.
pub(crate) fn error_args(attrs: &[Attribute], cx: &Ctxt) -> Option<ErrorArgs> {
    let mut found: Option<ErrorArgs> = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("error")) {
        if found.is_some() {
            cx.error_spanned_by(
                attr,
                "duplicate #[error(...)] attribute: merge them into one",
            );
            continue;
        }
        match &attr.meta {
            Meta::List(list) => {
                found = Some(ErrorArgs::parse(
                    list.tokens.clone(),
                    attr.to_token_stream(),
                    cx,
                ));
            }
            _ => cx.error_spanned_by(
                attr,
                "expected #[error(\"description\", status = ...)] or #[error(transparent)]",
            ),
        }
    }
    found
}

/// What a field is for, from its attributes.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub source: Option<Span>,
    pub from: Option<Span>,
    pub header: Option<LitStr>,
    /// The body key (`None` inside: use the field's name) and the attribute.
    pub data: Option<(Option<LitStr>, Span)>,
}

impl FieldAttrs {
    pub(crate) fn parse(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut parsed = FieldAttrs::default();
        for attr in attrs {
            let path = attr.path();
            if path.is_ident("source") || path.is_ident("from") {
                let slot = if path.is_ident("source") {
                    &mut parsed.source
                } else {
                    &mut parsed.from
                };
                let name = if path.is_ident("source") {
                    "source"
                } else {
                    "from"
                };
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
                        cx.error_spanned_by(attr, "duplicate #[header(...)] attribute")
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
                        cx.error_spanned_by(attr, "duplicate #[data] attribute")
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
                    "#[error(...)] goes on the struct or on each enum variant, not on a field",
                );
            }
        }
        parsed
    }
}

/// Reports field attributes placed on a struct, enum or variant.
pub(crate) fn reject_field_attrs(attrs: &[Attribute], cx: &Ctxt) {
    for attr in attrs {
        for name in ["source", "from", "header", "data"] {
            if attr.path().is_ident(name) {
                cx.error_spanned_by(attr, format!("#[{name}] goes on a field"));
            }
        }
    }
}

/// Drops, with an error, the attributes a `define_errors!` entry cannot
/// take: its type is an alias of `macaron_core::DefinedError`, and rustc's
/// own error would point at the whole macro call.
pub(crate) fn reject_struct_attrs(attrs: &mut Vec<Attribute>, cx: &Ctxt) {
    attrs.retain(|attr| {
        let message = if attr.path().is_ident("derive") {
            "define_errors! types are aliases of macaron_core::DefinedError, which is Clone, Debug, Default, Display and Error already; remove this #[derive(...)]"
        } else if attr.path().is_ident("repr") {
            "define_errors! types are aliases of macaron_core::DefinedError, which is #[repr(transparent)]; remove this #[repr(...)]"
        } else {
            return true;
        };
        cx.error_spanned_by(attr, message);
        false
    });
}

fn attr_span(attr: &Attribute) -> Span {
    attr.path()
        .get_ident()
        .map_or_else(Span::call_site, Ident::span)
}

/// The doc comment, one leading space per line removed, lines joined by
/// newlines and the whole trimmed.
pub(crate) fn doc(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let Meta::NameValue(meta) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) = &meta.value
            {
                let line = lit.value();
                lines.push(
                    line.strip_prefix(' ')
                        .unwrap_or(&line)
                        .trim_end()
                        .to_owned(),
                );
            }
        }
    }
    lines.join("\n").trim().to_owned()
}
