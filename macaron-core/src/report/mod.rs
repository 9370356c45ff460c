//! Crash reports: what happened, to whom, where and when, for the people
//! who run the service. Reports may hold secrets; responses never do.
//!
//! This module is the report itself; `reporter` is where reports go,
//! `delivery` how they get there without holding up a response, `group`
//! how the reports of one failure are grouped during an outage, `id` the
//! error ids that link a response to its report, and `time` their clock.

pub(crate) mod backtrace;
mod caught;
mod delivery;
mod group;
mod id;
mod reporter;
mod time;

pub use caught::Caught;
pub(crate) use delivery::{deliver, ReportQueue};
pub use delivery::{failed_reports, panic_message, NonBlocking};
pub(crate) use group::ReportGroups;
pub(crate) use id::new_error_id;
pub(crate) use reporter::{trace_report, TitleAndJson};
pub use reporter::{Reporter, TracingReporter};

use crate::render::{bound_value, truncate};
use crate::{ErrorBody, ErrorRef};
use http::HeaderMap;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use time::rfc3339;

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
    /// Where the error was raised, when known: a panic's file, line and
    /// column.
    pub location: Option<String>,
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
                    "location": error.location,
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

impl CrashReport {
    /// Cuts every text at `limit` bytes (see
    /// [`ConfigBuilder::max_text_bytes`](crate::ConfigBuilder::max_text_bytes)):
    /// an error's text, a context, a request path, a header an attacker
    /// sends. The backtrace has a bound of its own; the title is made of
    /// macaron's words around texts cut before they went in.
    pub(crate) fn bound_texts(&mut self, limit: usize) {
        let cut = |text: &mut String| truncate(text, limit);
        if let Some(error) = &mut self.error {
            cut(&mut error.code);
            cut(&mut error.description);
            error.user_message.as_mut().map(cut);
            cut(&mut error.type_name);
            error
                .chain
                .iter_mut()
                .chain(&mut error.context)
                .for_each(cut);
            error.location.as_mut().map(cut);
        }
        if let Some(caught) = &mut self.caught {
            bound_value(caught, limit);
        }
        if let Some(request) = &mut self.request {
            cut(&mut request.path);
            request.query.as_mut().map(cut);
            request.route.as_mut().map(cut);
            for (_, value) in &mut request.headers {
                cut(value);
            }
        }
        self.call_id.as_mut().map(cut);
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
            location: error.location().map(str::to_owned),
            backtrace: backtrace::text(error.backtrace()),
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
