//! The README's "Adopting macaron in an existing service", checked: two of
//! axum's own examples (`error-handling`, `anyhow-error-response`), each
//! before macaron, with the layer added and nothing else changed, and with
//! the errors moved to macaron. The same requests go to each step; what
//! clients see is asserted exactly, step by step, so that what changed and
//! what did not is written here.

#[path = "../../examples/adoption/mod.rs"]
mod adoption;

use adoption::*;
use macaron_core::{Config, Reporting};
use macaron_tests::{fetch, serve_axum, Capture};

type Exchange = (u16, &'static str, &'static str);

async fn exchanges(address: std::net::SocketAddr) -> Vec<(u16, String, String)> {
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");
    let create = || {
        client
            .post(url("/users"))
            .header("content-type", "application/json")
            .body(r#"{"name":"ada"}"#)
    };
    vec![
        // The time library fails on every third call, starting with the
        // first.
        fetch(create()).await,
        fetch(create()).await,
        fetch(create()).await,
        fetch(
            client
                .post(url("/users"))
                .header("content-type", "application/json")
                .body("{"),
        )
        .await,
        fetch(client.get(url("/users"))).await,
        fetch(client.get(url("/nope"))).await,
    ]
}

#[track_caller]
fn assert_exchanges(actual: &[(u16, String, String)], expected: &[Exchange]) {
    let actual: Vec<(u16, &str, &str)> = actual
        .iter()
        .map(|(status, content_type, body)| (*status, content_type.as_str(), body.as_str()))
        .collect();
    assert_eq!(actual, expected);
}

const CREATED: Exchange = (
    200,
    "application/json",
    r#"{"id":1,"name":"ada","created_at":1337}"#,
);
const CREATED_2: Exchange = (
    200,
    "application/json",
    r#"{"id":2,"name":"ada","created_at":1337}"#,
);
const TIME_FAILED: Exchange = (
    500,
    "application/json",
    r#"{"message":"Something went wrong"}"#,
);
const BAD_JSON: Exchange = (
    400,
    "application/json",
    r#"{"message":"Failed to parse the request body as JSON: EOF while parsing an object at line 1 column 1"}"#,
);
const METHOD_NOT_ALLOWED: Exchange = (
    405,
    "application/json",
    r#"{"error":"METHOD_NOT_ALLOWED","error_description":"Method Not Allowed","status":405,"error_id":"<id>"}"#,
);
const NOT_FOUND: Exchange = (
    404,
    "application/json",
    r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404,"error_id":"<id>"}"#,
);

/// The three steps of `error-handling`, in one test: the time library's
/// failures count calls across them.
#[tokio::test]
async fn error_handling_in_three_steps() {
    let capture = Capture::default();
    let config = capture.config().build();

    // Before: the application's own bodies; axum's empty 405 and 404.
    let before = exchanges(serve_axum(error_handling_original::app()).await).await;
    assert_exchanges(
        &before,
        &[
            TIME_FAILED,
            CREATED,
            CREATED_2,
            BAD_JSON,
            (405, "", ""),
            (404, "", ""),
        ],
    );

    // The layer added: the same bodies for everything the handlers wrote;
    // axum's own answers are in the Error model.
    let with_layer =
        exchanges(serve_axum(error_handling_with_layer::app(config.clone())).await).await;
    assert_exchanges(
        &with_layer,
        &[
            TIME_FAILED,
            CREATED,
            CREATED_2,
            BAD_JSON,
            METHOD_NOT_ALLOWED,
            NOT_FOUND,
        ],
    );
    assert!(capture.reports().is_empty(), "the handler answered its 500");

    // The errors moved: every error in the Error model; the failure of the
    // time library is the unhandled 500, with its report.
    let moved = exchanges(serve_axum(error_handling_moved::app(config)).await).await;
    assert_exchanges(
        &moved,
        &[
            (
                500,
                "application/json",
                r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500,"error_id":"<id>"}"#,
            ),
            CREATED,
            CREATED_2,
            (
                400,
                "application/json",
                r#"{"error":"INVALID_JSON","error_description":"The request body is not valid JSON","status":400,"error_id":"<id>"}"#,
            ),
            METHOD_NOT_ALLOWED,
            NOT_FOUND,
        ],
    );
    let reports = capture.reports();
    assert_eq!(
        reports
            .iter()
            .map(|report| report.title.as_str())
            .collect::<Vec<_>>(),
        ["FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: failed to get time"]
    );
    assert_eq!(
        reports[0].request.as_ref().unwrap().route.as_deref(),
        Some("/users")
    );
}

#[tokio::test]
async fn anyhow_error_response_in_three_steps() {
    let config = Config::builder().reporting(Reporting::Off).build();
    let get = |address: std::net::SocketAddr| {
        fetch(reqwest::Client::new().get(format!("http://{address}/")))
    };

    // Before: a plain-text 500 with the error's text.
    let before = get(serve_axum(anyhow_original::app()).await).await;
    assert_eq!(
        before,
        (
            500,
            "text/plain; charset=utf-8".into(),
            "Something went wrong: it failed!".into()
        )
    );
    // The layer added: plain text is what frameworks write, so it is put in
    // the Error model; a 5xx's text may be an error's, so it goes to the
    // report, and clients get the status' reason phrase.
    let with_layer = get(serve_axum(anyhow_with_layer::app(config.clone())).await).await;
    assert_eq!(
        with_layer,
        (
            500,
            "application/json".into(),
            r#"{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal Server Error","status":500,"error_id":"<id>"}"#.into()
        )
    );
    // The errors moved: `?` takes the anyhow error, and its text stays out
    // of the response.
    let moved = get(serve_axum(anyhow_moved::app(config)).await).await;
    assert_eq!(
        moved,
        (
            500,
            "application/json".into(),
            r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500,"error_id":"<id>"}"#.into()
        )
    );
}
