//! `ApiError`, `Serialize`, the registration that lets `?` find a declared
//! type, and the framework impls: everything of the error model.
//!
//! Declared structs and variants are entries of one table, found by the
//! variant's index: code, status, static texts and most bodies are a
//! lookup, not one arm per method and variant. Transparent variants
//! forward to their field, through `__private::Transparent`, which gives
//! the field's own `ApiError` or, for any other error, the unhandled 500.

use super::body::{renders_itself, response_arm};
use super::generics;
use super::table::{self, EntryNames};
use super::{dispatch, private, Arm, Type};
use crate::fmt::Text;
use crate::types::{option_inner, pointee};
use crate::valid::{BacktraceField, Declared, Display, Kind};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

pub(super) fn api_impls(ty: &Type, arms: &[Arm]) -> TokenStream {
    let private = private();
    let ident = &ty.ident;
    let (impl_generics, ty_generics, _) = ty.generics().split_for_impl();
    let total = arms.len();
    let declared: Vec<(&Arm, &Declared)> = arms
        .iter()
        .filter_map(|arm| Some((arm, arm.spec.declared()?)))
        .collect();
    let entry = if ty.input.is_enum {
        quote!(__macaron_table()[__MacaronIndex::__macaron_index(self)])
    } else {
        quote!(__macaron_table()[0])
    };
    // The field's `ApiError`, or the unhandled error's for a foreign one.
    let forward = |call: TokenStream| -> Vec<TokenStream> {
        arms.iter()
            .filter_map(|arm| {
                let Kind::Transparent(index) = arm.spec.kind else {
                    return None;
                };
                let field = &arm.variant.fields[index];
                let call = call.clone();
                arm.forward(|inner| {
                    let inner = if pointee(field.ty).is_some() {
                        quote!(&**#inner)
                    } else {
                        quote!(#inner)
                    };
                    quote!((&#private::Transparent(#inner)).api_error().#call)
                })
            })
            .collect()
    };

    let code_body = dispatch(forward(quote!(code())), total, quote!(#entry.code()));
    let status_body = dispatch(forward(quote!(status())), total, quote!(#entry.status()));
    let description_body = dispatch(
        forward(quote!(error_description())),
        total,
        quote!(#entry.description(self)),
    );

    let mut user_message_arms = forward(quote!(user_message()));
    user_message_arms.extend(declared.iter().filter_map(|(arm, declared)| {
        let Some(Text::Format(format)) = &declared.user_message else {
            return None;
        };
        let pattern = arm.pattern(&format.fields);
        let lit = &format.lit;
        let args = &format.args;
        Some(quote! {
            #pattern => ::core::option::Option::Some(
                ::std::borrow::Cow::Owned(::std::format!(#lit #args))
            ),
        })
    }));
    let any_user_message = declared
        .iter()
        .any(|(_, declared)| declared.user_message.is_some());
    let user_message_method = (any_user_message || !user_message_arms.is_empty()).then(|| {
        let body = dispatch(
            user_message_arms,
            total,
            quote!(::core::option::Option::map(#entry.user_message(), ::std::borrow::Cow::Borrowed)),
        );
        quote! {
            fn user_message(&self) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                #body
            }
        }
    });

    let headers_method = field_writer(
        arms,
        |declared| &declared.headers,
        quote!(write_headers),
        quote!(__headers: &mut #private::HeaderMap),
        quote!(#private::put_header),
        &forward,
    );
    let data_method = field_writer(
        arms,
        |declared| &declared.data,
        quote!(write_data),
        quote!(__data: &mut #private::Map<::std::string::String, #private::Value>),
        quote!(#private::put_data),
        &forward,
    );

    // A wrapped error may render its body its own way: forward, not rebuild.
    let body_arms = forward(quote!(to_body()));
    let body_method = (!body_arms.is_empty()).then(|| {
        let body = dispatch(body_arms, total, quote!(#private::body_of(self)));
        quote! {
            fn to_body(&self) -> ::macaron_core::ErrorBody {
                #body
            }
        }
    });

    let mut response_arms = forward(quote!(render(__rendering)));
    response_arms.extend(
        declared
            .iter()
            .filter(|(_, declared)| renders_itself(declared))
            .map(|(arm, declared)| response_arm(arm, declared)),
    );
    // An unsized type is no `&dyn Display`: its text goes through
    // `format_args!`.
    let render = if ty.input.is_unsized() {
        quote!(#entry.render(&::core::format_args!("{}", self), __rendering))
    } else {
        quote!(#entry.render(self, __rendering))
    };
    let response_body = dispatch(response_arms, total, render);

    let backtrace_method = backtrace_method(arms, &forward);

    // A 5xx whose texts show its source's: not served unless allowed, so
    // `render` hands those to the generic path, which leaves them out (as
    // it does a code longer than the limit on texts).
    let showing_source: Vec<TokenStream> = declared
        .iter()
        .filter(|(arm, declared)| declared.status >= 500 && shows_source_text(arm, declared))
        .map(|(arm, _)| {
            let pattern = arm.pattern(&[]);
            quote!(#pattern => true,)
        })
        .collect();
    let mut source_text_arms = forward(quote!(texts_from_source()));
    source_text_arms.extend(showing_source);
    let source_text_method = (!source_text_arms.is_empty()).then(|| {
        let body = dispatch(source_text_arms, total, quote!(false));
        quote! {
            fn texts_from_source(&self) -> bool {
                #body
            }
        }
    });

    let wrapped = arms.iter().filter_map(|arm| match arm.spec.kind {
        Kind::Transparent(index) => {
            let ty = arm.variant.fields[index].ty;
            Some(pointee(ty).unwrap_or(ty))
        }
        Kind::Declared(_) => None,
    });

    let entries = declared.len();
    let type_name = ident.to_string();
    let names = EntryNames::imported();
    let imports = EntryNames::imports(&type_name);
    let table = declared.iter().map(|(arm, declared)| {
        let variant = ty.input.is_enum.then(|| arm.variant.ident.to_string());
        table::entry(variant.as_deref(), &arm.variant.doc, declared, &names)
    });
    // Only when a text has a placeholder: else the catalog has none.
    let any_example = declared.iter().any(|(_, declared)| {
        declared.description_example.is_some() || declared.user_message_example.is_some()
    });
    let examples: Vec<TokenStream> = if any_example {
        declared
            .iter()
            .map(|(_, declared)| table::examples(declared))
            .collect()
    } else {
        Vec::new()
    };
    let example_count = examples.len();
    let index_fn = (ty.input.is_enum && !declared.is_empty()).then(|| {
        let index_arms = declared.iter().enumerate().map(|(index, (arm, _))| {
            let pattern = arm.pattern(&[]);
            quote!(#pattern => #index,)
        });
        let body = dispatch(index_arms.collect(), total, quote!(0));
        let where_clause = &ty.generics().where_clause;
        quote! {
            // A trait of this block's own, so that the type gets no method.
            trait __MacaronIndex {
                fn __macaron_index(&self) -> usize;
            }
            impl #impl_generics __MacaronIndex for #ident #ty_generics #where_clause {
                fn __macaron_index(&self) -> usize {
                    #body
                }
            }
        }
    });

    let api_where = generics::api_error(ty, arms);
    let model_where = generics::model(ty);

    // Generic types cannot be registered (`Error::declared` converts them), nor
    // can unsized ones be moved into an `Error` or a response.
    let movable = !ty.input.is_unsized();
    let registration = (movable && !ty.generic)
        .then(|| registration([quote!(#private::Registration::of::<#ident>())]));
    let framework_impls = movable.then(|| {
        quote! {
            ::macaron_core::__framework_impls!([#impl_generics] [#ident #ty_generics] [#model_where]);
        }
    });
    let serialize_impl = ty.input.attrs.serialize.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::serde::Serialize for #ident #ty_generics #model_where {
                fn serialize<__S: #private::serde::Serializer>(
                    &self,
                    __serializer: __S,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    #private::serialize(self, __serializer)
                }
            }
        }
    });

    quote! {
        #[allow(unused_imports)]
        use #private::{ViaApiError as _, ViaForeign as _, CatalogViaApiError as _, CatalogViaForeign as _};

        // In a function of its own, so that the short names the entries use
        // are seen nowhere else (a format string could name them).
        fn __macaron_table() -> &'static [#private::Declared; #entries] {
            #imports
            // A static, not a const: rustc checks a constant's value for
            // promotion, which a table of a thousand entries makes costly.
            static __MACARON: [#private::Declared; #entries] = [#(#table),*];
            &__MACARON
        }

        #index_fn

        #[automatically_derived]
        impl #impl_generics ::macaron_core::ApiError for #ident #ty_generics #api_where {
            fn code(&self) -> &str {
                #code_body
            }
            fn status(&self) -> #private::StatusCode {
                #status_body
            }
            fn error_description(&self) -> ::std::borrow::Cow<'_, str> {
                #description_body
            }
            #user_message_method
            #source_text_method
            #headers_method
            #data_method
            #body_method
            fn render(
                &self,
                __rendering: &::macaron_core::Rendering<'_>,
            ) -> #private::Response<#private::Bytes> {
                if #private::renders_as_value(self, __rendering) {
                    return #private::render_body(self, __rendering);
                }
                #response_body
            }
            #backtrace_method
            fn catalog() -> ::std::vec::Vec<&'static ::macaron_core::ErrorInfo> {
                #[allow(unused_mut)]
                static __MACARON_EXAMPLES: [#private::Examples; #example_count] = [#(#examples),*];
                let mut __catalog = #private::catalog_of(__macaron_table(), &__MACARON_EXAMPLES);
                #(__catalog.extend((&#private::Wrapped::<#wrapped>::new()).catalog());)*
                __catalog
            }
        }

        #serialize_impl

        #registration

        #framework_impls
    }
}

/// Whether the description (the `Display` text) or the user message reads
/// the source field.
fn shows_source_text(arm: &Arm, declared: &Declared) -> bool {
    let Some(source) = arm.spec.source else {
        return false;
    };
    let reads_source = |format: &crate::fmt::Format| format.fields.contains(&source);
    let description = declared.description.is_none()
        && match &arm.spec.display {
            Display::Format(format) => reads_source(format),
            // A `fmt` function is given every field.
            Display::Fmt(_) => true,
            Display::Text(_) | Display::Transparent | Display::HandWritten => false,
        };
    let user_message =
        matches!(&declared.user_message, Some(Text::Format(format)) if reads_source(format));
    description || user_message
}

/// `write_headers` or `write_data`: each listed field goes through `put`
/// as `put(target, name, field)`; transparent arms forward the call. `None`
/// when no error has such fields (the trait's default does nothing).
fn field_writer(
    arms: &[Arm],
    fields_of: fn(&Declared) -> &Vec<(String, usize)>,
    method: TokenStream,
    target: TokenStream,
    put: TokenStream,
    forward: &dyn Fn(TokenStream) -> Vec<TokenStream>,
) -> Option<TokenStream> {
    let target_name = target.clone().into_iter().next();
    let mut writer_arms = forward(quote!(#method(#target_name)));
    writer_arms.extend(arms.iter().filter_map(|arm| {
        let named = fields_of(arm.spec.declared()?);
        if named.is_empty() {
            return None;
        }
        let mut fields: Vec<usize> = named.iter().map(|&(_, field)| field).collect();
        fields.sort_unstable();
        let pattern = arm.pattern(&fields);
        let puts = named.iter().map(|(name, field)| {
            let binding = arm.binding(*field);
            quote!(#put(#target_name, #name, #binding);)
        });
        Some(quote!(#pattern => { #(#puts)* }))
    }));
    if writer_arms.is_empty() {
        return None;
    }
    let body = dispatch(writer_arms, arms.len(), quote!({}));
    Some(quote! {
        fn #method(&self, #target) {
            #body
        }
    })
}

/// `backtrace`: a `Backtrace` field's (also in an `Option`, `Arc` or
/// `Box`), or the wrapped error's.
fn backtrace_method(
    arms: &[Arm],
    forward: &dyn Fn(TokenStream) -> Vec<TokenStream>,
) -> Option<TokenStream> {
    let mut backtrace_arms = forward(quote!(backtrace()));
    let private = private();
    backtrace_arms.extend(arms.iter().filter_map(|arm| {
        let (index, of_source) = match arm.spec.backtrace.as_ref()? {
            BacktraceField::Own(index) => (*index, false),
            BacktraceField::Source(index) => (*index, true),
        };
        let field = &arm.variant.fields[index];
        let binding = &field.binding;
        let pattern = arm.pattern(&[index]);
        let value = if of_source {
            let of = quote!(|__source| (&#private::Transparent(__source)).api_error().backtrace());
            if option_inner(field.ty).is_some() {
                quote!(::core::option::Option::and_then(::core::option::Option::as_ref(#binding), #of))
            } else {
                quote!((&#private::Transparent(#binding)).api_error().backtrace())
            }
        } else {
            let borrow =
                quote!(<_ as ::core::borrow::Borrow<::std::backtrace::Backtrace>>::borrow);
            if option_inner(field.ty).is_some() {
                quote!(::core::option::Option::map(::core::option::Option::as_ref(#binding), #borrow))
            } else {
                quote_spanned!(field.ty.span()=> ::core::option::Option::Some(#borrow(#binding)))
            }
        };
        Some(quote!(#pattern => #value,))
    }));
    if backtrace_arms.is_empty() {
        return None;
    }
    let body = dispatch(
        backtrace_arms,
        arms.len(),
        quote!(::core::option::Option::None),
    );
    Some(quote! {
        fn backtrace(&self) -> ::core::option::Option<&::std::backtrace::Backtrace> {
            #body
        }
    })
}

/// Registers types so that `?` into `macaron_core::Error` keeps them
/// declared: one registration for all of a block's types, each element a
/// `Registration`.
pub(super) fn registration(elements: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let private = private();
    let elements = elements.into_iter();
    quote! {
        #private::inventory::submit! {
            #private::Registrations(&[#(#elements),*])
        }
    }
}
