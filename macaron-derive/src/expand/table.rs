//! The `__private::Declared` entry of a declared error: a derived type's
//! table holds one per struct or variant, a `define_errors!` type has one.

use super::body::static_body;
use super::private;
use crate::fmt::Text;
use crate::valid::Declared;
use proc_macro2::TokenStream;
use quote::quote;

/// What an entry calls and names: in full, or by the short names a
/// derive's table imports once for all its entries (a thousand variants
/// would otherwise repeat the paths a thousand times, for the compiler to
/// read).
pub(super) struct EntryNames {
    declared: TokenStream,
    /// The `__private::More` of the type, as a value: what an entry that
    /// has more builds on.
    more: TokenStream,
    /// A `&'static More` of the type, for the entries with nothing more.
    shared: TokenStream,
}

impl EntryNames {
    pub(super) fn full(type_name: &str) -> Self {
        let private = private();
        let more = quote!(#private::More::of(#type_name, ::core::module_path!()));
        EntryNames {
            declared: quote!(#private::declared),
            shared: quote!(&#more),
            more,
        }
    }

    pub(super) fn imported() -> Self {
        EntryNames {
            declared: quote!(__declared),
            more: quote!(__TYPE),
            shared: quote!(__SHARED),
        }
    }

    /// The items [`imported`](Self::imported) names refer to: the type's
    /// `More`, and one reference to it for all the entries with nothing
    /// more. (An entry with more builds on the value: the compiler does
    /// not promote a call on what a reference points at to a static.)
    pub(super) fn imports(type_name: &str) -> TokenStream {
        let private = private();
        quote! {
            use #private::declared as __declared;
            const __TYPE: #private::More = #private::More::of(#type_name, ::core::module_path!());
            const __SHARED: &#private::More = &__TYPE;
        }
    }
}

/// The examples of an entry's texts (`__private::Examples`), for the
/// catalog: `("", "")` for texts without placeholders.
pub(super) fn examples(declared: &Declared) -> TokenStream {
    let description = declared.description_example.as_deref().unwrap_or_default();
    let user_message = declared.user_message_example.as_deref().unwrap_or_default();
    quote!((#description, #user_message))
}

/// A call of a `const fn` with literal arguments for what every error has,
/// and a reference to what else it has, built by one more call for each
/// thing it has beyond a description from `Display`. The compiler
/// evaluates every entry, and this costs it less than one call with every
/// argument.
pub(super) fn entry(
    variant: Option<&str>,
    doc: &str,
    declared: &Declared,
    names: &EntryNames,
) -> TokenStream {
    let Declared {
        code,
        status,
        description,
        template,
        user_message,
        user_message_template,
        headers,
        data,
        ..
    } = declared;
    let mut more = TokenStream::new();
    if let Some(description) = description {
        match static_body(declared) {
            Some(body) => more.extend(quote!(.with_static(#description, #body))),
            // An empty description is the default: the `Display` text.
            None if !description.is_empty() => {
                more.extend(quote!(.with_description(#description)));
            }
            None => {}
        }
    }
    if let Some(template) = user_message_template {
        let text = match user_message {
            Some(Text::Static(text)) => text.as_str(),
            _ => "",
        };
        more.extend(quote!(.with_user_message(#template, #text)));
    }
    if !doc.is_empty() {
        more.extend(quote!(.with_doc(#doc)));
    }
    if !headers.is_empty() || !data.is_empty() {
        let headers = headers.iter().map(|(name, _)| name);
        let data = data.iter().map(|(key, _)| key);
        more.extend(quote!(.with_names(&[#(#headers),*], &[#(#data),*])));
    }
    let more = if more.is_empty() {
        names.shared.clone()
    } else {
        let base = &names.more;
        quote!(&#base #more)
    };
    let declared_fn = &names.declared;
    let variant = variant.unwrap_or_default();
    quote!(#declared_fn(#variant, #code, #status, #template, #more))
}
