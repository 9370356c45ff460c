#![allow(clippy::mixed_attributes_style)]

use macaron_core::ApiError;

pub use std::error::Error;

#[test]
fn test_allow_attributes() {
    #![deny(clippy::allow_attributes)]

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct MyError(#[from] anyhow::Error);

    let _: MyError;
}

#[test]
fn test_unused_qualifications() {
    #![deny(unused_qualifications)]

    // Expansion of derive(Error) macro can't know whether something like
    // std::error::Error is already imported in the caller's scope so it must
    // suppress unused_qualifications.

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct MyError;

    let _: MyError;
}

// macaron: a deliberate difference, an ApiError type has no lifetime (it
// travels across threads and into responses): `lifetime-parameter.rs` in
// the UI tests shows the error.
#[cfg(any())]
#[test]
fn test_needless_lifetimes() {
    #![allow(dead_code)]
    #![deny(clippy::elidable_lifetime_names, clippy::needless_lifetimes)]

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub enum MyError<'a> {
        A(#[from] std::io::Error),
        B(&'a ()),
    }

    let _: MyError;
}

#[test]
fn test_forbid_needless_lifetimes() {
    #![forbid(clippy::needless_lifetimes)]

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct MyError(#[from] std::io::Error);

    let _: MyError;
}

#[test]
fn test_deprecated() {
    #![deny(deprecated)]

    #[derive(ApiError, Debug)]
    #[deprecated]
    #[error("...", status = 500)]
    pub struct DeprecatedStruct;

    #[derive(ApiError, Debug)]
    #[error("{message} {}", .message, status = 500)]
    pub struct DeprecatedStructField {
        #[deprecated]
        message: String,
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    #[deprecated]
    pub enum DeprecatedEnum {
        #[error("...")]
        Variant,
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum DeprecatedVariant {
        #[deprecated]
        #[error("...")]
        Variant,
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum DeprecatedFrom {
        #[error(transparent)]
        Variant(
            #[from]
            #[allow(deprecated)]
            DeprecatedStruct,
        ),
    }

    #[allow(deprecated)]
    let _: DeprecatedStruct;
    #[allow(deprecated)]
    let _: DeprecatedStructField;
    #[allow(deprecated)]
    let _ = DeprecatedEnum::Variant;
    #[allow(deprecated)]
    let _ = DeprecatedVariant::Variant;
    #[allow(deprecated)]
    let _ = DeprecatedFrom::Variant(DeprecatedStruct);
}
