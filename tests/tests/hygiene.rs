//! The generated code compiles where the user's scope is hostile: prelude
//! names shadowed, strict lints (clippy's too, under `cargo clippy`),
//! deprecated items, inside `macro_rules!`, on generic types.

#![deny(
    warnings,
    deprecated,
    unused_qualifications,
    non_local_definitions,
    unreachable_pub,
    missing_docs
)]
#![deny(clippy::all, clippy::pedantic)]
// A crate that forbids unsafe code can use the macros. (Only an `unsafe`
// spanned at the user's tokens would trip this lint: macaron's macros write
// none, and the one in `inventory`'s registration is spanned in inventory.)
#![forbid(unsafe_code)]
//! (crate docs, for `missing_docs`)

#[allow(dead_code, non_camel_case_types)]
mod shadowed {
    use macaron_core::ApiError;

    struct Result;
    struct Ok;
    struct Err;
    struct Option;
    struct Some;
    struct None;
    struct String;
    struct Vec;
    struct Box;
    struct Cow;
    struct Default;
    struct From;
    struct core;
    struct std;
    struct http;
    struct serde;

    /// A struct.
    #[derive(Debug, ApiError)]
    #[error("{id} not found", status = 404, user_message = "no {id}")]
    pub(crate) struct NotFound {
        /// The id.
        pub(crate) id: u32,
        /// Data.
        #[data]
        pub(crate) kind: u8,
        /// A header.
        #[header("x-id")]
        pub(crate) header: u8,
    }

    /// An enum.
    #[derive(Debug, ApiError)]
    pub(crate) enum Mixed {
        /// A variant.
        #[error("first", status = 400)]
        First,
        /// Another.
        #[error(transparent)]
        Wrapped(#[from] NotFound),
        /// With a source.
        #[error("io {0}", status = 500)]
        Io(#[source] ::std::io::Error),
    }

    macaron_core::define_errors! {
        /// A batch error.
        pub(crate) Batched(status = 400);
        /// A batch error of its own type.
        #[derive(PartialEq, Eq)]
        pub(crate) struct OwnBatched("own", status = 409, user_message = "sorry");
    }
}

macro_rules! declare {
    ($name:ident, $status:literal) => {
        /// Declared inside a macro.
        #[derive(Debug, macaron_core::ApiError)]
        #[error("made by a macro", status = $status)]
        pub struct $name;
    };
}

declare!(FromMacro, 418);

macro_rules! batch {
    ($($name:ident = $status:literal),*) => {
        macaron_core::define_errors! {
            $(
                /// Declared by a macro.
                pub $name(status = $status);
            )*
        }
    };
}

batch!(BatchA = 400, BatchB = 503);

/// Generic over its payload and its source.
#[derive(Debug, macaron_core::ApiError)]
pub enum Generic<T, E>
where
    T: Clone,
{
    /// Shows the payload.
    #[error("bad value {0}", status = 400)]
    Value(T),
    /// Wraps an error.
    #[error("failed", status = 500)]
    Failed(#[source] E),
    /// Wraps an error, maybe.
    #[error("maybe failed", status = 500)]
    MaybeFailed {
        /// The optional cause.
        source: Option<E>,
    },
    /// Data and headers of generic types.
    #[error("{value:?}", status = 409)]
    Conflict {
        /// Debug-formatted.
        value: T,
        /// Serialized.
        #[data]
        extra: T,
    },
}

/// Every form of the grammar, deprecated: only what the user writes that
/// uses a deprecated item allows it.
mod deprecated {
    use macaron_core::ApiError;

    /// A deprecated struct with a deprecated field.
    #[deprecated]
    #[derive(Debug, ApiError)]
    #[error("{} {message}", .message.len(), status = 400, user_message = "{message}")]
    pub(crate) struct Old {
        /// Deprecated too.
        #[deprecated]
        #[data]
        pub(crate) message: String,
    }

    fn show(code: &str, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "code {code}")
    }

    /// A deprecated enum.
    #[deprecated]
    #[derive(Debug, ApiError)]
    #[error("{0}", status = 500)]
    pub(crate) enum OldEnum {
        /// Inherits the enum's attribute.
        Text(&'static str),
        /// Deprecated, and shown by a function.
        #[deprecated]
        #[error(fmt = show)]
        Code(String),
        /// Wraps a foreign error.
        #[error(transparent)]
        Io(#[from] std::io::Error),
        /// Wraps a deprecated error.
        #[error(transparent)]
        Old(
            #[from]
            #[allow(deprecated)]
            Old,
        ),
    }
}

/// A generic transparent wrapper.
#[derive(Debug, macaron_core::ApiError)]
#[error(transparent)]
pub struct Forward<E>(#[from] pub E);

#[test]
fn shadowed_names() {
    use macaron_core::ApiError;
    let error = shadowed::NotFound {
        id: 3,
        kind: 1,
        header: 9,
    };
    macaron_tests::assert_response(
        &error,
        404,
        &[("x-id", "9")],
        r#"{"error":"NOT_FOUND","error_description":"3 not found","user_message":"no 3","status":404,"kind":1}"#,
    );
    let mixed = shadowed::Mixed::from(error);
    assert_eq!(mixed.code(), "NOT_FOUND");
    assert_eq!(shadowed::Mixed::First.code(), "FIRST");
    assert_eq!(shadowed::Batched::CODE, "BATCHED");
}

#[test]
fn declared_by_macros() {
    use macaron_core::ApiError;
    assert_eq!(FromMacro.status(), 418);
    assert_eq!(FromMacro.to_string(), "made by a macro");
    assert_eq!(BatchA::STATUS, 400);
    assert_eq!(BatchB::default().code(), "BATCH_B");
}

#[test]
#[allow(deprecated)]
fn deprecated_items() {
    use macaron_core::ApiError;
    let old = deprecated::Old {
        message: "gone".into(),
    };
    assert_eq!(old.to_string(), "4 gone");
    let error = deprecated::OldEnum::from(old);
    assert_eq!(error.code(), "OLD");
    assert_eq!(deprecated::OldEnum::Code("7".into()).to_string(), "code 7");
    assert_eq!(deprecated::OldEnum::Text("t").code(), "TEXT");
}

#[test]
fn generic_types() {
    use macaron_core::ApiError;
    let error: Generic<u8, std::io::Error> = Generic::Value(5);
    assert_eq!(error.to_string(), "bad value 5");
    macaron_tests::assert_response(
        &Generic::<&str, std::fmt::Error>::Conflict {
            value: "x",
            extra: "y",
        },
        409,
        &[],
        r#"{"error":"CONFLICT","error_description":"\"x\"","status":409,"extra":"y"}"#,
    );
    let failed: Generic<u8, std::fmt::Error> = Generic::Failed(std::fmt::Error);
    assert!(std::error::Error::source(&failed).is_some());
    let maybe: Generic<u8, std::fmt::Error> = Generic::MaybeFailed {
        source: Some(std::fmt::Error),
    };
    assert!(std::error::Error::source(&maybe).is_some());
    let forwarded = Forward::from(FromMacro);
    assert_eq!(forwarded.code(), "FROM_MACRO");
    assert_eq!(Forward::<FromMacro>::catalog()[0].code, "FROM_MACRO");
}
