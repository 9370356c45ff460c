//! Helpers for the behaviour tests in `tests/`.

use macaron_core::{ApiError, ErrorBody, Rendering, TRUNCATION_MARK};

// The README's Rust snippets run as doc tests, so they keep compiling.
#[doc = include_str!("../../README.md")]
mod readme {}

/// Asserts the whole response of `error`: status, every header (in order),
/// and the exact body bytes. Also asserts that the body equals what
/// `serde_json` writes for `to_body()`, and parses back to it.
#[track_caller]
pub fn assert_response<E: ApiError + ?Sized>(
    error: &E,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) {
    let response = error.to_response();
    assert_eq!(response.status().as_u16(), status, "status");
    let actual_headers: Vec<(&str, &str)> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.to_str().expect("visible ASCII")))
        .collect();
    let mut expected_headers = vec![("content-type", "application/json")];
    expected_headers.extend_from_slice(headers);
    assert_eq!(actual_headers, expected_headers, "headers");
    assert_eq!(
        std::str::from_utf8(response.body()).expect("UTF-8 body"),
        body,
        "body"
    );
    assert_same_as_serde(error);
}

/// The fast renderer and `serde_json` agree byte for byte, and the bytes
/// parse back to the same `ErrorBody`.
#[track_caller]
pub fn assert_same_as_serde<E: ApiError + ?Sized>(error: &E) {
    let response = error.to_response();
    let body = error.to_body();
    let expected = serde_json::to_vec(&body).expect("serializable");
    assert_eq!(
        String::from_utf8_lossy(response.body()),
        String::from_utf8_lossy(&expected),
        "to_response() and serde_json::to_vec(&to_body()) differ"
    );
    let parsed: ErrorBody = serde_json::from_slice(response.body()).expect("valid JSON body");
    assert_eq!(parsed, body, "body does not parse back to to_body()");
    assert_eq!(response.status().as_u16(), body.status);
    assert_renders_as_serde(error);
}

/// Under every rendering (an id or none; texts whole or cut at a limit,
/// including inside a character: the code, the description, the user
/// message, the strings of extra data), `render` writes in one pass the bytes
/// `serde_json` writes for `to_body()` with the id set and the texts cut,
/// with the headers of `to_response`.
#[track_caller]
pub fn assert_renders_as_serde<E: ApiError + ?Sized>(error: &E) {
    let plain = error.to_response();
    for error_id in [None, Some("an \"id\"")] {
        for limit in [usize::MAX, 64, 16, 3, 1, 0] {
            let mut rendering = Rendering::new().max_text_bytes(limit);
            if let Some(error_id) = error_id {
                rendering = rendering.error_id(error_id);
            }
            let mut body = error.to_body();
            cut(&mut body.error, limit);
            cut(&mut body.error_description, limit);
            if let Some(user_message) = &mut body.user_message {
                cut(user_message, limit);
            }
            for value in body.extra.values_mut() {
                cut_strings(value, limit);
            }
            body.error_id = error_id.map(str::to_owned);
            let expected = serde_json::to_vec(&body).expect("serializable");
            let response = error.render(&rendering);
            assert_eq!(
                String::from_utf8_lossy(response.body()),
                String::from_utf8_lossy(&expected),
                "render() with id {error_id:?} and limit {limit}"
            );
            assert_eq!(response.status(), plain.status());
            // Header values over the limit are left out, not cut.
            let kept = |headers: &http::HeaderMap| -> Vec<(String, Vec<u8>)> {
                headers
                    .iter()
                    .filter(|(name, value)| *name == "content-type" || value.len() <= limit)
                    .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
                    .collect()
            };
            assert_eq!(kept(response.headers()), kept(plain.headers()));
            assert_eq!(response.headers().len(), kept(plain.headers()).len());
        }
    }
}

/// `cut` on every string of a value, keys included.
fn cut_strings(value: &mut serde_json::Value, limit: usize) {
    match value {
        serde_json::Value::String(text) => cut(text, limit),
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|item| cut_strings(item, limit))
        }
        serde_json::Value::Object(object) => {
            *object = std::mem::take(object)
                .into_iter()
                .map(|(mut key, mut value)| {
                    cut(&mut key, limit);
                    cut_strings(&mut value, limit);
                    (key, value)
                })
                .collect();
        }
        _ => {}
    }
}

/// What `max_text_bytes` does to a text, written again here.
fn cut(text: &mut String, limit: usize) {
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(TRUNCATION_MARK);
    }
}

pub mod tracing_capture {
    //! The `tracing` events a piece of code emits on its thread.
    //! One global subscriber that records each thread's events apart.
    //! Scoped subscribers (`with_default`) race with the callsite interest
    //! cache when tests run in parallel, and can miss events.
    use std::cell::RefCell;
    use std::sync::Once;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    /// Level, target, and the fields as (name, Debug text).
    pub type Recorded = (Level, String, Vec<(String, String)>);

    thread_local! {
        static RECORDED: RefCell<Vec<Recorded>> = const { RefCell::new(Vec::new()) };
    }

    struct PerThread;

    struct Fields(Vec<(String, String)>);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
    }

    impl Subscriber for PerThread {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut fields = Fields(Vec::new());
            event.record(&mut fields);
            let metadata = event.metadata();
            let recorded = (*metadata.level(), metadata.target().to_owned(), fields.0);
            RECORDED.with(|events| events.borrow_mut().push(recorded));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    /// The events recorded on this thread while `f` ran.
    pub fn events_of(f: impl FnOnce()) -> Vec<Recorded> {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| tracing::subscriber::set_global_default(PerThread).unwrap());
        RECORDED.with(|events| events.borrow_mut().clear());
        f();
        RECORDED.with(|events| events.take())
    }
}

/// A reporter that keeps every report, for assertions.
#[derive(Clone, Default)]
pub struct Capture(std::sync::Arc<std::sync::Mutex<Vec<macaron_core::CrashReport>>>);

impl Capture {
    /// A configuration builder reporting (forced on) into this capture.
    /// Responses wait for the report up to a minute, not the default half
    /// second: on a loaded machine the report thread may start late, and a
    /// test reading the capture right after a response would miss it. A
    /// report delivered at once ends the wait at once. Every report goes
    /// out on its own, ungrouped: tests look at each.
    pub fn config(&self) -> macaron_core::ConfigBuilder {
        macaron_core::Config::builder()
            .reporting(macaron_core::Reporting::On)
            .reporter(self.clone())
            .report_timeout(std::time::Duration::from_secs(60))
            .group_reports(None)
    }

    /// The reports so far.
    pub fn reports(&self) -> Vec<macaron_core::CrashReport> {
        self.0.lock().unwrap().clone()
    }

    /// The titles of the reports so far.
    pub fn titles(&self) -> Vec<String> {
        self.reports()
            .into_iter()
            .map(|report| report.title)
            .collect()
    }
}

impl macaron_core::Reporter for Capture {
    fn report(&self, report: &macaron_core::CrashReport) -> Result<(), macaron_core::BoxError> {
        self.0.lock().unwrap().push(report.clone());
        Ok(())
    }
}

/// The body of `response`, parsed.
pub fn body_of(response: &http::Response<bytes::Bytes>) -> ErrorBody {
    serde_json::from_slice(response.body()).expect("an error body")
}

/// A report's JSON without what changes from run to run (`time`,
/// `server`, and the backtrace, which is checked to be there exactly when
/// backtraces are enabled), for exact comparison.
pub fn stable_json(report: &macaron_core::CrashReport) -> serde_json::Value {
    let mut json = report.to_json();
    let object = json.as_object_mut().expect("an object");
    object.remove("time");
    object.remove("server");
    if let Some(error) = object
        .get_mut("error")
        .and_then(|error| error.as_object_mut())
    {
        let backtrace = error.remove("backtrace").expect("a backtrace key");
        assert_eq!(
            backtrace.is_string(),
            backtraces_enabled(),
            "backtrace: {backtrace}"
        );
    }
    json
}

/// Whether `std::backtrace::Backtrace::capture` captures in this process,
/// as std decides it: `RUST_LIB_BACKTRACE`, else `RUST_BACKTRACE`.
pub fn backtraces_enabled() -> bool {
    let enabled = |name| std::env::var(name).ok().map(|value| value != "0");
    enabled("RUST_LIB_BACKTRACE")
        .or_else(|| enabled("RUST_BACKTRACE"))
        .unwrap_or(false)
}

/// The errors and request bodies of the services the framework tests run.
pub mod service {
    use macaron_core::ApiError;

    /// The body of a user creation.
    #[derive(serde::Deserialize)]
    pub struct NewUser {
        /// Required: a body without it is rejected.
        pub name: String,
    }

    /// A search query.
    #[derive(serde::Deserialize)]
    pub struct Search {
        /// Required, a number: anything else is rejected.
        pub limit: u32,
    }

    /// Errors of a user API.
    #[derive(Debug, ApiError)]
    pub enum AccountError {
        /// The login is unknown.
        #[error(
            "no user with id {id}",
            status = 404,
            user_message = "We don't know you"
        )]
        UnknownUser {
            /// The id asked for.
            id: u64,
        },
        /// Too many attempts.
        #[error("slow down", code = "RATE_LIMITED", status = 429)]
        RateLimited {
            /// Seconds to wait.
            #[header("retry-after")]
            retry_after: u32,
            /// The limit.
            #[data]
            limit: u32,
        },
    }
}

/// Sends `request`; returns the status, the content type (empty when
/// none) and the body, with its `error_id`, which is random, as `<id>`.
pub async fn fetch(request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map_or("", |value| value.to_str().unwrap())
        .to_owned();
    let body = response.text().await.unwrap();
    let body = match body.find(r#","error_id":""#) {
        Some(start) => format!(r#"{},"error_id":"<id>"}}"#, &body[..start]),
        None => body,
    };
    (status, content_type, body)
}

/// Serves `app` on a loopback port, on the current tokio runtime.
pub async fn serve_axum(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Serves `routes` under `Macaron::new(config)` on a loopback port, with
/// one worker, on the current actix-web runtime.
pub fn serve_actix(
    config: macaron_core::Config,
    routes: fn(&mut actix_web::web::ServiceConfig),
) -> std::net::SocketAddr {
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .wrap(macaron_core::Macaron::new(config.clone()))
            .configure(routes)
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let address = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    address
}

/// Serves, on a loopback port, a plain tower service, not an axum router:
/// `handler` under `MacaronLayer::new(config)`, for the tests of the
/// layer's generic path. A panic in `handler` is one in the service.
pub async fn serve_plain_tower<F>(config: macaron_core::Config, handler: F) -> std::net::SocketAddr
where
    F: Fn(axum::extract::Request) -> http::Response<bytes::Bytes> + Clone + Send + Sync + 'static,
{
    use tower::ServiceBuilder;
    let service = ServiceBuilder::new()
        .map_response(
            |response: http::Response<http_body_util::Full<bytes::Bytes>>| {
                response.map(axum::body::Body::new)
            },
        )
        .layer(macaron_core::MacaronLayer::new(config))
        .service_fn(move |request: axum::extract::Request| {
            let handler = handler.clone();
            async move {
                Ok::<_, std::convert::Infallible>(handler(request).map(http_body_util::Full::new))
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, tower::make::Shared::new(service))
            .await
            .unwrap()
    });
    address
}

/// A response received over the network.
pub struct Reply {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, parsed.
    pub body: ErrorBody,
    /// The body as received.
    pub text: String,
}

/// Sends `request` and parses the error body of its response.
pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("not an error body: {status} {text}"));
    Reply {
        status,
        headers,
        body,
        text,
    }
}

/// The body without its error id, which is checked to be a UUID.
pub fn without_id(body: &ErrorBody) -> String {
    let mut body = body.clone();
    let id = body.error_id.take().expect("an error_id");
    assert_eq!(id.len(), 36, "{id}");
    serde_json::to_string(&body).unwrap()
}

/// 300 concurrent requests to a server of the test service (declared
/// errors, foreign errors, panics, unknown routes), every body checked;
/// ids unique; one fatal report per 5xx, with its response's id.
pub async fn check_concurrent_requests(address: std::net::SocketAddr, capture: &Capture) {
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for index in 0..300u64 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let (path, status, code) = match index % 4 {
                0 => (format!("/users/{}", index + 3), 404, "UNKNOWN_USER"),
                1 => ("/io".to_owned(), 500, "UNHANDLED_SERVER_ERROR"),
                2 => ("/panic".to_owned(), 500, "UNHANDLED_SERVER_ERROR"),
                _ => ("/missing".to_owned(), 404, "NOT_FOUND"),
            };
            let reply = send(client.get(format!("http://{address}{path}"))).await;
            assert_eq!(
                (reply.status, reply.body.error.as_str()),
                (status, code),
                "{path}"
            );
            if index % 4 == 0 {
                assert_eq!(
                    reply.body.error_description,
                    format!("no user with id {}", index + 3)
                );
            }
            reply.body.error_id.unwrap()
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 300, "error ids are unique");
    let reports = capture.reports();
    assert_eq!(reports.len(), 150);
    assert!(reports
        .iter()
        .all(|report| report.is_fatal
            && ids.binary_search(report.error_id.as_ref().unwrap()).is_ok()));
}

/// What a server of the test service answers, whatever the framework: a
/// success, declared errors, a foreign error, a panic (bodies without their
/// error ids).
pub async fn check_declared_errors(address: std::net::SocketAddr) {
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");
    let ok = client.get(url("/users/1")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), r#"{"id":1,"name":"ada"}"#);
    let unhandled = r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;
    let cases = [
        (
            "/users/7",
            404,
            r#"{"error":"UNKNOWN_USER","error_description":"no user with id 7","user_message":"We don't know you","status":404}"#,
        ),
        (
            "/users/2",
            429,
            r#"{"error":"RATE_LIMITED","error_description":"slow down","status":429,"limit":10}"#,
        ),
        ("/io", 500, unhandled),
        ("/panic", 500, unhandled),
    ];
    check_replies(
        cases
            .into_iter()
            .map(|(path, status, expected)| (client.get(url(path)), status, expected)),
    )
    .await;
}

/// Sends each request and checks the status, the body (without its error
/// id) and the content type of the reply. An unhandled error's body being
/// exactly the generic one is what keeps its text out.
pub async fn check_replies<'a>(
    cases: impl IntoIterator<Item = (reqwest::RequestBuilder, u16, &'a str)>,
) {
    for (request, status, expected) in cases {
        let reply = send(request).await;
        assert_eq!(reply.status, status, "{}", reply.text);
        assert_eq!(without_id(&reply.body), expected);
        assert_eq!(reply.headers["content-type"], "application/json");
    }
}

/// The fatal reports of a server of the test service, whatever the
/// framework: a foreign error's report carries the request (the
/// `authorization` header redacted) and the id its response got; a panic's
/// carries its message and where it happened (`test_file`, the server's
/// source). Returns the two reports, for the framework's own checks.
pub async fn check_fatal_reports(
    address: std::net::SocketAddr,
    capture: &Capture,
    test_file: &str,
) -> (macaron_core::CrashReport, macaron_core::CrashReport) {
    let client = reqwest::Client::new();
    let reply = send(
        client
            .get(format!("http://{address}/io?page=2"))
            .header("authorization", "Bearer secret-token")
            .header("x-call-id", "call-7")
            .header(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            ),
    )
    .await;
    let reports = capture.reports();
    assert_eq!(reports.len(), 1);
    let report = stable_json(&reports[0]);
    assert_eq!(report["error_id"], serde_json::json!(reply.body.error_id));
    assert_eq!(
        report["title"],
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: No such file or directory (os error 2)"
    );
    assert_eq!(report["error"]["type"], "std::io::error::Error");
    assert_eq!(report["request"]["method"], "GET");
    assert_eq!(report["request"]["path"], "/io");
    assert_eq!(report["request"]["query"], "page=2");
    assert_eq!(report["request"]["headers"]["authorization"], "<redacted>");
    assert_eq!(report["call_id"], "call-7");
    assert_eq!(report["trace_id"], "0af7651916cd43dd8448eb211c80319c");

    send(client.get(format!("http://{address}/panic"))).await;
    let panic = capture.reports().pop().unwrap();
    assert!(panic.is_fatal);
    let error = panic.error.as_ref().unwrap();
    assert_eq!(error.type_name, "macaron_core::adapter::Panic");
    let chain = &error.chain[0];
    assert!(
        chain.starts_with(&format!("panicked at {test_file}:")),
        "{chain}"
    );
    assert!(chain.ends_with(": secret panic message"), "{chain}");

    // The server survived the panic.
    let ok = client.get(format!("http://{address}/users/1")).send();
    assert_eq!(ok.await.unwrap().status(), 200);
    (reports[0].clone(), panic)
}
