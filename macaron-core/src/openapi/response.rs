//! The responses that document errors: one per status, with an example
//! body per code in both renderings, and the media types a configuration
//! serves.

use super::schema::problem_details_schema;
use super::Responses;
use crate::problem::{ProblemDetails, PROBLEM_JSON};
use crate::{ErrorBody, ErrorInfo, ProblemJson};
use http::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::example::Example;
use utoipa::openapi::header::Header;
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::ToSchema;

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
pub(super) fn response(errors: &[&ErrorInfo]) -> Response {
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
