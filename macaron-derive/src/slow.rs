//! `#[report_slow(max_ms = N)]`: times each call of a function (sync or
//! async) and reports the slow ones. Works on tokens, so that syn's `full`
//! feature stays out of the build: the function's name is the identifier
//! after `fn`, its body the last brace-delimited group.

use crate::ctxt::Ctxt;
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;
use syn::parse::{ParseStream, Parser as _};
use syn::{Ident, LitInt, Token};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let limit = parse_args(args, &cx);
    let mut tokens: Vec<TokenTree> = item.clone().into_iter().collect();
    let name = tokens.windows(2).find_map(|pair| match pair {
        [TokenTree::Ident(keyword), TokenTree::Ident(name)] if keyword == "fn" => {
            Some(name.clone())
        }
        _ => None,
    });
    let body = match tokens.last() {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            Some(group.clone())
        }
        _ => None,
    };
    let (Some(name), Some(body)) = (name, body) else {
        cx.error_spanned_by(
            &item,
            "#[report_slow] goes on a function with a body: `#[report_slow(max_ms = 5000)] fn handler() { ... }`",
        );
        return cx.finish(item);
    };
    let label = format!("{name}()");

    let limit = match limit {
        Some(limit) => quote!(::core::option::Option::Some(#limit)),
        None => quote!(::core::option::Option::None),
    };
    let inner = body.stream();
    // The original body stays a block of its own, inner attributes and all.
    let mut timed = Group::new(
        Delimiter::Brace,
        quote! {
            let __macaron_call_timer = ::macaron_core::__private::time_call(#label, #limit);
            { #inner }
        },
    );
    timed.set_span(body.span());
    *tokens.last_mut().expect("the body") = TokenTree::Group(timed);
    cx.finish(tokens.into_iter().collect())
}

/// Nothing (the configured limit), or `max_ms = <integer>`.
fn parse_args(args: TokenStream, cx: &Ctxt) -> Option<u64> {
    let parser = |input: ParseStream| -> syn::Result<Option<u64>> {
        if input.is_empty() {
            return Ok(None);
        }
        let key: Ident = input.parse()?;
        if key != "max_ms" {
            return Err(syn::Error::new(
                key.span(),
                format!("unknown key `{key}` in #[report_slow(...)], expected `max_ms`"),
            ));
        }
        input.parse::<Token![=]>()?;
        let value: LitInt = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "`max_ms` must be an integer literal, like `max_ms = 5000`",
            )
        })?;
        let limit = value.base10_parse::<u64>()?;
        let _ = input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(input.error("expected only `max_ms = <milliseconds>`"));
        }
        Ok(Some(limit))
    };
    parser.parse2(args).unwrap_or_else(|error| {
        cx.syn_error(error);
        None
    })
}
