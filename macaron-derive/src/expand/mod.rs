//! Code generation, from checked input only. Per-error data becomes
//! literals and tables; the behaviour lives in `macaron_core::__private`
//! helpers, so the expansion of each variant stays a few lines long.
//!
//! - `display`: `Display`;
//! - `error`: `std::error::Error` and the `From` impls;
//! - `api`: `ApiError`, `Serialize`, the framework impls;
//! - `body`: the responses a variant writes itself;
//! - `table`: each declared error's entry;
//! - `batch`: `define_errors!`;
//! - `generics`: what each impl requires of the type's parameters.

mod api;
mod batch;
mod body;
mod display;
mod error;
mod generics;
mod table;

pub(crate) use batch::items as batch_items;
pub(crate) use error::from_impl;

use crate::ast::{Batch, Input, RawBatch, Style, Variant};
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::valid::{self, Kind, Spec};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Ident, Member};

/// The expansion of `#[derive(ApiError)]`, preceded by every diagnostic.
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let Some(ast) = Input::from_syn(input, &cx) else {
        // A union: nothing to generate.
        return cx.finish(TokenStream::new());
    };
    let checked = valid::check_input(&ast, &cx);
    let expanded = if cx.has_errors() {
        fallback::derive(&ast)
    } else {
        let arms = Arm::all(&ast, &checked.specs);
        let ty = Type::of(&ast);
        let mut expanded = TokenStream::new();
        if checked.display_impl {
            expanded.extend(display::display_impl(&ty, &arms));
        }
        expanded.extend(error::error_impl(&ty, &arms));
        expanded.extend(error::from_impls(&ty, &arms));
        let api = api::api_impls(&ty, &arms);
        quote! {
            #[allow(deprecated, unused_qualifications)]
            const _: () = {
                #expanded
                #api
            };
        }
    };
    cx.finish(expanded)
}

/// The expansion of `define_errors! { ... }`, preceded by every diagnostic.
pub(crate) fn define_errors(raw: RawBatch) -> TokenStream {
    let cx = Ctxt::new();
    let batch = Batch::from_raw(raw, &cx);
    let declared = valid::check_batch(&batch.entries, &cx);
    let expanded = if cx.has_errors() {
        fallback::define_errors(&batch)
    } else {
        batch::define_errors(&batch, &declared)
    };
    cx.finish(expanded)
}

pub(crate) fn private() -> TokenStream {
    quote!(::macaron_core::__private)
}

/// The derived type, as its impls name it.
pub(crate) struct Type<'a> {
    pub input: &'a Input<'a>,
    /// The type's name, spanned so that an impl for a `#[deprecated]`
    /// type does not warn.
    pub ident: Ident,
    pub generic: bool,
}

impl<'a> Type<'a> {
    pub(crate) fn of(input: &'a Input<'a>) -> Self {
        let original = &input.original.ident;
        let mut ident = original.clone();
        ident.set_span(original.span().resolved_at(Span::call_site()));
        Type {
            input,
            ident,
            generic: input.original.generics.type_params().next().is_some(),
        }
    }

    pub(crate) fn generics(&self) -> &syn::Generics {
        &self.input.original.generics
    }
}

/// One struct or variant as the impls' match arms see it.
pub(crate) struct Arm<'a> {
    /// `Self` or `Self::Variant`.
    pub path: TokenStream,
    pub variant: &'a Variant<'a>,
    pub spec: &'a Spec,
}

impl<'a> Arm<'a> {
    fn all(input: &'a Input<'a>, specs: &'a [Spec]) -> Vec<Arm<'a>> {
        input
            .variants
            .iter()
            .zip(specs)
            .map(|(variant, spec)| Arm {
                path: if input.is_enum {
                    let ident = variant.ident;
                    quote!(Self::#ident)
                } else {
                    quote!(Self)
                },
                variant,
                spec,
            })
            .collect()
    }

    /// A pattern binding the listed fields (in order, each once).
    pub(crate) fn pattern(&self, fields: &[usize]) -> TokenStream {
        let path = &self.path;
        if fields.is_empty() {
            return quote!(#path { .. });
        }
        let all = self.variant.fields.len();
        if fields.len() == all && fields.iter().copied().eq(0..all) {
            let bindings = self.variant.fields.iter().map(|field| &field.binding);
            if self.variant.style == Style::Tuple {
                return quote!(#path(#(#bindings),*));
            }
            return quote!(#path { #(#bindings),* });
        }
        let bindings = fields.iter().map(|&index| {
            let field = &self.variant.fields[index];
            let binding = &field.binding;
            match &field.member {
                Member::Named(_) => quote!(#binding),
                Member::Unnamed(member) => quote!(#member: #binding),
            }
        });
        quote!(#path { #(#bindings,)* .. })
    }

    /// A pattern binding every field.
    pub(crate) fn pattern_all(&self) -> TokenStream {
        let all: Vec<usize> = (0..self.variant.fields.len()).collect();
        self.pattern(&all)
    }

    pub(crate) fn binding(&self, index: usize) -> &Ident {
        &self.variant.fields[index].binding
    }

    /// `#pattern => call(inner),` for a transparent arm.
    pub(crate) fn forward(&self, call: impl Fn(&Ident) -> TokenStream) -> Option<TokenStream> {
        let Kind::Transparent(index) = self.spec.kind else {
            return None;
        };
        let pattern = self.pattern(&[index]);
        let call = call(self.binding(index));
        Some(quote!(#pattern => #call,))
    }
}

/// `match self { arms, _ => default }`, without the `_` arm when the arms
/// cover every error (an unreachable pattern would warn).
pub(crate) fn dispatch(arms: Vec<TokenStream>, total: usize, default: TokenStream) -> TokenStream {
    if total == 0 {
        return quote!(match *self {});
    }
    if arms.is_empty() {
        return default;
    }
    let default = (arms.len() < total).then(|| quote!(_ => #default,));
    quote!(match self { #(#arms)* #default })
}
