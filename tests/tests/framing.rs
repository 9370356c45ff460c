//! Error data never sets the headers that frame a response, nor its
//! content type: `content-length: 5` on a 120-byte body would put the rest
//! in front of the next response on a kept-alive connection. Refused at
//! compile time for `#[header]` (see the UI tests), dropped and reported
//! at run time for `with_header` and hand-written `write_headers`, on
//! every path.

use http::{HeaderMap, StatusCode};
use macaron_core::{abort, ApiError, Config, Error, HttpError, Reporting};
use macaron_tests::{serve_actix, serve_axum, Capture};

fn framing() -> HttpError {
    abort(StatusCode::CONFLICT)
        .with_message("taken")
        .with_header("content-length", "5")
        .with_header("Transfer-Encoding", "chunked")
        .with_header("connection", "close")
        .with_header("content-type", "text/html")
        .with_header("retry-after", "5")
}

const BODY: &str = r#"{"error":"CONFLICT","error_description":"taken","status":409}"#;

fn headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn with_header_drops_and_reports_framing_headers() {
    let capture = Capture::default();
    let config = capture.config().report_client_errors(false).build();
    let error = config.scope(framing);
    let response = error.to_response();
    assert_eq!(
        headers(response.headers()),
        [
            ("content-type".to_owned(), "application/json".to_owned()),
            ("retry-after".to_owned(), "5".to_owned()),
        ]
    );
    assert_eq!(response.body(), BODY);
    let dropped = |name: &str| {
        format!("NON-FATAL BACKEND ERROR: response header `{name}` dropped: error data cannot set the headers that frame the response, nor its content type")
    };
    assert_eq!(
        capture.titles(),
        [
            dropped("content-length"),
            dropped("transfer-encoding"),
            dropped("connection"),
            dropped("content-type"),
        ]
    );
}

/// An error written by hand whose `write_headers` tries anyway.
#[derive(Debug)]
struct HandWritten;

impl std::fmt::Display for HandWritten {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("hand-written")
    }
}

impl std::error::Error for HandWritten {}

impl ApiError for HandWritten {
    fn code(&self) -> &str {
        "HAND_WRITTEN"
    }

    fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert("content-length", "2".parse().unwrap());
        headers.insert("content-type", "text/plain".parse().unwrap());
        headers.insert("x-kept", "yes".parse().unwrap());
    }
}

#[test]
fn hand_written_write_headers_cannot_set_them_either() {
    let config = Config::builder().reporting(Reporting::Off).build();
    let expected = [
        ("content-type".to_owned(), "application/json".to_owned()),
        ("x-kept".to_owned(), "yes".to_owned()),
    ];
    assert_eq!(headers(HandWritten.to_response().headers()), expected);
    let served = config.respond(&Error::declared(HandWritten), None);
    assert_eq!(headers(served.headers()), expected);
    // Problem details too.
    let config = Config::builder()
        .reporting(Reporting::Off)
        .problem_json(macaron_core::ProblemJson::Always)
        .build();
    let served = config.respond(&Error::declared(HandWritten), None);
    assert_eq!(
        headers(served.headers()),
        [
            (
                "content-type".to_owned(),
                "application/problem+json".to_owned()
            ),
            ("x-kept".to_owned(), "yes".to_owned()),
        ]
    );
}

/// The server frames the response by its body: the length it sends is
/// the body's, with one content type and no transfer-encoding.
async fn assert_framed(response: reqwest::Response) {
    assert_eq!(response.status(), 409);
    let headers = response.headers().clone();
    let length = response.content_length();
    let body = response.text().await.unwrap();
    assert_eq!(length, Some(body.len() as u64), "{body}");
    assert!(body.starts_with(&BODY[..BODY.len() - 1]), "{body}");
    assert_eq!(headers.get_all("content-type").iter().count(), 1);
    assert!(headers.get("transfer-encoding").is_none());
    assert_eq!(headers["retry-after"], "5");
}

#[tokio::test]
async fn over_axum_the_response_is_framed_by_its_body() {
    async fn handler() -> Result<(), Error> {
        Err(framing())?
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let app = axum::Router::new()
        .route("/", axum::routing::get(handler))
        .layer(macaron_core::MacaronLayer::new(config));
    let address = serve_axum(app).await;
    assert_framed(reqwest::get(format!("http://{address}/")).await.unwrap()).await;
}

#[actix_web::test]
async fn over_actix_web_the_response_is_framed_by_its_body() {
    async fn handler() -> Result<actix_web::HttpResponse, Error> {
        Err(framing())?
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let address = serve_actix(config, |routes| {
        routes.route("/", actix_web::web::get().to(handler));
    });
    assert_framed(reqwest::get(format!("http://{address}/")).await.unwrap()).await;
}
