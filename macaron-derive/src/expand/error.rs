//! `std::error::Error` (its `source`) and the `From` impls of `#[from]`
//! fields, as thiserror writes them.

use super::generics;
use super::{dispatch, Arm, Type};
use crate::ast::Variant;
use crate::types::{is_backtrace, option_inner};
use crate::valid::Kind;
use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

pub(super) fn error_impl(ty: &Type, arms: &[Arm]) -> TokenStream {
    let ident = &ty.ident;
    let (impl_generics, ty_generics, _) = ty.generics().split_for_impl();
    let where_clause = generics::error(ty, arms);
    let source_arms: Vec<TokenStream> = arms
        .iter()
        .filter_map(|arm| {
            if let Kind::Transparent(index) = arm.spec.kind {
                let span = arm.variant.fields[index].ty.span();
                return arm.forward(|inner| {
                    quote_spanned!(span=> ::std::error::Error::source(#inner.as_dyn_error()))
                });
            }
            let index = arm.spec.source?;
            let field = &arm.variant.fields[index];
            let pattern = arm.pattern(&[index]);
            let binding = &field.binding;
            // Spanned at the field: a source that is no error is reported
            // there.
            let span = field.ty.span();
            let source = if option_inner(field.ty).is_some() {
                quote_spanned!(span=> #binding.as_ref()?.as_dyn_error())
            } else {
                quote_spanned!(span=> #binding.as_dyn_error())
            };
            Some(quote!(#pattern => ::core::option::Option::Some(#source),))
        })
        .collect();
    let source_method = (!source_arms.is_empty()).then(|| {
        let body = dispatch(
            source_arms,
            arms.len(),
            quote!(::core::option::Option::None),
        );
        quote! {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                #[allow(unused_imports)]
                use ::macaron_core::AsDynError as _;
                #body
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::std::error::Error for #ident #ty_generics #where_clause {
            #source_method
        }
    }
}

/// `From<T>` for each `#[from] T` field (`From<T>` too for `Option<T>`),
/// spanned at the attribute, so that two of one type are reported at the
/// second. A backtrace field beside it is captured.
pub(super) fn from_impls(ty: &Type, arms: &[Arm]) -> TokenStream {
    arms.iter()
        .filter_map(|arm| {
            let (index, span) = arm.spec.from?;
            Some(from_impl(ty, &arm.path, arm.variant, index, span))
        })
        .collect()
}

pub(crate) fn from_impl(
    ty: &Type,
    path: &TokenStream,
    variant: &Variant,
    index: usize,
    span: Span,
) -> TokenStream {
    let ident = &ty.ident;
    let (impl_generics, ty_generics, where_clause) = ty.generics().split_for_impl();
    let field = &variant.fields[index];
    let member = &field.member;
    // One identifier for the parameter and its use, whatever the
    // attribute's hygiene.
    let source = syn::Ident::new("source", span);
    let (from, value) = match option_inner(field.ty) {
        Some(inner) => (inner, quote!(::core::option::Option::Some(#source))),
        None => (field.ty, quote!(#source)),
    };
    let backtrace = variant
        .fields
        .iter()
        .enumerate()
        .find_map(|(other, field)| {
            (other != index && is_backtrace(field.ty)).then(|| {
                let member = &field.member;
                quote! {
                    #member: ::core::convert::From::from(::std::backtrace::Backtrace::capture()),
                }
            })
        });
    quote_spanned! {span=>
        #[automatically_derived]
        impl #impl_generics ::core::convert::From<#from> for #ident #ty_generics #where_clause {
            fn from(#source: #from) -> Self {
                #path { #member: #value, #backtrace }
            }
        }
    }
}
