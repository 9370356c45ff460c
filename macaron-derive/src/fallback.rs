//! After a mistake, stub impls instead of the expansion: the type is still
//! `Display`, `Error`, `ApiError` (and `From` its `#[from]` fields) for the
//! rest of the crate, so that only the mistake itself is reported. Their
//! bounds are written so that they never add an error of their own.

use crate::ast::{Batch, Input};
use crate::expand::{self, private, Type};
use crate::types::is_backtrace;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn derive(input: &Input) -> TokenStream {
    let private = private();
    let ty = Type::of(input);
    let ident = &ty.ident;
    let (impl_generics, ty_generics, where_clause) = input.original.generics.split_for_impl();
    let this = quote!(#ident #ty_generics);
    // `for<'__w>` makes a bound that does not hold a reason not to apply
    // the impl rather than an error (trivial bounds are unstable).
    let bound = |bounds: TokenStream| {
        let mut clause = where_clause
            .cloned()
            .unwrap_or_else(|| syn::parse_quote!(where));
        clause
            .predicates
            .push(syn::parse_quote!(for<'__w> #this: #bounds));
        clause
    };
    // A description, or an `#[error]` too broken to tell: a `Display` of
    // the derive's was meant, as thiserror assumes.
    let has_display = input
        .inherited
        .iter()
        .chain(
            input
                .variants
                .iter()
                .filter_map(|variant| variant.attr.as_ref()),
        )
        .any(|attr| attr.display.is_some() || attr.malformed);
    let display = has_display.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics ::core::fmt::Display for #this #where_clause {
                fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::unreachable!()
                }
            }
        }
    });
    let error_where = bound(quote!(::core::fmt::Debug + ::core::fmt::Display));
    let api_where = bound(quote!(
        ::std::error::Error + ::core::marker::Send + ::core::marker::Sync + 'static
    ));
    let model_where = bound(quote!(::macaron_core::ApiError));
    let from_impls = input.variants.iter().filter_map(|variant| {
        let mut from = variant
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| Some((index, field.attrs.from?)));
        let (index, span) = from.next()?;
        let only = from.next().is_none()
            && variant
                .fields
                .iter()
                .enumerate()
                .all(|(other, field)| other == index || is_backtrace(field.ty));
        let path = if input.is_enum {
            let variant = variant.ident;
            quote!(Self::#variant)
        } else {
            quote!(Self)
        };
        only.then(|| expand::from_impl(&ty, &path, variant, index, span))
    });
    let serialize = input.attrs.serialize.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::serde::Serialize for #this #model_where {
                fn serialize<__S: #private::serde::Serializer>(
                    &self,
                    __serializer: __S,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    ::core::unreachable!()
                }
            }
        }
    });
    let framework_impls = (!input.is_unsized()).then(|| {
        quote! {
            ::macaron_core::__framework_impls!([#impl_generics] [#this] [#model_where]);
        }
    });
    quote! {
        #[allow(deprecated, unused_qualifications)]
        const _: () = {
            #display

            #[automatically_derived]
            impl #impl_generics ::std::error::Error for #this #error_where {}

            #[automatically_derived]
            impl #impl_generics ::macaron_core::ApiError for #this #api_where {
                fn code(&self) -> &str {
                    ::core::unreachable!()
                }
                fn status(&self) -> #private::StatusCode {
                    ::core::unreachable!()
                }
            }

            #serialize

            #(#from_impls)*

            #framework_impls
        };
    }
}

/// Every entry's type, with an entry of no meaning: nothing is
/// registered, and the program is not built.
pub(crate) fn define_errors(batch: &Batch) -> TokenStream {
    let private = private();
    batch
        .entries
        .iter()
        .map(|entry| {
            let name = entry.ident.to_string();
            let declared = quote! {
                #private::declared("", "", 500, "", &#private::More::of(#name, ::core::module_path!()))
            };
            expand::batch_items(entry, &declared, "")
        })
        .collect()
}
