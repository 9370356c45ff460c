//! What the source of an error may be.

use std::error::Error;

/// A boxed error, as reporters return and `with_source` takes.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// How many links of a chain of sources are walked: a chain may be a
/// cycle (an error whose `source()` returns itself).
const MAX_CHAIN_LENGTH: usize = 32;

/// `error` and its sources, outermost first, at most
/// [`MAX_CHAIN_LENGTH`] of them: every walk of a chain goes through here.
pub(crate) fn chain<'a>(
    error: &'a (dyn Error + 'static),
) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(error), |&link| link.source()).take(MAX_CHAIN_LENGTH)
}

/// The text of `error` and of each of its sources, outermost first; when
/// the chain is longer than [`MAX_CHAIN_LENGTH`], a last entry says it was
/// cut there.
pub(crate) fn chain_text(error: &dyn Error) -> Vec<String> {
    let mut links = std::iter::successors(Some(error), |&link| {
        link.source().map(|source| source as &dyn Error)
    });
    let mut text: Vec<String> = links
        .by_ref()
        .take(MAX_CHAIN_LENGTH)
        .map(ToString::to_string)
        .collect();
    if links.next().is_some() {
        text.push(format!(
            "[cut after {MAX_CHAIN_LENGTH} links: the chain of sources goes on, or is a cycle]"
        ));
    }
    text
}

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
