//! `Display`: each variant's description, as thiserror writes it.

use super::generics;
use super::{dispatch, Arm, Type};
use crate::valid::{Display, Kind};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn display_impl(ty: &Type, arms: &[Arm]) -> TokenStream {
    let ident = &ty.ident;
    let (impl_generics, ty_generics, _) = ty.generics().split_for_impl();
    let where_clause = generics::display(ty, arms);
    // Every field is bound, as thiserror does, so that a field shown
    // nowhere else is not reported as never read.
    let arms_tokens = arms.iter().map(|arm| match &arm.spec.display {
        Display::Text(text) => {
            let pattern = arm.pattern_all();
            quote!(#pattern => __formatter.write_str(#text),)
        }
        Display::Format(format) => {
            let pattern = arm.pattern_all();
            let format_args = format.format_args();
            quote!(#pattern => __formatter.write_fmt(#format_args),)
        }
        Display::Fmt(path) => {
            let pattern = arm.pattern_all();
            let bindings = arm.variant.fields.iter().map(|field| &field.binding);
            quote!(#pattern => #path(#(#bindings,)* __formatter),)
        }
        Display::Transparent => {
            let Kind::Transparent(index) = arm.spec.kind else {
                unreachable!("a transparent display comes with a transparent kind");
            };
            let pattern = arm.pattern(&[index]);
            let inner = arm.binding(index);
            quote!(#pattern => ::core::fmt::Display::fmt(#inner, __formatter),)
        }
        // No `Display` impl is generated then.
        Display::HandWritten => quote!(_ => ::core::unreachable!(),),
    });
    let body = dispatch(arms_tokens.collect(), arms.len(), TokenStream::new());
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            #[allow(unused_variables)]
            fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
    }
}
