//! What becomes an [`Error`]: `?` on anything that converts into a
//! `Box<dyn Error + Send + Sync>`, and the constructors.

use crate::registry::{self, AsApiError};
use crate::{ApiError, BoxError, Error};
use std::any::TypeId;
use std::error::Error as StdError;
use std::fmt::{self, Display};

impl Error {
    /// Any error, as `?` converts it: a declared error renders as declared,
    /// any other as the unhandled 500, unless its chain holds a declared
    /// error (see [`From`](#impl-From<E>-for-Error)).
    ///
    /// ```
    /// let error = macaron_core::Error::new(std::io::Error::other("disk full"));
    /// assert_eq!(error.code(), "UNHANDLED_SERVER_ERROR");
    /// ```
    pub fn new<E: Into<BoxError> + 'static>(error: E) -> Self {
        Self::from(error)
    }

    /// A declared error, registered or not: a generic `ApiError` type cannot
    /// register itself, so `?` and [`new`](Self::new) see it as foreign;
    /// this keeps it declared.
    pub fn declared<E: ApiError>(error: E) -> Self {
        let declared = (registry::as_api_error::<E> as AsApiError, 0);
        Self::build(Box::new(error), std::any::type_name::<E>, Some(declared))
    }

    /// An error rendered as a 500 `UNHANDLED_SERVER_ERROR`, even if its type
    /// implements `ApiError`.
    pub fn unhandled<E: Into<BoxError> + 'static>(error: E) -> Self {
        Self::build(error.into(), std::any::type_name::<E>, None)
    }

    /// A 500 `UNHANDLED_SERVER_ERROR` with a message for the crash report.
    pub fn msg(message: impl Display) -> Self {
        Self::unhandled(Message(message.to_string()))
    }
}

/// `?` on anything that converts into a `Box<dyn Error + Send + Sync>`:
/// any error, an `anyhow::Error`, a `Box<dyn Error + Send + Sync>`, a
/// `String` or `&'static str` message.
/// - A declared type (derived, or from `define_errors!`) stays declared.
/// - An `Error` that went into an `anyhow::Error` (feature `anyhow`) comes
///   back as it was.
/// - Anything else renders as the unhandled 500, unless its chain of
///   sources holds a declared error (one that went through anyhow, a
///   `Box<dyn Error>` or a `#[source]` on its way up): then the response is
///   that error's, as if it had been returned directly. The crash report
///   keeps the whole chain.
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
/// fn plumbing() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
///     Err(UnknownUser { id: 7 })?
/// }
///
/// fn handler() -> Result<(), Error> {
///     plumbing()?;
///     Err("unreachable")?
/// }
///
/// assert_eq!(handler().unwrap_err().to_response().status(), 404);
/// let message = Error::from("the cache is cold");
/// assert_eq!(message.code(), "UNHANDLED_SERVER_ERROR");
/// assert_eq!(message.to_string(), "the cache is cold");
/// ```
impl<E: Into<BoxError> + 'static> From<E> for Error {
    fn from(error: E) -> Self {
        #[cfg(feature = "anyhow")]
        let error = match crate::anyhow::carried(error) {
            Ok(carried) => return carried,
            Err(error) => error,
        };
        #[cfg(not(feature = "anyhow"))]
        let error: BoxError = error.into();
        from_boxed(error, TypeId::of::<E>(), std::any::type_name::<E>)
    }
}

/// What `From` does once the error is boxed, apart from its type: compiled
/// once, not for every type a program converts (a service converts
/// hundreds).
fn from_boxed(error: BoxError, type_id: TypeId, type_name: fn() -> &'static str) -> Error {
    if let Some(registration) = registry::lookup(type_id) {
        return Error::build(error, type_name, Some((registration.as_api_error, 0)));
    }
    // The outermost link is the error itself, whose type was just looked
    // up, unless it only holds another error.
    let declared = registry::find_in_chain(&*error, usize::from(!holds_another(type_id)));
    Error::build(error, type_name, declared)
}

/// Whether an error of this type only holds another error, which its box
/// is made of: a `Box<dyn Error>`, or an anyhow error (boxed as what it
/// holds).
fn holds_another(type_id: TypeId) -> bool {
    #[cfg(feature = "anyhow")]
    if type_id == TypeId::of::<anyhow::Error>() {
        return true;
    }
    type_id == TypeId::of::<BoxError>()
}

/// The error of [`Error::msg`].
#[derive(Debug)]
struct Message(String);

impl Display for Message {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl StdError for Message {}
