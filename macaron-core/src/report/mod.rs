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
#[cfg(feature = "tracing")]
pub use reporter::TracingReporter;
pub(crate) use reporter::{trace_report, DefaultReporter, TitleAndJson};
pub use reporter::{Reporter, StderrReporter};

use crate::render::{bound_value, truncate};
use crate::{ErrorBody, ErrorRef};
use http::HeaderMap;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
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
    /// The W3C trace id of the request's `traceparent` header, when it has
    /// a valid one: the id under which a tracing system shows the
    /// distributed trace.
    pub trace_id: Option<String>,
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
    /// `trace_id`, `server`; absent parts are left out. The same JSON as the report's
    /// [`Serialize`] impl, which writes it without building a [`Value`].
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Written field by field, in the order a reader wants them, so that a
/// reporter that only writes the report out (the `tracing` event of every
/// report, with the `tracing` feature) does not build a tree of maps first.
impl Serialize for CrashReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_map(None)?;
        report.serialize_entry("title", &self.title)?;
        report.serialize_entry("is_fatal", &self.is_fatal)?;
        if let Some(error_id) = &self.error_id {
            report.serialize_entry("error_id", error_id)?;
        }
        let duration = self
            .end
            .duration_since(self.start)
            .unwrap_or(Duration::ZERO);
        report.serialize_entry(
            "time",
            &ReportTime {
                start: rfc3339(self.start),
                end: rfc3339(self.end),
                duration_us: u64::try_from(duration.as_micros()).unwrap_or(u64::MAX),
            },
        )?;
        if let Some(error) = &self.error {
            report.serialize_entry("error", error)?;
        }
        if let Some(caught) = &self.caught {
            report.serialize_entry("caught", caught)?;
        }
        if let Some(request) = &self.request {
            report.serialize_entry("request", request)?;
        }
        if let Some(call_id) = &self.call_id {
            report.serialize_entry("call_id", call_id)?;
        }
        if let Some(trace_id) = &self.trace_id {
            report.serialize_entry("trace_id", trace_id)?;
        }
        report.serialize_entry("server", &self.server)?;
        report.end()
    }
}

struct ReportTime {
    start: String,
    end: String,
    duration_us: u64,
}

impl Serialize for ReportTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut time = serializer.serialize_map(Some(3))?;
        time.serialize_entry("start", &self.start)?;
        time.serialize_entry("end", &self.end)?;
        time.serialize_entry("duration_us", &self.duration_us)?;
        time.end()
    }
}

impl Serialize for ReportedError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut error = serializer.serialize_map(Some(9))?;
        error.serialize_entry("code", &self.code)?;
        error.serialize_entry("status", &self.status)?;
        error.serialize_entry("description", &self.description)?;
        error.serialize_entry("user_message", &self.user_message)?;
        error.serialize_entry("type", &self.type_name)?;
        error.serialize_entry("chain", &self.chain)?;
        error.serialize_entry("context", &self.context)?;
        error.serialize_entry("location", &self.location)?;
        error.serialize_entry("backtrace", &self.backtrace)?;
        error.end()
    }
}

impl Serialize for ReportedRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// Headers as an object, in the order they came. The values of a
        /// repeated header (adjacent, as a `HeaderMap` lists them) are
        /// joined with `, `, as HTTP combines field lines, so that no key
        /// appears twice and no value is lost.
        struct Headers<'a>(&'a [(String, String)]);
        impl Serialize for Headers<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut headers = serializer.serialize_map(None)?;
                let mut rest = self.0;
                while let [(name, value), after @ ..] = rest {
                    let repeats = after.iter().take_while(|(next, _)| next == name).count();
                    if repeats == 0 {
                        headers.serialize_entry(name, value)?;
                    } else {
                        let values: Vec<&str> = rest[..=repeats]
                            .iter()
                            .map(|(_, value)| value.as_str())
                            .collect();
                        headers.serialize_entry(name, &values.join(", "))?;
                    }
                    rest = &after[repeats..];
                }
                headers.end()
            }
        }
        let mut request = serializer.serialize_map(Some(5))?;
        request.serialize_entry("method", &self.method)?;
        request.serialize_entry("path", &self.path)?;
        request.serialize_entry("query", &self.query)?;
        request.serialize_entry("route", &self.route)?;
        request.serialize_entry("headers", &Headers(&self.headers))?;
        request.end()
    }
}

impl Serialize for ServerInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut server = serializer.serialize_map(Some(4))?;
        server.serialize_entry("hostname", &self.hostname)?;
        server.serialize_entry("pid", &self.pid)?;
        server.serialize_entry("service", &self.service)?;
        server.serialize_entry("version", &self.version)?;
        server.end()
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
            // Symbolized only once the report is known to go out: see
            // `Config::send_with_backtrace`.
            backtrace: None,
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
