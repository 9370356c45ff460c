//! axum over the network: declared, foreign and framework-made errors,
//! panics, headers, data, decorators, reports with request fields, and
//! a few hundred concurrent requests, every body checked.

use axum::extract::{DefaultBodyLimit, Json, Path, Query};
use axum::routing::{get, post};
use axum::Router;
use macaron_core::{report_error, report_slow, Config, Error, ErrorBody, MacaronLayer};
use macaron_tests::service::{AccountError, NewUser, Search};
use macaron_tests::{
    check_concurrent_requests, check_declared_errors, check_fatal_reports, check_replies, send,
    Capture,
};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

async fn user(Path(id): Path<u64>) -> Result<Json<serde_json::Value>, AccountError> {
    match id {
        1 => Ok(Json(json!({"id": 1, "name": "ada"}))),
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

async fn create(Json(_user): Json<NewUser>) -> &'static str {
    "created"
}

async fn search(Query(_search): Query<Search>) -> &'static str {
    "found"
}

async fn item(Path(_id): Path<u32>) -> &'static str {
    "item"
}

async fn upload(body: axum::body::Bytes) -> String {
    body.len().to_string()
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(60)).await;
    "slow"
}

#[report_slow(max_ms = 10)]
async fn self_timed() -> &'static str {
    tokio::time::sleep(Duration::from_millis(60)).await;
    "self-timed"
}

async fn non_fatal() -> &'static str {
    report_error("Oops. Failed to get user profile", None);
    "reported"
}

async fn forwarded() -> Result<(), Error> {
    Err(Error::from(AccountError::UnknownUser { id: 9 }).with_error_id("fixed-error-id"))
}

fn app(config: Config) -> Router {
    Router::new()
        .route("/users/{id}", get(user))
        .route("/users", post(create))
        .route("/io", get(foreign))
        .route("/panic", get(panics))
        .route("/search", get(search))
        .route("/items/{id}", get(item))
        .route("/upload", post(upload).layer(DefaultBodyLimit::max(16)))
        .route("/slow", get(slow))
        .route(
            "/deadline",
            get(slow).layer(tower_http::timeout::TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(5),
            )),
        )
        .route("/self-timed", get(self_timed))
        .route("/report", get(non_fatal))
        .route("/forwarded", get(forwarded))
        .layer(MacaronLayer::new(config).slow_route("/slow", 30))
}

async fn serve(config: Config) -> SocketAddr {
    macaron_tests::serve_axum(app(config)).await
}

#[tokio::test]
async fn every_error_over_the_network() {
    let capture = Capture::default();
    let address = serve(capture.config().report_call_exceeding_ms(1000).build()).await;
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
            client.get(url("/deadline")),
            408,
            r#"{"error":"REQUEST_TIMEOUT","error_description":"Request Timeout","status":408}"#,
        ),
        (
            client.post(url("/upload")).body("x".repeat(64)),
            413,
            r#"{"error":"PAYLOAD_TOO_LARGE","error_description":"The request body is larger than the service accepts","status":413}"#,
        ),
    ];
    check_replies(cases).await;

    let limited = send(client.get(url("/users/2"))).await;
    assert_eq!(limited.headers["retry-after"], "30");
    let not_allowed = send(client.delete(url("/users/1"))).await;
    assert_eq!(not_allowed.headers["allow"], "GET,HEAD");
}

#[tokio::test]
async fn reports_carry_the_request() {
    let capture = Capture::default();
    let address = serve(capture.config().build()).await;
    let (io, panic) = check_fatal_reports(address, &capture, "tests/tests/axum_server.rs").await;
    // axum tells the layer the route it matched.
    assert_eq!(io.request.unwrap().route.as_deref(), Some("/io"));
    assert_eq!(panic.request.unwrap().route.as_deref(), Some("/panic"));
}

#[tokio::test]
async fn non_fatal_and_slow_call_reports_in_handlers() {
    let capture = Capture::default();
    let address = serve(capture.config().report_call_exceeding_ms(5000).build()).await;
    let client = reqwest::Client::new();
    for path in ["/report", "/slow", "/self-timed", "/users/1"] {
        let response = client
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let reports = capture.reports();
    let summary: Vec<(&str, Option<&str>)> = reports
        .iter()
        .map(|report| {
            (
                report.title.as_str(),
                report.request.as_ref().map(|request| request.path.as_str()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "NON-FATAL BACKEND ERROR: Oops. Failed to get user profile",
                Some("/report")
            ),
            (
                "NON-FATAL BACKEND ERROR: GET /slow calltime exceeded 30 millisec!",
                Some("/slow")
            ),
            (
                "NON-FATAL BACKEND ERROR: self_timed() calltime exceeded 10 millisec!",
                Some("/self-timed")
            ),
        ]
    );
}

#[tokio::test]
async fn the_decorator_runs_with_the_request() {
    let config = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .decorator(|body: &mut ErrorBody, _, request| {
            let language = request.and_then(|request| request.headers.get("accept-language"));
            if language.is_some_and(|language| language == "fr") {
                body.user_message = Some("Erreur".into());
            }
        })
        .build();
    let address = serve(config).await;
    let client = reqwest::Client::new();
    let french = send(
        client
            .get(format!("http://{address}/nowhere"))
            .header("accept-language", "fr"),
    )
    .await;
    assert_eq!(french.body.user_message.as_deref(), Some("Erreur"));
    let english = send(client.get(format!("http://{address}/users/3"))).await;
    assert_eq!(
        english.body.user_message.as_deref(),
        Some("We don't know you")
    );
}

#[tokio::test]
async fn a_few_hundred_concurrent_requests() {
    let capture = Capture::default();
    let address = serve(capture.config().build()).await;
    check_concurrent_requests(address, &capture).await;
}

#[tokio::test]
async fn the_typed_error_is_in_the_response_extensions() {
    use tower::ServiceExt as _;
    let config = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .build();
    let request = axum::http::Request::get("/users/5")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app(config).oneshot(request).await.unwrap();
    let served = response
        .extensions()
        .get::<macaron_core::ServedError>()
        .unwrap();
    let error = served.error().unwrap();
    assert_eq!(error.code(), "UNKNOWN_USER");
    assert!(matches!(
        error.downcast_ref::<AccountError>(),
        Some(AccountError::UnknownUser { id: 5 })
    ));
    assert_eq!(served.error_id().len(), 36);
}

#[tokio::test]
async fn a_forwarded_error_id_is_kept() {
    let address = serve(
        Config::builder()
            .reporting(macaron_core::Reporting::Off)
            .build(),
    )
    .await;
    let response = reqwest::get(format!("http://{address}/forwarded"))
        .await
        .unwrap();
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 9","user_message":"We don't know you","status":404,"error_id":"fixed-error-id"}"#
    );
}
