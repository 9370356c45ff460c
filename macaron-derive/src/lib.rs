//! Implementation detail of the `macaron-core` crate: the `ApiError` derive
//! and `define_errors!`. Depend on `macaron-core`, which re-exports both
//! and documents them.

mod args;
mod ast;
mod attr;
mod ctxt;
mod example;
mod expand;
mod fallback;
mod fmt;
mod format_string;
#[cfg(test)]
mod fuzz;
mod json;
mod names;
mod slow;
mod types;
mod valid;

use proc_macro::TokenStream;
use syn::parse_macro_input;

#[proc_macro_derive(
    ApiError,
    attributes(error, source, from, backtrace, header, data, api_error)
)]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

#[proc_macro]
pub fn define_errors(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as ast::RawBatch);
    expand::define_errors(input).into()
}

#[proc_macro_attribute]
pub fn report_slow(args: TokenStream, item: TokenStream) -> TokenStream {
    slow::expand(args.into(), item.into()).into()
}
