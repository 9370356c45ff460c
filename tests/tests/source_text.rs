//! A declared 5xx whose description or user message shows its source's
//! text (`#[error("parse failed: {source}")]`, thiserror's habit) does not
//! send that text to clients unless the configuration allows it; `Display`
//! and the crash report keep it. 4xx errors and 5xx texts that do not read
//! the source are served as declared.

use macaron_core::{ApiError, Config, Error, MacaronLayer, ProblemJson, Reporting};
use macaron_tests::{fetch, serve_axum, Capture};

/// An enum as a thiserror user writes it, moved to the derive.
#[derive(Debug, ApiError)]
#[error(status = 500)]
enum StoreError {
    #[error("parse failed: {source}")]
    Parse { source: std::num::ParseIntError },
    #[error("cannot open {0}")]
    Open(#[from] std::io::Error),
    #[error("storage failed", user_message = "Try again ({source})")]
    Storage { source: std::io::Error },
    #[error("the store is read-only")]
    ReadOnly { source: std::io::Error },
    #[error("bad key: {source}", status = 400)]
    BadKey { source: std::num::ParseIntError },
}

fn parse() -> StoreError {
    StoreError::Parse {
        source: "x".parse::<u8>().unwrap_err(),
    }
}

fn secret() -> std::io::Error {
    std::io::Error::other("/srv/secret.db: password=hunter2 refused")
}

fn body(response: &http::Response<bytes::Bytes>) -> &str {
    std::str::from_utf8(response.body()).unwrap()
}

#[test]
fn five_hundreds_leave_out_the_source_text() {
    let hidden = [
        (
            parse(),
            r#"{"error":"PARSE","error_description":"Internal Server Error","status":500}"#,
        ),
        (
            StoreError::Open(secret()),
            r#"{"error":"OPEN","error_description":"Internal Server Error","status":500}"#,
        ),
        (
            StoreError::Storage { source: secret() },
            r#"{"error":"STORAGE","error_description":"Internal Server Error","status":500}"#,
        ),
    ];
    for (error, expected) in hidden {
        assert!(error.texts_from_source());
        assert_eq!(body(&error.to_response()), expected);
    }
    // Display keeps the text.
    assert_eq!(
        StoreError::Open(secret()).to_string(),
        "cannot open /srv/secret.db: password=hunter2 refused"
    );
}

#[test]
fn other_texts_are_served_as_declared() {
    let read_only = StoreError::ReadOnly { source: secret() };
    assert!(!read_only.texts_from_source());
    assert_eq!(
        body(&read_only.to_response()),
        r#"{"error":"READ_ONLY","error_description":"the store is read-only","status":500}"#
    );
    let bad_key = StoreError::BadKey {
        source: "x".parse::<u8>().unwrap_err(),
    };
    assert!(!bad_key.texts_from_source());
    assert_eq!(
        body(&bad_key.to_response()),
        r#"{"error":"BAD_KEY","error_description":"bad key: invalid digit found in string","status":400}"#
    );
}

#[test]
fn served_and_problem_details_leave_it_out_and_the_report_keeps_it() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Error::from(StoreError::Open(secret())).with_error_id("id-1");
    assert_eq!(
        body(&config.respond(&error, None)),
        r#"{"error":"OPEN","error_description":"Internal Server Error","status":500,"error_id":"id-1"}"#
    );
    let report = &capture.reports()[0];
    assert_eq!(
        report.error.as_ref().unwrap().description,
        "cannot open /srv/secret.db: password=hunter2 refused"
    );

    let problem = capture.config().problem_json(ProblemJson::Always).build();
    assert_eq!(
        body(&problem.respond(&error, None)),
        r#"{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","code":"OPEN","error_id":"id-1"}"#
    );
}

#[test]
fn the_configuration_can_allow_it() {
    let config = Config::builder()
        .reporting(Reporting::Off)
        .source_text(true)
        .build();
    let error = Error::from(StoreError::Storage { source: secret() }).with_error_id("id-2");
    assert_eq!(
        body(&config.respond(&error, None)),
        r#"{"error":"STORAGE","error_description":"storage failed","user_message":"Try again (/srv/secret.db: password=hunter2 refused)","status":500,"error_id":"id-2"}"#
    );
}

#[tokio::test]
async fn over_axum_the_source_text_stays_on_the_server() {
    async fn handler() -> Result<(), Error> {
        Err(StoreError::Open(secret()))?
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let app = axum::Router::new()
        .route("/", axum::routing::get(handler))
        .layer(MacaronLayer::new(config));
    let address = serve_axum(app).await;
    assert_eq!(
        fetch(reqwest::Client::new().get(format!("http://{address}/"))).await,
        (
            500,
            "application/json".to_owned(),
            r#"{"error":"OPEN","error_description":"Internal Server Error","status":500,"error_id":"<id>"}"#.to_owned()
        )
    );
}
