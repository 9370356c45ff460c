//! Crash reports made and sent through a configuration's reporter.

use crate::render::truncate;
use crate::report::{
    self, deliver, trace_report, Caught, CrashReport, ReportGroups, ReportQueue, ReportedError,
    ReportedRequest, ServerInfo,
};
use crate::{Config, RequestInfo, REPORT_QUEUE_CAPACITY};
use serde_json::Value;
use std::backtrace::Backtrace;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

impl Config {
    /// A non-fatal report titled `NON-FATAL BACKEND ERROR: <title>`, with
    /// what was caught (an error, an [`Error`](crate::Error), an [`ErrorBody`](crate::ErrorBody)).
    pub fn report_error(&self, title: &str, caught: Option<&dyn Caught>) {
        let mut title = title.to_owned();
        truncate(&mut title, self.inner.max_text_bytes);
        self.report_non_fatal(&title, caught.map(Caught::to_report_json), None, None);
    }

    /// The non-fatal report of a call slower than its limit.
    pub(crate) fn report_slow_call(
        &self,
        name: &str,
        limit_ms: u64,
        request: Option<&RequestInfo>,
    ) {
        let title = format!("{name} calltime exceeded {limit_ms} millisec!");
        self.report_non_fatal(&title, None, request, None);
    }

    pub(crate) fn report_non_fatal(
        &self,
        title: &str,
        caught: Option<Value>,
        request: Option<&RequestInfo>,
        error_id: Option<&str>,
    ) {
        let mut report = self.report(
            format!("NON-FATAL BACKEND ERROR: {title}"),
            false,
            request,
            error_id,
        );
        report.caught = caught;
        let _ = self.send(report);
    }

    /// A report made now, with the request and the server, and neither
    /// an error nor what was caught.
    pub(crate) fn report(
        &self,
        title: String,
        is_fatal: bool,
        request: Option<&RequestInfo>,
        error_id: Option<&str>,
    ) -> CrashReport {
        let policies = &*self.inner;
        CrashReport {
            title,
            is_fatal,
            error_id: error_id.map(str::to_owned),
            start: request.map_or_else(SystemTime::now, RequestInfo::started),
            end: SystemTime::now(),
            error: None,
            caught: None,
            request: request
                .map(|request| ReportedRequest::new(request, &policies.redacted_headers)),
            call_id: request.and_then(RequestInfo::call_id).map(str::to_owned),
            trace_id: request.and_then(RequestInfo::trace_id).map(str::to_owned),
            server: ServerInfo::current(policies.service.as_ref()),
        }
    }

    /// Sends the report, if reporting is on, or counts it into the summary
    /// of its failure; returns the id the reporter gave it, if any, within
    /// the report timeout.
    pub(crate) fn send(&self, report: CrashReport) -> Option<String> {
        self.send_with_backtrace(report, None)
    }

    /// [`send`](Self::send), with the backtrace of the report's error.
    /// Symbolizing a backtrace costs far more than capturing it or serving
    /// the response, so only a report that goes out to a reporter that
    /// reads backtraces has it symbolized: a report counted into its
    /// failure's summary (the summary included) and the copy a `tracing`
    /// event shows carry none. With grouping, a 5xx storm with backtraces
    /// on then symbolizes one backtrace per failure and window, not one
    /// per request.
    pub(crate) fn send_with_backtrace(
        &self,
        mut report: CrashReport,
        backtrace: Option<&Backtrace>,
    ) -> Option<String> {
        let policies = &*self.inner;
        if !policies.reporting {
            return None;
        }
        report.bound_texts(policies.max_text_bytes);
        if !policies.reporter_is_default {
            trace_report(&report);
        }
        if let Some(groups) = &policies.report_groups {
            let Some((admitted, closed)) = groups.admit(report, Instant::now()) else {
                self.close_windows_as_they_end(groups);
                return None;
            };
            if let Some(summary) = closed {
                self.deliver(summary, Duration::ZERO);
            }
            report = admitted;
        }
        if let Some(error) = &mut report.error {
            if policies.reporter.reads_backtraces() {
                error.backtrace = report::backtrace::text(backtrace);
            }
        }
        self.deliver(report, policies.report_timeout)
    }

    /// Hands the report to the reporter, waiting at most `timeout` for a
    /// reporter that may block.
    fn deliver(&self, report: CrashReport, timeout: Duration) -> Option<String> {
        let policies = &*self.inner;
        if policies.reporter.is_non_blocking() {
            return deliver(&*policies.reporter, &report);
        }
        policies
            .report_queue
            .get_or_init(|| ReportQueue::start(policies.reporter.clone(), REPORT_QUEUE_CAPACITY))
            .deliver_within(report, timeout)
    }

    /// Starts, unless one runs, the thread that sends each failure's
    /// summary when its window closes. It holds the configuration weakly,
    /// and ends when no window with reports counted is open.
    fn close_windows_as_they_end(&self, groups: &ReportGroups) {
        if groups.closing.swap(true, Ordering::AcqRel) {
            return;
        }
        let policies = Arc::downgrade(&self.inner);
        let spawned = std::thread::Builder::new()
            .name("macaron-report-windows".into())
            .spawn(move || loop {
                let Some(inner) = policies.upgrade() else {
                    return;
                };
                let config = Config { inner };
                let Some(groups) = &config.inner.report_groups else {
                    return;
                };
                let (summaries, next) = groups.close_ended(Instant::now());
                for summary in summaries {
                    config.deliver(summary, Duration::ZERO);
                }
                match next {
                    Some(next) => {
                        drop(config);
                        std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    }
                    None => {
                        groups.closing.store(false, Ordering::Release);
                        // A report counted since the last look would have
                        // found this thread running: look once more.
                        if groups.next_end().is_none()
                            || groups.closing.swap(true, Ordering::AcqRel)
                        {
                            return;
                        }
                    }
                }
            });
        if let Err(error) = spawned {
            groups.closing.store(false, Ordering::Release);
            crate::log::error(format_args!(
                "cannot start the thread that closes report windows: {error}"
            ));
        }
    }
}

/// Admins read titles: they get the error's real description (an
/// unhandled error's own text, a hidden 5xx description), not what
/// clients got.
pub(crate) fn format_title(error: &ReportedError) -> String {
    let ReportedError {
        status,
        code,
        description,
        ..
    } = error;
    if *status >= 500 {
        format!("FATAL BACKEND ERROR {status} {code}: {description}")
    } else {
        format!("NON-FATAL BACKEND ERROR: {status} {code}: {description}")
    }
}
