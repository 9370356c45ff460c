//! The types `define_errors!` declares: an entry is an alias of
//! `DefinedError`, or with `struct` a struct of its own around the same
//! `ErrorFields`, whose impls the macro writes as one-line calls into
//! this module.

use crate::declared::Declared;
use crate::render::Rendering;
use crate::{ApiError, BoxError, ErrorInfo};
use bytes::Bytes;
use http::{Response, StatusCode};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt::{self, Display};
use std::marker::PhantomData;
use std::sync::Arc;

/// An error [`define_errors!`](crate::define_errors) declares: each entry
/// is an alias of this type, named by a marker type the macro writes, so
/// that every method and impl here is compiled once for all of a
/// program's entries. A block of a thousand entries then compiles in about
/// the time of the equivalent thiserror enum, and in a fraction of the
/// time of the same entries written with `struct` (see `BENCHMARKS.md`).
///
/// ```
/// use macaron_core::ApiError;
///
/// macaron_core::define_errors! {
///     pub PaymentRequired("Payment required", status = 402, user_message = "Please top up");
/// }
///
/// assert_eq!(PaymentRequired::CODE, "PAYMENT_REQUIRED");
/// assert_eq!(PaymentRequired::STATUS, http::StatusCode::PAYMENT_REQUIRED);
/// let error = PaymentRequired::new("card declined")
///     .with_user_message("Sorry")
///     .with_data("balance", -3)
///     .with_source(std::io::Error::other("gateway timeout"));
/// assert_eq!(error.to_string(), "card declined");
/// assert_eq!(
///     error.to_response().body(),
///     r#"{"error":"PAYMENT_REQUIRED","error_description":"card declined","user_message":"Sorry","status":402,"balance":-3}"#
/// );
/// ```
///
/// Being an alias, an entry's type takes no `#[derive]` and no impls of
/// foreign traits (the orphan rule), and its own methods go in a trait.
/// An entry that needs these is written with `struct`, and is a struct of
/// its own with all of the above.
pub struct DefinedError<D> {
    fields: ErrorFields,
    // `fn() -> D`: the marker is never held, so it does not decide whether
    // the error is `Send` or `Sync`.
    definition: PhantomData<fn() -> D>,
}

/// The marker of one alias entry of `define_errors!`: its declaration.
/// Not public API.
#[doc(hidden)]
pub trait Definition: 'static {
    const DECLARED: &'static Declared;
}

/// A `define_errors!` type, alias or struct: its declaration and its
/// fields, for its `ApiError` (and a struct's registration). Not public
/// API.
#[doc(hidden)]
pub trait Defined: StdError + Send + Sync + 'static {
    const DECLARED: &'static Declared;

    fn fields(&self) -> &ErrorFields;
}

impl<D: Definition> Defined for DefinedError<D> {
    const DECLARED: &'static Declared = D::DECLARED;

    fn fields(&self) -> &ErrorFields {
        &self.fields
    }
}

/// The view of an alias entry for the registry: [`view`]'s, reading the
/// fields directly rather than through `Defined`.
pub(crate) fn view_alias<'a, D: Definition>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a (dyn ApiError + 'static)> {
    match error.downcast_ref::<DefinedError<D>>() {
        Some(error) => Some(&error.fields),
        None => None,
    }
}

/// The view of a `define_errors!` struct for the registry: the fields every
/// such type shares, whose `ApiError` is compiled once for all of them.
pub(crate) fn view<'a, T: Defined>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a (dyn ApiError + 'static)> {
    match error.downcast_ref::<T>() {
        Some(error) => Some(error.fields()),
        None => None,
    }
}

impl<D: Definition> DefinedError<D> {
    /// The error's code: the `error` key of its body.
    pub const CODE: &'static str = D::DECLARED.code();

    /// The HTTP status of the error's responses.
    pub const STATUS: StatusCode = D::DECLARED.status();

    fn of(fields: ErrorFields) -> Self {
        DefinedError {
            fields,
            definition: PhantomData,
        }
    }

    /// The error with `description` as its `error_description` and
    /// `Display` text.
    pub fn new(description: impl Into<Cow<'static, str>>) -> Self {
        Self::of(ErrorFields::new(D::DECLARED, description.into()))
    }

    /// Sets the `user_message`, the text meant for end users.
    #[must_use]
    pub fn with_user_message(self, user_message: impl Into<Cow<'static, str>>) -> Self {
        Self::of(self.fields.with_user_message(user_message.into()))
    }

    /// Adds `key: value` to the body. The body's own keys (`error`,
    /// `status`, ...) cannot be replaced: such a key is ignored.
    #[must_use]
    pub fn with_data(self, key: impl Into<String>, value: impl serde::Serialize) -> Self {
        Self::of(self.fields.with_data(key.into(), &value))
    }

    /// Sets the error's cause, returned by `Error::source`.
    #[must_use]
    pub fn with_source(self, source: impl Into<BoxError>) -> Self {
        Self::of(self.fields.with_source(source.into()))
    }
}

/// The declared description, or the status' reason phrase when the entry
/// gives none.
impl<D: Definition> Default for DefinedError<D> {
    fn default() -> Self {
        Self::of(ErrorFields::of(D::DECLARED))
    }
}

/// A copy that shares the source.
impl<D> Clone for DefinedError<D> {
    fn clone(&self) -> Self {
        DefinedError {
            fields: self.fields.clone(),
            definition: PhantomData,
        }
    }
}

/// The entry's name and what was set at run time.
impl<D> fmt::Debug for DefinedError<D> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.fields, formatter)
    }
}

/// The description.
impl<D> fmt::Display for DefinedError<D> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fields, formatter)
    }
}

impl<D> StdError for DefinedError<D> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.fields.source()
    }
}

/// Every `define_errors!` type, alias or struct, answers for its fields:
/// written once here, compiled only for the types a program uses.
impl<T: Defined> ApiError for T {
    fn code(&self) -> &str {
        self.fields().code()
    }

    fn status(&self) -> StatusCode {
        self.fields().status()
    }

    fn error_description(&self) -> Cow<'_, str> {
        self.fields().error_description()
    }

    fn user_message(&self) -> Option<Cow<'_, str>> {
        self.fields().user_message()
    }

    fn write_data(&self, data: &mut Map<String, Value>) {
        self.fields().write_data(data);
    }

    fn render(&self, rendering: &Rendering<'_>) -> Response<Bytes> {
        self.fields().render(rendering)
    }

    fn catalog() -> Vec<&'static ErrorInfo> {
        vec![T::DECLARED.info()]
    }
}

/// The Error model object, the bytes of its response's body.
impl<D: Definition> serde::Serialize for DefinedError<D> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::api_error::serialize(self, serializer)
    }
}

/// What a `define_errors!` value holds at run time: its type's entry and
/// what differs from the entry's defaults. `Clone` (the source is shared)
/// so that every `define_errors!` type is. Not public API.
///
/// The description is inline, as `new` sets it; what the builders add is
/// boxed, made by the first of them: a value with neither is three words
/// that drop with two checks.
#[doc(hidden)]
#[derive(Clone)]
pub struct ErrorFields {
    declared: &'static Declared,
    description: Option<Cow<'static, str>>,
    added: Option<Box<Added>>,
}

/// What the builders of a `define_errors!` value add.
#[derive(Clone, Default)]
struct Added {
    user_message: Option<Cow<'static, str>>,
    data: Map<String, Value>,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

impl ErrorFields {
    /// The declared error as it is, with no run-time changes.
    pub fn of(declared: &'static Declared) -> Self {
        ErrorFields {
            declared,
            description: None,
            added: None,
        }
    }

    pub fn new(declared: &'static Declared, description: Cow<'static, str>) -> Self {
        ErrorFields {
            declared,
            description: Some(description),
            added: None,
        }
    }

    pub fn with_user_message(mut self, user_message: Cow<'static, str>) -> Self {
        self.added().user_message = Some(user_message);
        self
    }

    pub fn with_data<T: serde::Serialize + ?Sized>(mut self, key: String, value: &T) -> Self {
        crate::render::insert_extra(&mut self.added().data, key, value);
        self
    }

    pub fn with_source(mut self, source: BoxError) -> Self {
        self.added().source = Some(Arc::from(source));
        self
    }

    fn added(&mut self) -> &mut Added {
        self.added.get_or_insert_with(Box::default)
    }

    /// The description given to `new`, else the declared one (always
    /// static in `define_errors!`).
    fn description(&self) -> &str {
        self.description
            .as_deref()
            .unwrap_or(self.declared.more.description)
    }

    /// What the builders set, as `PartialEq` compares it.
    fn added_parts(&self) -> (Option<&str>, Option<&Map<String, Value>>, Option<String>) {
        let added = self.added.as_deref();
        (
            added.and_then(|added| added.user_message.as_deref()),
            self.data().filter(|data| !data.is_empty()),
            added
                .and_then(|added| added.source.as_ref())
                .map(ToString::to_string),
        )
    }

    fn data(&self) -> Option<&Map<String, Value>> {
        self.added.as_ref().map(|added| &added.data)
    }
}

/// The type's `Debug` (and the registry's view's): its name and fields.
impl fmt::Debug for ErrorFields {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let added = self.added.as_deref();
        let no_data = Map::new();
        formatter
            .debug_struct(self.declared.more.type_name)
            .field("description", &self.description)
            .field(
                "user_message",
                &added.and_then(|added| added.user_message.as_ref()),
            )
            .field("data", self.data().unwrap_or(&no_data))
            .field("source", &added.and_then(|added| added.source.as_ref()))
            .finish()
    }
}

/// Equal when declared alike and changed alike at run time; sources,
/// which need not be comparable, compare by their `Display` text, so that
/// a test can compare an error with the one it expects. What a
/// `define_errors!` struct's `#[derive(PartialEq, Eq)]` compares.
impl PartialEq for ErrorFields {
    fn eq(&self, other: &Self) -> bool {
        self.declared.code == other.declared.code
            && self.description() == other.description()
            && self.added_parts() == other.added_parts()
    }
}

impl Eq for ErrorFields {}

impl Display for ErrorFields {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.description())
    }
}

impl StdError for ErrorFields {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.added
            .as_ref()?
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// The `ApiError` of every `define_errors!` value, which the registry
/// hands out: one vtable for all of them.
impl ApiError for ErrorFields {
    fn code(&self) -> &str {
        self.declared.code
    }

    fn status(&self) -> StatusCode {
        self.declared.status()
    }

    fn error_description(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.description())
    }

    fn user_message(&self) -> Option<Cow<'_, str>> {
        self.added
            .as_ref()
            .and_then(|added| added.user_message.as_deref())
            .or(self.declared.user_message())
            .map(Cow::Borrowed)
    }

    fn write_data(&self, data: &mut Map<String, Value>) {
        data.extend(
            self.data()
                .into_iter()
                .flatten()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
    }

    fn render(&self, rendering: &Rendering<'_>) -> Response<Bytes> {
        if crate::api_error::renders_as_value(self, rendering) {
            return crate::api_error::render_body(self, rendering);
        }
        let declared = self.declared;
        // A source alone leaves the body as declared.
        let body_as_declared = self.description.is_none()
            && self.added.as_deref().map_or(true, |added| {
                added.user_message.is_none() && added.data.is_empty()
            });
        if body_as_declared {
            return declared.render_declared(rendering);
        }
        declared.render_with(
            |body| body.str(self.description()),
            self.user_message().as_deref(),
            self.data(),
            rendering,
        )
    }
}

crate::__framework_impls!([<D: Definition>] [DefinedError<D>] []);
