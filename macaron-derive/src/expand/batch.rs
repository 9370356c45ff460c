//! `define_errors!`: each entry an alias of `macaron_core::DefinedError`
//! named by a marker type, whose impls are written once, in macaron-core,
//! for every entry of the program.

use super::api::registration;
use super::private;
use super::table::{self, EntryNames};
use crate::ast::{Batch, BatchEntry};
use crate::valid::Declared;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Attribute;

pub(super) fn define_errors(batch: &Batch, declared: &[Declared]) -> TokenStream {
    let mut expanded = TokenStream::new();
    let mut registrations = Vec::new();
    for (entry, declared) in batch.entries.iter().zip(declared) {
        let name = entry.ident.to_string();
        let declared_entry = table::entry(None, &entry.doc, declared, &EntryNames::full(&name));
        let default_doc = format!("The `{}` error (HTTP {}).", declared.code, declared.status);
        expanded.extend(items(entry, &declared_entry, &default_doc));
        let marker = marker(entry);
        let cfgs = cfgs(&entry.attrs);
        let private = private();
        registrations.push(quote!(#(#cfgs)* #private::Registration::of_defined::<#marker>()));
    }
    expanded.extend(registration(registrations));
    expanded
}

/// The type that names an entry's declaration.
fn marker(entry: &BatchEntry) -> syn::Ident {
    format_ident!("__{}", entry.ident)
}

/// An entry configured out takes its marker and registration with it.
fn cfgs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect()
}

/// The alias, its marker and the marker's `Definition`: its entry.
pub(crate) fn items(entry: &BatchEntry, declared: &TokenStream, default_doc: &str) -> TokenStream {
    let private = private();
    let BatchEntry {
        attrs,
        vis,
        ident,
        doc,
        ..
    } = entry;
    let default_doc = doc.is_empty().then(|| quote!(#[doc = #default_doc]));
    let marker = marker(entry);
    let cfgs = cfgs(attrs);
    quote! {
        #(#attrs)*
        #default_doc
        #vis type #ident = ::macaron_core::DefinedError<#marker>;

        #(#cfgs)*
        #[doc(hidden)]
        #vis enum #marker {}

        #(#cfgs)*
        #[automatically_derived]
        impl #private::Definition for #marker {
            const DECLARED: &'static #private::Declared = &#declared;
        }
    }
}
