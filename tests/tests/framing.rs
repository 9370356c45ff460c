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

/// A route answering [`framing`]'s error, under the layer, on loopback.
async fn framing_over_axum() -> std::net::SocketAddr {
    async fn handler() -> Result<(), Error> {
        Err(framing())?
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let app = axum::Router::new()
        .route("/", axum::routing::get(handler))
        .layer(macaron_core::MacaronLayer::new(config));
    serve_axum(app).await
}

#[tokio::test]
async fn over_axum_the_response_is_framed_by_its_body() {
    let address = framing_over_axum().await;
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

/// Two requests pipelined on one kept-alive connection: each response is
/// framed by its own body, so the second starts where the first ends.
/// With the forged `content-length: 5`, the rest of the first body would
/// be read as the start of the second response, as it was over axum.
/// (actix-web frames every response by its body and its own connection
/// handling, whatever the headers say: there, the forged headers could
/// not desync a connection, and this check could not fail.)
fn two_pipelined_responses(address: std::net::SocketAddr) -> Vec<(String, String)> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let mut text = String::from_utf8(bytes).unwrap();
    let mut responses = Vec::new();
    while !text.is_empty() {
        let end_of_head = text.find("\r\n\r\n").expect("a response head") + 4;
        let head = text[..end_of_head].to_owned();
        let length: usize = head
            .lines()
            .find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_owned)
            })
            .expect("a content length")
            .parse()
            .unwrap();
        let status_line = head.lines().next().unwrap().to_owned();
        let body = text[end_of_head..end_of_head + length].to_owned();
        responses.push((status_line, body));
        text = text[end_of_head + length..].to_owned();
    }
    responses
}

fn assert_two_whole_responses(responses: Vec<(String, String)>) {
    assert_eq!(responses.len(), 2, "{responses:?}");
    for (status_line, body) in responses {
        assert_eq!(status_line, "HTTP/1.1 409 Conflict");
        assert!(body.starts_with(&BODY[..BODY.len() - 1]), "{body}");
        assert!(body.ends_with("\"}"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pipelined_over_axum_each_response_is_whole() {
    let address = framing_over_axum().await;
    let responses = tokio::task::spawn_blocking(move || two_pipelined_responses(address))
        .await
        .unwrap();
    assert_two_whole_responses(responses);
}
