//! How a transparent variant of a derived type forwards to its field: to
//! the field's own `ApiError` when it has one, else to the unhandled
//! error, so that a wrapped foreign error (`std::io::Error`,
//! `anyhow::Error`) renders as the 500 it would be on its own. The choice
//! is made at compile time by method resolution: generated code calls
//! `(&Transparent(field)).api_error()`, which finds `ViaApiError` on
//! `Transparent<T>` when `T: ApiError`, and otherwise `ViaForeign` one
//! reference further. A generic field's impl is bounded by `ApiError`, so
//! the first always applies there.

use crate::{ApiError, ErrorInfo};
use std::marker::PhantomData;

/// A transparent variant's field.
pub struct Transparent<'a, T: ?Sized>(pub &'a T);

/// The field is a declared error.
pub trait ViaApiError<'a> {
    /// The field itself.
    fn api_error(&self) -> &'a dyn ApiError;
}

impl<'a, T: ApiError> ViaApiError<'a> for Transparent<'a, T> {
    #[inline]
    fn api_error(&self) -> &'a dyn ApiError {
        self.0
    }
}

impl<'a> ViaApiError<'a> for Transparent<'a, dyn ApiError> {
    #[inline]
    fn api_error(&self) -> &'a dyn ApiError {
        self.0
    }
}

/// The field is any other error.
pub trait ViaForeign<'a> {
    /// The unhandled error.
    fn api_error(&self) -> &'a dyn ApiError;
}

impl<'a, T: ?Sized> ViaForeign<'a> for &Transparent<'a, T> {
    #[inline]
    fn api_error(&self) -> &'a dyn ApiError {
        crate::unhandled::unhandled()
    }
}

/// A transparent field's type, for the catalog: its entries when it is a
/// declared error, none otherwise.
pub struct Wrapped<T: ?Sized>(PhantomData<fn() -> PhantomData<T>>);

impl<T: ?Sized> Wrapped<T> {
    /// The type `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Wrapped(PhantomData)
    }
}

/// The type is a declared error.
pub trait CatalogViaApiError {
    /// The type's catalog.
    fn catalog(&self) -> Vec<&'static ErrorInfo>;
}

impl<T: ApiError> CatalogViaApiError for Wrapped<T> {
    fn catalog(&self) -> Vec<&'static ErrorInfo> {
        T::catalog()
    }
}

/// The type is any other error.
pub trait CatalogViaForeign {
    /// Nothing.
    fn catalog(&self) -> Vec<&'static ErrorInfo>;
}

impl<T: ?Sized> CatalogViaForeign for &Wrapped<T> {
    fn catalog(&self) -> Vec<&'static ErrorInfo> {
        Vec::new()
    }
}
