//! `SentryReporter` against a local HTTP endpoint standing in for the DSN:
//! the envelope the `sentry` client sends is checked, and the body carries
//! the event id. Alone in its test binary: `sentry::init` is process-wide.

use http::{HeaderMap, Method, Uri};
use macaron_core::{Config, Error, ErrorBody, Reporting, RequestInfo, SentryReporter};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// An HTTP endpoint on loopback that answers 200 and passes on each
/// request's first line and body. It reads one request per connection
/// and says so (`connection: close`): otherwise the client may pool the
/// connection and send the next event on it before this side closes it,
/// and that event is lost.
fn endpoint() -> (SocketAddr, Receiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                .unwrap();
            if sender.send((request_line.trim().to_owned(), body)).is_err() {
                return;
            }
        }
    });
    (address, received)
}

#[test]
fn fatal_reports_become_sentry_events_and_bodies_quote_their_id() {
    let (address, received) = endpoint();
    let _guard = sentry::init(format!("http://public-key@{address}/42"));
    let config = Config::builder()
        .reporting(Reporting::On)
        .reporter(SentryReporter::new())
        .build();
    let mut headers = HeaderMap::new();
    headers.insert("authorization", "Bearer secret-token".parse().unwrap());
    let request = RequestInfo::new(Method::GET, Uri::from_static("/users/7?verbose=1"), headers)
        .with_route("/users/{id}");

    let error = Error::from(std::io::Error::other("db password=hunter2 refused"));
    let response = config.respond(&error, Some(&request));
    let body: ErrorBody = serde_json::from_slice(response.body()).unwrap();
    let sentry_id = body.extra["sentry_id"].as_str().unwrap().to_owned();
    assert_eq!(sentry_id.len(), 32, "{sentry_id}");
    assert!(!String::from_utf8_lossy(response.body()).contains("hunter2"));

    sentry::Hub::current()
        .client()
        .unwrap()
        .flush(Some(Duration::from_secs(10)));
    let (request_line, envelope) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        request_line.starts_with("POST /api/42/envelope/ "),
        "{request_line}"
    );
    let envelope = String::from_utf8(envelope).unwrap();
    let event: serde_json::Value = envelope
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|item| item.get("message").is_some())
        .unwrap_or_else(|| panic!("no event in the envelope: {envelope}"));
    assert_eq!(
        event["event_id"].as_str().unwrap().replace('-', ""),
        sentry_id
    );
    // sentry leaves out the level when it is the default, `error`.
    assert!(
        event.get("level").map_or(true, |level| level == "error"),
        "{event}"
    );
    assert_eq!(
        event["message"],
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: db password=hunter2 refused"
    );
    assert_eq!(
        event["exception"]["values"][0]["type"],
        "std::io::error::Error"
    );
    assert_eq!(
        event["exception"]["values"][0]["value"],
        "db password=hunter2 refused"
    );
    assert_eq!(event["tags"]["error_id"], body.error_id.unwrap());
    assert_eq!(event["tags"]["code"], "UNHANDLED_SERVER_ERROR");
    assert_eq!(event["tags"]["route"], "/users/{id}");
    assert_eq!(event["request"]["method"], "GET");
    assert_eq!(event["request"]["query_string"], "verbose=1");
    assert_eq!(event["request"]["headers"]["authorization"], "<redacted>");

    // Non-fatal reports are not sent unless asked, and 4xx bodies carry no id.
    config.report_error("a warning", None);
    let quiet = config.respond(
        &Error::new(macaron_core::http_errors::NotFound::default()),
        Some(&request),
    );
    assert!(!String::from_utf8_lossy(quiet.body()).contains("sentry_id"));
    let loud = Config::builder()
        .reporting(Reporting::On)
        .reporter(SentryReporter::new().non_fatal(true))
        .build();
    loud.report_error("a warning", None);
    sentry::Hub::current()
        .client()
        .unwrap()
        .flush(Some(Duration::from_secs(10)));
    let (_, envelope) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    let envelope = String::from_utf8(envelope).unwrap();
    assert!(envelope.contains(r#""level":"warning""#), "{envelope}");
    assert!(
        envelope.contains("NON-FATAL BACKEND ERROR: a warning"),
        "{envelope}"
    );
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "one event per report sent"
    );
}
