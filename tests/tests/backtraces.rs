//! Which errors capture a backtrace when backtraces are on, and which
//! reports are given it symbolized. Alone in its test binary: it turns
//! backtraces on (std reads the variable once).

use macaron_core::{ApiError, BoxError, Config, CrashReport, Error, Reporter, Reporting};
use std::backtrace::BacktraceStatus;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, ApiError)]
pub enum AccountError {
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    #[error("database failure", status = 500)]
    Db,
}

#[test]
fn only_errors_a_report_may_need_capture_one() {
    std::env::set_var("RUST_LIB_BACKTRACE", "1");
    let status = |error: Error| error.backtrace().status();
    // Reports and debug payloads read backtraces: unhandled errors and
    // declared 5xx keep them.
    assert_eq!(
        status(Error::from(std::io::Error::other("disk"))),
        BacktraceStatus::Captured
    );
    assert_eq!(status(Error::msg("boom")), BacktraceStatus::Captured);
    assert_eq!(
        status(Error::from(AccountError::Db)),
        BacktraceStatus::Captured
    );
    // Declared client errors, the common case, skip the cost.
    assert_eq!(
        status(Error::from(AccountError::UnknownUser { id: 1 })),
        BacktraceStatus::Disabled
    );
    assert_eq!(
        status(Error::new(macaron_core::abort(http::StatusCode::CONFLICT))),
        BacktraceStatus::Disabled
    );
}

/// Only a report that goes out has its backtrace symbolized: the first of
/// its failure's window, not the summary of the reports counted after it.
#[test]
fn a_backtrace_is_symbolized_for_the_reports_that_go_out() {
    std::env::set_var("RUST_LIB_BACKTRACE", "1");
    let reports: Arc<Mutex<Vec<CrashReport>>> = Arc::default();
    let sink = reports.clone();
    let config = Config::builder()
        .reporting(Reporting::On)
        .reporter(move |report: &CrashReport| {
            sink.lock().unwrap().push(report.clone());
            Ok(())
        })
        .group_reports(Some(Duration::from_millis(100)))
        .build();
    for _ in 0..3 {
        config.respond(&Error::from(std::io::Error::other("disk")), None);
    }
    // The summary goes out when the window closes, from a thread.
    let deadline = Instant::now() + Duration::from_secs(10);
    while reports.lock().unwrap().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let reports = reports.lock().unwrap();
    let backtraces: Vec<Option<&str>> = reports
        .iter()
        .map(|report| report.error.as_ref().unwrap().backtrace.as_deref())
        .collect();
    let first = backtraces[0].expect("the first report's backtrace");
    // From the first frame outside macaron and std: this test's.
    assert!(
        first
            .lines()
            .next()
            .unwrap()
            .ends_with("a_backtrace_is_symbolized_for_the_reports_that_go_out"),
        "{first}"
    );
    assert!(
        reports[1].title.starts_with("2 more since "),
        "{}",
        reports[1].title
    );
    assert_eq!(backtraces[1], None);
    assert_eq!(reports.len(), 2);
}

/// Keeps the reports it gets; reads backtraces or not.
struct Keep {
    reports: Arc<Mutex<Vec<CrashReport>>>,
    reads_backtraces: bool,
}

impl Reporter for Keep {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        self.reports.lock().unwrap().push(report.clone());
        Ok(())
    }

    fn is_non_blocking(&self) -> bool {
        true
    }

    fn reads_backtraces(&self) -> bool {
        self.reads_backtraces
    }
}

/// A reporter that shows no backtrace is given none: nothing is
/// symbolized for it.
#[test]
fn a_reporter_that_reads_no_backtrace_is_given_none() {
    std::env::set_var("RUST_LIB_BACKTRACE", "1");
    let backtrace_given = |reads_backtraces: bool| {
        let reports: Arc<Mutex<Vec<CrashReport>>> = Arc::default();
        let config = Config::builder()
            .reporting(Reporting::On)
            .reporter(Keep {
                reports: reports.clone(),
                reads_backtraces,
            })
            .build();
        config.respond(&Error::from(std::io::Error::other("disk")), None);
        let reports = reports.lock().unwrap();
        assert_eq!(reports.len(), 1);
        reports[0].error.as_ref().unwrap().backtrace.is_some()
    };
    assert!(backtrace_given(true));
    assert!(!backtrace_given(false));
}
