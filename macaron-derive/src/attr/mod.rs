//! Helper attributes: `#[error(...)]` (in `error`), the field attributes
//! (in `field`), `#[api_error(...)]` on a type, and doc comments.

mod error;
mod field;

pub(crate) use error::{error_attr, DisplayAttr, ErrorAttr, FormatArgs, KEYS};
pub(crate) use field::{reject_field_attrs, FieldAttrs};

use crate::ctxt::Ctxt;
use crate::names::did_you_mean;
use quote::ToTokens;
use syn::{Attribute, Lit, Meta};

/// `#[api_error(...)]` on a derived type: what the derive generates.
pub(crate) struct TypeAttrs {
    /// `serialize = false`: the type implements `Serialize` itself.
    pub serialize: bool,
}

impl TypeAttrs {
    pub(crate) fn parse(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut parsed = TypeAttrs { serialize: true };
        let mut seen = false;
        for attr in attrs
            .iter()
            .filter(|attr| attr.path().is_ident("api_error"))
        {
            let result = attr.parse_nested_meta(|meta| {
                if !meta.path.is_ident("serialize") {
                    let name = meta.path.to_token_stream().to_string();
                    return Err(meta.error(format!(
                        "unknown key `{name}` in #[api_error(...)], expected: serialize{}",
                        did_you_mean(&name, &["serialize"])
                    )));
                }
                if seen {
                    return Err(meta.error("duplicate key `serialize` in #[api_error(...)]"));
                }
                seen = true;
                let value: syn::LitBool = meta.value()?.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "expected `serialize = false` (or `true`, the default)",
                    )
                })?;
                parsed.serialize = value.value;
                Ok(())
            });
            if let Err(error) = result {
                cx.syn_error(error);
            }
        }
        parsed
    }
}

/// Reports `#[api_error(...)]` anywhere but on the type.
pub(crate) fn reject_type_attrs(attrs: &[Attribute], cx: &Ctxt) {
    for attr in attrs
        .iter()
        .filter(|attr| attr.path().is_ident("api_error"))
    {
        cx.error_spanned_by(attr, "#[api_error(...)] goes on the type");
    }
}

/// Drops, with an error, the attributes an alias entry of
/// `define_errors!` cannot take: rustc's own error would point at the
/// whole macro call.
pub(crate) fn reject_alias_attrs(attrs: &mut Vec<Attribute>, cx: &Ctxt) {
    attrs.retain(|attr| {
        let message = if attr.path().is_ident("derive") {
            "this define_errors! type is an alias of macaron_core::DefinedError, which is Clone, Debug, Default, Display, Error and Serialize already; to derive more, write `struct` before its name for a struct of its own"
        } else if attr.path().is_ident("repr") {
            "this define_errors! type is an alias of macaron_core::DefinedError, which is #[repr(transparent)]; write `struct` before its name for a struct of its own"
        } else {
            return true;
        };
        cx.error_spanned_by(attr, message);
        false
    });
}

/// Drops, with an error, from each `#[derive(...)]` of a `define_errors!`
/// struct the traits the macro implements already: rustc's own error
/// would point at the whole macro call. Other derives go on the struct as
/// written.
pub(crate) fn reject_implemented_derives(attrs: &mut [Attribute], cx: &Ctxt) {
    const IMPLEMENTED: [&str; 4] = ["Clone", "Debug", "Default", "Serialize"];
    for attr in attrs
        .iter_mut()
        .filter(|attr| attr.path().is_ident("derive"))
    {
        let paths = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        );
        let Ok(paths) = paths else {
            // rustc reports a malformed derive itself, at its tokens.
            continue;
        };
        let (implemented, kept): (Vec<syn::Path>, Vec<syn::Path>) =
            paths.into_iter().partition(|path| {
                path.segments
                    .last()
                    .is_some_and(|last| IMPLEMENTED.iter().any(|name| last.ident == name))
            });
        for path in &implemented {
            let name = &path.segments.last().expect("a trait's name").ident;
            cx.error_spanned_by(
                path,
                format_args!(
                    "define_errors! structs implement {name} already; remove it from #[derive(...)]"
                ),
            );
        }
        if !implemented.is_empty() {
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
    }
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
