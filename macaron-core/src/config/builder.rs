//! The builder of a [`Config`]: every setting, its default and what it
//! governs.

use super::{
    Config, Policies, Reporting, DEFAULT_MAX_TEXT_BYTES, DEFAULT_REPORT_TIMEOUT,
    DEFAULT_REPORT_WINDOW, NO_ERROR_REPORTING,
};
use crate::handlers::ErrorHandlers;
use crate::report::{DefaultReporter, ReportGroups, Reporter, TitleAndJson};
use crate::{Error, ErrorBody, ErrorRef, ProblemJson, RequestInfo};
use http::HeaderName;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Builds a [`Config`]; every setting has a default.
pub struct ConfigBuilder {
    policies: Policies,
    reporting: Reporting,
    /// `None` until set: then it depends on the reporter.
    report_window: Option<Option<Duration>>,
}

impl ConfigBuilder {
    /// A builder with the defaults.
    pub(super) fn new() -> Self {
        ConfigBuilder {
            policies: Policies {
                reporter: Arc::new(DefaultReporter::default()),
                reporter_is_default: true,
                report_queue: OnceLock::new(),
                report_timeout: DEFAULT_REPORT_TIMEOUT,
                report_groups: None,
                reporting: true,
                decorator: None,
                handlers: ErrorHandlers::default(),
                debug: false,
                report_call_exceeding_ms: 1000,
                redacted_headers: [
                    "authorization",
                    "cookie",
                    "set-cookie",
                    "x-api-key",
                    "proxy-authorization",
                ]
                .into_iter()
                .map(HeaderName::from_static)
                .collect(),
                report_client_errors: false,
                include_description: true,
                source_text: false,
                max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
                service: None,
                problem_json: ProblemJson::OnRequest,
                docs_url_base: None,
                docs_url_key: None,
            },
            reporting: Reporting::Auto,
            report_window: None,
        }
    }

    /// Where crash reports go (default: `TracingReporter` with the `tracing`
    /// feature, else [`StderrReporter`](crate::StderrReporter)).
    #[must_use]
    pub fn reporter(mut self, reporter: impl Reporter) -> Self {
        self.policies.reporter = Arc::new(reporter);
        self.policies.reporter_is_default = false;
        self
    }

    /// PyMacaron's `error_reporter`: called with a title and the whole
    /// report as pretty JSON.
    #[must_use]
    pub fn error_reporter(self, reporter: impl Fn(&str, &str) + Send + Sync + 'static) -> Self {
        self.reporter(TitleAndJson(reporter))
    }

    /// Groups the reports of one failure during an outage: within `window`
    /// of a failure's first report, the reports of the same failure (same
    /// code and status, route, and panic location or error type) are
    /// counted instead of sent, and go out as one summary report when the
    /// window closes, titled `N more since <time>: <title>` and carrying
    /// the last of them. `None` sends every report. The default is a
    /// window of [`DEFAULT_REPORT_WINDOW`] for every reporter but the
    /// default one, whose lines or `tracing` events stay one per failure
    /// (as do the `tracing` events every report also makes with the
    /// `tracing` feature).
    ///
    /// ```
    /// use macaron_core::{Config, CrashReport, Error, Reporting};
    /// use std::sync::{Arc, Mutex};
    /// use std::time::Duration;
    ///
    /// let titles = Arc::new(Mutex::new(Vec::new()));
    /// let sink = titles.clone();
    /// let config = Config::builder()
    ///     .reporting(Reporting::On)
    ///     .error_reporter(move |title, _report| sink.lock().unwrap().push(title.to_owned()))
    ///     .group_reports(Some(Duration::from_millis(200)))
    ///     .build();
    /// for _ in 0..100 {
    ///     config.respond(&Error::msg("the database is down"), None);
    /// }
    /// assert_eq!(config.grouped_reports(), 99);
    /// # while titles.lock().unwrap().len() < 2 { std::thread::sleep(Duration::from_millis(10)); }
    /// // When the window has closed:
    /// let titles = titles.lock().unwrap();
    /// assert_eq!(titles[0], "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: the database is down");
    /// assert!(titles[1].starts_with("99 more since "));
    /// ```
    #[must_use]
    pub fn group_reports(mut self, window: Option<Duration>) -> Self {
        self.report_window = Some(window);
        self
    }

    /// How long a response waits at most for a reporter that may block
    /// (see [`Reporter::is_non_blocking`]; default
    /// [`DEFAULT_REPORT_TIMEOUT`]). Such a reporter runs on a thread of its
    /// own, fed by a queue of [`REPORT_QUEUE_CAPACITY`](crate::REPORT_QUEUE_CAPACITY) reports: a response
    /// waits for its report to be delivered, so that the id the reporter
    /// gives it can be in the body, but never longer than this. When a wait
    /// runs out the report is still delivered, later, and the responses
    /// that follow do not wait until the reporter has caught up. When the
    /// queue is full, reports are dropped and counted
    /// ([`Config::dropped_reports`]). `Duration::ZERO` never waits.
    ///
    /// ```
    /// use macaron_core::{Config, CrashReport, Error, Reporting};
    /// use std::time::Duration;
    ///
    /// let config = Config::builder()
    ///     .reporting(Reporting::On)
    ///     .reporter(|_: &CrashReport| {
    ///         std::thread::sleep(Duration::from_secs(3)); // a mail server, down
    ///         Ok(())
    ///     })
    ///     .report_timeout(Duration::from_millis(100))
    ///     .build();
    /// let response = config.respond(&Error::msg("boom"), None);
    /// assert_eq!(response.status(), 500); // after 100 ms, not 3 s
    /// ```
    #[must_use]
    pub fn report_timeout(mut self, timeout: Duration) -> Self {
        self.policies.report_timeout = timeout;
        self
    }

    /// Switches reports on or off ([`Reporting::Auto`] by default).
    #[must_use]
    pub fn reporting(mut self, reporting: Reporting) -> Self {
        self.reporting = reporting;
        self
    }

    /// PyMacaron's `error_decorator`: sees every error body before it is
    /// sent, with the error and the request when known, and may change it.
    /// The status is taken back from the body afterwards; a status that is
    /// not 400..=599 is refused (the original is kept) and reported. A
    /// decorator that panics leaves the body undecorated, and is reported.
    #[must_use]
    pub fn decorator(
        mut self,
        decorator: impl Fn(&mut ErrorBody, ErrorRef<'_>, Option<&RequestInfo>) + Send + Sync + 'static,
    ) -> Self {
        self.policies.decorator = Some(Arc::new(decorator));
        self
    }

    /// What an error of type `E` that nobody declared becomes (Flask-RESTPlus's
    /// `@api.errorhandler`): a declared error (`Some`), or the unhandled 500
    /// as before (`None`). The handler applies wherever the error is:
    /// returned directly, through `?`, under `.context(...)`, inside an
    /// anyhow error or as the source of another. Handlers are tried in the
    /// order they were added, against the error and then each of its
    /// sources; a router's own (`MacaronLayer::map_error`, and the actix-web
    /// middleware's) come first. A handler that panics leaves the error
    /// unhandled, and is reported. The crash report of a mapped 5xx keeps
    /// the original error's type, text and causes.
    ///
    /// ```
    /// use macaron_core::{Config, Error};
    ///
    /// macaron_core::define_errors! {
    ///     NotFound(status = 404);
    /// }
    ///
    /// let config = Config::builder()
    ///     .map_error(|error: &std::io::Error| {
    ///         (error.kind() == std::io::ErrorKind::NotFound)
    ///             .then(|| NotFound::new("no such file").into())
    ///     })
    ///     .build();
    /// let missing = Error::from(std::fs::read("/no/such/file").unwrap_err());
    /// let response = config.respond(&missing, None);
    /// assert_eq!(response.status(), 404);
    /// ```
    #[must_use]
    pub fn map_error<E: std::error::Error + 'static>(
        mut self,
        handler: impl Fn(&E) -> Option<Error> + Send + Sync + 'static,
    ) -> Self {
        self.policies.handlers.map(handler);
        self
    }

    /// What every error that is neither declared nor taken by a
    /// [`map_error`](Self::map_error) handler becomes, in place of the
    /// unhandled 500 (Flask-RESTPlus's `@api.errorhandler` without
    /// arguments): for a service with a generic body of its own.
    ///
    /// ```
    /// use macaron_core::{abort, Config, Error};
    /// use http::StatusCode;
    ///
    /// let config = Config::builder()
    ///     .map_unhandled(|_| abort(StatusCode::INTERNAL_SERVER_ERROR).with_code("OOPS").into())
    ///     .build();
    /// let response = config.respond(&Error::msg("boom"), None);
    /// assert!(String::from_utf8_lossy(response.body()).starts_with(r#"{"error":"OOPS""#));
    /// ```
    #[must_use]
    pub fn map_unhandled(
        mut self,
        handler: impl Fn(ErrorRef<'_>) -> Error + Send + Sync + 'static,
    ) -> Self {
        self.policies.handlers.map_unhandled(handler);
        self
    }

    /// Debug mode (Pico's): bodies carry a `__debug__` object with the
    /// error's type, text, causes and backtrace. Off by default, and only
    /// this setting turns it on: nothing in a request can. **Never enable
    /// it on a public service**: it sends internal details, secrets
    /// included, to clients.
    #[must_use]
    pub fn debug(mut self, debug: bool) -> Self {
        self.policies.debug = debug;
        self
    }

    /// Calls slower than this send a non-fatal report (default 1000 ms).
    #[must_use]
    pub fn report_call_exceeding_ms(mut self, limit: u64) -> Self {
        self.policies.report_call_exceeding_ms = limit;
        self
    }

    /// One more request header whose value reports never show (beside
    /// `authorization`, `cookie`, `set-cookie`, `x-api-key`,
    /// `proxy-authorization`). An invalid name is ignored.
    #[must_use]
    pub fn redact_header(mut self, name: &str) -> Self {
        if let Ok(name) = HeaderName::try_from(name.to_ascii_lowercase()) {
            self.policies.redacted_headers.push(name);
        }
        self
    }

    /// Whether 4xx responses send a non-fatal report (default: no).
    #[must_use]
    pub fn report_client_errors(mut self, report: bool) -> Self {
        self.policies.report_client_errors = report;
        self
    }

    /// Whether the descriptions of declared 5xx errors reach clients
    /// (Flask-RESTPlus' `ERROR_INCLUDE_MESSAGE`; default: yes). When not,
    /// clients get the status' reason phrase; the report keeps the real
    /// one. Errors nobody declared never send theirs.
    #[must_use]
    pub fn include_description(mut self, include: bool) -> Self {
        self.policies.include_description = include;
        self
    }

    /// Whether a declared 5xx whose description or user message shows its
    /// source's text (`#[error("parse failed: {source}", status = 500)]`)
    /// sends that text to clients (default: no). A source is usually a
    /// library's error: its text can name files, hosts, queries or
    /// credentials, and a client of a 5xx can do nothing with it. When not,
    /// clients get the status' reason phrase as the description and no user
    /// message; `Display` and the crash report keep the text. Turn it on
    /// only where every client is trusted.
    ///
    /// ```
    /// use macaron_core::{ApiError, Config, Error, ErrorBody};
    ///
    /// #[derive(Debug, ApiError)]
    /// #[error("parse failed: {source}", status = 500)]
    /// struct ParseFailed {
    ///     source: std::num::ParseIntError,
    /// }
    ///
    /// let error = Error::from(ParseFailed { source: "x".parse::<u8>().unwrap_err() });
    /// let body = |config: Config| -> ErrorBody {
    ///     serde_json::from_slice(config.respond(&error, None).body()).unwrap()
    /// };
    /// assert_eq!(body(Config::default()).error_description, "Internal Server Error");
    /// assert_eq!(
    ///     body(Config::builder().source_text(true).build()).error_description,
    ///     "parse failed: invalid digit found in string"
    /// );
    /// ```
    #[must_use]
    pub fn source_text(mut self, shown: bool) -> Self {
        self.policies.source_text = shown;
        self
    }

    /// The most bytes of any one text that a served response or a report
    /// carries (default [`DEFAULT_MAX_TEXT_BYTES`]), so that a field an
    /// attacker controls cannot blow up responses and reports. In bodies
    /// (the code, description, user message, and every string and key of
    /// extra data) and in reports (the error's texts, its chain and
    /// context, the request's path, query and header values, what was
    /// caught), a longer text is cut at a character boundary and ends with
    /// [`TRUNCATION_MARK`](crate::TRUNCATION_MARK). A longer response header
    /// value is left out and reported: cut, it would mean something else.
    /// `ApiError::to_response` alone does not cut: the limit applies where
    /// errors are served.
    ///
    /// ```
    /// use macaron_core::{abort, Config, Error, ErrorBody, TRUNCATION_MARK};
    /// use http::StatusCode;
    ///
    /// let config = Config::builder().max_text_bytes(9).build();
    /// let error = Error::new(abort(StatusCode::BAD_REQUEST).with_message("é".repeat(10)));
    /// let body: ErrorBody = serde_json::from_slice(config.respond(&error, None).body()).unwrap();
    /// assert_eq!(body.error_description, format!("éééé{TRUNCATION_MARK}"));
    /// ```
    #[must_use]
    pub fn max_text_bytes(mut self, bytes: usize) -> Self {
        self.policies.max_text_bytes = bytes;
        self
    }

    /// When responses are RFC 9457 problem details
    /// (`application/problem+json`) instead of the PyMacaron model: when
    /// the request's `Accept` asks for them (the default), always, or
    /// never.
    #[must_use]
    pub fn problem_json(mut self, when: ProblemJson) -> Self {
        self.policies.problem_json = when;
        self
    }

    /// Where each code is documented: its URL is `base` followed by the
    /// code (percent-encoded where a URL needs it), such as
    /// `https://example.com/errors#` for the reference page
    /// [`catalog::reference_html`](crate::catalog::reference_html) renders,
    /// one anchor per code. Problem details' `type` is that URL (else
    /// `about:blank`); with [`docs_url_key`](Self::docs_url_key), PyMacaron
    /// bodies carry it too.
    ///
    /// ```
    /// use macaron_core::{Config, Error, ProblemJson};
    /// use http::StatusCode;
    ///
    /// let config = Config::builder()
    ///     .docs_url_base("https://example.com/errors#")
    ///     .problem_json(ProblemJson::Always)
    ///     .build();
    /// assert_eq!(
    ///     config.docs_url("NOT_FOUND").as_deref(),
    ///     Some("https://example.com/errors#NOT_FOUND")
    /// );
    /// let response = config.respond(&Error::new(macaron_core::abort(StatusCode::NOT_FOUND)), None);
    /// let problem: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    /// assert_eq!(problem["type"], "https://example.com/errors#NOT_FOUND");
    /// ```
    #[must_use]
    pub fn docs_url_base(mut self, base: impl Into<String>) -> Self {
        self.policies.docs_url_base = Some(base.into());
        self
    }

    /// The body key under which PyMacaron bodies carry the code's
    /// documentation URL, with [`docs_url_base`](Self::docs_url_base)
    /// (Flask-RESTPlus and many APIs use a `help` or `docs` link). An
    /// error's own data under the same key wins. Problem details carry
    /// the URL as `type` instead.
    ///
    /// ```
    /// use macaron_core::{Config, Error};
    /// use http::StatusCode;
    ///
    /// let config = Config::builder()
    ///     .docs_url_base("https://example.com/errors#")
    ///     .docs_url_key("docs_url")
    ///     .build();
    /// let response = config.respond(&Error::new(macaron_core::abort(StatusCode::NOT_FOUND)), None);
    /// let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    /// assert_eq!(body["docs_url"], "https://example.com/errors#NOT_FOUND");
    /// ```
    #[must_use]
    pub fn docs_url_key(mut self, key: impl Into<String>) -> Self {
        self.policies.docs_url_key = Some(key.into());
        self
    }

    /// The base of problem `type` URIs: the former name of
    /// [`docs_url_base`](Self::docs_url_base), which every code's
    /// documentation URL now uses.
    #[deprecated(note = "use `docs_url_base`, the base of every code's documentation URL")]
    #[must_use]
    pub fn problem_type_base(self, base: impl Into<String>) -> Self {
        self.docs_url_base(base)
    }

    /// The service's name and version, for reports: usually
    /// `.service(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))`.
    #[must_use]
    pub fn service(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.policies.service = Some((name.into(), version.into()));
        self
    }

    /// The configuration.
    pub fn build(mut self) -> Config {
        let window = self.report_window.unwrap_or(
            // The default reporter's lines stay one per failure unless asked.
            (!self.policies.reporter_is_default).then_some(DEFAULT_REPORT_WINDOW),
        );
        self.policies.report_groups = window.map(ReportGroups::new);
        self.policies.reporting = match self.reporting {
            Reporting::On => true,
            Reporting::Off => false,
            Reporting::Auto => std::env::var_os(NO_ERROR_REPORTING).is_none(),
        };
        Config {
            inner: Arc::new(self.policies),
        }
    }
}
