//! anyhow, the other way: `?` turns a `macaron_core::Error` into an
//! `anyhow::Error` that keeps its text and sources, and `?` back into a
//! `macaron_core::Error` returns it as it was: declared, with its contexts
//! and `error_id`.

use crate::{BoxError, Error};
use std::any::Any;
use std::error::Error as StdError;
use std::fmt;

/// A macaron `Error` inside an `anyhow::Error`.
struct Carried(Error);

impl fmt::Display for Carried {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, formatter)
    }
}

impl fmt::Debug for Carried {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, formatter)
    }
}

/// The error's own sources: anyhow's chain reads as the error's.
impl StdError for Carried {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.as_std_error().source()
    }
}

/// `?` from a `macaron_core::Error` into an `anyhow::Error`: the text and
/// the sources are anyhow's chain, and `?` back gives the error as it was.
///
/// ```
/// use macaron_core::{ApiError, Error};
///
/// #[derive(Debug, ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// fn handler_of_old() -> anyhow::Result<()> {
///     let declared: Result<(), Error> = Err(UnknownUser { id: 7 }.into());
///     declared?;
///     Ok(())
/// }
///
/// let through_anyhow = handler_of_old().unwrap_err();
/// assert_eq!(through_anyhow.to_string(), "no user with id 7");
/// let back = Error::from(through_anyhow.context("loading the profile"));
/// assert_eq!(back.code(), "UNKNOWN_USER");
/// ```
impl From<Error> for anyhow::Error {
    fn from(error: Error) -> Self {
        anyhow::Error::new(Carried(error))
    }
}

/// `error` itself when it is an `anyhow::Error` carrying a macaron `Error`;
/// otherwise `error` boxed, for `Error::from` to look through. An anyhow
/// error is boxed as the error it holds, not as anyhow's own wrapper, so
/// that a declared error it holds without context is found too (anyhow's
/// backtrace is left behind: macaron captures its own).
pub(crate) fn carried<E: Into<BoxError> + 'static>(error: E) -> Result<Error, BoxError> {
    let mut slot = Some(error);
    if let Some(anyhow) = (&mut slot as &mut dyn Any).downcast_mut::<Option<anyhow::Error>>() {
        if let Some(anyhow) = anyhow.take() {
            return anyhow
                .downcast::<Carried>()
                .map(|carried| carried.0)
                .map_err(anyhow::Error::reallocate_into_boxed_dyn_error_without_backtrace);
        }
    }
    // Not an anyhow error: the slot still holds it.
    Err(slot.map_or_else(|| BoxError::from("an error taken twice"), Into::into))
}
