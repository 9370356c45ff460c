//! Where reports go: the `Reporter` trait, and the reporters macaron
//! brings.

use super::CrashReport;
use crate::BoxError;
#[cfg(feature = "tracing")]
use std::fmt;

/// Receives crash reports. A reporter that fails or panics never affects
/// the response: the failure is logged (a `tracing` event with the
/// `tracing` feature, else a line on standard error) and counted.
///
/// Closures `Fn(&CrashReport) -> Result<(), BoxError>` are reporters; for
/// PyMacaron's `(title, message)` callbacks, see
/// [`ConfigBuilder::error_reporter`](crate::ConfigBuilder::error_reporter).
pub trait Reporter: Send + Sync + 'static {
    /// Sends the report somewhere.
    fn report(&self, report: &CrashReport) -> Result<(), BoxError>;

    /// The body key under which the response carries the id the report got
    /// where it went (Pico's `sentry_id`); `None` (the default) for none.
    fn body_key(&self) -> Option<&'static str> {
        None
    }

    /// Sends the report and returns its id where it went, for the body
    /// under [`body_key`](Self::body_key). The default sends it and
    /// returns no id.
    fn report_and_identify(&self, report: &CrashReport) -> Result<Option<String>, BoxError> {
        self.report(report).map(|()| None)
    }

    /// Whether [`report`](Self::report) returns at once, handing the report
    /// off itself, as the default reporters, Sentry's client and
    /// [`NonBlocking`](crate::NonBlocking) do.
    /// Such a reporter is called on the request's thread, where
    /// thread-local context (a `tracing` span, Sentry's hub) is. Any other
    /// (the default, `false`) is called on a thread of its own, and the
    /// response waits for it at most
    /// [`report_timeout`](crate::ConfigBuilder::report_timeout).
    fn is_non_blocking(&self) -> bool {
        false
    }

    /// Whether the reporter reads the error's
    /// [`backtrace`](crate::ReportedError::backtrace) (the default,
    /// `true`). Symbolizing a backtrace costs far more than serving a
    /// response, so a reporter that never shows one is given none, and
    /// then an outage with backtraces on costs their capture alone:
    ///
    /// ```
    /// use macaron_core::{BoxError, CrashReport, Reporter};
    ///
    /// /// Pages whoever is on call, with the title alone.
    /// struct Pager;
    ///
    /// impl Reporter for Pager {
    ///     fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
    ///         println!("page: {}", report.title);
    ///         Ok(())
    ///     }
    ///
    ///     fn reads_backtraces(&self) -> bool {
    ///         false
    ///     }
    /// }
    ///
    /// let config = macaron_core::Config::builder().reporter(Pager).build();
    /// # let _ = config;
    /// ```
    fn reads_backtraces(&self) -> bool {
        true
    }
}

impl<F> Reporter for F
where
    F: Fn(&CrashReport) -> Result<(), BoxError> + Send + Sync + 'static,
{
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        self(report)
    }
}

/// The default reporter without the `tracing` feature: one line per
/// report on standard error, `macaron: <title> (error_id=…, route=…,
/// code=…)`, the parts there are. A 500 is never silent.
///
/// Chosen explicitly, it writes that line even where a `tracing`
/// subscriber is installed:
///
/// ```
/// use macaron_core::{Config, Error, Reporting, StderrReporter};
///
/// let config = Config::builder()
///     .reporter(StderrReporter)
///     .reporting(Reporting::On)
///     .build();
/// // Writes `macaron: FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: the
/// // ledger is locked (error_id=…, code=UNHANDLED_SERVER_ERROR)`.
/// let response = config.respond(&Error::msg("the ledger is locked"), None);
/// assert_eq!(response.status(), 500);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StderrReporter;

impl Reporter for StderrReporter {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        // Through the macro, which holds the lock for the whole line and
        // which tests capture.
        eprintln!("{}", stderr_line(report));
        Ok(())
    }

    fn is_non_blocking(&self) -> bool {
        true
    }

    /// Its line has no backtrace.
    fn reads_backtraces(&self) -> bool {
        false
    }
}

/// The default reporter with the `tracing` feature: one `tracing` event at
/// error level per report, with the code, status and error id as fields
/// and the report as JSON. When no `tracing` subscriber takes the event
/// (none is installed, as in many new services), [`StderrReporter`]'s line
/// instead. A 500 is never silent.
#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
#[derive(Debug, Clone, Copy, Default)]
pub struct TracingReporter;

#[cfg(feature = "tracing")]
impl Reporter for TracingReporter {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        if tracing::enabled!(target: "macaron", tracing::Level::ERROR) {
            trace_report(report);
            Ok(())
        } else {
            StderrReporter.report(report)
        }
    }

    fn is_non_blocking(&self) -> bool {
        true
    }

    /// The event's report has the backtrace; the line written when no
    /// subscriber takes the event has none.
    fn reads_backtraces(&self) -> bool {
        tracing::enabled!(target: "macaron", tracing::Level::ERROR)
    }
}

/// The reporter of a configuration that names none.
#[cfg(feature = "tracing")]
pub(crate) type DefaultReporter = TracingReporter;
#[cfg(not(feature = "tracing"))]
pub(crate) type DefaultReporter = StderrReporter;

/// The `tracing` event of a report: with the `tracing` feature, every
/// report is one, whatever the reporter (the default reporter is this
/// event alone).
#[cfg(feature = "tracing")]
pub(crate) fn trace_report(report: &CrashReport) {
    let error = report.error.as_ref();
    tracing::error!(
        target: "macaron",
        title = %report.title,
        is_fatal = report.is_fatal,
        code = error.map(|error| error.code.as_str()),
        status = error.map(|error| error.status),
        error_id = report.error_id.as_deref(),
        route = report.request.as_ref().and_then(|request| request.route.as_deref()),
        report = %ReportJson(report),
        "{}",
        report.title
    );
}

/// Without the `tracing` feature, the chosen reporter is the only one.
#[cfg(not(feature = "tracing"))]
pub(crate) fn trace_report(_: &CrashReport) {}

/// A report written as compact JSON where an event shows it.
#[cfg(feature = "tracing")]
struct ReportJson<'a>(&'a CrashReport);

#[cfg(feature = "tracing")]
impl fmt::Display for ReportJson<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_string(self.0).map_err(|_| fmt::Error)?;
        formatter.write_str(&json)
    }
}

/// PyMacaron's `error_reporter(title, message)`: the title and the report
/// as pretty JSON.
pub(crate) struct TitleAndJson<F>(pub(crate) F);

impl<F: Fn(&str, &str) + Send + Sync + 'static> Reporter for TitleAndJson<F> {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        let json = serde_json::to_string_pretty(report)?;
        (self.0)(&report.title, &json);
        Ok(())
    }
}

/// A report as one line: `macaron: <title> (error_id=…, route=…, code=…)`,
/// the parts there are. Control characters are escaped, so that a text
/// from a request cannot forge a line of its own.
pub(crate) fn stderr_line(report: &CrashReport) -> String {
    let mut parts = Vec::new();
    if let Some(error_id) = &report.error_id {
        parts.push(format!("error_id={error_id}"));
    }
    if let Some(route) = report
        .request
        .as_ref()
        .and_then(|request| request.route.as_ref())
    {
        parts.push(format!("route={route}"));
    }
    if let Some(error) = &report.error {
        parts.push(format!("code={}", error.code));
    }
    let mut line = format!("macaron: {}", report.title);
    if !parts.is_empty() {
        line.push_str(&format!(" ({})", parts.join(", ")));
    }
    crate::log::escape_controls(&line)
}
