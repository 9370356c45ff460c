//! OpenAPI documentation with [utoipa](https://docs.rs/utoipa) (feature
//! `utoipa`).
//!
//! - [`ErrorBody`] is a `utoipa::ToSchema`: register it once with
//!   `components(schemas(ErrorBody))`; every error response refers to it.
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

use crate::problem::{ProblemDetails, PROBLEM_JSON};
use crate::rejection::{
    BODY_OF_WRONG_SHAPE, BODY_TOO_LARGE, INVALID_JSON, INVALID_PARAMETER, NOT_JSON_CONTENT_TYPE,
};
use crate::{ApiError, ErrorBody, ErrorInfo, ProblemJson};
use crate::{UNHANDLED_CODE, UNHANDLED_DESCRIPTION};
use http::StatusCode;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use utoipa::openapi::example::Example;
use utoipa::openapi::header::Header;
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{IntoResponses, PartialSchema, ToResponse, ToSchema};

/// The responses of one operation, by status.
pub type Responses = BTreeMap<String, RefOr<Response>>;

/// A string property of a schema.
fn text(description: &str) -> ObjectBuilder {
    Object::builder()
        .schema_type(Type::String)
        .description(Some(description))
}

/// The `status` property of both renderings.
fn status() -> ObjectBuilder {
    Object::builder()
        .schema_type(Type::Integer)
        .minimum(Some(400))
        .maximum(Some(599))
        .description(Some("The HTTP status of the response."))
}

impl PartialSchema for ErrorBody {
    fn schema() -> RefOr<Schema> {
        Object::builder()
            .schema_type(Type::Object)
            .description(Some(
                "The body of every error response. Errors may add keys of their own.",
            ))
            .property(
                "error",
                text("The error's code, such as `INVALID_USER`: stable, for programs."),
            )
            .required("error")
            .property(
                "error_description",
                text("What went wrong, for developers."),
            )
            .required("error_description")
            .property(
                "user_message",
                text("A message to show the end user, for errors that have one."),
            )
            .property("status", status())
            .required("status")
            .property(
                "error_id",
                text("The id of this occurrence, also in its crash report: quote it when asking for help."),
            )
            .examples([json!({
                "error": "INVALID_USER",
                "error_description": "DB entry not found",
                "user_message": "Sorry, we don't know you",
                "status": 401,
            })])
            .into()
    }
}

impl ToSchema for ErrorBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorBody")
    }
}

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

/// The responses documenting a set of errors: one per status, whose
/// description lists the codes with their doc comments, and which carries
/// one example body per code. Examples show the declared texts, with
/// their `{field}` placeholders.
///
/// ```
/// use macaron_core::openapi::responses;
/// use macaron_core::ApiError;
///
/// /// The password did not match.
/// #[derive(Debug, ApiError)]
/// #[error("DB entry not found", code = "INVALID_USER", status = 401)]
/// pub struct InvalidUser;
///
/// let responses = responses(&InvalidUser::catalog());
/// let json = serde_json::to_value(&responses["401"]).unwrap();
/// assert_eq!(json["description"], "The password did not match.");
/// assert_eq!(
///     json["content"]["application/json"]["examples"]["INVALID_USER"]["value"],
///     serde_json::json!({"error": "INVALID_USER", "error_description": "DB entry not found", "status": 401})
/// );
/// ```
pub fn responses(errors: &[&'static ErrorInfo]) -> Responses {
    let mut by_status: BTreeMap<StatusCode, Vec<&ErrorInfo>> = BTreeMap::new();
    for &info in errors {
        let same_status = by_status.entry(info.status).or_default();
        // A type wrapped by two transparent variants is listed once.
        if !same_status.iter().any(|known| same_body(known, info)) {
            same_status.push(info);
        }
    }
    by_status
        .into_iter()
        .map(|(status, errors)| (status.as_str().to_owned(), response(&errors).into()))
        .collect()
}

fn same_body(a: &ErrorInfo, b: &ErrorInfo) -> bool {
    (a.code, a.description, a.user_message, a.data)
        == (b.code, b.description, b.user_message, b.data)
}

/// The response of errors sharing a status.
fn response(errors: &[&ErrorInfo]) -> Response {
    let description = match errors {
        [one] => summary(one).to_owned(),
        _ => errors
            .iter()
            .map(|info| format!("- `{}`: {}", info.code, summary(info)))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let mut examples: BTreeMap<String, Example> = BTreeMap::new();
    for info in errors {
        let mut name = info.code.to_owned();
        let mut suffix = 1;
        while examples.contains_key(&name) {
            suffix += 1;
            name = format!("{} ({suffix})", info.code);
        }
        examples.insert(name, example(info));
    }
    let problem_examples: BTreeMap<String, Example> = examples
        .iter()
        .map(|(name, example)| (name.clone(), as_problem_details(example)))
        .collect();
    let content = Content::builder()
        .schema(Some(Ref::from_schema_name(ErrorBody::name())))
        .examples_from_iter(examples)
        .build();
    let problem_content = Content::builder()
        .schema(Some(problem_details_schema()))
        .examples_from_iter(problem_examples)
        .build();
    let mut response = Response::builder()
        .description(description)
        .content("application/json", content)
        .content(PROBLEM_JSON, problem_content);
    for (name, codes) in headers(errors) {
        let header = Header::builder()
            .schema(Some(Object::with_type(Type::String)))
            .description(Some(format!("Sent with {}.", codes.join(", "))));
        response = response.header(name, header.build());
    }
    response.build()
}

/// The first paragraph of the doc comment, or the description.
fn summary(info: &ErrorInfo) -> &str {
    let doc = info.doc.split("\n\n").next().unwrap_or_default().trim();
    if doc.is_empty() {
        info.description
    } else {
        doc
    }
}

fn example(info: &ErrorInfo) -> Example {
    let mut body = ErrorBody::new(info.code, info.description_example, info.status.as_u16());
    body.user_message = info.user_message_example.map(str::to_owned);
    let mut example = Example::builder()
        .summary(summary(info))
        .value(Some(serde_json::to_value(body).unwrap_or(Value::Null)));
    if !info.data.is_empty() {
        let keys: Vec<_> = info.data.iter().map(|key| format!("`{key}`")).collect();
        example = example.description(format!("The body also has {}.", keys.join(", ")));
    }
    example.build()
}

/// The example of an error body, as problem details.
fn as_problem_details(example: &Example) -> Example {
    let body = example
        .value
        .clone()
        .and_then(|value| serde_json::from_value::<ErrorBody>(value).ok());
    let value = body.map(|body| {
        serde_json::to_value(ProblemDetails::new(&body, None, None)).unwrap_or(Value::Null)
    });
    let mut problem = example.clone();
    problem.value = value;
    problem
}

/// The schema of problem details (RFC 9457) as macaron writes them,
/// inline: a document that registered only `ErrorBody` stays valid.
fn problem_details_schema() -> Object {
    Object::builder()
        .schema_type(Type::Object)
        .description(Some(
            "The error as RFC 9457 problem details, for clients that ask for `application/problem+json`. `code`, `user_message`, `error_id` and the error's extra keys are extension members.",
        ))
        .property(
            "type",
            text("A URI naming the kind of error, or `about:blank`."),
        )
        .required("type")
        .property("title", text("The status' reason phrase."))
        .required("title")
        .property("status", status())
        .required("status")
        .property("detail", text("What went wrong, for developers."))
        .required("detail")
        .property("instance", text("The path of the request."))
        .property(
            "code",
            text("The error's code, such as `INVALID_USER`: stable, for programs."),
        )
        .required("code")
        .property(
            "user_message",
            text("A message to show the end user, for errors that have one."),
        )
        .property(
            "error_id",
            text("The id of this occurrence, also in its crash report."),
        )
        .build()
}

/// Makes `document` list the media types a configuration with `mode`
/// serves on error responses: both (the default, [`ProblemJson::OnRequest`]),
/// only problem details ([`ProblemJson::Always`]) or only the model
/// ([`ProblemJson::Never`]).
///
/// ```
/// use macaron_core::openapi::{for_problem_json, Errors, Unhandled};
/// use macaron_core::{ErrorBody, ProblemJson};
/// use utoipa::OpenApi;
///
/// #[utoipa::path(get, path = "/export", responses((status = 200, description = "The users"), Unhandled))]
/// async fn export() {}
///
/// #[derive(OpenApi)]
/// #[openapi(paths(export), components(schemas(ErrorBody)))]
/// struct ApiDoc;
///
/// let media_types = |document: &utoipa::openapi::OpenApi| {
///     let document = serde_json::to_value(document).unwrap();
///     let content = document["paths"]["/export"]["get"]["responses"]["500"]["content"].clone();
///     content.as_object().unwrap().keys().cloned().collect::<Vec<_>>()
/// };
/// let mut document = ApiDoc::openapi();
/// assert_eq!(media_types(&document), ["application/json", "application/problem+json"]);
/// for_problem_json(&mut document, ProblemJson::Never);
/// assert_eq!(media_types(&document), ["application/json"]);
/// ```
pub fn for_problem_json(document: &mut utoipa::openapi::OpenApi, mode: ProblemJson) {
    let left_out = match mode {
        ProblemJson::OnRequest => return,
        ProblemJson::Always => "application/json",
        ProblemJson::Never => PROBLEM_JSON,
    };
    let operations = document.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
            &mut item.query,
        ]
        .into_iter()
        .flatten()
    });
    let operation_responses =
        operations.flat_map(|operation| operation.responses.responses.values_mut());
    let component_responses = document
        .components
        .iter_mut()
        .flat_map(|components| components.responses.values_mut());
    for response in operation_responses.chain(component_responses) {
        if let RefOr::T(response) = response {
            // Only error responses have both.
            if response.content.contains_key(PROBLEM_JSON) {
                response.content.shift_remove(left_out);
            }
        }
    }
}

/// Each header the errors send, with the codes that send it.
fn headers<'a>(errors: &[&'a ErrorInfo]) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut headers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for info in errors {
        for &name in info.headers {
            let codes = headers.entry(name).or_default();
            if !codes.contains(&info.code) {
                codes.push(info.code);
            }
        }
    }
    headers
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
