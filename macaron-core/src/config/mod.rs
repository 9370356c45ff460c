//! The runtime policies around errors: what [`Config::respond`] applies.
//! `builder` holds the settings that decide them, with their defaults.

use crate::handlers::ErrorHandlers;
use crate::report::{ReportGroups, ReportQueue, Reporter};
use crate::{ErrorBody, ErrorRef, ProblemJson, RequestInfo};
use http::HeaderName;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

mod builder;
pub use builder::ConfigBuilder;

/// The environment variable that switches reporting off (PyMacaron's
/// `NO_ERROR_REPORTING`), unless the configuration forces it on.
pub const NO_ERROR_REPORTING: &str = "MACARON_NO_ERROR_REPORTING";

/// Whether crash reports are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reporting {
    /// On, unless the environment variable [`NO_ERROR_REPORTING`] is set.
    #[default]
    Auto,
    /// Always on.
    On,
    /// Always off.
    Off,
}

pub(crate) type Decorator =
    dyn Fn(&mut ErrorBody, ErrorRef<'_>, Option<&RequestInfo>) + Send + Sync;

/// The runtime policies around errors. Cheap to clone (shared inside).
///
/// Build one with [`Config::builder`], then either pass it to a framework
/// adapter or [`install`](Config::install) it for the whole process:
///
/// ```
/// use macaron_core::{Config, CrashReport};
///
/// let config = Config::builder()
///     .service(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
///     .error_reporter(|title: &str, report: &str| eprintln!("{title}\n{report}"))
///     .report_call_exceeding_ms(5000)
///     .redact_header("x-session")
///     .build();
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) inner: Arc<Policies>,
}

pub(crate) struct Policies {
    pub(crate) reporter: Arc<dyn Reporter>,
    /// The reporter is the default one: with the `tracing` feature, its
    /// report is the `tracing` event itself, no second event.
    pub(crate) reporter_is_default: bool,
    /// The thread a reporter that may block runs on, started with the
    /// first report.
    pub(crate) report_queue: OnceLock<ReportQueue>,
    pub(crate) report_timeout: Duration,
    /// `None` when every report goes out.
    pub(crate) report_groups: Option<ReportGroups>,
    pub(crate) reporting: bool,
    pub(crate) decorator: Option<Arc<Decorator>>,
    pub(crate) handlers: ErrorHandlers,
    pub(crate) debug: bool,
    pub(crate) report_call_exceeding_ms: u64,
    pub(crate) redacted_headers: Vec<HeaderName>,
    pub(crate) report_client_errors: bool,
    pub(crate) include_description: bool,
    pub(crate) source_text: bool,
    pub(crate) max_text_bytes: usize,
    pub(crate) service: Option<(String, String)>,
    pub(crate) problem_json: ProblemJson,
    pub(crate) docs_url_base: Option<String>,
    pub(crate) docs_url_key: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::builder().build()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let policies = &self.inner;
        formatter
            .debug_struct("Config")
            .field("reporting", &policies.reporting)
            .field("report_timeout", &policies.report_timeout)
            .field("decorator", &policies.decorator.is_some())
            .field("error_handlers", &!policies.handlers.is_empty())
            .field("debug", &policies.debug)
            .field(
                "report_call_exceeding_ms",
                &policies.report_call_exceeding_ms,
            )
            .field("redacted_headers", &policies.redacted_headers)
            .field("report_client_errors", &policies.report_client_errors)
            .field("include_description", &policies.include_description)
            .field("source_text", &policies.source_text)
            .field("max_text_bytes", &policies.max_text_bytes)
            .field("service", &policies.service)
            .field("problem_json", &policies.problem_json)
            .field("docs_url_base", &policies.docs_url_base)
            .field("docs_url_key", &policies.docs_url_key)
            .finish()
    }
}

impl Config {
    /// A builder with the defaults.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::new()
    }

    /// The documentation URL of `code`, with a
    /// [`docs_url_base`](ConfigBuilder::docs_url_base).
    pub fn docs_url(&self, code: &str) -> Option<String> {
        let base = self.inner.docs_url_base.as_deref()?;
        Some(crate::docs_url::docs_url(base, code))
    }

    /// The service's name, as set by [`service`](ConfigBuilder::service).
    pub fn service_name(&self) -> Option<&str> {
        self.inner.service.as_ref().map(|(name, _)| name.as_str())
    }

    /// Whether debug mode is on.
    pub fn is_debug(&self) -> bool {
        self.inner.debug
    }

    /// How many reports were dropped because the queue to a reporter that
    /// may block was full (see
    /// [`report_timeout`](ConfigBuilder::report_timeout)).
    pub fn dropped_reports(&self) -> u64 {
        self.inner
            .report_queue
            .get()
            .map_or(0, ReportQueue::dropped)
    }

    /// How many reports were counted into the summary of their failure
    /// instead of going out on their own (see
    /// [`group_reports`](ConfigBuilder::group_reports)). With the reports
    /// delivered and [`dropped_reports`](Self::dropped_reports), it
    /// accounts for every report.
    pub fn grouped_reports(&self) -> u64 {
        self.inner
            .report_groups
            .as_ref()
            .map_or(0, ReportGroups::counted)
    }

    /// The slow-call limit, in milliseconds.
    pub fn report_call_exceeding_ms(&self) -> u64 {
        self.inner.report_call_exceeding_ms
    }
}

/// The default window of [`ConfigBuilder::group_reports`]: a minute.
pub const DEFAULT_REPORT_WINDOW: Duration = Duration::from_secs(60);

/// The default of [`ConfigBuilder::report_timeout`]: half a second.
pub const DEFAULT_REPORT_TIMEOUT: Duration = Duration::from_millis(500);

/// How many reports the queue to a reporter that may block holds (see
/// [`ConfigBuilder::report_timeout`]).
pub const REPORT_QUEUE_CAPACITY: usize = 1024;

/// The default of [`ConfigBuilder::max_text_bytes`]: 8 KiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 8 * 1024;
