//! `.context(...)` on a `Result`, as anyhow has it.

use crate::Error;
use std::borrow::Cow;

/// `.context(...)` on a `Result`: the error becomes an [`Error`] carrying
/// what the program was doing, for the crash report.
pub trait Context<T> {
    /// Converts the error and adds `context` to it.
    fn context(self, context: impl Into<Cow<'static, str>>) -> Result<T, Error>;

    /// Like [`context`](Self::context), computing the text only on error.
    fn with_context<C: Into<Cow<'static, str>>>(
        self,
        context: impl FnOnce() -> C,
    ) -> Result<T, Error>;
}

impl<T, E: Into<Error>> Context<T> for Result<T, E> {
    fn context(self, context: impl Into<Cow<'static, str>>) -> Result<T, Error> {
        self.map_err(|error| error.into().with_context(context))
    }

    fn with_context<C: Into<Cow<'static, str>>>(
        self,
        context: impl FnOnce() -> C,
    ) -> Result<T, Error> {
        self.map_err(|error| error.into().with_context(context()))
    }
}
