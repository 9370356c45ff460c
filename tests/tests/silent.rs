//! A service with no `tracing` subscriber, as many new ones are: the
//! default reporter writes each report as one line on standard error, so
//! that a 500 is never silent; so does `StderrReporter`, the default
//! without the `tracing` feature, whatever subscriber is installed. Each
//! test runs this binary again as a child process and reads its standard
//! error.

use http::{HeaderMap, Method};
use macaron_core::{Config, Error, Reporting, RequestInfo, StderrReporter};
use std::process::Command;

/// Set in the child.
const CHILD: &str = "MACARON_SILENT_CHILD";
const TEST: &str = "without_a_subscriber_each_report_is_one_line_on_standard_error";
const STDERR_TEST: &str = "the_stderr_reporter_writes_its_line_beside_any_subscriber";

/// The lines of macaron's own on the standard error of `test`, run as a
/// child.
fn macaron_lines_of_child(test: &str) -> Vec<String> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.starts_with("macaron: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn without_a_subscriber_each_report_is_one_line_on_standard_error() {
    if std::env::var_os(CHILD).is_some() {
        let config = Config::builder().reporting(Reporting::On).build();
        let request = RequestInfo::new(Method::GET, "/users/7".parse().unwrap(), HeaderMap::new())
            .with_route("/users/{id}");
        let error = Error::msg("the ledger is locked").with_error_id("fixed-id");
        config.respond(&error, Some(&request));
        // A text that tries to start a line of its own.
        let forged = Error::msg("bad\nmacaron: FATAL forged").with_error_id("second-id");
        config.respond(&forged, None);
        return;
    }
    assert_eq!(
        macaron_lines_of_child(TEST),
        [
            "macaron: FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: the ledger is locked (error_id=fixed-id, route=/users/{id}, code=UNHANDLED_SERVER_ERROR)",
            r"macaron: FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: bad\nmacaron: FATAL forged (error_id=second-id, code=UNHANDLED_SERVER_ERROR)",
        ]
    );
}

#[test]
fn the_stderr_reporter_writes_its_line_beside_any_subscriber() {
    if std::env::var_os(CHILD).is_some() {
        // A subscriber that takes every event and writes it nowhere.
        tracing_subscriber::fmt().with_writer(std::io::sink).init();
        let config = Config::builder()
            .reporter(StderrReporter)
            .reporting(Reporting::On)
            .group_reports(None)
            .build();
        let error = Error::msg("the ledger is locked").with_error_id("fixed-id");
        config.respond(&error, None);
        return;
    }
    assert_eq!(
        macaron_lines_of_child(STDERR_TEST),
        ["macaron: FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: the ledger is locked (error_id=fixed-id, code=UNHANDLED_SERVER_ERROR)"]
    );
}
