//! Crash reports: what happened, to whom, where and when, for the people
//! who run the service. Reports may hold secrets; responses never do.

use crate::{Error, ErrorBody, ErrorRef};
use http::HeaderMap;
use serde_json::{json, Map, Value};
use std::error::Error as StdError;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A boxed error, as reporters return.
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// One crash report. [`to_json`](Self::to_json) gives the JSON that
/// [`Config::error_reporter`](crate::ConfigBuilder::error_reporter)
/// callbacks receive, pretty-printed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CrashReport {
    /// `FATAL BACKEND ERROR 500 CODE: description` or
    /// `NON-FATAL BACKEND ERROR: title`.
    pub title: String,
    /// Whether a response with a 5xx status was sent.
    pub is_fatal: bool,
    /// The id also sent in the response's `error_id`, when there was one.
    pub error_id: Option<String>,
    /// When it started (the request's arrival, when known) and ended.
    pub start: SystemTime,
    /// When the report was made.
    pub end: SystemTime,
    /// The error, when there is one.
    pub error: Option<ReportedError>,
    /// What `report_error` was given as `caught`.
    pub caught: Option<Value>,
    /// The request being served, when known.
    pub request: Option<ReportedRequest>,
    /// The call id propagated between services (`x-call-id`), when present.
    pub call_id: Option<String>,
    /// The process that made the report.
    pub server: ServerInfo,
}

/// The error in a report: what the client received, and all the client
/// did not (type, causes, context, backtrace).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportedError {
    /// The code sent.
    pub code: String,
    /// The status sent.
    pub status: u16,
    /// The error's own description: for an error nobody declared, its
    /// text; for a declared one, its description even where clients got
    /// a generic one.
    pub description: String,
    /// The user message sent.
    pub user_message: Option<String>,
    /// The Rust type of the error.
    pub type_name: String,
    /// The error's own text, then its sources' texts.
    pub chain: Vec<String>,
    /// The contexts added with `.context(...)`, oldest first.
    pub context: Vec<String>,
    /// The backtrace, when one was captured.
    pub backtrace: Option<String>,
}

/// The request in a report. Headers named sensitive are redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, when there is one.
    pub query: Option<String>,
    /// The route the framework matched, such as `/users/{id}`.
    pub route: Option<String>,
    /// Header names and values; sensitive values are `<redacted>`.
    pub headers: Vec<(String, String)>,
}

/// The process in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerInfo {
    /// The machine's host name.
    pub hostname: String,
    /// The process id.
    pub pid: u32,
    /// The service's crate name, from `Config::builder().service(...)`.
    pub service: Option<String>,
    /// The service's version.
    pub version: Option<String>,
}

/// What redacted header values are replaced with.
pub const REDACTED: &str = "<redacted>";

impl CrashReport {
    /// The report as JSON: `title`, `is_fatal`, `error_id`, `time` (`start`,
    /// `end`, `duration_us`), `error`, `caught`, `request`, `call_id`,
    /// `server`; absent parts are left out.
    pub fn to_json(&self) -> Value {
        let mut report = Map::new();
        report.insert("title".into(), json!(self.title));
        report.insert("is_fatal".into(), json!(self.is_fatal));
        if let Some(error_id) = &self.error_id {
            report.insert("error_id".into(), json!(error_id));
        }
        let duration = self
            .end
            .duration_since(self.start)
            .unwrap_or(Duration::ZERO);
        report.insert(
            "time".into(),
            json!({
                "start": rfc3339(self.start),
                "end": rfc3339(self.end),
                "duration_us": u64::try_from(duration.as_micros()).unwrap_or(u64::MAX),
            }),
        );
        if let Some(error) = &self.error {
            report.insert(
                "error".into(),
                json!({
                    "code": error.code,
                    "status": error.status,
                    "description": error.description,
                    "user_message": error.user_message,
                    "type": error.type_name,
                    "chain": error.chain,
                    "context": error.context,
                    "backtrace": error.backtrace,
                }),
            );
        }
        if let Some(caught) = &self.caught {
            report.insert("caught".into(), caught.clone());
        }
        if let Some(request) = &self.request {
            let headers: Map<String, Value> = request
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect();
            report.insert(
                "request".into(),
                json!({
                    "method": request.method,
                    "path": request.path,
                    "query": request.query,
                    "route": request.route,
                    "headers": headers,
                }),
            );
        }
        if let Some(call_id) = &self.call_id {
            report.insert("call_id".into(), json!(call_id));
        }
        report.insert(
            "server".into(),
            json!({
                "hostname": self.server.hostname,
                "pid": self.server.pid,
                "service": self.server.service,
                "version": self.server.version,
            }),
        );
        Value::Object(report)
    }
}

impl ReportedError {
    fn real_description(error: ErrorRef<'_>, sent: &ErrorBody) -> String {
        match error.as_api_error() {
            Some(declared) if sent.error == declared.code() => {
                declared.error_description().into_owned()
            }
            Some(_) => sent.error_description.clone(),
            None => error.as_std_error().to_string(),
        }
    }

    pub(crate) fn new(error: ErrorRef<'_>, body: &ErrorBody) -> Self {
        ReportedError {
            code: body.error.clone(),
            status: body.status,
            description: Self::real_description(error, body),
            user_message: body.user_message.clone(),
            type_name: error.type_name().to_owned(),
            chain: error.chain(),
            context: error
                .context()
                .iter()
                .map(|context| context.to_string())
                .collect(),
            backtrace: crate::config::captured_backtrace(error),
        }
    }
}

impl ReportedRequest {
    pub(crate) fn new(request: &crate::RequestInfo, redacted: &[http::HeaderName]) -> Self {
        ReportedRequest {
            method: request.method.to_string(),
            path: request.uri.path().to_owned(),
            query: request.uri.query().map(str::to_owned),
            route: request.route().map(str::to_owned),
            headers: redact(&request.headers, redacted),
        }
    }
}

fn redact(headers: &HeaderMap, redacted: &[http::HeaderName]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if redacted.contains(name) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// What [`report_error`](crate::report_error) can be given as `caught`: an
/// error, a macaron [`Error`], or an [`ErrorBody`] received from another
/// service.
pub trait Caught {
    /// The caught thing, as JSON for the report.
    fn to_report_json(&self) -> Value;
}

impl<E: StdError> Caught for E {
    fn to_report_json(&self) -> Value {
        json!({ "type": std::any::type_name::<E>(), "chain": crate::error::chain_of(self) })
    }
}

impl Caught for Error {
    fn to_report_json(&self) -> Value {
        json!({
            "type": self.type_name(),
            "code": self.code(),
            "status": self.status().as_u16(),
            "chain": self.chain(),
            "context": self.context(),
        })
    }
}

impl Caught for ErrorBody {
    fn to_report_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Receives crash reports. A reporter that fails or panics never affects
/// the response: the failure is logged with `tracing` and counted.
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
    /// off itself, as `tracing`, Sentry's client and [`NonBlocking`] do.
    /// Such a reporter is called on the request's thread, where
    /// thread-local context (a `tracing` span, Sentry's hub) is. Any other
    /// (the default, `false`) is called on a thread of its own, and the
    /// response waits for it at most
    /// [`report_timeout`](crate::ConfigBuilder::report_timeout).
    fn is_non_blocking(&self) -> bool {
        false
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

/// The default reporter: one `tracing` event at error level per report,
/// with the code, status and error id as fields and the report as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct TracingReporter;

impl Reporter for TracingReporter {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        trace_report(report);
        Ok(())
    }

    fn is_non_blocking(&self) -> bool {
        true
    }
}

/// The `tracing` event of a report: every report is one, whatever the
/// reporter (the default reporter is this event alone).
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
        report = %report.to_json(),
        "{}",
        report.title
    );
}

/// PyMacaron's `error_reporter(title, message)`: the title and the report
/// as pretty JSON.
pub(crate) struct TitleAndJson<F>(pub(crate) F);

impl<F: Fn(&str, &str) + Send + Sync + 'static> Reporter for TitleAndJson<F> {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        let json = serde_json::to_string_pretty(&report.to_json())?;
        (self.0)(&report.title, &json);
        Ok(())
    }
}

/// Hands reports to a background thread through a bounded queue, so that
/// a slow reporter never delays a response. When the queue is full the
/// report is dropped and counted ([`dropped`](Self::dropped)): requests
/// never wait.
///
/// ```
/// use macaron_core::{CrashReport, NonBlocking};
///
/// let reporter = NonBlocking::new(|report: &CrashReport| {
///     // Send it to a slow service...
///     Ok(())
/// }, 1024);
/// let config = macaron_core::Config::builder().reporter(reporter.clone()).build();
/// assert_eq!(reporter.dropped(), 0);
/// ```
#[derive(Clone)]
pub struct NonBlocking(ReportQueue);

impl NonBlocking {
    /// Starts the thread that drains a queue of `capacity` reports into
    /// `reporter`. The thread ends when every clone of this value is gone.
    pub fn new(reporter: impl Reporter, capacity: usize) -> Self {
        NonBlocking(ReportQueue::start(Arc::new(reporter), capacity))
    }

    /// How many reports were dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.0.dropped()
    }
}

impl Reporter for NonBlocking {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        self.0.push(report.clone(), None)
    }

    fn is_non_blocking(&self) -> bool {
        true
    }
}

/// A thread that runs a reporter, and the bounded queue of reports to it.
#[derive(Clone)]
pub(crate) struct ReportQueue {
    sender: SyncSender<QueuedReport>,
    dropped: Arc<AtomicU64>,
    /// Set when a wait for the thread ran out, cleared when it has
    /// delivered: while it lags behind, reports are queued without waiting,
    /// so that a stuck reporter costs one request one wait, not every
    /// request.
    lagging: Arc<AtomicBool>,
}

struct QueuedReport {
    report: CrashReport,
    /// Where the id the reporter gave the report goes, when someone waits.
    reply: Option<SyncSender<Option<String>>>,
}

impl ReportQueue {
    /// Starts the thread that drains a queue of `capacity` reports into
    /// `reporter`; it ends when every clone of the queue is gone.
    pub(crate) fn start(reporter: Arc<dyn Reporter>, capacity: usize) -> Self {
        let (sender, receiver) = mpsc::sync_channel::<QueuedReport>(capacity);
        let lagging = Arc::new(AtomicBool::new(false));
        let lagging_thread = lagging.clone();
        let spawned = std::thread::Builder::new()
            .name("macaron-reporter".into())
            .spawn(move || {
                for queued in receiver {
                    let id = deliver(&*reporter, &queued.report);
                    if let Some(reply) = queued.reply {
                        let _ = reply.try_send(id);
                    }
                    lagging_thread.store(false, Ordering::Relaxed);
                }
            });
        if let Err(error) = spawned {
            tracing::error!(target: "macaron", "cannot start the reporter thread: {error}");
        }
        ReportQueue {
            sender,
            dropped: Arc::new(AtomicU64::new(0)),
            lagging,
        }
    }

    /// How many reports were dropped because the queue was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Queues the report, or drops and counts it when the queue is full.
    fn push(
        &self,
        report: CrashReport,
        reply: Option<SyncSender<Option<String>>>,
    ) -> Result<(), BoxError> {
        match self.sender.try_send(QueuedReport { report, reply }) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err(TrySendError::Disconnected(_)) => Err("the reporter thread has stopped".into()),
        }
    }

    /// Queues the report and waits at most `timeout` for the id its
    /// reporter gives it; does not wait while the thread lags behind.
    pub(crate) fn deliver_within(&self, report: CrashReport, timeout: Duration) -> Option<String> {
        // A channel for the answer only when someone waits for it.
        let (reply, answer) = if !timeout.is_zero() && !self.lagging.load(Ordering::Relaxed) {
            let (reply, answer) = mpsc::sync_channel(1);
            (Some(reply), Some(answer))
        } else {
            (None, None)
        };
        if let Err(error) = self.push(report, reply) {
            FAILED_REPORTS.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "macaron", "{error}");
            return None;
        }
        match answer?.recv_timeout(timeout) {
            Ok(id) => id,
            Err(RecvTimeoutError::Timeout) => {
                self.lagging.store(true, Ordering::Relaxed);
                tracing::warn!(
                    target: "macaron",
                    "the crash reporter took more than {timeout:?}: responses do not wait for it until it has caught up"
                );
                None
            }
            // Dropped from a full queue, or the thread stopped.
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }
}

/// Counts reporter failures and panics, process-wide.
static FAILED_REPORTS: AtomicU64 = AtomicU64::new(0);

/// How many reports, process-wide, a reporter failed to take (it returned
/// an error or panicked).
pub fn failed_reports() -> u64 {
    FAILED_REPORTS.load(Ordering::Relaxed)
}

/// Runs the reporter, and returns the id it gave the report, if any; a
/// failure or a panic is logged and counted, never passed on.
pub(crate) fn deliver(reporter: &dyn Reporter, report: &CrashReport) -> Option<String> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| reporter.report_and_identify(report)));
    let failure = match outcome {
        Ok(Ok(id)) => return id,
        Ok(Err(error)) => format!("the crash reporter failed: {error}"),
        Err(panic) => format!("the crash reporter panicked: {}", panic_message(&*panic)),
    };
    FAILED_REPORTS.fetch_add(1, Ordering::Relaxed);
    tracing::error!(target: "macaron", title = %report.title, "{failure}");
    None
}

/// The text of a panic payload (`&str` or `String`, as `panic!` makes).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}

impl ServerInfo {
    pub(crate) fn current(service: Option<&(String, String)>) -> Self {
        ServerInfo {
            hostname: hostname().to_owned(),
            pid: std::process::id(),
            service: service.map(|(name, _)| name.clone()),
            version: service.map(|(_, version)| version.clone()),
        }
    }
}

fn hostname() -> &'static str {
    static HOSTNAME: OnceLock<String> = OnceLock::new();
    HOSTNAME.get_or_init(|| {
        std::env::var("HOSTNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "unknown".to_owned())
    })
}

/// Random bytes from the OS's generator, fetched 32 ids at a time: one
/// `getrandom` call costs more than the rest of an error response.
struct RandomPool {
    bytes: [u8; 512],
    used: usize,
    /// The fork the bytes were drawn in: a child must not hand out ids its
    /// parent may hand out too.
    forks: usize,
}

thread_local! {
    static RANDOM_POOL: std::cell::RefCell<RandomPool> = const {
        std::cell::RefCell::new(RandomPool { bytes: [0; 512], used: 512, forks: 0 })
    };
}

/// How many times this process is a forked child of the one that first
/// drew an id. Counted by an `atfork` handler: asking the pid for each id
/// would cost a system call, as much as the pool saves.
fn forks() -> usize {
    #[cfg(unix)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static FORKS: AtomicUsize = AtomicUsize::new(0);
        static REGISTER: std::sync::Once = std::sync::Once::new();
        extern "C" fn in_child() {
            FORKS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the handler only touches an atomic, which is
        // async-signal-safe, as a handler run in a forked child must be.
        REGISTER.call_once(|| unsafe {
            libc::pthread_atfork(None, None, Some(in_child));
        });
        FORKS.load(Ordering::Relaxed)
    }
    #[cfg(not(unix))]
    0
}

/// 16 bytes from the pool; `false` when the OS has no generator.
fn random_16(out: &mut [u8; 16]) -> bool {
    RANDOM_POOL
        .try_with(|pool| {
            let mut pool = pool.borrow_mut();
            let forks = forks();
            if pool.used + 16 > pool.bytes.len() || pool.forks != forks {
                if getrandom::fill(&mut pool.bytes).is_err() {
                    return false;
                }
                pool.used = 0;
                pool.forks = forks;
            }
            let start = pool.used;
            out.copy_from_slice(&pool.bytes[start..start + 16]);
            // Used bytes are wiped: what is left in memory is only ids to come.
            pool.bytes[start..start + 16].fill(0);
            pool.used += 16;
            true
        })
        .unwrap_or_else(|_| getrandom::fill(out).is_ok())
}

/// A random (version 4) UUID from the OS's generator: ids must not be
/// guessable, since they lead to reports.
pub(crate) fn new_error_id() -> String {
    let mut bytes = [0u8; 16];
    if !random_16(&mut bytes) {
        // No OS generator: std's per-process random hash keys, with the time.
        use std::hash::{BuildHasher as _, Hasher as _};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        let high = hasher.finish();
        hasher.write_u64(high);
        bytes[..8].copy_from_slice(&high.to_le_bytes());
        bytes[8..].copy_from_slice(&hasher.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    id
}

/// `2026-11-21T22:04:29.700446Z`: UTC, microseconds.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs();
    let (days, day_seconds) = (seconds / 86_400, seconds % 86_400);
    // Days to a civil date (Howard Hinnant's algorithm), for years >= 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        day_seconds / 3600,
        day_seconds / 60 % 60,
        day_seconds % 60,
        since_epoch.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        let at = |seconds: u64, micros: u32| {
            rfc3339(
                UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_micros(micros.into()),
            )
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(at(1_795_298_669, 700_446), "2026-11-21T22:04:29.700446Z");
        assert_eq!(at(4_102_444_799, 999_999), "2099-12-31T23:59:59.999999Z");
    }

    #[test]
    fn error_ids_are_random_v4_uuids() {
        // Past several refills of the pool, on two threads.
        let other = std::thread::spawn(|| (0..100).map(|_| new_error_id()).collect::<Vec<_>>());
        let mut ids: Vec<String> = (0..100).map(|_| new_error_id()).collect();
        ids.extend(other.join().unwrap());
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 200);
        for id in ids {
            let bytes = id.as_bytes();
            assert_eq!(id.len(), 36);
            assert_eq!([bytes[8], bytes[13], bytes[18], bytes[23]], [b'-'; 4]);
            assert_eq!(bytes[14], b'4', "{id}");
            assert!(matches!(bytes[19], b'8' | b'9' | b'a' | b'b'), "{id}");
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
    }
}
