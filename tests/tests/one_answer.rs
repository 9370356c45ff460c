//! One mistake, one answer: the login service on axum and on actix-web
//! answer every request with the same status, the same headers that
//! matter, and the same body bytes but the `error_id`.

#[path = "../../examples/login/actix_app.rs"]
mod actix_app;
#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::{Config, Reporting};
use std::net::SocketAddr;

/// Status, content type, `allow`, `vary`, and the body with its id as `<id>`.
type Answer = (u16, String, String, String, String);

async fn answer(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let client = reqwest::Client::new();
    let mut request = client.request(method.parse().unwrap(), format!("http://{address}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body(body.to_owned()).send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let (status, content_type, allow, vary) = (
        response.status().as_u16(),
        header("content-type"),
        header("allow"),
        header("vary"),
    );
    let body = response.text().await.unwrap();
    let body = match body.find(r#","error_id":""#) {
        Some(start) => format!(r#"{},"error_id":"<id>"}}"#, &body[..start]),
        None => body,
    };
    (status, content_type, allow, vary, body)
}

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

/// A request: method, path, headers and body.
type Request<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);

#[actix_web::test]
async fn axum_and_actix_web_give_one_answer() {
    let config = || Config::builder().reporting(Reporting::Off).build();
    let axum = macaron_tests::serve_axum(axum_app::app(config())).await;
    let actix = macaron_tests::serve_actix(config(), actix_app::routes);
    let big = format!(r#"{{"email":"{}"}}"#, "a".repeat(3 << 20));
    let requests: Vec<Request> = vec![
        (
            "POST",
            "/login",
            JSON,
            r#"{"email":"ada@example.com","password":"lovelace"}"#,
        ),
        (
            "POST",
            "/login",
            JSON,
            r#"{"email":"bob@example.com","password":"x"}"#,
        ),
        (
            "POST",
            "/login",
            JSON,
            r#"{"email":"flood@example.com","password":"x"}"#,
        ),
        ("POST", "/login", JSON, r#"{"email":"#),
        ("POST", "/login", JSON, r#"{"email":7}"#),
        ("POST", "/login", JSON, &big),
        ("POST", "/login", &[], "{}"),
        ("GET", "/me", &[], ""),
        ("GET", "/users/1", &[], ""),
        ("HEAD", "/users/1", &[], ""),
        ("GET", "/users/42", &[], ""),
        ("GET", "/users/ada", &[], ""),
        ("POST", "/payments", &[], ""),
        ("GET", "/export", &[], ""),
        ("GET", "/nowhere", &[], ""),
        ("DELETE", "/login", &[], ""),
        ("DELETE", "/users/1", &[], ""),
        ("PUT", "/me", &[], ""),
    ];
    let mut differences = Vec::new();
    for (method, path, headers, body) in requests {
        let from_axum = answer(axum, method, path, headers, body).await;
        let from_actix = answer(actix, method, path, headers, body).await;
        if from_axum != from_actix {
            differences.push(format!(
                "{method} {path}:\n  axum:      {from_axum:?}\n  actix-web: {from_actix:?}"
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The framework's own words are not lost: they are the error's source,
/// in the debug payload (and in the report, when one is made).
#[actix_web::test]
async fn the_framework_s_words_go_to_the_debug_payload() {
    let config = || {
        Config::builder()
            .reporting(Reporting::Off)
            .debug(true)
            .build()
    };
    let axum = macaron_tests::serve_axum(axum_app::app(config())).await;
    let actix = macaron_tests::serve_actix(config(), actix_app::routes);
    let mut chains = Vec::new();
    for address in [axum, actix] {
        let (status, _, _, _, body) = answer(address, "POST", "/login", JSON, r#"{"email":"#).await;
        assert_eq!(status, 400);
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            body["error_description"],
            "The request body is not valid JSON"
        );
        assert_eq!(
            body["__debug__"]["message"],
            "The request body is not valid JSON"
        );
        chains.push(body["__debug__"]["chain"].clone());
    }
    assert_eq!(
        chains,
        [
            serde_json::json!(["Failed to parse the request body as JSON: email: EOF while parsing a value at line 1 column 9"]),
            serde_json::json!(["Json deserialize error: EOF while parsing a value at line 1 column 9"]),
        ]
    );
}
