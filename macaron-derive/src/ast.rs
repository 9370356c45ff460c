//! The internal representation both front ends produce: a `#[derive]`
//! input becomes an `Input` of `Variant`s (a struct is one), a
//! `define_errors!` block a `Batch` of entries. Validation (`valid`) and
//! expansion (`expand`) work on these.

use crate::attr::{self, ErrorAttr, FieldAttrs, TypeAttrs};
use crate::ctxt::Ctxt;
use crate::types;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, ToTokens};
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned as _;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Member, Token, Type, Visibility};

/// A `#[derive(ApiError)]` input.
pub(crate) struct Input<'a> {
    pub original: &'a DeriveInput,
    pub attrs: TypeAttrs,
    pub is_enum: bool,
    /// An enum's own `#[error(...)]`: what its variants inherit.
    pub inherited: Option<ErrorAttr>,
    /// The struct, or the enum's variants.
    pub variants: Vec<Variant<'a>>,
}

/// A struct or an enum variant.
pub(crate) struct Variant<'a> {
    pub ident: &'a Ident,
    pub doc: String,
    /// Its own `#[error(...)]`.
    pub attr: Option<ErrorAttr>,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Style {
    Unit,
    Tuple,
    Named,
}

pub(crate) struct Field<'a> {
    pub member: Member,
    /// As format strings and messages name it: `fn` for `r#fn`, `0`.
    pub name: String,
    /// Written `r#source`: a field named so is not the implicit source.
    pub raw: bool,
    /// The local a match arm binds the field to: the field's own name, or
    /// `__0` for `.0`.
    pub binding: Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
}

impl<'a> Input<'a> {
    /// `None` for a union (reported): there is nothing to derive from.
    pub(crate) fn from_syn(input: &'a DeriveInput, cx: &Ctxt) -> Option<Self> {
        let attrs = TypeAttrs::parse(&input.attrs, cx);
        attr::reject_field_attrs(&input.attrs, cx);
        let (is_enum, inherited, variants) = match &input.data {
            Data::Struct(data) => {
                let attr = attr::error_attr(&input.attrs, cx);
                let variant = Variant::new(&input.ident, &input.attrs, attr, &data.fields, cx);
                (false, None, vec![variant])
            }
            Data::Enum(data) => {
                let inherited = attr::error_attr(&input.attrs, cx);
                let variants = data.variants.iter().map(|variant| {
                    attr::reject_field_attrs(&variant.attrs, cx);
                    attr::reject_type_attrs(&variant.attrs, cx);
                    let attr = attr::error_attr(&variant.attrs, cx);
                    Variant::new(&variant.ident, &variant.attrs, attr, &variant.fields, cx)
                });
                (true, inherited, variants.collect())
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    &data.union_token,
                    "ApiError cannot be derived for a union: use a struct or an enum",
                );
                return None;
            }
        };
        Some(Input {
            original: input,
            attrs,
            is_enum,
            inherited,
            variants,
        })
    }

    /// Whether the type is unsized (its last field is `str`, a slice, a
    /// `Path`...): it cannot be moved into `macaron_core::Error` or a
    /// framework's response, only borrowed.
    pub(crate) fn is_unsized(&self) -> bool {
        !self.is_enum
            && self.variants[0]
                .fields
                .last()
                .is_some_and(|field| types::is_unsized(field.ty))
    }
}

impl<'a> Variant<'a> {
    fn new(
        ident: &'a Ident,
        attrs: &[Attribute],
        attr: Option<ErrorAttr>,
        fields: &'a Fields,
        cx: &Ctxt,
    ) -> Self {
        let style = match fields {
            Fields::Unit => Style::Unit,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Named(_) => Style::Named,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let (member, name, raw, binding) = match &field.ident {
                    Some(ident) => (
                        Member::Named(ident.clone()),
                        ident.unraw().to_string(),
                        ident.to_string().starts_with("r#"),
                        ident.clone(),
                    ),
                    None => (
                        Member::Unnamed(syn::Index {
                            index: index as u32,
                            span: field.ty.span(),
                        }),
                        index.to_string(),
                        false,
                        format_ident!("__{}", index),
                    ),
                };
                Field {
                    member,
                    name,
                    raw,
                    binding,
                    ty: &field.ty,
                    attrs: FieldAttrs::parse(&field.attrs, cx),
                }
            })
            .collect();
        Variant {
            ident,
            doc: attr::doc(attrs),
            attr,
            style,
            fields,
        }
    }
}

/// A `define_errors! { ... }` block.
pub(crate) struct Batch {
    pub entries: Vec<BatchEntry>,
}

/// `#[attrs] vis [struct] Name(args);`
pub(crate) struct BatchEntry {
    /// Every attribute, doc comments included, kept on the generated type.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    /// `struct`: a struct of its own, not an alias of `DefinedError`.
    pub struct_token: Option<Token![struct]>,
    pub ident: Ident,
    pub doc: String,
    pub attr: ErrorAttr,
}

/// The tokens of one entry, before its arguments are checked (which needs
/// the `Ctxt`, so it cannot happen inside `Parse`).
pub(crate) struct RawEntry {
    attrs: Vec<Attribute>,
    vis: Visibility,
    struct_token: Option<Token![struct]>,
    ident: Ident,
    args: TokenStream,
}

pub(crate) struct RawBatch(Vec<RawEntry>);

impl Parse for RawBatch {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut entries = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis: Visibility = input.parse()?;
            let struct_token: Option<Token![struct]> = input.parse()?;
            let ident: Ident = input.parse().map_err(|error| {
                let message = "expected an error entry: `pub Name(status = ...);` or `pub struct Name(status = ...);`";
                // A visibility or attribute that ends the block has no next
                // token to point at: the error points at it.
                if input.is_empty() {
                    if let Some(struct_token) = &struct_token {
                        return syn::Error::new_spanned(struct_token, message);
                    }
                    if !matches!(vis, Visibility::Inherited) {
                        return syn::Error::new_spanned(&vis, message);
                    }
                    if let Some(attr) = attrs.last() {
                        return syn::Error::new_spanned(attr, message);
                    }
                }
                syn::Error::new(error.span(), message)
            })?;
            let content;
            let parens = syn::parenthesized!(content in input);
            let args: TokenStream = content.parse()?;
            input.parse::<Token![;]>().map_err(|error| {
                // At the end of the block there is no next token to point
                // at: the error points at the entry's closing parenthesis.
                let span: Span = if input.is_empty() {
                    parens.span.close()
                } else {
                    error.span()
                };
                syn::Error::new(span, format!("expected `;` after `{ident}(...)`"))
            })?;
            entries.push(RawEntry {
                attrs,
                vis,
                struct_token,
                ident,
                args,
            });
        }
        Ok(RawBatch(entries))
    }
}

impl Batch {
    pub(crate) fn from_raw(raw: RawBatch, cx: &Ctxt) -> Self {
        let entries = raw.0.into_iter().map(|mut entry| {
            attr::reject_field_attrs(&entry.attrs, cx);
            attr::reject_type_attrs(&entry.attrs, cx);
            if entry.struct_token.is_some() {
                attr::reject_implemented_derives(&mut entry.attrs, cx);
            } else {
                attr::reject_alias_attrs(&mut entry.attrs, cx);
            }
            let whole = entry.ident.to_token_stream();
            let attr = ErrorAttr::parse(entry.args, whole, cx);
            BatchEntry {
                doc: attr::doc(&entry.attrs),
                attrs: entry.attrs,
                vis: entry.vis,
                struct_token: entry.struct_token,
                ident: entry.ident,
                attr,
            }
        });
        Batch {
            entries: entries.collect(),
        }
    }
}
