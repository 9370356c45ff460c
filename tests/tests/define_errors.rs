//! `define_errors!`: generated types, their builders and their bodies.

use macaron_core::{define_errors, ApiError};
use macaron_tests::assert_response;
use std::error::Error as _;

define_errors! {
    /// Raised when the token is not valid.
    pub TokenInvalid(status = 401);
    pub MyOwnException(code = "MY_OWN_EXCEPTION", status = 401);
    pub(crate) PaymentRequired(code = "PAYMENT_REQUIRED", status = 402, user_message = "Please top up");
    BadInput("the input is \"wrong\" {{here}}", status = 422,);
    #[cfg(any())]
    ConfiguredOut(status = 418);
    #[cfg(all())]
    ConfiguredIn(status = 418);
}

#[test]
fn defaults() {
    assert_response(
        &TokenInvalid::default(),
        401,
        &[],
        r#"{"error":"TOKEN_INVALID","error_description":"Unauthorized","status":401}"#,
    );
    assert_response(
        &PaymentRequired::default(),
        402,
        &[],
        r#"{"error":"PAYMENT_REQUIRED","error_description":"Payment Required","user_message":"Please top up","status":402}"#,
    );
    assert_response(
        &BadInput::default(),
        422,
        &[],
        r#"{"error":"BAD_INPUT","error_description":"the input is \"wrong\" {here}","status":422}"#,
    );
    assert_eq!(
        BadInput::default().to_string(),
        "the input is \"wrong\" {here}"
    );
}

#[test]
fn constants() {
    assert_eq!(TokenInvalid::CODE, "TOKEN_INVALID");
    assert_eq!(TokenInvalid::STATUS, http::StatusCode::UNAUTHORIZED);
    assert_eq!(MyOwnException::CODE, "MY_OWN_EXCEPTION");
    assert_eq!(PaymentRequired::STATUS, 402);
}

#[test]
fn builders() {
    let error = MyOwnException::new("card declined")
        .with_user_message("Sorry")
        .with_data("retry", true)
        .with_data("attempts", [1, 2])
        .with_source(std::io::Error::other("gateway said no"));
    assert_eq!(error.to_string(), "card declined");
    assert_eq!(error.source().unwrap().to_string(), "gateway said no");
    assert_response(
        &error,
        401,
        &[],
        r#"{"error":"MY_OWN_EXCEPTION","error_description":"card declined","user_message":"Sorry","status":401,"attempts":[1,2],"retry":true}"#,
    );
}

#[test]
fn new_takes_owned_and_borrowed_text_and_escapes_it() {
    let error = TokenInvalid::new(format!("token {} is \"bad\"\n", 7));
    assert_response(
        &error,
        401,
        &[],
        r#"{"error":"TOKEN_INVALID","error_description":"token 7 is \"bad\"\n","status":401}"#,
    );
    let error = PaymentRequired::default().with_user_message(String::from("Pay é"));
    assert_response(
        &error,
        402,
        &[],
        r#"{"error":"PAYMENT_REQUIRED","error_description":"Payment Required","user_message":"Pay é","status":402}"#,
    );
}

#[test]
fn data_never_replaces_the_model_keys() {
    let error = TokenInvalid::default()
        .with_data("status", 200)
        .with_data("error", "OK")
        .with_data("error_description", "fine")
        .with_data("user_message", "hi")
        .with_data("detail", "problem details' own")
        .with_data("reason", "kept");
    assert_response(
        &error,
        401,
        &[],
        r#"{"error":"TOKEN_INVALID","error_description":"Unauthorized","status":401,"reason":"kept"}"#,
    );
}

#[test]
fn an_entry_configured_out_is_not_in_the_catalog() {
    let codes: Vec<&str> = macaron_core::catalog()
        .iter()
        .map(|info| info.code)
        .filter(|code| code.starts_with("CONFIGURED"))
        .collect();
    assert_eq!(codes, ["CONFIGURED_IN"]);
    assert_eq!(ConfiguredIn::CODE, "CONFIGURED_IN");
}

#[test]
fn values_clone_and_docs_reach_the_catalog() {
    let cloned = BadInput::new("copied").with_source(std::fmt::Error).clone();
    assert_eq!(cloned.to_string(), "copied");
    assert!(cloned.source().is_some());
    let info = TokenInvalid::catalog()[0];
    assert_eq!(info.doc, "Raised when the token is not valid.");
    assert_eq!(info.type_name, "TokenInvalid");
    assert_eq!(info.variant, None);
    assert_eq!(info.description, "Unauthorized");
    assert_eq!(
        PaymentRequired::catalog()[0].user_message,
        Some("Please top up")
    );
}

mod private_types {
    macaron_core::define_errors! {
        Hidden(status = 500);
    }

    pub fn make() -> impl macaron_core::ApiError {
        Hidden::new("internal")
    }
}

#[test]
fn private_entries() {
    let error = private_types::make();
    assert_eq!(error.code(), "HIDDEN");
    assert_eq!(error.status(), 500);
}

#[test]
fn through_question_mark_the_error_is_viewed_as_declared() {
    fn fail() -> Result<(), macaron_core::Error> {
        Err(PaymentRequired::new("card declined").with_data("balance", -3))?
    }
    let error = fail().unwrap_err();
    let view = error.as_api_error().expect("registered, so declared");
    assert_eq!(
        format!("{view:?}"),
        r#"PaymentRequired { description: Some("card declined"), user_message: None, data: {"balance": Number(-3)}, source: None }"#
    );
    assert_eq!(
        format!("{view:?}"),
        format!("{:?}", error.downcast_ref::<PaymentRequired>().unwrap())
    );
    assert_eq!(
        view.to_response().body(),
        r#"{"error":"PAYMENT_REQUIRED","error_description":"card declined","user_message":"Please top up","status":402,"balance":-3}"#
    );
}

mod own_types {
    macaron_core::define_errors! {
        /// A struct of this module's own.
        #[derive(PartialEq, Eq)]
        #[repr(transparent)]
        pub struct OutOfStock(status = 409);
        /// An alias beside it.
        pub Sold(status = 410);
    }

    /// A method of the service's own.
    impl OutOfStock {
        pub fn item(sku: &str) -> Self {
            OutOfStock::new(format!("{sku} is out of stock")).with_data("sku", sku)
        }
    }

    /// A foreign trait for a foreign type, which the orphan rule allows
    /// only because the entry is a type of this crate.
    impl From<OutOfStock> for std::io::Error {
        fn from(error: OutOfStock) -> Self {
            std::io::Error::other(error)
        }
    }
}

#[test]
fn entries_are_types_of_their_own() {
    use own_types::OutOfStock;
    let io_error = std::io::Error::from(OutOfStock::item("A-1"));
    assert_eq!(io_error.to_string(), "A-1 is out of stock");
    assert_eq!(
        OutOfStock::item("A-1").to_response().body(),
        r#"{"error":"OUT_OF_STOCK","error_description":"A-1 is out of stock","status":409,"sku":"A-1"}"#
    );
    // Everything an alias has, the struct has.
    assert_eq!(OutOfStock::CODE, "OUT_OF_STOCK");
    assert_eq!(OutOfStock::STATUS, 409);
    let full = OutOfStock::new("none left")
        .with_user_message("Sorry")
        .with_data("left", 0)
        .with_source(std::fmt::Error)
        .clone();
    assert_eq!(full.to_string(), "none left");
    assert_eq!(
        full.source().unwrap().to_string(),
        "an error occurred when formatting an argument"
    );
    assert_eq!(
        format!("{full:?}"),
        r#"OutOfStock { description: Some("none left"), user_message: Some("Sorry"), data: {"left": Number(0)}, source: Some(Error) }"#
    );
    assert_eq!(
        serde_json::to_string(&full).unwrap(),
        r#"{"error":"OUT_OF_STOCK","error_description":"none left","user_message":"Sorry","status":409,"left":0}"#
    );
    assert_eq!(OutOfStock::catalog()[0].type_name, "OutOfStock");
    // `?` sees it as declared, as it does an alias.
    let error = macaron_core::Error::from(full);
    assert_eq!(error.code(), "OUT_OF_STOCK");
    assert_eq!(
        error.downcast_ref::<OutOfStock>().map(ToString::to_string),
        Some("none left".to_owned())
    );
    let sold = macaron_core::Error::from(own_types::Sold::default());
    assert_eq!(sold.status(), 410);
}

#[test]
fn derived_equality_compares_what_was_set_and_sources_by_text() {
    use own_types::OutOfStock;
    assert_eq!(OutOfStock::item("A-1"), OutOfStock::item("A-1"));
    assert_ne!(OutOfStock::item("A-1"), OutOfStock::item("B-2"));
    assert_ne!(OutOfStock::item("A-1"), OutOfStock::default());
    assert_eq!(OutOfStock::default(), OutOfStock::default());
    // The declared description given explicitly is the same description.
    assert_eq!(OutOfStock::new("Conflict"), OutOfStock::default());
    let with_source =
        |text: &str| OutOfStock::default().with_source(std::io::Error::other(text.to_owned()));
    assert_eq!(with_source("disk full"), with_source("disk full"));
    assert_ne!(with_source("disk full"), with_source("disk gone"));
    assert_ne!(with_source("disk full"), OutOfStock::default());
    assert_ne!(
        OutOfStock::default().with_user_message("Sorry"),
        OutOfStock::default()
    );
}
