//! Collects every diagnostic of one macro call, so a user sees all their
//! mistakes in one compile instead of one per compile.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

pub(crate) struct Ctxt {
    /// `None` once `check` has run: recording after that is a bug.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// An error spanning all of `tokens` (start to end).
    pub(crate) fn error_spanned_by<M: Display>(&self, tokens: &dyn ToTokens, message: M) {
        self.spanned(tokens.to_token_stream(), message.to_string());
    }

    // Apart from the generic shell, so that it is compiled once.
    fn spanned(&self, tokens: TokenStream, message: String) {
        self.syn_error(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn error_at<M: Display>(&self, span: Span, message: M) {
        self.syn_error(syn::Error::new(span, message.to_string()));
    }

    pub(crate) fn syn_error(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("Ctxt used after check")
            .push(error);
    }

    /// Whether a mistake was recorded: expansion then writes stub impls.
    pub(crate) fn has_errors(&self) -> bool {
        self.errors
            .borrow()
            .as_ref()
            .is_some_and(|errors| !errors.is_empty())
    }

    /// The expansion, preceded by a `compile_error!` for each recorded
    /// error: after a mistake the expansion is the stub impls of
    /// `fallback`, so that one mistake is reported once and not again at
    /// every use of the item.
    pub(crate) fn finish(self, expanded: TokenStream) -> TokenStream {
        match self.check() {
            Ok(()) => expanded,
            Err(errors) => {
                let mut tokens = errors.into_compile_error();
                tokens.extend(expanded);
                tokens
            }
        }
    }

    /// All recorded errors, combined into one (each keeps its own span).
    fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.borrow_mut().take().expect("Ctxt checked twice");
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        // Dropping unchecked errors would silently accept bad input: a bug in
        // this crate, caught by its own tests.
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("forgot to check for errors");
        }
    }
}
