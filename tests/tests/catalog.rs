//! The catalog finds every error type of the test binary.

use macaron_core::{catalog, define_errors, ApiError};

/// Raised when the login is unknown.
#[derive(Debug, ApiError)]
#[error("no user with id {id}", status = 404)]
pub struct UnknownUser {
    id: u64,
}

#[derive(Debug, ApiError)]
pub enum PaymentError {
    /// The card was declined.
    #[error("card declined", status = 402, user_message = "Try another card")]
    Declined,
    #[error(transparent)]
    User(#[from] UnknownUser),
    #[error(transparent)]
    Token(#[from] TokenInvalid),
}

define_errors! {
    /// The token is not valid.
    pub TokenInvalid(status = 401);
}

#[derive(Debug, ApiError)]
#[error("{0}", status = 400)]
pub struct Generic<T: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(T);

fn own_entries() -> Vec<(String, &'static str, u16, &'static str)> {
    catalog()
        .into_iter()
        .filter(|entry| entry.module_path == "catalog")
        .map(|entry| {
            let name = match entry.variant {
                Some(variant) => format!("{}::{variant}", entry.type_name),
                None => entry.type_name.to_owned(),
            };
            (name, entry.code, entry.status.as_u16(), entry.doc)
        })
        .collect()
}

#[test]
fn every_error_type_of_the_binary_is_found_once() {
    assert_eq!(
        own_entries(),
        [
            (
                "PaymentError::Declined".to_owned(),
                "DECLINED",
                402,
                "The card was declined."
            ),
            (
                "TokenInvalid".to_owned(),
                "TOKEN_INVALID",
                401,
                "The token is not valid."
            ),
            (
                "UnknownUser".to_owned(),
                "UNKNOWN_USER",
                404,
                "Raised when the login is unknown."
            ),
        ]
    );
    // The entries a transparent variant lists again are the same entries.
    let payment = PaymentError::catalog();
    assert_eq!(payment.len(), 3);
    assert!(std::ptr::eq(payment[1], UnknownUser::catalog()[0]));
    assert!(std::ptr::eq(payment[2], TokenInvalid::catalog()[0]));
    let declined = payment[0];
    assert_eq!(
        (
            declined.variant,
            declined.description,
            declined.user_message,
            declined.headers,
            declined.data
        ),
        (
            Some("Declined"),
            "card declined",
            Some("Try another card"),
            &[][..],
            &[][..]
        )
    );
    // Generic types cannot register themselves (their catalog is still there).
    assert_eq!(Generic::<u8>::catalog()[0].code, "GENERIC");
    // macaron's ready-made errors are part of every program, and an entry
    // registered by macaron_core is the one this crate's call gives (the
    // constant behind both may have an address in each crate).
    let ready_made: Vec<_> = catalog()
        .into_iter()
        .filter(|entry| entry.module_path == "macaron_core::http_errors")
        .collect();
    assert_eq!(ready_made.len(), 40);
    let not_found = macaron_core::http_errors::NotFound::catalog()[0];
    assert_eq!(not_found.code, "NOT_FOUND");
    assert!(ready_made
        .iter()
        .any(|registered| std::ptr::eq(*registered, not_found)));
}

#[test]
fn codes_are_unique_here() {
    macaron_core::catalog::check_unique_codes().unwrap();
}

#[test]
fn json_and_markdown_exports() {
    let entries: Vec<_> = catalog()
        .into_iter()
        .filter(|entry| entry.module_path == "catalog")
        .collect();
    assert_eq!(
        macaron_core::catalog::to_json(&entries[..1]),
        serde_json::json!([{
            "code": "DECLINED",
            "status": 402,
            "type": "catalog::PaymentError::Declined",
            "description": "card declined",
            "user_message": "Try another card",
            "doc": "The card was declined.",
            "headers": [],
            "data": [],
        }])
    );
    assert_eq!(
        macaron_core::catalog::to_markdown(&entries),
        "| Code | Status | Description | User message | Documentation |\n\
         |---|---|---|---|---|\n\
         | `DECLINED` | 402 | card declined | Try another card | The card was declined. |\n\
         | `TOKEN_INVALID` | 401 | Unauthorized |  | The token is not valid. |\n\
         | `UNKNOWN_USER` | 404 | no user with id {id} |  | Raised when the login is unknown. |\n"
    );
}

#[test]
fn the_code_of_errors_nobody_declared_is_listed() {
    let unhandled: Vec<_> = catalog()
        .into_iter()
        .filter(|entry| entry.code == "UNHANDLED_SERVER_ERROR")
        .map(|entry| {
            (
                entry.module_path,
                entry.type_name,
                entry.status.as_u16(),
                entry.description,
            )
        })
        .collect();
    assert_eq!(
        unhandled,
        [(
            "macaron_core",
            "Error",
            500,
            "The server encountered an internal error"
        )]
    );
}
