//! Each code's documentation URL: in problem details' `type`, under a body
//! key for the PyMacaron model, and from the configuration.

use http::StatusCode;
use macaron_core::{abort, ApiError, Config, Error, ProblemJson, Reporting};

#[derive(Debug, ApiError)]
pub enum AccountError {
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    #[error("slow down", code = "RATE#LIMITED", status = 429)]
    RateLimited {
        #[data]
        docs_url: &'static str,
    },
}

const BASE: &str = "https://example.com/errors#";

fn body(config: &Config, error: impl Into<Error>) -> String {
    let error: Error = error.into();
    let response = config.respond(&error.with_error_id("id-1"), None);
    String::from_utf8(response.body().to_vec()).unwrap()
}

fn docs() -> macaron_core::ConfigBuilder {
    Config::builder()
        .reporting(Reporting::Off)
        .docs_url_base(BASE)
}

#[test]
fn bodies_carry_the_url_under_the_configured_key() {
    let config = docs().docs_url_key("docs_url").build();
    assert_eq!(
        body(&config, AccountError::UnknownUser { id: 7 }),
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 7","status":404,"docs_url":"https://example.com/errors#UNKNOWN_USER","error_id":"id-1"}"#
    );
    // A 5xx whose texts are hidden still says where its code is documented.
    assert_eq!(
        body(&config, std::io::Error::other("secret")),
        r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500,"docs_url":"https://example.com/errors#UNHANDLED_SERVER_ERROR","error_id":"id-1"}"#
    );
}

#[test]
fn an_errors_own_data_under_the_key_wins() {
    let config = docs().docs_url_key("docs_url").build();
    assert_eq!(
        body(&config, AccountError::RateLimited { docs_url: "mine" }),
        r#"{"error":"RATE#LIMITED","error_description":"slow down","status":429,"docs_url":"mine","error_id":"id-1"}"#
    );
}

#[test]
fn without_a_key_or_a_base_bodies_are_unchanged() {
    let plain =
        r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404,"error_id":"id-1"}"#;
    let no_key = docs().build();
    assert_eq!(body(&no_key, abort(StatusCode::NOT_FOUND)), plain);
    let no_base = Config::builder()
        .reporting(Reporting::Off)
        .docs_url_key("docs_url")
        .build();
    assert_eq!(body(&no_base, abort(StatusCode::NOT_FOUND)), plain);
    assert_eq!(no_base.docs_url("NOT_FOUND"), None);
}

#[test]
fn problem_details_carry_the_url_as_type_only() {
    let config = docs()
        .docs_url_key("docs_url")
        .problem_json(ProblemJson::Always)
        .build();
    assert_eq!(
        body(&config, AccountError::UnknownUser { id: 7 }),
        r#"{"type":"https://example.com/errors#UNKNOWN_USER","title":"Not Found","status":404,"detail":"no user with id 7","code":"UNKNOWN_USER","error_id":"id-1"}"#
    );
}

#[test]
fn codes_are_encoded_in_urls() {
    let config = docs().build();
    assert_eq!(
        config.docs_url("RATE#LIMITED").as_deref(),
        Some("https://example.com/errors#RATE%23LIMITED")
    );
    let problem = docs().problem_json(ProblemJson::Always).build();
    assert_eq!(
        body(&problem, AccountError::RateLimited { docs_url: "x" }),
        r#"{"type":"https://example.com/errors#RATE%23LIMITED","title":"Too Many Requests","status":429,"detail":"slow down","code":"RATE#LIMITED","docs_url":"x","error_id":"id-1"}"#
    );
}
