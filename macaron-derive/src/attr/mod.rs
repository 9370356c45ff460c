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

/// Drops, with an error, the attributes a `define_errors!` entry cannot
/// take: its type is an alias of `macaron_core::DefinedError`, and rustc's
/// own error would point at the whole macro call.
pub(crate) fn reject_struct_attrs(attrs: &mut Vec<Attribute>, cx: &Ctxt) {
    attrs.retain(|attr| {
        let message = if attr.path().is_ident("derive") {
            "define_errors! types are aliases of macaron_core::DefinedError, which is Clone, Debug, Default, Display, Error and Serialize already; remove this #[derive(...)]"
        } else if attr.path().is_ident("repr") {
            "define_errors! types are aliases of macaron_core::DefinedError, which is #[repr(transparent)]; remove this #[repr(...)]"
        } else {
            return true;
        };
        cx.error_spanned_by(attr, message);
        false
    });
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
