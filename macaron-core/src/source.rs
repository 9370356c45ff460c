//! What the source of an error may be.

use std::error::Error;

/// A boxed error, as reporters return and `with_source` takes.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// The type of a `#[source]` or `#[from]` field of a derived error, or of a
/// transparent variant's field: any [`std::error::Error`], or a pointer
/// that dereferences to `dyn Error`, such as
/// `Box<dyn Error + Send + Sync>` or `anyhow::Error`. Every such type has
/// it already; a compile error that names this trait means the field is
/// none of them.
///
/// ```
/// use macaron_core::ApiError;
///
/// #[derive(Debug, ApiError)]
/// enum Failed {
///     #[error("reading failed", status = 500)]
///     Read(#[source] std::io::Error),
///     #[error("converting failed", status = 500)]
///     Convert(#[source] Box<dyn std::error::Error + Send + Sync>),
/// }
///
/// let error = Failed::Convert("not a number".into());
/// assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "not a number");
/// ```
pub trait AsDynError<'a> {
    /// The field as the source `Error::source` returns.
    fn as_dyn_error(&self) -> &(dyn Error + 'a);
}

impl<'a, T: Error + 'a> AsDynError<'a> for T {
    #[inline]
    fn as_dyn_error(&self) -> &(dyn Error + 'a) {
        self
    }
}

// A `Box<dyn Error>` or an `anyhow::Error` reaches these by dereference.

impl<'a> AsDynError<'a> for dyn Error + 'a {
    #[inline]
    fn as_dyn_error(&self) -> &(dyn Error + 'a) {
        self
    }
}

impl<'a> AsDynError<'a> for dyn Error + Send + 'a {
    #[inline]
    fn as_dyn_error(&self) -> &(dyn Error + 'a) {
        self
    }
}

impl<'a> AsDynError<'a> for dyn Error + Send + Sync + 'a {
    #[inline]
    fn as_dyn_error(&self) -> &(dyn Error + 'a) {
        self
    }
}
