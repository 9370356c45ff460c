//! actix-web over the network: the same service as the axum tests, with
//! the `Macaron` middleware.

use actix_web::{web, HttpResponse};
use macaron_core::{report_error, Config, Error};
use macaron_tests::service::{AccountError, NewUser, Search};
use macaron_tests::{
    check_concurrent_requests, check_declared_errors, check_fatal_reports, check_replies, send,
    Capture,
};
use serde_json::json;
use std::net::SocketAddr;

async fn user(id: web::Path<u64>) -> Result<HttpResponse, AccountError> {
    match id.into_inner() {
        1 => Ok(HttpResponse::Ok().json(json!({"id": 1, "name": "ada"}))),
        2 => Err(AccountError::RateLimited {
            retry_after: 30,
            limit: 10,
        }),
        id => Err(AccountError::UnknownUser { id }),
    }
}

async fn foreign() -> Result<String, Error> {
    let text = std::fs::read_to_string("/no/such/dir/db-password=hunter2")?;
    Ok(text)
}

async fn panics() -> &'static str {
    panic!("secret panic message")
}

async fn create(_user: web::Json<NewUser>) -> &'static str {
    "created"
}

async fn search(_search: web::Query<Search>) -> &'static str {
    "found"
}

async fn item(_id: web::Path<u32>) -> &'static str {
    "item"
}

async fn upload(body: web::Bytes) -> String {
    body.len().to_string()
}

async fn non_fatal() -> &'static str {
    report_error("Oops. Failed to get user profile", None);
    "reported"
}

async fn forwarded() -> Result<HttpResponse, Error> {
    Err(Error::from(AccountError::UnknownUser { id: 9 }).with_error_id("fixed-error-id"))
}

fn serve(config: Config) -> SocketAddr {
    macaron_tests::serve_actix(config, |routes| {
        routes
            .app_data(web::PayloadConfig::new(16))
            .service(web::resource("/users/{id}").route(web::get().to(user)))
            .route("/users", web::post().to(create))
            .route("/io", web::get().to(foreign))
            .route("/panic", web::get().to(panics))
            .route("/search", web::get().to(search))
            .route("/items/{id}", web::get().to(item))
            .route("/upload", web::post().to(upload))
            .route("/report", web::get().to(non_fatal))
            .route("/forwarded", web::get().to(forwarded));
    })
}

#[actix_web::test]
async fn every_error_over_the_network() {
    let capture = Capture::default();
    let address = serve(capture.config().build());
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");

    check_declared_errors(address).await;

    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (
            client.get(url("/nowhere")),
            404,
            r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404}"#,
        ),
        (
            client.delete(url("/users/1")),
            405,
            r#"{"error":"METHOD_NOT_ALLOWED","error_description":"Method Not Allowed","status":405}"#,
        ),
        (
            client
                .post(url("/users"))
                .header("content-type", "application/json")
                .body("{not json"),
            400,
            r#"{"error":"INVALID_JSON","error_description":"The request body is not valid JSON","status":400}"#,
        ),
        (
            client.post(url("/users")).body(r#"{"name":"ada"}"#),
            415,
            r#"{"error":"UNSUPPORTED_MEDIA_TYPE","error_description":"Expected a request body with `Content-Type: application/json`","status":415}"#,
        ),
        (
            client
                .post(url("/users"))
                .header("content-type", "application/json")
                .body(r#"{"nom":"ada"}"#),
            422,
            r#"{"error":"INVALID_PARAMETER","error_description":"The request body does not have the expected fields and types","status":422}"#,
        ),
        (
            client.get(url("/search?limit=many")),
            400,
            r#"{"error":"INVALID_PARAMETER","error_description":"A path or query parameter does not parse","status":400}"#,
        ),
        (
            client.get(url("/items/abc")),
            400,
            r#"{"error":"INVALID_PARAMETER","error_description":"A path or query parameter does not parse","status":400}"#,
        ),
        (
            client.post(url("/upload")).body("x".repeat(64)),
            413,
            r#"{"error":"PAYLOAD_TOO_LARGE","error_description":"The request body is larger than the service accepts","status":413}"#,
        ),
    ];
    check_replies(cases).await;

    assert_eq!(
        send(client.get(url("/users/2"))).await.headers["retry-after"],
        "30"
    );
    assert_eq!(
        send(client.delete(url("/users/1"))).await.headers["allow"],
        "GET,HEAD"
    );
    // One fatal report per 5xx: /io and /panic.
    assert_eq!(
        capture
            .reports()
            .iter()
            .filter(|report| report.is_fatal)
            .count(),
        2
    );
}

#[actix_web::test]
async fn reports_carry_the_request() {
    let capture = Capture::default();
    let address = serve(capture.config().build());
    check_fatal_reports(address, &capture, "tests/tests/actix_server.rs").await;

    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{address}/report?retry=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report = capture.reports().pop().unwrap();
    assert_eq!(
        report.title,
        "NON-FATAL BACKEND ERROR: Oops. Failed to get user profile"
    );
    let request = report.request.unwrap();
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query.as_deref()
        ),
        ("GET", "/report", Some("retry=2"))
    );
}

#[actix_web::test]
async fn a_few_hundred_concurrent_requests() {
    let capture = Capture::default();
    let address = serve(capture.config().build());
    check_concurrent_requests(address, &capture).await;
}

#[actix_web::test]
async fn a_forwarded_error_id_is_kept() {
    let address = serve(
        Config::builder()
            .reporting(macaron_core::Reporting::Off)
            .build(),
    );
    let response = reqwest::get(format!("http://{address}/forwarded"))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 9","user_message":"We don't know you","status":404,"error_id":"fixed-error-id"}"#
    );
}
