//! Each impl's where clause: the user's, plus what that impl's code needs
//! of each field whose type names a parameter, as thiserror infers it. A
//! non-generic type gets bounds that cannot fail to hold only where a
//! failure would repeat an error reported once already.

use super::{private, Arm, Type};
use crate::types::{option_inner, pointee};
use crate::valid::Kind;
use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{Ident, WhereClause, WherePredicate};

/// Predicates collected for one impl, each type once with all its bounds.
pub(super) struct Bounds<'a> {
    ty: &'a Type<'a>,
    params: Vec<&'a Ident>,
    predicates: Vec<(String, TokenStream, Vec<TokenStream>)>,
}

impl<'a> Bounds<'a> {
    fn new(ty: &'a Type<'a>) -> Self {
        Bounds {
            ty,
            params: ty
                .generics()
                .type_params()
                .map(|param| &param.ident)
                .collect(),
            predicates: Vec::new(),
        }
    }

    /// `field: bound`, when the field's type names a parameter.
    fn field(&mut self, field: &syn::Type, bound: &dyn Fn() -> TokenStream) {
        if !self.params.is_empty() && mentions(field.to_token_stream(), &self.params) {
            self.push(field.to_token_stream(), bound());
        }
    }

    /// `Self: bound`, for a generic type.
    fn this(&mut self, bound: TokenStream) {
        if self.ty.generic {
            self.push(quote!(Self), bound);
        }
    }

    fn push(&mut self, ty: TokenStream, bound: TokenStream) {
        let key = ty.to_string();
        let bound_key = bound.to_string();
        match self.predicates.iter_mut().find(|(seen, ..)| *seen == key) {
            Some((_, _, bounds)) => {
                if !bounds.iter().any(|seen| seen.to_string() == bound_key) {
                    bounds.push(bound);
                }
            }
            None => self.predicates.push((key, ty, vec![bound])),
        }
    }

    fn where_clause(self) -> Option<WhereClause> {
        let generics = self.ty.generics();
        if self.predicates.is_empty() {
            return generics.where_clause.clone();
        }
        let mut clause = generics
            .where_clause
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(where));
        for (_, ty, bounds) in self.predicates {
            let predicate: WherePredicate = syn::parse_quote!(#ty: #(#bounds)+*);
            clause.predicates.push(predicate);
        }
        Some(clause)
    }
}

/// `Display`: the traits each placeholder formats its field with, and
/// `Display` of a transparent field.
pub(super) fn display(ty: &Type, arms: &[Arm]) -> Option<WhereClause> {
    let mut bounds = Bounds::new(ty);
    for arm in arms {
        let fields = &arm.variant.fields;
        match (&arm.spec.kind, &arm.spec.display) {
            (Kind::Transparent(index), _) => {
                bounds.field(fields[*index].ty, &|| quote!(::core::fmt::Display));
            }
            (_, crate::valid::Display::Format(format)) => {
                for &(index, format) in &format.uses {
                    bounds.field(fields[index].ty, &|| format.path());
                }
            }
            _ => {}
        }
    }
    bounds.where_clause()
}

/// `Error`: `Debug + Display` of the type, and `Error` of each source.
pub(super) fn error(ty: &Type, arms: &[Arm]) -> Option<WhereClause> {
    let mut bounds = Bounds::new(ty);
    for arm in arms {
        let fields = &arm.variant.fields;
        match arm.spec.kind {
            Kind::Transparent(index) => {
                bounds.field(fields[index].ty, &|| quote!(::std::error::Error));
            }
            Kind::Declared(_) => {
                if let Some(index) = arm.spec.source {
                    let ty = fields[index].ty;
                    bounds.field(option_inner(ty).unwrap_or(ty), &|| {
                        quote!(::std::error::Error + 'static)
                    });
                }
            }
        }
    }
    bounds.this(quote!(::core::fmt::Debug));
    bounds.this(quote!(::core::fmt::Display));
    bounds.where_clause()
}

/// `ApiError`: `ApiError` of a transparent field, what the user message,
/// headers and data format their fields with, and what the trait requires
/// of the type.
pub(super) fn api_error(ty: &Type, arms: &[Arm]) -> Option<WhereClause> {
    let mut bounds = Bounds::new(ty);
    for arm in arms {
        let fields = &arm.variant.fields;
        match &arm.spec.kind {
            Kind::Transparent(index) => {
                let field = fields[*index].ty;
                let inner = pointee(field).unwrap_or(field);
                bounds.field(inner, &|| quote!(::macaron_core::ApiError));
            }
            Kind::Declared(declared) => {
                if let Some(message) = &declared.user_message {
                    for &(index, format) in message.uses() {
                        bounds.field(fields[index].ty, &|| format.path());
                    }
                }
                for &(_, index) in &declared.headers {
                    bounds.field(fields[index].ty, &|| quote!(::core::fmt::Display));
                }
                let private = private();
                for &(_, index) in &declared.data {
                    bounds.field(fields[index].ty, &|| quote!(#private::serde::Serialize));
                }
            }
        }
    }
    bounds.this(quote!(::std::error::Error));
    bounds.this(quote!(::core::marker::Send));
    bounds.this(quote!(::core::marker::Sync));
    bounds.this(quote!('static));
    let mut clause = bounds.where_clause();
    if !ty.generic {
        // A type that is no `Error` (its `Debug` is missing, say) is
        // reported once, at the `Error` impl.
        let ident = &ty.ident;
        clause
            .get_or_insert_with(|| syn::parse_quote!(where))
            .predicates
            .push(syn::parse_quote!(for<'__w> #ident: ::std::error::Error));
    }
    clause
}

/// What the impls built on `ApiError` need: `Serialize`, the frameworks'.
pub(super) fn model(ty: &Type) -> Option<WhereClause> {
    let ident = &ty.ident;
    let (_, ty_generics, _) = ty.generics().split_for_impl();
    // The type by name, not `Self`: in `From<Type> for tonic::Status`,
    // `Self` is the status.
    let predicate: WherePredicate = if ty.generic {
        syn::parse_quote!(#ident #ty_generics: ::macaron_core::ApiError)
    } else {
        // As above: a type that is no `ApiError` is reported once.
        syn::parse_quote!(for<'__w> #ident #ty_generics: ::macaron_core::ApiError)
    };
    let mut clause = ty
        .generics()
        .where_clause
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(where));
    clause.predicates.push(predicate);
    Some(clause)
}

/// Whether `tokens` name any of `params` (a generic field type).
fn mentions(tokens: TokenStream, params: &[&Ident]) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => params.iter().any(|param| ident == **param),
        TokenTree::Group(group) => mentions(group.stream(), params),
        _ => false,
    })
}
