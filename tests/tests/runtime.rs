//! The runtime around each error: unhandled errors, crash reports,
//! error ids, the decorator, debug mode, include_description, requests.
//! Every test builds its own `Config`: none depends on global state.

use http::{HeaderMap, Method, StatusCode, Uri};
use macaron_core::{ApiError, Config, Error, ErrorBody, ErrorRef, RequestInfo};
use macaron_tests::{body_of, stable_json, Capture};
use serde_json::json;

#[derive(Debug, ApiError)]
pub enum AccountError {
    #[error(
        "no user with id {id}",
        status = 404,
        user_message = "We don't know you"
    )]
    UnknownUser { id: u64 },
    #[error("database failure on {table}", status = 500)]
    Db {
        table: &'static str,
        #[source]
        source: std::io::Error,
    },
}

fn secret_io_error() -> std::io::Error {
    std::io::Error::other("connect to postgres://admin:hunter2@db failed")
}

fn request() -> RequestInfo {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("authorization", "Bearer secret-token"),
        ("cookie", "session=abc"),
        ("x-api-key", "key-123"),
        ("x-session", "configured-secret"),
        ("accept-language", "fr"),
        ("x-call-id", "call-42"),
        (
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        ),
    ] {
        headers.insert(name, value.parse().unwrap());
    }
    RequestInfo::new(
        Method::POST,
        Uri::from_static("/users/7/login?verbose=1"),
        headers,
    )
    .with_route("/users/{id}/login")
}

/// The body without its (random) error id, and the id.
fn split_id(response: &http::Response<bytes::Bytes>) -> (String, String) {
    let mut body = body_of(response);
    let id = body.error_id.take().expect("every body has an error_id");
    (serde_json::to_string(&body).unwrap(), id)
}

#[test]
fn an_unhandled_error_is_a_500_and_its_secrets_go_to_the_report_only() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Error::from(secret_io_error()).with_context("loading profile 7");
    let response = config.respond(&error, Some(&request()));

    assert_eq!(response.status(), 500);
    let text = String::from_utf8(response.body().to_vec()).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.contains("std::io"), "{text}");
    assert!(!text.contains("loading profile"), "{text}");
    let (body, id) = split_id(&response);
    assert_eq!(
        body,
        r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#
    );
    assert!(
        text.ends_with(&format!(r#","error_id":"{id}"}}"#)),
        "{text}"
    );

    let reports = capture.reports();
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert_eq!(report.server.pid, std::process::id());
    assert!(report.end >= report.start);
    assert_eq!(
        stable_json(report),
        json!({
            "title": "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: connect to postgres://admin:hunter2@db failed",
            "is_fatal": true,
            "error_id": id,
            "error": {
                "code": "UNHANDLED_SERVER_ERROR",
                "status": 500,
                "description": "connect to postgres://admin:hunter2@db failed",
                "user_message": null,
                "type": "std::io::error::Error",
                "chain": ["connect to postgres://admin:hunter2@db failed"],
                "context": ["loading profile 7"],
                "location": null,
            },
            "request": {
                "method": "POST",
                "path": "/users/7/login",
                "query": "verbose=1",
                "route": "/users/{id}/login",
                "headers": {
                    "authorization": "<redacted>",
                    "cookie": "<redacted>",
                    "x-api-key": "<redacted>",
                    "x-session": "configured-secret",
                    "accept-language": "fr",
                    "x-call-id": "call-42",
                    "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                },
            },
            "call_id": "call-42",
            "trace_id": "0af7651916cd43dd8448eb211c80319c",
        })
    );
}

#[test]
fn configured_headers_are_redacted_too() {
    let capture = Capture::default();
    let config = capture.config().redact_header("X-Session").build();
    config.respond(&Error::msg("boom"), Some(&request()));
    let request = capture.reports()[0].request.clone().unwrap();
    let session = request
        .headers
        .iter()
        .find(|(name, _)| name == "x-session")
        .unwrap();
    assert_eq!(session.1, "<redacted>");
}

#[test]
fn a_declared_5xx_keeps_its_body_and_reports_its_causes() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Error::from(AccountError::Db {
        table: "users",
        source: secret_io_error(),
    });
    let response = config.respond(&error, None);
    let (body, id) = split_id(&response);
    assert_eq!(
        body,
        r#"{"error":"DB","error_description":"database failure on users","status":500}"#
    );
    let report = &capture.reports()[0];
    assert_eq!(
        stable_json(report),
        json!({
            "title": "FATAL BACKEND ERROR 500 DB: database failure on users",
            "is_fatal": true,
            "error_id": id,
            "error": {
                "code": "DB",
                "status": 500,
                "description": "database failure on users",
                "user_message": null,
                "type": "runtime::AccountError",
                "chain": ["database failure on users", "connect to postgres://admin:hunter2@db failed"],
                "context": [],
                "location": null,
            },
        })
    );
}

#[test]
fn a_4xx_is_not_reported_unless_configured() {
    let capture = Capture::default();
    let error = Error::from(AccountError::UnknownUser { id: 7 });
    let response = capture.config().build().respond(&error, None);
    assert_eq!(response.status(), 404);
    let (body, _) = split_id(&response);
    assert_eq!(
        body,
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 7","user_message":"We don't know you","status":404}"#
    );
    assert!(capture.reports().is_empty());

    capture
        .config()
        .report_client_errors(true)
        .build()
        .respond(&error, None);
    let reports = capture.reports();
    assert_eq!(
        reports
            .iter()
            .map(|report| (report.title.as_str(), report.is_fatal))
            .collect::<Vec<_>>(),
        [(
            "NON-FATAL BACKEND ERROR: 404 UNKNOWN_USER: no user with id 7",
            false
        )]
    );
}

#[test]
fn error_ids_are_unique_spliced_last_and_kept_when_forwarded() {
    let config = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .build();
    let error = Error::from(AccountError::UnknownUser { id: 1 });
    let first = split_id(&config.respond(&error, None)).1;
    let second = split_id(&config.respond(&error, None)).1;
    assert_ne!(first, second);

    let forwarded = Error::from(AccountError::UnknownUser { id: 1 }).with_error_id("upstream-id-1");
    let response = config.respond(&forwarded, None);
    assert_eq!(
        response.body(),
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 1","user_message":"We don't know you","status":404,"error_id":"upstream-id-1"}"#
    );
}

#[test]
fn the_decorator_sees_body_error_and_request_and_can_change_the_status() {
    let capture = Capture::default();
    let config = capture
        .config()
        .decorator(
            |body: &mut ErrorBody, error: ErrorRef<'_>, request: Option<&RequestInfo>| {
                let french = request
                    .and_then(|request| request.headers.get("accept-language"))
                    .is_some_and(|value| value == "fr");
                if french && error.code() == "UNKNOWN_USER" {
                    body.user_message = Some("Nous ne vous connaissons pas".into());
                }
                body.extra
                    .insert("support".into(), json!("https://example.com/help"));
                body.error_id = Some("decorators cannot change the id".into());
                body.status = 410;
            },
        )
        .build();
    let error = Error::from(AccountError::UnknownUser { id: 3 });
    let response = config.respond(&error, Some(&request()));
    assert_eq!(response.status(), StatusCode::GONE);
    let (body, id) = split_id(&response);
    assert_ne!(id, "decorators cannot change the id");
    assert_eq!(
        body,
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 3","user_message":"Nous ne vous connaissons pas","status":410,"support":"https://example.com/help"}"#
    );
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(capture.reports().is_empty());
}

#[test]
fn a_decorator_setting_an_invalid_status_is_refused_and_reported() {
    let capture = Capture::default();
    let config = capture
        .config()
        .decorator(
            |body: &mut ErrorBody, _: ErrorRef<'_>, _: Option<&RequestInfo>| {
                body.status = 200;
                body.user_message = Some("kept".into());
            },
        )
        .build();
    let response = config.respond(&Error::from(AccountError::UnknownUser { id: 3 }), None);
    assert_eq!(response.status(), 404);
    let (body, id) = split_id(&response);
    assert_eq!(
        body,
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 3","user_message":"kept","status":404}"#
    );
    let reports = capture.reports();
    assert_eq!(
        reports.iter().map(|report| (report.title.as_str(), report.error_id.as_deref())).collect::<Vec<_>>(),
        [(
            "NON-FATAL BACKEND ERROR: the error decorator set the status 200, which is not an error status; 404 was kept",
            Some(id.as_str())
        )]
    );
}

#[test]
fn a_panicking_decorator_leaves_the_body_undecorated_and_is_reported() {
    let capture = Capture::default();
    let config = capture
        .config()
        .decorator(
            |body: &mut ErrorBody, _: ErrorRef<'_>, _: Option<&RequestInfo>| {
                body.user_message = Some("half-decorated".into());
                panic!("decorator bug");
            },
        )
        .build();
    let response = config.respond(&Error::from(AccountError::UnknownUser { id: 3 }), None);
    let (body, _) = split_id(&response);
    assert_eq!(
        body,
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 3","user_message":"We don't know you","status":404}"#
    );
    assert_eq!(
        capture.titles(),
        ["NON-FATAL BACKEND ERROR: the error decorator panicked: decorator bug"]
    );
}

#[test]
fn debug_mode_adds_the_details_and_is_off_by_default() {
    let error = Error::from(secret_io_error()).with_context("loading profile 7");
    let quiet = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .build();
    assert!(!quiet.is_debug());
    assert!(body_of(&quiet.respond(&error, Some(&request())))
        .extra
        .is_empty());

    let debug = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .debug(true)
        .build();
    let mut body = body_of(&debug.respond(&error, None));
    let mut payload = body.extra.remove("__debug__").unwrap();
    let stack_trace = payload
        .as_object_mut()
        .unwrap()
        .remove("stack_trace")
        .unwrap();
    assert_eq!(
        !stack_trace.as_array().unwrap().is_empty(),
        macaron_tests::backtraces_enabled()
    );
    assert_eq!(
        payload,
        json!({
            "name": "std::io::error::Error",
            "message": "connect to postgres://admin:hunter2@db failed",
            "chain": [],
            "context": ["loading profile 7"],
        })
    );
    assert!(body.extra.is_empty());
}

#[test]
fn include_description_false_hides_declared_5xx_descriptions_only() {
    let capture = Capture::default();
    let config = capture.config().include_description(false).build();
    let error = Error::from(AccountError::Db {
        table: "users",
        source: secret_io_error(),
    });
    let (body, _) = split_id(&config.respond(&error, None));
    assert_eq!(
        body,
        r#"{"error":"DB","error_description":"Internal Server Error","status":500}"#
    );
    let report = &capture.reports()[0];
    assert_eq!(
        report.title,
        "FATAL BACKEND ERROR 500 DB: database failure on users"
    );
    assert_eq!(
        report.error.as_ref().unwrap().description,
        "database failure on users"
    );

    let (body, _) =
        split_id(&config.respond(&Error::from(AccountError::UnknownUser { id: 2 }), None));
    assert!(body.contains("no user with id 2"), "{body}");
}

#[test]
fn failing_and_panicking_reporters_never_break_the_response() {
    let before = macaron_core::failed_reports();
    let failing = Config::builder()
        .reporting(macaron_core::Reporting::On)
        .reporter(|_: &macaron_core::CrashReport| Err("the mail server is down".into()))
        .build();
    let panicking = Config::builder()
        .reporting(macaron_core::Reporting::On)
        .reporter(
            |_: &macaron_core::CrashReport| -> Result<(), macaron_core::BoxError> {
                panic!("reporter bug")
            },
        )
        .build();
    for config in [failing, panicking] {
        let response = config.respond(&Error::msg("boom"), None);
        assert_eq!(response.status(), 500);
        assert_eq!(body_of(&response).error, "UNHANDLED_SERVER_ERROR");
    }
    assert!(macaron_core::failed_reports() >= before + 2);
}

#[test]
fn the_pymacaron_error_reporter_gets_a_title_and_pretty_json() {
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = received.clone();
    let config = Config::builder()
        .reporting(macaron_core::Reporting::On)
        .service("billing", "1.2.3")
        .error_reporter(move |title: &str, report: &str| {
            sink.lock()
                .unwrap()
                .push((title.to_owned(), report.to_owned()));
        })
        .build();
    config.respond(&Error::msg("boom"), None);
    let received = received.lock().unwrap();
    let (title, report) = &received[0];
    assert_eq!(
        title,
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom"
    );
    assert!(report.starts_with("{\n  \""), "{report}");
    let report: serde_json::Value = serde_json::from_str(report).unwrap();
    assert_eq!(report["title"], *title);
    assert_eq!(report["server"]["service"], "billing");
    assert_eq!(report["server"]["version"], "1.2.3");
    assert_eq!(report["server"]["pid"], std::process::id());
    assert!(report["time"]["duration_us"].is_u64());
    assert!(report["time"]["start"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn reporting_off_sends_nothing() {
    let capture = Capture::default();
    let config = capture
        .config()
        .reporting(macaron_core::Reporting::Off)
        .build();
    config.respond(&Error::msg("boom"), None);
    config.report_error("title", None);
    assert!(capture.reports().is_empty());
}
