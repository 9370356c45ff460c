//! Secrets through every adapter (axum, actix-web, a plain tower service):
//! a foreign error's text, type, causes and context, a panic's message and
//! place, and backtraces reach clients only in debug mode, and always reach
//! the crash report; sensitive request headers are redacted in reports;
//! nothing in a request turns debug mode on.
//!
//! Alone in its test binary: it turns backtraces on (std reads the
//! variable once), so that there is a backtrace to leak.

use macaron_core::{Config, CrashReport, Error, MacaronLayer};
use macaron_tests::{send, serve_actix, serve_axum, serve_plain_tower, without_id, Capture, Reply};
use std::net::SocketAddr;

/// A foreign error whose text, cause and type name are all secret.
#[derive(Debug)]
pub struct VaultError {
    source: std::io::Error,
}

impl std::fmt::Display for VaultError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("vault login as admin:hunter2 failed")
    }
}

impl std::error::Error for VaultError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn leak() -> Error {
    Error::from(VaultError {
        source: std::io::Error::other("token s3cr3t-token expired"),
    })
    .with_context("reading account 42 with key k-977")
}

const PANIC_MESSAGE: &str = "panicked holding password=hunter2";

/// What a client must never see unless debug mode is on: the texts, the
/// type, this file (the panic's place, backtrace frames), debug keys.
const SECRETS: [&str; 7] = [
    "hunter2",
    "s3cr3t-token",
    "k-977",
    "VaultError",
    "secrets.rs",
    "__debug__",
    "stack_trace",
];

const GENERIC: &str = r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;

/// Request headers whose values reports must redact: the built-in ones and
/// one configured.
const SENSITIVE: [(&str, &str); 6] = [
    ("authorization", "Bearer secret-bearer"),
    ("cookie", "session=secret-cookie"),
    ("set-cookie", "session=secret-set-cookie"),
    ("x-api-key", "secret-api-key"),
    ("proxy-authorization", "Basic secret-proxy"),
    ("x-session", "secret-configured"),
];

/// What a client might try to turn debug mode on with.
const DEBUG_QUERY: &str = "?debug=1&__debug__=true&debug_mode=on&macaron_debug=1";
const DEBUG_HEADERS: [(&str, &str); 5] = [
    ("x-debug", "1"),
    ("x-macaron-debug", "true"),
    ("debug", "true"),
    ("x-debug-mode", "on"),
    ("x-forwarded-debug", "1"),
];

fn enable_backtraces() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // Before any error of this binary is made: every test calls this first.
    ONCE.call_once(|| std::env::set_var("RUST_LIB_BACKTRACE", "1"));
}

/// The two configurations each adapter is checked with.
fn quiet(capture: &Capture) -> Config {
    capture.config().redact_header("x-session").build()
}

fn debug() -> Config {
    Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .debug(true)
        .build()
}

async fn get(address: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = reqwest::Client::new().get(format!("http://{address}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(request).await
}

/// A 500 whose body is exactly the generic one, and in which no header
/// carries a secret either.
#[track_caller]
fn assert_generic(reply: &Reply, path: &str) {
    assert_eq!(reply.status, 500, "{path}");
    assert_eq!(without_id(&reply.body), GENERIC, "{path}");
    for (name, value) in &reply.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        for secret in SECRETS {
            assert!(!value.contains(secret), "{path}: {name}: {value}");
        }
    }
}

/// The checks, whatever the adapter: `quiet` serves with `capture`'s
/// reporter, `debug` in debug mode.
async fn check_secrets(quiet: SocketAddr, capture: &Capture, debug: SocketAddr) {
    let mut all_headers = SENSITIVE.to_vec();
    all_headers.push(("x-visible", "shown"));
    let leak = get(quiet, "/leak", &all_headers).await;
    assert_generic(&leak, "/leak");
    let panic = get(quiet, "/panic", &[]).await;
    assert_generic(&panic, "/panic");

    // Everything the client did not get is in the reports.
    let reports = capture.reports();
    let [leak_report, panic_report] = &reports[..] else {
        panic!("two reports: {reports:#?}")
    };
    check_leak_report(leak_report, &leak);
    assert_eq!(panic_report.error_id, panic.body.error_id);
    let panic_error = panic_report.error.as_ref().unwrap();
    assert!(
        panic_error.chain[0].starts_with("panicked at tests/tests/secrets.rs:"),
        "{:?}",
        panic_error.chain
    );
    assert!(panic_error.chain[0].ends_with(PANIC_MESSAGE));
    assert!(panic_error.backtrace.is_some());

    // Nothing in a request turns debug mode on.
    let mut with_debug_headers = DEBUG_HEADERS.to_vec();
    with_debug_headers.push(("cookie", "debug=1"));
    for path in ["/leak", "/panic"] {
        let path = format!("{path}{DEBUG_QUERY}");
        assert_generic(&get(quiet, &path, &with_debug_headers).await, &path);
    }

    // In debug mode the same errors do carry them: the checks above look
    // for what is really there to leak.
    let leak = get(debug, "/leak", &[]).await.text;
    for secret in SECRETS.iter().filter(|secret| **secret != "secrets.rs") {
        assert!(leak.contains(secret), "{secret} in {leak}");
    }
    let panic = get(debug, "/panic", &[]).await.text;
    for secret in ["hunter2", "secrets.rs", "__debug__", "stack_trace"] {
        assert!(panic.contains(secret), "{secret} in {panic}");
    }
}

fn check_leak_report(report: &CrashReport, reply: &Reply) {
    assert!(report.is_fatal);
    assert_eq!(report.error_id, reply.body.error_id);
    assert_eq!(
        report.title,
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: vault login as admin:hunter2 failed"
    );
    let error = report.error.as_ref().unwrap();
    assert_eq!(error.type_name, "secrets::VaultError");
    assert_eq!(
        error.chain,
        [
            "vault login as admin:hunter2 failed",
            "token s3cr3t-token expired"
        ]
    );
    assert_eq!(error.context, ["reading account 42 with key k-977"]);
    assert!(error
        .backtrace
        .as_ref()
        .is_some_and(|trace| !trace.is_empty()));
    let headers = &report.request.as_ref().unwrap().headers;
    let mut expected: Vec<(String, String)> = SENSITIVE
        .iter()
        .map(|(name, _)| ((*name).to_owned(), "<redacted>".to_owned()))
        .collect();
    expected.push(("x-visible".into(), "shown".into()));
    expected.sort();
    // Frameworks keep headers in orders of their own.
    let mut sent: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| expected.iter().any(|(expected, _)| expected == name))
        .cloned()
        .collect();
    sent.sort();
    assert_eq!(sent, expected);
    let json = report.to_json().to_string();
    assert!(!json.contains("secret-"), "{json}");
}

async fn axum_server(config: Config) -> SocketAddr {
    async fn leaking() -> Result<(), Error> {
        Err(leak())
    }
    async fn panicking() {
        panic!("{PANIC_MESSAGE}")
    }
    let app = axum::Router::new()
        .route("/leak", axum::routing::get(leaking))
        .route("/panic", axum::routing::get(panicking))
        .layer(MacaronLayer::new(config));
    serve_axum(app).await
}

fn actix_server(config: Config) -> SocketAddr {
    async fn leaking() -> Result<actix_web::HttpResponse, Error> {
        Err(leak())
    }
    async fn panicking() -> &'static str {
        panic!("{PANIC_MESSAGE}")
    }
    serve_actix(config, |routes| {
        routes
            .route("/leak", actix_web::web::get().to(leaking))
            .route("/panic", actix_web::web::get().to(panicking));
    })
}

/// Not an axum router: a `tower::service_fn` under the layer.
async fn tower_server(config: Config) -> SocketAddr {
    serve_plain_tower(config, |request| {
        if request.uri().path() == "/panic" {
            panic!("{PANIC_MESSAGE}");
        }
        leak().serve()
    })
    .await
}

#[tokio::test]
async fn axum_keeps_secrets_in_reports() {
    enable_backtraces();
    let capture = Capture::default();
    let quiet = axum_server(quiet(&capture)).await;
    check_secrets(quiet, &capture, axum_server(debug()).await).await;
}

#[actix_web::test]
async fn actix_web_keeps_secrets_in_reports() {
    enable_backtraces();
    let capture = Capture::default();
    let quiet = actix_server(quiet(&capture));
    check_secrets(quiet, &capture, actix_server(debug())).await;
}

#[tokio::test]
async fn a_plain_tower_service_keeps_secrets_in_reports() {
    enable_backtraces();
    let capture = Capture::default();
    let quiet = tower_server(quiet(&capture)).await;
    check_secrets(quiet, &capture, tower_server(debug()).await).await;
}
