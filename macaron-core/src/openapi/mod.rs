//! OpenAPI documentation with [utoipa](https://docs.rs/utoipa) (feature
//! `utoipa`).
//!
//! - [`ErrorBody`](crate::ErrorBody) is a `utoipa::ToSchema`: register it
//!   once with `components(schemas(ErrorBody))`; every error response
//!   refers to it.
//! - Every type declared with `#[derive(ApiError)]` or `define_errors!` is a
//!   `utoipa::IntoResponses`: one response per status, described by the doc
//!   comments, with one named example body per code.
//! - utoipa keeps one response per status when an operation lists several
//!   types, so errors of different types are listed together in
//!   [`Errors`], which merges them: `Errors<(TokenInvalid,
//!   AuthorizationHeaderMissing)>` documents one 401 with both examples.
//! - [`Unhandled`], [`JsonBodyRejection`], [`ParameterRejection`] and
//!   [`RoutingError`] document the errors the framework adapters answer on
//!   their own. The adapters answer [`RoutingError`]'s 404 and 405 on every
//!   path: list it on every operation.
//! - Each error response has `application/json` and
//!   `application/problem+json` content, the second with the same examples
//!   as problem details; [`for_problem_json`] keeps only what a
//!   configuration serves.
//!
//! ```
//! use macaron_core::openapi::{Errors, Unhandled};
//! use macaron_core::{ApiError, ErrorBody};
//! use utoipa::IntoResponses;
//!
//! /// The errors of the account endpoints.
//! #[derive(Debug, ApiError)]
//! pub enum AccountError {
//!     /// No user has this id.
//!     #[error("no user with id {id}", status = 404)]
//!     UnknownUser { id: u64 },
//!     /// The account is closed.
//!     #[error("account {id} is closed", status = 404, user_message = "This account was closed")]
//!     Closed { id: u64 },
//! }
//!
//! let responses = serde_json::to_value(Errors::<(AccountError, Unhandled)>::responses()).unwrap();
//! assert_eq!(responses["404"]["description"], "- `UNKNOWN_USER`: No user has this id.\n- `CLOSED`: The account is closed.");
//! assert_eq!(
//!     responses["404"]["content"],
//!     serde_json::json!({
//!         "application/json": {
//!             "schema": {"$ref": "#/components/schemas/ErrorBody"},
//!             "examples": {
//!                 "CLOSED": {
//!                     "summary": "The account is closed.",
//!                     "value": {"error": "CLOSED", "error_description": "account 42 is closed", "user_message": "This account was closed", "status": 404},
//!                 },
//!                 "UNKNOWN_USER": {
//!                     "summary": "No user has this id.",
//!                     "value": {"error": "UNKNOWN_USER", "error_description": "no user with id 42", "status": 404},
//!                 },
//!             },
//!         },
//!         // The same errors as problem details (RFC 9457), for clients
//!         // that ask for them.
//!         "application/problem+json": responses["404"]["content"]["application/problem+json"],
//!     })
//! );
//! assert_eq!(
//!     responses["404"]["content"]["application/problem+json"]["examples"]["CLOSED"]["value"],
//!     serde_json::json!({"type": "about:blank", "title": "Not Found", "status": 404, "detail": "account 42 is closed", "code": "CLOSED", "user_message": "This account was closed"})
//! );
//! assert_eq!(responses["500"]["content"]["application/json"]["examples"]["UNHANDLED_SERVER_ERROR"]["value"]["status"], 500);
//! ```
//!
//! With utoipa's macros, the `#[utoipa::path]` of each handler lists the
//! errors it can answer:
//!
//! ```
//! # use macaron_core::ApiError;
//! # #[derive(Debug, ApiError)]
//! # pub enum AccountError {
//! #     #[error("no user with id {id}", status = 404)]
//! #     UnknownUser { id: u64 },
//! # }
//! use macaron_core::openapi::{Errors, ParameterRejection, RoutingError, Unhandled};
//! use macaron_core::ErrorBody;
//! use utoipa::OpenApi;
//!
//! #[utoipa::path(get, path = "/users/{id}", params(("id" = u64, Path)), responses(
//!     (status = 200, description = "The user"),
//!     Errors<(AccountError, ParameterRejection, Unhandled)>,
//! ))]
//! async fn user() {}
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(user), components(schemas(ErrorBody), responses(RoutingError)))]
//! struct ApiDoc;
//!
//! let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
//! let responses = &doc["paths"]["/users/{id}"]["get"]["responses"];
//! assert_eq!(responses["400"]["description"], "A path or query parameter does not parse.");
//! assert_eq!(responses["404"]["description"], "no user with id {id}");
//! assert_eq!(doc["components"]["responses"]["RoutingError"]["content"]["application/json"]["examples"]["NOT_FOUND"]["value"]["status"], 404);
//! ```

use crate::rejection::{
    BODY_OF_WRONG_SHAPE, BODY_TOO_LARGE, INVALID_JSON, INVALID_PARAMETER, NOT_JSON_CONTENT_TYPE,
};
use crate::{ApiError, ErrorInfo};
use crate::{UNHANDLED_CODE, UNHANDLED_DESCRIPTION};
use http::StatusCode;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use utoipa::openapi::response::Response;
use utoipa::openapi::RefOr;
use utoipa::{IntoResponses, ToResponse};

mod response;
mod schema;

use response::response;
pub use response::{for_problem_json, responses};

/// The responses of one operation, by status.
pub type Responses = BTreeMap<String, RefOr<Response>>;

/// Types whose errors can be documented: every [`ApiError`] type (through
/// its [catalog](ApiError::catalog)), and the markers of this module for
/// the errors the framework adapters answer.
pub trait DocumentedErrors {
    /// Appends the catalog entries of the errors.
    fn error_infos(infos: &mut Vec<&'static ErrorInfo>);
}

impl<E: ApiError> DocumentedErrors for E {
    fn error_infos(infos: &mut Vec<&'static ErrorInfo>) {
        infos.extend(E::catalog());
    }
}

/// The errors of several types as one set of responses: a status several
/// types answer gets one response with the examples of all of them
/// (utoipa alone would keep the last type's). `T` is a tuple of up to 12
/// [`DocumentedErrors`] types.
///
/// ```
/// use macaron_core::openapi::Errors;
/// use utoipa::IntoResponses;
///
/// macaron_core::define_errors! {
///     /// No `Authorization` header.
///     pub AuthorizationHeaderMissing(status = 401);
///     /// The token is not one we issued.
///     pub TokenInvalid(status = 401);
/// }
///
/// let responses = serde_json::to_value(Errors::<(AuthorizationHeaderMissing, TokenInvalid)>::responses()).unwrap();
/// let examples = &responses["401"]["content"]["application/json"]["examples"];
/// assert_eq!(examples["AUTHORIZATION_HEADER_MISSING"]["summary"], "No `Authorization` header.");
/// assert_eq!(examples["TOKEN_INVALID"]["summary"], "The token is not one we issued.");
/// ```
pub struct Errors<T>(PhantomData<T>);

macro_rules! errors_of_tuples {
    ($($name:ident)+) => {
        impl<$($name: DocumentedErrors),+> IntoResponses for Errors<($($name,)+)> {
            fn responses() -> Responses {
                let mut infos = Vec::new();
                $($name::error_infos(&mut infos);)+
                responses(&infos)
            }
        }
    };
}

errors_of_tuples!(A);
errors_of_tuples!(A B);
errors_of_tuples!(A B C);
errors_of_tuples!(A B C D);
errors_of_tuples!(A B C D E);
errors_of_tuples!(A B C D E F);
errors_of_tuples!(A B C D E F G);
errors_of_tuples!(A B C D E F G H);
errors_of_tuples!(A B C D E F G H I);
errors_of_tuples!(A B C D E F G H I J);
errors_of_tuples!(A B C D E F G H I J K);
errors_of_tuples!(A B C D E F G H I J K L);

/// The catalog entries of errors the adapters make, which no type declares.
const fn adapter_error(
    type_name: &'static str,
    code: &'static str,
    status: StatusCode,
    description: &'static str,
    doc: &'static str,
    headers: &'static [&'static str],
) -> ErrorInfo {
    crate::__private::error_info(
        type_name,
        module_path!(),
        None,
        code,
        status,
        description,
        None,
        doc,
        headers,
        &[],
    )
}

/// Declares a marker type documenting errors the adapters make.
macro_rules! adapter_errors {
    ($(#[$doc:meta])* $name:ident: rejections $($rejection:ident),+;) => {
        adapter_errors! {
            $(#[$doc])* $name:
            $($rejection.code, $rejection.status, $rejection.description, $rejection.summary;)+
        }
    };
    ($(#[$doc:meta])* $name:ident: $($code:expr, $status:expr, $description:expr, $summary:expr $(, headers = $headers:expr)?;)+) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $name {}

        impl $name {
            const ERRORS: &'static [ErrorInfo] = &[$(
                adapter_error(stringify!($name), $code, $status, $description, $summary, &[$($headers)?]),
            )+];
        }

        impl DocumentedErrors for $name {
            fn error_infos(infos: &mut Vec<&'static ErrorInfo>) {
                infos.extend(Self::ERRORS);
            }
        }

        impl IntoResponses for $name {
            fn responses() -> Responses {
                responses(&Self::ERRORS.iter().collect::<Vec<_>>())
            }
        }
    };
}

adapter_errors! {
    /// The 500 `UNHANDLED_SERVER_ERROR` any operation may answer: an error
    /// no type declares, or a panic. Its details go to the crash report,
    /// never to the client.
    Unhandled:
    UNHANDLED_CODE, StatusCode::INTERNAL_SERVER_ERROR, UNHANDLED_DESCRIPTION,
        "An error the service did not expect; the details are in its crash report.";
}

adapter_errors! {
    /// The errors of an operation whose JSON body the framework rejects
    /// (axum's `Json`, actix-web's `web::Json`), as the adapters classify
    /// them.
    JsonBodyRejection: rejections INVALID_JSON, BODY_TOO_LARGE, NOT_JSON_CONTENT_TYPE, BODY_OF_WRONG_SHAPE;
}

adapter_errors! {
    /// The error of an operation whose path or query parameters the
    /// framework rejects (axum's `Path` and `Query`, actix-web's
    /// `web::Path` and `web::Query`).
    ParameterRejection: rejections INVALID_PARAMETER;
}

adapter_errors! {
    /// The errors of requests no operation takes: a path no route matches,
    /// a method the route does not serve. The adapters answer them on every
    /// path: list this in every operation's errors (or register it as a
    /// response component with `components(responses(RoutingError))`).
    RoutingError:
    "NOT_FOUND", StatusCode::NOT_FOUND, "Not Found",
        "No route matches the path.";
    "METHOD_NOT_ALLOWED", StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed",
        "The route does not serve the method; `Allow` lists those it does.", headers = "allow";
}

impl<'r> ToResponse<'r> for RoutingError {
    fn response() -> (&'r str, RefOr<Response>) {
        let errors: Vec<_> = Self::ERRORS.iter().collect();
        ("RoutingError", response(&errors).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http_errors::status_code_name;

    /// The adapters name the errors they do not classify after their
    /// status.
    #[test]
    fn unclassified_adapter_errors_are_named_after_their_status() {
        for info in JsonBodyRejection::ERRORS.iter().chain(RoutingError::ERRORS) {
            if !info.code.starts_with("INVALID_") {
                assert_eq!(info.code, status_code_name(info.status), "{info:?}");
            }
        }
    }
}
