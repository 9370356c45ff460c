//! The example service's OpenAPI document: valid against the OpenAPI 3.1
//! JSON Schema (kept in `tests/openapi/`, checked offline) with every
//! reference resolved, and documenting every code the service answers, on
//! the operation that answers it. `.ci/run` also runs an independent
//! validator (openapi-spec-validator, from PyPI) on the same document.

#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::{Config, ErrorBody, Reporting};
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::OpenApi as _;

/// What is wrong with a document: where the OpenAPI 3.1 schema says it
/// is invalid, and each `$ref` that points at nothing.
fn validate(document: &Value) -> Result<(), String> {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        let schema = serde_json::from_str(include_str!("../openapi/oas-3.1-schema.json"))
            .expect("the schema is JSON");
        jsonschema::draft202012::new(&schema).expect("the schema is a valid JSON Schema")
    });
    let mut wrong: Vec<String> = schema
        .iter_errors(document)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    let mut references = Vec::new();
    references_in(document, &mut references);
    for reference in references {
        let found = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer));
        if found.is_none() {
            wrong.push(format!("reference {reference} does not exist"));
        }
    }
    match wrong.is_empty() {
        true => Ok(()),
        false => Err(wrong.join("\n")),
    }
}

/// Every `$ref` in `value`.
fn references_in<'a>(value: &'a Value, references: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                references.push(reference);
            }
            object
                .values()
                .for_each(|value| references_in(value, references));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| references_in(item, references)),
        _ => {}
    }
}

async fn login_service() -> std::net::SocketAddr {
    let config = Config::builder().reporting(Reporting::Off).build();
    macaron_tests::serve_axum(axum_app::app(config)).await
}

async fn served_document(address: std::net::SocketAddr) -> Value {
    let response = reqwest::get(format!("http://{address}/openapi.json"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn the_example_services_document_is_valid_openapi() {
    let document = served_document(login_service().await).await;
    assert_eq!(
        document,
        serde_json::to_value(axum_app::ApiDoc::openapi()).unwrap()
    );
    assert_eq!(document["openapi"], "3.1.0");
    validate(&document).unwrap();

    // The check is strict: a response without a description, or an error
    // response whose schema is not registered, fails.
    let mut broken = document.clone();
    let responses = &mut broken["paths"]["/me"]["get"]["responses"];
    responses["401"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    let said = validate(&broken).unwrap_err();
    assert!(
        said.contains(r#"/paths/~1me/get/responses/401: "description" is a required property"#),
        "{said}"
    );

    let mut broken = document.clone();
    let schemas = broken["components"]["schemas"].as_object_mut().unwrap();
    schemas.remove("ErrorBody").unwrap();
    let said = validate(&broken).unwrap_err();
    assert!(
        said.contains("reference #/components/schemas/ErrorBody does not exist"),
        "{said}"
    );
}

/// Every example is an error body of its response's status.
#[tokio::test]
async fn every_example_is_an_error_body_of_its_status() {
    let document = served_document(login_service().await).await;
    let mut examples = 0;
    for operation in document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
    {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let problems: Vec<_> = problem_examples_of(response).collect();
            for (example, problem) in examples_of(response).zip(&problems) {
                let body: ErrorBody = serde_json::from_value(example["value"].clone()).unwrap();
                assert_eq!(body.status.to_string(), *status);
                let problem = &problem["value"];
                assert_eq!(
                    (&problem["status"], &problem["code"], &problem["detail"]),
                    (
                        &Value::from(body.status),
                        &Value::from(body.error),
                        &Value::from(body.error_description)
                    )
                );
                examples += 1;
            }
            assert_eq!(problems.len(), examples_of(response).count());
        }
    }
    // 19 of the operations' own errors, and the 2 routing errors of each of 5.
    assert_eq!(examples, 29);
}

fn examples_of(response: &Value) -> impl Iterator<Item = &Value> {
    response["content"]["application/json"]["examples"]
        .as_object()
        .into_iter()
        .flat_map(|examples| examples.values())
}

fn problem_examples_of(response: &Value) -> impl Iterator<Item = &Value> {
    response["content"]["application/problem+json"]["examples"]
        .as_object()
        .into_iter()
        .flat_map(|examples| examples.values())
}

/// The requests of the test: the method, the path, the path template of
/// the operation (none when no route matches), the headers and the body.
type Request = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
    String,
);

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

fn requests() -> Vec<Request> {
    let login = |body: &str| ("POST", "/login", Some("/login"), JSON, body.to_owned());
    vec![
        login(r#"{"email":"ada@example.com","password":"lovelace"}"#),
        login(r#"{"email":"bob@example.com","password":"x"}"#),
        login(r#"{"email":"flood@example.com","password":"x"}"#),
        login(r#"{"email":"#),
        login(r#"{"email":7}"#),
        login(&format!(r#"{{"email":"{}"}}"#, "a".repeat(3 << 20))),
        ("POST", "/login", Some("/login"), &[], "{}".to_owned()),
        ("GET", "/me", Some("/me"), &[], String::new()),
        (
            "GET",
            "/me",
            Some("/me"),
            &[("authorization", "Bearer stolen")],
            String::new(),
        ),
        ("GET", "/users/1", Some("/users/{id}"), &[], String::new()),
        ("GET", "/users/42", Some("/users/{id}"), &[], String::new()),
        ("GET", "/users/ada", Some("/users/{id}"), &[], String::new()),
        ("POST", "/payments", Some("/payments"), &[], String::new()),
        ("GET", "/export", Some("/export"), &[], String::new()),
        ("GET", "/nowhere", None, &[], String::new()),
        ("DELETE", "/login", None, &[], String::new()),
    ]
}

#[tokio::test]
async fn every_code_the_service_answers_is_documented_where_it_is_answered() {
    let address = login_service().await;
    let document = served_document(address).await;
    let client = reqwest::Client::new();
    let mut answered = Vec::new();
    for (method, path, template, headers, body) in requests() {
        let mut request =
            client.request(method.parse().unwrap(), format!("http://{address}{path}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.body(body).send().await.unwrap();
        let status = response.status();
        let response_headers = response.headers().clone();
        if status.is_success() {
            continue;
        }
        let body =
            ErrorBody::from_status_and_bytes(status.as_u16(), &response.bytes().await.unwrap())
                .unwrap();
        let documented = match template {
            Some(template) => {
                let operation = &document["paths"][template][method.to_lowercase()];
                &operation["responses"][status.as_str()]
            }
            // No operation: every operation lists the routing errors.
            None => &document["paths"]["/login"]["post"]["responses"][status.as_str()],
        };
        assert!(
            examples_of(documented).any(|example| example["value"]["error"] == body.error.as_str()),
            "{method} {path}: {status} {} is not documented",
            body.error
        );
        for name in ["retry-after", "allow"] {
            if response_headers.contains_key(name) {
                assert!(
                    documented["headers"].get(name).is_some(),
                    "{method} {path}: {name} is not documented"
                );
            }
        }
        answered.push(format!("{status} {}", body.error));
    }
    assert_eq!(
        answered,
        [
            "401 Unauthorized INVALID_USER",
            "429 Too Many Requests RATE_LIMITED",
            "400 Bad Request INVALID_JSON",
            "422 Unprocessable Entity INVALID_PARAMETER",
            "413 Payload Too Large PAYLOAD_TOO_LARGE",
            "415 Unsupported Media Type UNSUPPORTED_MEDIA_TYPE",
            "401 Unauthorized AUTHORIZATION_HEADER_MISSING",
            "401 Unauthorized TOKEN_INVALID",
            "404 Not Found UNKNOWN_USER",
            "400 Bad Request INVALID_PARAMETER",
            "402 Payment Required PAYMENT_REQUIRED",
            "500 Internal Server Error UNHANDLED_SERVER_ERROR",
            "404 Not Found NOT_FOUND",
            "405 Method Not Allowed METHOD_NOT_ALLOWED",
        ]
    );
}

/// Every code the example's errors declare is in the document.
#[tokio::test]
async fn every_declared_code_is_documented() {
    let document = served_document(login_service().await).await.to_string();
    let declared: Vec<_> = macaron_core::catalog()
        .iter()
        .filter(|info| info.module_path.ends_with("::errors"))
        .map(|info| info.code)
        .collect();
    assert_eq!(declared.len(), 6, "{declared:?}");
    for code in declared {
        assert!(document.contains(&format!(r#""error":"{code}""#)), "{code}");
    }
}

/// The responses of a type, exactly: a transparent variant documented as
/// the error it wraps, headers, extra keys, a code declared twice with two
/// texts, and a type wrapped twice listed once.
#[test]
fn the_responses_of_a_type() {
    use macaron_core::ApiError;
    use utoipa::IntoResponses;

    /// Locked after too many attempts.
    ///
    /// Unlocks by itself.
    #[derive(Debug, ApiError)]
    #[error("account locked for {minutes} min", code = "LOCKED", status = 423)]
    struct LockedForAWhile {
        #[header("retry-after")]
        minutes: u32,
    }

    // Documented, never built.
    #[allow(dead_code)]
    #[derive(Debug, ApiError)]
    enum LoginError {
        #[error(transparent)]
        Account(#[from] errors::AccountError),
        #[error(transparent)]
        Again(errors::InvalidUser),
        /// Locked by an admin.
        #[error("account locked", code = "LOCKED", status = 423)]
        Locked,
        #[error(transparent)]
        LockedForAWhile(LockedForAWhile),
    }

    let mut responses = serde_json::to_value(LoginError::responses()).unwrap();
    // Each response has problem details beside the model: the same
    // examples, as problem details.
    let mut problems = serde_json::Map::new();
    for (status, response) in responses.as_object_mut().unwrap() {
        let content = response["content"].as_object_mut().unwrap();
        let problem = content.remove("application/problem+json").unwrap();
        assert_eq!(
            problem["schema"]["required"],
            serde_json::json!(["type", "title", "status", "detail", "code"])
        );
        problems.insert(status.clone(), problem["examples"].clone());
    }
    assert_eq!(
        problems["423"],
        serde_json::json!({
            "LOCKED": {
                "summary": "Locked by an admin.",
                "value": {"type": "about:blank", "title": "Locked", "status": 423, "detail": "account locked", "code": "LOCKED"},
            },
            "LOCKED (2)": {
                "summary": "Locked after too many attempts.",
                "value": {"type": "about:blank", "title": "Locked", "status": 423, "detail": "account locked for 42 min", "code": "LOCKED"},
            },
        })
    );
    let body = |value: Value| serde_json::json!({"schema": {"$ref": "#/components/schemas/ErrorBody"}, "examples": value});
    assert_eq!(
        responses,
        serde_json::json!({
            "401": {
                "description": "A custom error, as in PyMacaron's documentation.",
                "content": {"application/json": body(serde_json::json!({
                    "INVALID_USER": {
                        "summary": "A custom error, as in PyMacaron's documentation.",
                        "value": {"error": "INVALID_USER", "error_description": "DB entry not found", "user_message": "Sorry, we don't know you", "status": 401},
                    },
                }))},
            },
            "404": {
                "description": "No user has this id.",
                "content": {"application/json": body(serde_json::json!({
                    "UNKNOWN_USER": {
                        "summary": "No user has this id.",
                        "value": {"error": "UNKNOWN_USER", "error_description": "no user with id 42", "status": 404},
                    },
                }))},
            },
            "423": {
                "description": "- `LOCKED`: Locked by an admin.\n- `LOCKED`: Locked after too many attempts.",
                "headers": {"retry-after": {"schema": {"type": "string"}, "description": "Sent with LOCKED."}},
                "content": {"application/json": body(serde_json::json!({
                    "LOCKED": {
                        "summary": "Locked by an admin.",
                        "value": {"error": "LOCKED", "error_description": "account locked", "status": 423},
                    },
                    "LOCKED (2)": {
                        "summary": "Locked after too many attempts.",
                        "value": {"error": "LOCKED", "error_description": "account locked for 42 min", "status": 423},
                    },
                }))},
            },
            "429": {
                "description": "Too many login attempts.",
                "headers": {"retry-after": {"schema": {"type": "string"}, "description": "Sent with RATE_LIMITED."}},
                "content": {"application/json": body(serde_json::json!({
                    "RATE_LIMITED": {
                        "summary": "Too many login attempts.",
                        "description": "The body also has `attempts`.",
                        "value": {"error": "RATE_LIMITED", "error_description": "too many login attempts", "user_message": "Try again in 42 s", "status": 429},
                    },
                }))},
            },
        })
    );
}

/// `ErrorBody`'s schema: the model's keys, three of them required.
#[test]
fn the_error_body_schema() {
    use utoipa::{PartialSchema, ToSchema};

    assert_eq!(ErrorBody::name(), "ErrorBody");
    let schema = serde_json::to_value(ErrorBody::schema()).unwrap();
    assert_eq!(
        schema["required"],
        serde_json::json!(["error", "error_description", "status"])
    );
    let properties: Vec<_> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        properties,
        [
            "error",
            "error_description",
            "error_id",
            "status",
            "user_message"
        ]
    );
    assert_eq!(
        (
            &schema["properties"]["status"]["minimum"],
            &schema["properties"]["status"]["maximum"]
        ),
        (&serde_json::json!(400), &serde_json::json!(599))
    );
    assert!(
        schema.get("additionalProperties").is_none(),
        "extra keys are allowed"
    );
}

/// Examples fill each placeholder with a sample of its field's type; a
/// type of the user's, or an expression, shows `…`.
#[test]
fn examples_fill_the_placeholders() {
    use macaron_core::ApiError;

    #[allow(dead_code)]
    #[derive(Debug)]
    struct Cart;

    #[allow(dead_code)]
    #[derive(Debug, ApiError)]
    enum Samples {
        #[error(
            "{count} of {name} ({ratio}, {open}, {letter:?}, {label:?}) in {cart:?}, {}",
            .count + 1,
            status = 409,
            user_message = "Sorry {name}, {left} left"
        )]
        Named {
            count: u32,
            name: String,
            ratio: f64,
            open: bool,
            letter: char,
            label: Box<str>,
            cart: Cart,
            left: std::num::NonZeroU8,
        },
        #[error("tuple {0} and {1}", status = 400)]
        Tuple(i64, &'static str),
        #[error("no placeholder", status = 400)]
        Plain,
    }

    let infos = Samples::catalog();
    let examples: Vec<_> = infos
        .iter()
        .map(|info| (info.description_example, info.user_message_example))
        .collect();
    assert_eq!(
        examples,
        [
            (
                r#"42 of example (1.5, true, 'x', "example") in …, …"#,
                Some("Sorry example, 42 left")
            ),
            ("tuple 42 and example", None),
            ("no placeholder", None),
        ]
    );
    // The declared texts stay as written.
    assert_eq!(infos[1].description, "tuple {0} and {1}");
}
