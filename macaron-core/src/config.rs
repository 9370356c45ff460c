//! One `Config` value holds every runtime policy, and renders errors
//! through them: error ids, the decorator, debug mode, crash reports and
//! slow-call reports.

use crate::problem::{accepts_problem_json, ProblemDetails, ProblemJson, PROBLEM_JSON};
use crate::report::{
    deliver, new_error_id, panic_message, trace_report, CrashReport, ReportQueue, ReportedError,
    ReportedRequest, Reporter, ServerInfo, TitleAndJson, TracingReporter,
};
use crate::{__private, json, Caught, ErrorBody, ErrorRef};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, Method, Response, StatusCode, Uri};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// The environment variable that switches reporting off (PyMacaron's
/// `NO_ERROR_REPORTING`), unless the configuration forces it on.
pub const NO_ERROR_REPORTING: &str = "MACARON_NO_ERROR_REPORTING";

/// The request an error happened in, as far as reports and decorators need
/// it. Framework adapters build it; so can anyone with `http` types.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RequestInfo {
    /// The method.
    pub method: Method,
    /// The URI: path and query.
    pub uri: Uri,
    /// The headers (redacted in reports, not here).
    pub headers: HeaderMap,
    /// The route pattern the framework matched, such as `/users/{id}`.
    route: Option<Route>,
    /// When the request arrived: calls are timed from here.
    pub(crate) arrived: Arrival,
}

impl RequestInfo {
    /// A request that arrives now.
    #[inline]
    pub fn new(method: Method, uri: Uri, headers: HeaderMap) -> Self {
        RequestInfo {
            method,
            uri,
            headers,
            route: None,
            arrived: Arrival::now(),
        }
    }

    /// When the request arrived, by the wall clock.
    pub fn started(&self) -> SystemTime {
        SystemTime::now() - self.arrived.elapsed()
    }

    /// How long ago the request arrived, to within a few milliseconds.
    #[inline]
    pub fn elapsed(&self) -> Duration {
        self.arrived.elapsed()
    }

    /// The same request with the framework's route pattern.
    #[must_use]
    pub fn with_route(mut self, route: impl Into<String>) -> Self {
        self.route = Some(Route::Given(route.into()));
        self
    }

    /// The route pattern the framework matched, such as `/users/{id}`.
    pub fn route(&self) -> Option<&str> {
        self.route.as_ref().map(|route| match route {
            Route::Given(route) => route.as_str(),
            #[cfg(feature = "axum")]
            Route::Matched(path) => path.as_str(),
        })
    }

    /// A copy of `request`'s method, URI and headers, arriving now, with
    /// the route pattern the framework matched when it says (axum does, to
    /// a layer added with `Router::layer`; the pattern is kept as axum
    /// shares it, without a copy).
    // Inlined, and a literal rather than `new` with the route set after or
    // given by struct update, which measured slower: the copy is written
    // where the layer's future keeps it rather than moved there.
    #[cfg(feature = "tower")]
    #[inline]
    pub(crate) fn of_request<B>(request: &http::Request<B>) -> Self {
        #[cfg(feature = "axum")]
        let route = request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|path| Route::Matched(path.clone()));
        #[cfg(not(feature = "axum"))]
        let route = None;
        RequestInfo {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: request.headers().clone(),
            route,
            arrived: Arrival::now(),
        }
    }

    /// The call id propagated between services in `x-call-id`.
    pub fn call_id(&self) -> Option<&str> {
        self.headers
            .get("x-call-id")
            .and_then(|value| value.to_str().ok())
    }
}

/// When a request arrived, on a clock that is cheap to read: Linux's
/// coarse monotonic clock costs a few nanoseconds where the precise one
/// costs fifty on a virtual machine, and ticks every few milliseconds,
/// which is precise enough for limits in milliseconds. Every request reads
/// it twice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arrival(
    #[cfg(target_os = "linux")] Duration,
    #[cfg(not(target_os = "linux"))] Instant,
);

// Inlined (with `RequestInfo::new` and `elapsed`) into the generic layer
// code of the crate that serves: read on every request, where a call into
// this crate measured slower.
impl Arrival {
    #[inline]
    pub(crate) fn now() -> Self {
        #[cfg(target_os = "linux")]
        return Arrival(coarse_monotonic());
        #[cfg(not(target_os = "linux"))]
        return Arrival(Instant::now());
    }

    /// The arrival `elapsed` before now.
    fn ago(elapsed: Duration) -> Self {
        #[cfg(target_os = "linux")]
        return Arrival(coarse_monotonic().saturating_sub(elapsed));
        #[cfg(not(target_os = "linux"))]
        return Arrival(
            Instant::now()
                .checked_sub(elapsed)
                .unwrap_or_else(Instant::now),
        );
    }

    #[inline]
    pub(crate) fn elapsed(self) -> Duration {
        #[cfg(target_os = "linux")]
        return coarse_monotonic().saturating_sub(self.0);
        #[cfg(not(target_os = "linux"))]
        return self.0.elapsed();
    }
}

#[cfg(target_os = "linux")]
#[inline]
fn coarse_monotonic() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is one
    // Linux has had since 2.6.32. On failure `now` stays zero.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// A route pattern: given, or as the framework matched it.
#[derive(Debug, Clone)]
enum Route {
    Given(String),
    #[cfg(feature = "axum")]
    Matched(axum::extract::MatchedPath),
}

impl From<&http::request::Parts> for RequestInfo {
    fn from(parts: &http::request::Parts) -> Self {
        RequestInfo::new(
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.clone(),
        )
    }
}

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

type Decorator = dyn Fn(&mut ErrorBody, ErrorRef<'_>, Option<&RequestInfo>) + Send + Sync;

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
    inner: Arc<Policies>,
}

struct Policies {
    reporter: Arc<dyn Reporter>,
    /// The reporter is the default one, whose report is the `tracing`
    /// event itself: no second event.
    reporter_is_tracing: bool,
    /// The thread a reporter that may block runs on, started with the
    /// first report.
    report_queue: OnceLock<ReportQueue>,
    report_timeout: Duration,
    reporting: bool,
    decorator: Option<Arc<Decorator>>,
    debug: bool,
    report_call_exceeding_ms: u64,
    redacted_headers: Vec<HeaderName>,
    report_client_errors: bool,
    include_description: bool,
    max_text_bytes: usize,
    service: Option<(String, String)>,
    problem_json: ProblemJson,
    problem_type_base: Option<String>,
}

/// Builds a [`Config`]; every setting has a default.
pub struct ConfigBuilder {
    policies: Policies,
    reporting: Reporting,
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
            .field("debug", &policies.debug)
            .field(
                "report_call_exceeding_ms",
                &policies.report_call_exceeding_ms,
            )
            .field("redacted_headers", &policies.redacted_headers)
            .field("report_client_errors", &policies.report_client_errors)
            .field("include_description", &policies.include_description)
            .field("max_text_bytes", &policies.max_text_bytes)
            .field("service", &policies.service)
            .field("problem_json", &policies.problem_json)
            .field("problem_type_base", &policies.problem_type_base)
            .finish()
    }
}

impl ConfigBuilder {
    /// Where crash reports go (default: [`TracingReporter`]).
    #[must_use]
    pub fn reporter(mut self, reporter: impl Reporter) -> Self {
        self.policies.reporter = Arc::new(reporter);
        self.policies.reporter_is_tracing = false;
        self
    }

    /// PyMacaron's `error_reporter`: called with a title and the whole
    /// report as pretty JSON.
    #[must_use]
    pub fn error_reporter(self, reporter: impl Fn(&str, &str) + Send + Sync + 'static) -> Self {
        self.reporter(TitleAndJson(reporter))
    }

    /// How long a response waits at most for a reporter that may block
    /// (see [`Reporter::is_non_blocking`]; default
    /// [`DEFAULT_REPORT_TIMEOUT`]). Such a reporter runs on a thread of its
    /// own, fed by a queue of [`REPORT_QUEUE_CAPACITY`] reports: a response
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

    /// The most bytes of a description or user message that a served
    /// response or a report carries (default [`DEFAULT_MAX_TEXT_BYTES`]):
    /// a longer text is cut at a character boundary and ends with
    /// [`TRUNCATION_MARK`], so that a field an attacker controls cannot blow
    /// up responses and reports. `ApiError::to_response` alone does not
    /// cut: the limit applies where errors are served.
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

    /// The base of problem `type` URIs: `type` is the base followed by the
    /// code (`https://example.com/errors/` gives
    /// `https://example.com/errors/UNKNOWN_USER`). Without it, `about:blank`.
    #[must_use]
    pub fn problem_type_base(mut self, base: impl Into<String>) -> Self {
        self.policies.problem_type_base = Some(base.into());
        self
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

static GLOBAL: RwLock<Option<Config>> = RwLock::new(None);

/// The scope in effect: borrowed, not cloned, because it is set and reset
/// on every poll of every handler and read only when an error happens.
type ScopeRef = (NonNull<Config>, Option<NonNull<RequestScope>>);

thread_local! {
    /// The innermost scope: its configuration, and the request being served
    /// when an adapter set it. It points at values that [`scoped`] borrows
    /// for as long as it is set. A `Cell` of plain data, so that setting it
    /// costs no more than a store.
    static SCOPED: Cell<Option<ScopeRef>> = const { Cell::new(None) };
}

/// The request an adapter is serving, kept in the adapter's future (no
/// allocation per request) and lent to every poll of its handler.
#[derive(Debug)]
pub(crate) struct RequestScope {
    pub(crate) info: RequestInfo,
    /// Set by `#[report_slow]`: the handler times itself, with its own limit.
    pub(crate) handler_timed: std::sync::atomic::AtomicBool,
}

#[cfg(any(feature = "tower", feature = "actix-web"))]
impl RequestScope {
    pub(crate) fn new(info: RequestInfo) -> Self {
        RequestScope {
            info,
            handler_timed: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// Runs `f` with `config` (and `request`) current on this thread.
pub(crate) fn scoped<R>(
    config: &Config,
    request: Option<&RequestScope>,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore(Option<ScopeRef>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SCOPED.with(|scoped| scoped.set(self.0));
        }
    }
    let scope = (NonNull::from(config), request.map(NonNull::from));
    // Restores the enclosing scope on return and on unwinding, before the
    // borrows end.
    let _restore = Restore(SCOPED.with(|scoped| scoped.replace(Some(scope))));
    f()
}

/// `f` of the innermost scope's configuration and request, if any.
pub(crate) fn with_current_scope<R>(
    f: impl FnOnce(Option<(&Config, Option<&RequestScope>)>) -> R,
) -> R {
    let scope = SCOPED.with(Cell::get);
    // SAFETY: a scope is set only while `scoped` borrows what it points at
    // (see there), and this thread is inside that call until `f` returns.
    f(scope.map(|(config, request)| unsafe {
        (config.as_ref(), request.map(|request| request.as_ref()))
    }))
}

/// `f` of the innermost scope's configuration and request, else of the
/// installed configuration (or the defaults) and no request.
pub(crate) fn with_scope_or_global<R>(f: impl FnOnce(&Config, Option<&RequestScope>) -> R) -> R {
    with_current_scope(|scope| match scope {
        Some((config, request)) => f(config, request),
        None => f(&Config::current(), None),
    })
}

impl Config {
    /// A builder with the defaults.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            policies: Policies {
                reporter: Arc::new(TracingReporter),
                reporter_is_tracing: true,
                report_queue: OnceLock::new(),
                report_timeout: DEFAULT_REPORT_TIMEOUT,
                reporting: true,
                decorator: None,
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
                max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
                service: None,
                problem_json: ProblemJson::OnRequest,
                problem_type_base: None,
            },
            reporting: Reporting::Auto,
        }
    }

    /// Makes this the configuration of the whole process (like installing
    /// a logger), for code that has no `Config` in hand, such as
    /// [`report_error`](crate::report_error).
    pub fn install(self) {
        *GLOBAL
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(self);
    }

    /// The configuration in effect here: the innermost [`scope`](Self::scope)
    /// on this thread, else the installed one, else the defaults.
    pub fn current() -> Config {
        if let Some(config) = with_current_scope(|scope| scope.map(|(config, _)| config.clone())) {
            return config;
        }
        let installed = GLOBAL
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        // Built once: serving an error with nothing installed must not
        // build a configuration (and read the environment) every time.
        static DEFAULT: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
        installed.unwrap_or_else(|| DEFAULT.get_or_init(Config::default).clone())
    }

    /// Runs `f` with this configuration as [`current`](Self::current) on
    /// this thread (adapters do this around each handler; tests use it to
    /// stay independent of each other).
    pub fn scope<R>(&self, f: impl FnOnce() -> R) -> R {
        scoped(self, None, f)
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

    /// The slow-call limit, in milliseconds.
    pub fn report_call_exceeding_ms(&self) -> u64 {
        self.inner.report_call_exceeding_ms
    }

    /// The response for `error`, with every policy applied: an `error_id`
    /// in the body (kept if the error carries one), the decorator, debug
    /// mode, and a crash report (fatal for 5xx; for 4xx when configured)
    /// that carries the same id.
    ///
    /// ```
    /// use macaron_core::{Config, CrashReport, Error, Reporting};
    /// use std::sync::{Arc, Mutex};
    ///
    /// let reports = Arc::new(Mutex::new(Vec::new()));
    /// let sink = reports.clone();
    /// let config = Config::builder()
    ///     .reporting(Reporting::On)
    ///     .reporter(move |report: &CrashReport| {
    ///         sink.lock().unwrap().push(report.clone());
    ///         Ok(())
    ///     })
    ///     .build();
    ///
    /// let error = Error::from(std::io::Error::other("password=hunter2 rejected"));
    /// let response = config.respond(&error, None);
    /// let body: macaron_core::ErrorBody = serde_json::from_slice(response.body()).unwrap();
    /// assert_eq!(body.error, "UNHANDLED_SERVER_ERROR");
    /// assert!(!String::from_utf8_lossy(response.body()).contains("hunter2"));
    ///
    /// let reports = reports.lock().unwrap();
    /// assert_eq!(reports[0].title, "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: password=hunter2 rejected");
    /// assert_eq!(reports[0].error_id, body.error_id);
    /// assert_eq!(reports[0].error.as_ref().unwrap().chain, ["password=hunter2 rejected"]);
    /// ```
    pub fn respond<'a>(
        &self,
        error: impl Into<ErrorRef<'a>>,
        request: Option<&RequestInfo>,
    ) -> Response<Bytes> {
        let error = error.into();
        let policies = &*self.inner;
        let error_id = error.error_id().map_or_else(new_error_id, str::to_owned);
        let mut response = error.to_response();
        let status = response.status();
        let hide_description = !policies.include_description
            && status.is_server_error()
            && error.as_api_error().is_some();
        let problem = match policies.problem_json {
            ProblemJson::Always => true,
            ProblemJson::Never => false,
            ProblemJson::OnRequest => {
                request.is_some_and(|request| accepts_problem_json(&request.headers))
            }
        };
        // The body as sent: the model, or problem details.
        let render = |response: &mut Response<Bytes>, body: &ErrorBody| {
            if problem {
                let instance = request.map(|request| request.uri.path());
                let details =
                    ProblemDetails::new(body, policies.problem_type_base.as_deref(), instance);
                *response.body_mut() =
                    serde_json::to_vec(&details).map_or_else(|_| Bytes::new(), Bytes::from);
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static(PROBLEM_JSON),
                );
            } else {
                *response.body_mut() = __private::body_bytes(body);
            }
        };
        let limit = policies.max_text_bytes;
        // A body longer than the limit may hold a text longer than it.
        let may_be_long = response.body().len() > limit;
        let needs_body = policies.decorator.is_some()
            || policies.debug
            || hide_description
            || problem
            || may_be_long
            || response.body().last() != Some(&b'}');
        let sent = if needs_body {
            let mut body = error.to_body();
            body.error_id = Some(error_id.clone());
            truncate(&mut body.error_description, limit);
            if let Some(user_message) = &mut body.user_message {
                truncate(user_message, limit);
            }
            if hide_description {
                body.error_description = status
                    .canonical_reason()
                    .unwrap_or("Server Error")
                    .to_owned();
            }
            if policies.debug {
                body.extra.insert("__debug__".into(), debug_payload(error));
            }
            if let Some(decorator) = &policies.decorator {
                body = self.decorate(body, &**decorator, error, request, &error_id);
            }
            *response.status_mut() = StatusCode::from_u16(body.status).unwrap_or(status);
            render(&mut response, &body);
            Some(body)
        } else {
            let spliced = splice_error_id(response.body(), &error_id);
            *response.body_mut() = spliced;
            None
        };
        let status = response.status();
        if status.is_server_error() || policies.report_client_errors {
            let mut sent = sent.unwrap_or_else(|| {
                let mut body = error.to_body();
                body.error_id = Some(error_id.clone());
                body
            });
            let mut reported = ReportedError::new(error, &sent);
            truncate(&mut reported.description, limit);
            let mut report = self.report(
                format_title(&reported),
                status.is_server_error(),
                request,
                Some(&error_id),
            );
            report.error = Some(reported);
            let report_id = self.send(report);
            // The id the report got where it went, for the client to quote
            // (Pico's `sentry_id`).
            if let (Some(id), Some(key)) = (report_id, policies.reporter.body_key()) {
                sent.extra.insert(key.to_owned(), Value::String(id));
                render(&mut response, &sent);
            }
        }
        response
            .extensions_mut()
            .insert(crate::ServedError::new(error_id));

        response
    }

    fn decorate(
        &self,
        body: ErrorBody,
        decorator: &Decorator,
        error: ErrorRef<'_>,
        request: Option<&RequestInfo>,
        error_id: &str,
    ) -> ErrorBody {
        let mut decorated = body.clone();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            decorator(&mut decorated, error, request)
        }));
        if let Err(panic) = outcome {
            let title = format!("the error decorator panicked: {}", panic_message(&*panic));
            self.report_non_fatal(&title, None, request, Some(error_id));
            return body;
        }
        // The id links the body to its report: it is not the decorator's.
        decorated.error_id = body.error_id;
        if !(400..=599).contains(&decorated.status) {
            let title = format!(
                "the error decorator set the status {}, which is not an error status; {} was kept",
                decorated.status, body.status
            );
            self.report_non_fatal(&title, None, request, Some(error_id));
            decorated.status = body.status;
        }
        decorated
    }

    /// A non-fatal report titled `NON-FATAL BACKEND ERROR: <title>`, with
    /// what was caught (an error, an [`Error`](crate::Error), an [`ErrorBody`]).
    pub fn report_error(&self, title: &str, caught: Option<&dyn Caught>) {
        self.report_non_fatal(title, caught.map(Caught::to_report_json), None, None);
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

    fn report_non_fatal(
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
    fn report(
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
            server: ServerInfo::current(policies.service.as_ref()),
        }
    }

    /// Sends the report, if reporting is on; returns the id the reporter
    /// gave it, if any, within the report timeout.
    fn send(&self, report: CrashReport) -> Option<String> {
        let policies = &*self.inner;
        if !policies.reporting {
            return None;
        }
        if !policies.reporter_is_tracing {
            trace_report(&report);
        }
        if policies.reporter.is_non_blocking() {
            return deliver(&*policies.reporter, &report);
        }
        policies
            .report_queue
            .get_or_init(|| ReportQueue::start(policies.reporter.clone(), REPORT_QUEUE_CAPACITY))
            .deliver_within(report, policies.report_timeout)
    }

    /// Starts timing a call named `name`; when the [`CallTimer`] is
    /// finished or dropped after more than `limit_ms` (the configured
    /// limit when `None`), a non-fatal report titled
    /// `NON-FATAL BACKEND ERROR: <name> calltime exceeded <N> millisec!`
    /// is sent. `#[report_slow]` names functions `<fn>()`; the adapters
    /// name requests `<METHOD> <route>`.
    pub fn time_call(
        &self,
        name: impl Into<Cow<'static, str>>,
        limit_ms: Option<u64>,
    ) -> CallTimer {
        CallTimer {
            config: self.clone(),
            name: name.into(),
            limit_ms: limit_ms.unwrap_or(self.inner.report_call_exceeding_ms),
            started: Instant::now(),
            request: None,
            done: false,
        }
    }
}

/// Admins read titles: they get the error's real description (an
/// unhandled error's own text, a hidden 5xx description), not what
/// clients got.
fn format_title(error: &ReportedError) -> String {
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

/// Pico's `__debug__`: type, text, causes, stack.
fn debug_payload(error: ErrorRef<'_>) -> Value {
    let chain = error.chain();
    let stack_trace: Vec<String> = captured_backtrace(error)
        .map(|backtrace| backtrace.lines().map(str::to_owned).collect())
        .unwrap_or_default();

    json!({
        "name": error.type_name(),
        "message": chain.first(),
        "chain": chain.get(1..).unwrap_or_default(),
        "context": error.context(),
        "stack_trace": stack_trace,
    })
}

/// The error's backtrace as text, when one was captured.
pub(crate) fn captured_backtrace(error: ErrorRef<'_>) -> Option<String> {
    let backtrace = error.backtrace()?;
    (backtrace.status() == std::backtrace::BacktraceStatus::Captured).then(|| backtrace.to_string())
}

/// `{...}` -> `{...,"error_id":"<id>"}` without parsing or re-serializing.
fn splice_error_id(body: &[u8], error_id: &str) -> Bytes {
    let mut spliced = json::BodyBuf::new();
    spliced.put(&body[..body.len() - 1]);
    spliced.put(b",\"error_id\":\"");
    json::escape_into(&mut spliced, error_id);
    spliced.put(b"\"}");
    spliced.take_bytes()
}

/// A non-fatal report titled `NON-FATAL BACKEND ERROR: <title>`, through
/// the [current](Config::current) configuration (PyMacaron's
/// `report_error`). `caught` is what went wrong, if anything: an error,
/// an [`Error`](crate::Error), or an [`ErrorBody`] received from another service.
///
/// ```
/// use macaron_core::{report_error, ErrorBody};
///
/// let profile: ErrorBody = serde_json::from_str(
///     r#"{"error":"UNKNOWN_USER","error_description":"no such user","status":404}"#,
/// ).unwrap();
/// report_error("Oops. Failed to get user profile", Some(&profile));
/// report_error("Retrying the payment", None);
/// ```
pub fn report_error(title: &str, caught: Option<&dyn Caught>) {
    with_scope_or_global(|config, request| {
        config.report_non_fatal(
            title,
            caught.map(Caught::to_report_json),
            request.map(|request| &request.info),
            None,
        );
    });
}

/// Reports, non-fatally, a response header dropped because its value is
/// not a valid header value (a CR or LF, say): the response is still sent,
/// without it. The value itself stays out of the report's title.
pub(crate) fn report_dropped_header(name: &str) {
    report_error(
        &format!("invalid value for response header `{name}` dropped"),
        None,
    );
}

/// Times a call; see [`Config::time_call`]. Reports, if the call was slow,
/// when finished or dropped (a cancelled call is reported too).
#[must_use = "a timer reports when it is finished or dropped"]
pub struct CallTimer {
    config: Config,
    name: Cow<'static, str>,
    limit_ms: u64,
    started: Instant,
    request: Option<RequestInfo>,
    done: bool,
}

impl CallTimer {
    /// Attaches the request being served, for the report.
    pub fn with_request(mut self, request: RequestInfo) -> Self {
        self.request = Some(request);
        self
    }

    /// Stops timing and reports if the call was slow; returns how long it
    /// took.
    pub fn finish(mut self) -> Duration {
        self.check()
    }

    fn check(&mut self) -> Duration {
        let elapsed = self.started.elapsed();
        if self.done {
            return elapsed;
        }
        self.done = true;
        if elapsed > Duration::from_millis(self.limit_ms) {
            // The report's start is the call's, not the request's.
            let request = self.request.take().map(|request| RequestInfo {
                arrived: Arrival::ago(elapsed),
                ..request
            });
            self.config
                .report_slow_call(&self.name, self.limit_ms, request.as_ref());
        }
        elapsed
    }
}

impl Drop for CallTimer {
    fn drop(&mut self) {
        self.check();
    }
}

impl fmt::Debug for CallTimer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("CallTimer")
            .field("name", &self.name)
            .field("limit_ms", &self.limit_ms)
            .field("elapsed", &self.started.elapsed())
            .finish()
    }
}

/// The default of [`ConfigBuilder::report_timeout`]: half a second.
pub const DEFAULT_REPORT_TIMEOUT: Duration = Duration::from_millis(500);

/// How many reports the queue to a reporter that may block holds (see
/// [`ConfigBuilder::report_timeout`]).
pub const REPORT_QUEUE_CAPACITY: usize = 1024;

/// The default of [`ConfigBuilder::max_text_bytes`]: 8 KiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 8 * 1024;

/// What ends a description or user message cut at
/// [`ConfigBuilder::max_text_bytes`].
pub const TRUNCATION_MARK: &str = "… [truncated]";

/// Cuts `text` to at most `limit` bytes, at a character boundary, then
/// appends [`TRUNCATION_MARK`].
fn truncate(text: &mut String, limit: usize) {
    if text.len() <= limit {
        return;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(TRUNCATION_MARK);
}
