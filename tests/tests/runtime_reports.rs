//! Non-fatal reports, slow calls, the non-blocking reporter, the default
//! `tracing` reporter.

use macaron_core::{report_error, report_slow, Config, CrashReport, Error, ErrorBody, NonBlocking};
use macaron_tests::{stable_json, Capture};
use serde_json::json;
use std::future::Future;
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

#[test]
fn report_error_with_what_was_caught() {
    let capture = Capture::default();
    let config = capture.config().build();
    let profile: ErrorBody = serde_json::from_str(
        r#"{"error":"UNKNOWN_USER","error_description":"no such user","status":404,"error_id":"remote-1"}"#,
    )
    .unwrap();
    config.scope(|| {
        report_error("Oops. Failed to get user profile", Some(&profile));
        report_error("Retrying", None);
        report_error(
            "Parsing failed",
            Some(&serde_json::from_str::<u8>("x").unwrap_err()),
        );
        report_error("Wrapped", Some(&Error::msg("inner").with_context("outer")));
    });
    let reports: Vec<_> = capture.reports().iter().map(stable_json).collect();
    assert_eq!(
        reports,
        [
            json!({
                "title": "NON-FATAL BACKEND ERROR: Oops. Failed to get user profile",
                "is_fatal": false,
                "caught": {"error": "UNKNOWN_USER", "error_description": "no such user", "status": 404, "error_id": "remote-1"},
            }),
            json!({"title": "NON-FATAL BACKEND ERROR: Retrying", "is_fatal": false}),
            json!({
                "title": "NON-FATAL BACKEND ERROR: Parsing failed",
                "is_fatal": false,
                "caught": {"type": "serde_json::error::Error", "chain": ["expected value at line 1 column 1"]},
            }),
            json!({
                "title": "NON-FATAL BACKEND ERROR: Wrapped",
                "is_fatal": false,
                "caught": {
                    "type": "macaron_core::convert::Message",
                    "code": "UNHANDLED_SERVER_ERROR",
                    "status": 500,
                    "chain": ["inner"],
                    "context": ["outer"],
                },
            }),
        ]
    );
}

#[test]
fn scopes_nest_and_end() {
    let outer = Capture::default();
    let inner = Capture::default();
    let (outer_config, inner_config) = (outer.config().build(), inner.config().build());
    outer_config.scope(|| {
        report_error("outer 1", None);
        inner_config.scope(|| report_error("inner", None));
        report_error("outer 2", None);
    });
    assert_eq!(
        outer.titles(),
        [
            "NON-FATAL BACKEND ERROR: outer 1",
            "NON-FATAL BACKEND ERROR: outer 2"
        ]
    );
    assert_eq!(inner.titles(), ["NON-FATAL BACKEND ERROR: inner"]);
}

#[test]
fn slow_calls_are_reported_fast_ones_are_not() {
    let capture = Capture::default();
    let config = capture.config().report_call_exceeding_ms(10).build();
    let fast = config.time_call("fast_handler", Some(60_000));
    std::thread::sleep(Duration::from_millis(20));
    fast.finish();
    let slow = config.time_call("slow_handler", None);
    std::thread::sleep(Duration::from_millis(20));
    assert!(slow.finish() >= Duration::from_millis(20));
    {
        let _dropped = config.time_call("cancelled_handler", Some(5));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        capture.titles(),
        [
            "NON-FATAL BACKEND ERROR: slow_handler calltime exceeded 10 millisec!",
            "NON-FATAL BACKEND ERROR: cancelled_handler calltime exceeded 5 millisec!",
        ]
    );
    assert!(capture.reports().iter().all(|report| !report.is_fatal));
}

#[report_slow(max_ms = 5)]
fn slow_sync(value: u32) -> u32 {
    std::thread::sleep(Duration::from_millis(20));
    value + 1
}

#[report_slow(max_ms = 60000)]
fn quick_sync() -> &'static str {
    "done"
}

#[report_slow]
async fn slow_async_with_default_limit(value: &str) -> String {
    std::thread::sleep(Duration::from_millis(20));
    format!("{value}!")
}

/// Runs a future to completion on this thread (no runtime needed here).
fn block_on<F: Future>(future: F) -> F::Output {
    struct NoopWaker;
    impl Wake for NoopWaker {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

#[test]
fn report_slow_on_sync_and_async_functions() {
    let capture = Capture::default();
    let config = capture.config().report_call_exceeding_ms(10).build();
    config.scope(|| {
        assert_eq!(slow_sync(1), 2);
        assert_eq!(quick_sync(), "done");
        assert_eq!(block_on(slow_async_with_default_limit("hi")), "hi!");
    });
    assert_eq!(
        capture.titles(),
        [
            "NON-FATAL BACKEND ERROR: slow_sync() calltime exceeded 5 millisec!",
            "NON-FATAL BACKEND ERROR: slow_async_with_default_limit() calltime exceeded 10 millisec!",
        ]
    );
}

#[test]
fn the_non_blocking_reporter_drops_and_counts_when_full_and_never_blocks() {
    let (started_sender, started) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let delivered = Arc::new(Mutex::new(Vec::new()));
    let sink = delivered.clone();
    let started_sender = Mutex::new(started_sender);
    let reporter = NonBlocking::new(
        move |report: &CrashReport| {
            started_sender.lock().unwrap().send(()).unwrap();
            released.lock().unwrap().recv().unwrap();
            sink.lock().unwrap().push(report.title.clone());
            Ok(())
        },
        2,
    );
    let config = Config::builder()
        .reporting(macaron_core::Reporting::On)
        .reporter(reporter.clone())
        .build();
    config.report_error("1", None);
    // The thread holds report 1; the queue takes 2 and 3; 4 to 10 are dropped.
    started.recv().unwrap();
    for title in 2..=10 {
        config.report_error(&title.to_string(), None);
    }
    assert_eq!(reporter.dropped(), 7);
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    started.recv().unwrap();
    started.recv().unwrap();
    drop(config);
    drop(reporter);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while delivered.lock().unwrap().len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        *delivered.lock().unwrap(),
        [
            "NON-FATAL BACKEND ERROR: 1",
            "NON-FATAL BACKEND ERROR: 2",
            "NON-FATAL BACKEND ERROR: 3"
        ]
    );
}

#[test]
fn the_default_reporter_is_a_tracing_error_event() {
    let config = Config::builder()
        .reporting(macaron_core::Reporting::On)
        .build();
    let mut response = None;
    let events = macaron_tests::tracing_capture::events_of(|| {
        response = Some(config.respond(&Error::msg("boom"), None));
    });
    let error_id = serde_json::from_slice::<ErrorBody>(response.unwrap().body())
        .unwrap()
        .error_id
        .unwrap();
    assert_eq!(events.len(), 1);
    let (level, target, fields) = &events[0];
    assert_eq!(
        (*level, target.as_str()),
        (tracing::Level::ERROR, "macaron")
    );
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(
        field("title"),
        Some("FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom")
    );
    assert_eq!(field("is_fatal"), Some("true"));
    assert_eq!(field("code"), Some("\"UNHANDLED_SERVER_ERROR\""));
    assert_eq!(field("status"), Some("500"));
    assert_eq!(field("error_id"), Some(format!("{error_id:?}").as_str()));
    assert_eq!(
        field("message"),
        Some("FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom")
    );
    let report: serde_json::Value = serde_json::from_str(field("report").unwrap()).unwrap();
    assert_eq!(report["error"]["chain"], json!(["boom"]));
}

#[test]
fn every_report_is_a_tracing_event_whatever_the_reporter() {
    let capture = Capture::default();
    let config = capture.config().build();
    let request = macaron_core::RequestInfo::new(
        http::Method::GET,
        http::Uri::from_static("/users/7"),
        http::HeaderMap::new(),
    )
    .with_route("/users/{id}");
    let events = macaron_tests::tracing_capture::events_of(|| {
        config.respond(&Error::msg("boom"), Some(&request));
    });
    assert_eq!(capture.reports().len(), 1);
    assert_eq!(events.len(), 1);
    let fields = &events[0].2;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(field("route"), Some("\"/users/{id}\""));
    assert_eq!(field("code"), Some("\"UNHANDLED_SERVER_ERROR\""));
    assert_eq!(field("status"), Some("500"));
}

/// The report in the event is its JSON written field by field, in a
/// reader's order, with a repeated header's values joined as HTTP joins
/// them rather than one of them lost; without its backtrace, which only
/// the reporter gets (symbolized once the report is known to go out).
#[test]
fn the_event_holds_the_report_as_json_in_a_fixed_order() {
    let capture = Capture::default();
    let config = capture.config().build();
    let mut headers = http::HeaderMap::new();
    headers.append("accept", "text/html".parse().unwrap());
    headers.append("accept", "application/json".parse().unwrap());
    headers.append("authorization", "Bearer secret".parse().unwrap());
    headers.append("x-one", "1".parse().unwrap());
    let request = macaron_core::RequestInfo::new(
        http::Method::GET,
        http::Uri::from_static("/users/7?full=1"),
        headers,
    );
    let events = macaron_tests::tracing_capture::events_of(|| {
        config.respond(&Error::msg("boom"), Some(&request));
    });
    let mut report = capture.reports()[0].clone();
    report.error.as_mut().unwrap().backtrace = None;
    let report = &report;
    let (_, _, fields) = &events[0];
    let (_, event_json) = fields.iter().find(|(key, _)| key == "report").unwrap();
    assert_eq!(*event_json, serde_json::to_string(report).unwrap());
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(event_json).unwrap(),
        report.to_json()
    );
    let error_id = report.error_id.as_deref().unwrap();
    let prefix = format!(
        r#"{{"title":"FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom","is_fatal":true,"error_id":"{error_id}","time":{{"start":""#
    );
    assert!(event_json.starts_with(&prefix), "{event_json}");
    let middle = concat!(
        r#""error":{"code":"UNHANDLED_SERVER_ERROR","status":500,"description":"boom","#,
        r#""user_message":null,"type":"macaron_core::convert::Message","chain":["boom"],"#,
        r#""context":[],"location":null,"backtrace":null},"#,
        r#""request":{"method":"GET","path":"/users/7","query":"full=1","route":null,"#,
        r#""headers":{"accept":"text/html, application/json","authorization":"<redacted>","x-one":"1"}},"#,
        r#""server":{"hostname":"#
    );
    assert!(event_json.contains(middle), "{event_json}\n{middle}");
}
