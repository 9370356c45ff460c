//! The internal representation both front ends produce: a `#[derive]`
//! input and a `define_errors!` block become lists of `ErrorDef`s, which
//! then share validation (`valid`) and the JSON and catalog code (`expand`).

use crate::attr::{self, ErrorArgs, FieldAttrs};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::{format_ident, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned as _;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Member, Token, Type, Visibility};

/// One error: a struct, an enum variant, or a `define_errors!` entry.
pub(crate) struct ErrorDef {
    pub ident: Ident,
    pub doc: String,
    /// `None` when the item has no `#[error(...)]` (already reported).
    pub args: Option<ErrorArgs>,
    pub style: Style,
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Style {
    Unit,
    Tuple,
    Named,
}

pub(crate) struct FieldDef {
    pub member: Member,
    /// The local a match arm binds the field to: the field's own name, so
    /// that `{id}` in a format string captures it, or `__0` for `.0`.
    pub binding: Ident,
    pub ty: Type,
    pub attrs: FieldAttrs,
}

/// A `#[derive(ApiError)]` input.
pub(crate) struct Input<'a> {
    pub original: &'a DeriveInput,
    pub shape: Shape,
}

pub(crate) enum Shape {
    Struct(ErrorDef),
    Enum(Vec<ErrorDef>),
}

impl<'a> Input<'a> {
    /// `None` for a union (reported): there is nothing to derive from.
    pub(crate) fn from_syn(input: &'a DeriveInput, cx: &Ctxt) -> Option<Self> {
        for lifetime in input.generics.lifetimes() {
            cx.error_spanned_by(
                lifetime,
                "an ApiError type must be 'static (errors travel across threads and into \
                 responses): remove the lifetime and own the data",
            );
        }
        let shape = match &input.data {
            Data::Struct(data) => {
                let args = attr::error_args(&input.attrs, cx);
                if args.is_none() {
                    cx.error_spanned_by(
                        &input.ident,
                        "missing #[error(...)]: add #[error(\"description\", status = ...)] \
                         above the struct",
                    );
                }
                Shape::Struct(ErrorDef::new(
                    input.ident.clone(),
                    &input.attrs,
                    args,
                    &data.fields,
                    cx,
                ))
            }
            Data::Enum(data) => {
                if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("error")) {
                    cx.error_spanned_by(
                        attr,
                        "#[error(...)] on an enum: put one on each variant instead",
                    );
                }
                attr::reject_field_attrs(&input.attrs, cx);
                let variants = data.variants.iter().map(|variant| {
                    let args = attr::error_args(&variant.attrs, cx);
                    if args.is_none() {
                        cx.error_spanned_by(
                            &variant.ident,
                            format!(
                                "missing #[error(...)] on variant `{}`: add \
                                 #[error(\"description\", status = ...)] or #[error(transparent)]",
                                variant.ident
                            ),
                        );
                    }
                    ErrorDef::new(
                        variant.ident.clone(),
                        &variant.attrs,
                        args,
                        &variant.fields,
                        cx,
                    )
                });
                Shape::Enum(variants.collect())
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "ApiError cannot be derived for a union: use a struct or an enum",
                );
                return None;
            }
        };
        Some(Input {
            original: input,
            shape,
        })
    }

    pub(crate) fn defs(&self) -> &[ErrorDef] {
        match &self.shape {
            Shape::Struct(def) => std::slice::from_ref(def),
            Shape::Enum(variants) => variants,
        }
    }
}

impl ErrorDef {
    fn new(
        ident: Ident,
        attrs: &[Attribute],
        args: Option<ErrorArgs>,
        fields: &Fields,
        cx: &Ctxt,
    ) -> Self {
        attr::reject_field_attrs(attrs, cx);
        let style = match fields {
            Fields::Unit => Style::Unit,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Named(_) => Style::Named,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let member = match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(syn::Index {
                        index: index as u32,
                        span: field.ty.span(),
                    }),
                };
                let binding = match &field.ident {
                    Some(ident) => ident.clone(),
                    None => format_ident!("__{}", index),
                };
                FieldDef {
                    member,
                    binding,
                    ty: field.ty.clone(),
                    attrs: FieldAttrs::parse(&field.attrs, cx),
                }
            })
            .collect();
        ErrorDef {
            ident,
            doc: attr::doc(attrs),
            args,
            style,
            fields,
        }
    }

    /// The field's name as written in format strings and messages.
    pub(crate) fn field_name(field: &FieldDef) -> String {
        match &field.member {
            Member::Named(ident) => ident.to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }
}

/// A `define_errors! { ... }` block.
pub(crate) struct Batch {
    pub entries: Vec<BatchEntry>,
}

/// `#[attrs] vis Name(args);`
pub(crate) struct BatchEntry {
    /// Every attribute, doc comments included, kept on the generated alias.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub def: ErrorDef,
}

/// The tokens of one entry, before its arguments are checked (which needs
/// the `Ctxt`, so it cannot happen inside `Parse`).
pub(crate) struct RawEntry {
    attrs: Vec<Attribute>,
    vis: Visibility,
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
            let ident: Ident = input.parse().map_err(|error| {
                let message = "expected an error entry: `pub Name(status = ...);`";
                // A visibility or attribute that ends the block has no next
                // token to point at: the error points at it.
                if input.is_empty() {
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
                let span = if input.is_empty() {
                    parens.span.close()
                } else {
                    error.span()
                };
                syn::Error::new(span, format!("expected `;` after `{ident}(...)`"))
            })?;
            entries.push(RawEntry {
                attrs,
                vis,
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
            attr::reject_struct_attrs(&mut entry.attrs, cx);
            let whole = entry.ident.to_token_stream();
            let args = ErrorArgs::parse(entry.args, whole, cx);
            let doc = attr::doc(&entry.attrs);
            BatchEntry {
                attrs: entry.attrs,
                vis: entry.vis,
                def: ErrorDef {
                    ident: entry.ident,
                    doc,
                    args: Some(args),
                    style: Style::Unit,
                    fields: Vec::new(),
                },
            }
        });
        Batch {
            entries: entries.collect(),
        }
    }
}
