//! `define_errors!`: each entry an alias of `macaron_core::DefinedError`
//! named by a marker type, whose impls are written once, in macaron-core,
//! for every entry of the program; or, written with `struct`, a struct of
//! its own around `macaron_core::__private::ErrorFields`, whose impls are
//! one-line calls into the behaviour every entry shares, and whose
//! `ApiError` is macaron-core's, for every `Defined` type.

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
        let cfgs = cfgs(&entry.attrs);
        let private = private();
        let ident = &entry.ident;
        registrations.push(if entry.struct_token.is_some() {
            quote!(#(#cfgs)* #private::Registration::of_defined::<#ident>())
        } else {
            let marker = marker(entry);
            quote!(#(#cfgs)* #private::Registration::of_alias::<#marker>())
        });
    }
    expanded.extend(registration(registrations));
    expanded
}

/// The type that names an alias entry's declaration.
fn marker(entry: &BatchEntry) -> syn::Ident {
    format_ident!("__{}", entry.ident)
}

/// An entry's `#[cfg]` attributes, for the items it needs.
fn cfgs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect()
}

/// An entry's type and what it needs: an alias of `DefinedError` and its
/// marker, or with `struct` a struct of its own and its impls.
pub(crate) fn items(entry: &BatchEntry, declared: &TokenStream, default_doc: &str) -> TokenStream {
    let private = private();
    let BatchEntry {
        attrs,
        vis,
        ident,
        doc,
        struct_token,
        ..
    } = entry;
    // An entry's own doc comment, else one naming its code and status.
    let default_doc = doc.is_empty().then(|| quote!(#[doc = #default_doc]));
    let (declaration, items) = if struct_token.is_some() {
        (
            quote!(struct #ident(#private::ErrorFields);),
            vec![struct_impls(ident, declared)],
        )
    } else {
        let marker = marker(entry);
        (
            quote!(type #ident = ::macaron_core::DefinedError<#marker>;),
            vec![
                quote!(#[doc(hidden)] #vis enum #marker {}),
                quote! {
                    #[automatically_derived]
                    impl #private::Definition for #marker {
                        const DECLARED: &'static #private::Declared = &#declared;
                    }
                },
            ],
        )
    };
    // An entry configured out takes what it needs with it.
    let cfgs = cfgs(attrs);
    let items = items.into_iter().map(|item| quote!(#(#cfgs)* #item));
    quote! {
        #(#attrs)*
        #default_doc
        #vis #declaration

        #(#items)*
    }
}

/// A struct entry's impls, one-line calls into what every entry shares,
/// as one item. Its `ApiError` is not among them: macaron-core implements
/// it for every `Defined` type, compiled only for those a program uses.
fn struct_impls(ident: &syn::Ident, declared: &TokenStream) -> TokenStream {
    let private = private();
    let fields = quote!(#private::ErrorFields);
    let declared_of = quote!(<Self as #private::Defined>::DECLARED);
    let text = quote!(impl ::core::convert::Into<::std::borrow::Cow<'static, str>>);
    quote! {
        #[allow(deprecated, unused_qualifications)]
        const _: () = {
            #[automatically_derived]
            impl #private::Defined for #ident {
                const DECLARED: &'static #private::Declared = &#declared;

                fn fields(&self) -> &#fields {
                    &self.0
                }
            }

            #[automatically_derived]
            impl #ident {
                /// The error's code: the `error` key of its body.
                pub const CODE: &'static str = #declared_of.code();

                /// The HTTP status of the error's responses.
                pub const STATUS: #private::StatusCode = #declared_of.status();

                /// The error with `description` as its `error_description`
                /// and `Display` text.
                pub fn new(description: #text) -> Self {
                    Self(#fields::new(#declared_of, description.into()))
                }

                /// Sets the `user_message`, the text meant for end users.
                #[must_use]
                pub fn with_user_message(self, user_message: #text) -> Self {
                    Self(self.0.with_user_message(user_message.into()))
                }

                /// Adds `key: value` to the body. The body's own keys
                /// (`error`, `status`, ...) cannot be replaced: such a key is
                /// ignored.
                #[must_use]
                pub fn with_data(
                    self,
                    key: impl ::core::convert::Into<::std::string::String>,
                    value: impl #private::serde::Serialize,
                ) -> Self {
                    Self(self.0.with_data(key.into(), &value))
                }

                /// Sets the error's cause, returned by `Error::source`.
                #[must_use]
                pub fn with_source(self, source: impl ::core::convert::Into<#private::BoxError>) -> Self {
                    Self(self.0.with_source(source.into()))
                }
            }

            /// The declared description, or the status' reason phrase
            /// when the entry gives none.
            #[automatically_derived]
            impl ::core::default::Default for #ident {
                fn default() -> Self {
                    Self(#fields::of(#declared_of))
                }
            }

            /// A copy that shares the source.
            #[automatically_derived]
            impl ::core::clone::Clone for #ident {
                fn clone(&self) -> Self {
                    Self(::core::clone::Clone::clone(&self.0))
                }
            }

            #[automatically_derived]
            impl ::core::fmt::Debug for #ident {
                fn fmt(&self, formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::fmt::Debug::fmt(&self.0, formatter)
                }
            }

            #[automatically_derived]
            impl ::core::fmt::Display for #ident {
                fn fmt(&self, formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::fmt::Display::fmt(&self.0, formatter)
                }
            }

            #[automatically_derived]
            impl ::std::error::Error for #ident {
                fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                    ::std::error::Error::source(&self.0)
                }
            }

            /// The Error model object, the bytes of its response's body.
            #[automatically_derived]
            impl #private::serde::Serialize for #ident {
                fn serialize<S: #private::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    #private::serialize(self, serializer)
                }
            }

            ::macaron_core::__framework_impls!([] [#ident] []);
        };
    }
}
