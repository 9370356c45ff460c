//! The serving pipeline: an error's response under every policy of a
//! configuration, with its crash report. What applies is decided first;
//! then the report is sent (its id may go in the body); then the body is
//! written, once.

use crate::accept::prefers_problem_json;
use crate::api_error::{hide_texts, hides_source_text};
use crate::config::{Decorator, Policies};
use crate::dispatch::format_title;
use crate::handlers::ErrorHandlers;
use crate::problem::{ProblemDetails, PROBLEM_JSON};
use crate::reason::reason_or_generic;
use crate::render::{body_bytes, json_response, truncate, write_error_headers, Rendering};
use crate::report::{new_error_id, panic_message, ReportedError};
use crate::unhandled::rendered;
use crate::{ApiError, Config, Error, ErrorBody, ErrorRef, ProblemJson, RequestInfo, ServedError};
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use serde_json::{json, Value};
use std::panic::{self, AssertUnwindSafe};

impl Config {
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
        self.respond_with(error.into(), request, None)
    }

    /// [`respond`](Self::respond), with a router's error handlers tried
    /// before the configuration's.
    pub(crate) fn respond_with(
        &self,
        original: ErrorRef<'_>,
        request: Option<&RequestInfo>,
        router: Option<&ErrorHandlers>,
    ) -> Response<Bytes> {
        let problem = match self.inner.problem_json {
            ProblemJson::Always => true,
            ProblemJson::Never => false,
            ProblemJson::OnRequest => {
                request.is_some_and(|request| prefers_problem_json(&request.headers))
            }
        };
        self.decide(original, request, router, problem, |decided| {
            self.write(decided, request)
        })
    }

    /// The body [`respond_with`](Self::respond_with) serves `original`
    /// with, as a value (in the Error model, never as problem details),
    /// and the error's own headers: for a protocol that carries them
    /// otherwise than as an HTTP response.
    #[cfg(feature = "tonic")]
    pub(crate) fn answer(
        &self,
        original: ErrorRef<'_>,
        request: Option<&RequestInfo>,
        router: Option<&ErrorHandlers>,
    ) -> (ErrorBody, http::HeaderMap) {
        self.decide(original, request, router, false, |decided| {
            let mut headers = http::HeaderMap::new();
            write_error_headers(&mut headers, self.inner.max_text_bytes, |headers| {
                decided.api.write_headers(headers)
            });
            let body = decided.body.unwrap_or_else(|| {
                plain_body(decided.api, &rendering(&self.inner, &decided.error_id))
            });
            (body, headers)
        })
    }

    /// Decides what applies to `original` (the handlers, the error id, the
    /// policies that reshape the body, `problem` details or not), sends its
    /// report, and gives `then` what is left to write.
    fn decide<R>(
        &self,
        original: ErrorRef<'_>,
        request: Option<&RequestInfo>,
        router: Option<&ErrorHandlers>,
        problem: bool,
        then: impl FnOnce(Decided<'_>) -> R,
    ) -> R {
        // What a handler made of an error nobody declared is served; the
        // report is of the original.
        let mapped = self.map_foreign(original, request, router);
        let error = mapped.as_ref().map_or(original, Error::as_ref);
        let policies = &*self.inner;
        let api = rendered(error.as_api_error());
        let error_id = original
            .error_id()
            .or(error.error_id())
            .map_or_else(new_error_id, str::to_owned);
        let rendering = rendering(policies, &error_id);
        let status = api.status();
        let hide_description = !policies.include_description
            && status.is_server_error()
            && error.as_api_error().is_some();
        let hide_source = hides_source_text(api, &rendering);
        // Problem details carry the documentation URL as `type`.
        let docs_url = policies
            .docs_url_key
            .as_deref()
            .filter(|_| !problem)
            .zip(policies.docs_url_base.as_deref());
        // Policies that change the body work on it as a value; without
        // them, the error writes its own body.
        let shaped = policies.decorator.is_some()
            || docs_url.is_some()
            || policies.debug
            || hide_description
            || hide_source
            || problem;
        let mut body = shaped.then(|| {
            let mut body = api.to_body();
            if hide_source {
                hide_texts(&mut body, status);
            }
            rendering.apply(&mut body);
            if hide_description {
                body.error_description = reason_or_generic(status).to_owned();
            }
            if let Some((key, base)) = docs_url {
                let url = crate::docs_url::docs_url(base, &body.error);
                body.extra
                    .entry(key.to_owned())
                    .or_insert(Value::String(url));
            }
            if policies.debug {
                body.extra
                    .insert("__debug__".into(), debug_payload(original));
            }
            match &policies.decorator {
                Some(decorator) => self.decorate(body, &**decorator, error, request, &error_id),
                None => body,
            }
        });
        let status = body
            .as_ref()
            .and_then(|body| StatusCode::from_u16(body.status).ok())
            .unwrap_or(status);

        if status.is_server_error() || policies.report_client_errors {
            let mut sent = body.take().unwrap_or_else(|| plain_body(api, &rendering));
            let report_id = self.report_served(original, &sent, request, &error_id);
            // The id the report got where it went, for the client to quote
            // (Pico's `sentry_id`).
            let quoted = report_id.zip(policies.reporter.body_key());
            if let Some((id, key)) = &quoted {
                sent.extra
                    .insert((*key).to_owned(), Value::String(id.clone()));
            }
            if shaped || quoted.is_some() {
                body = Some(sent);
            }
        }
        then(Decided {
            api,
            status,
            body,
            problem,
            error_id,
        })
    }

    /// The response of what [`decide`](Self::decide) decided: the body
    /// written once, as the error renders itself or from its value.
    fn write(&self, decided: Decided<'_>, request: Option<&RequestInfo>) -> Response<Bytes> {
        let policies = &*self.inner;
        let Decided {
            api,
            status,
            body,
            problem,
            error_id,
        } = decided;
        let mut response = match body {
            None => api.render(&rendering(policies, &error_id)),
            Some(body) if problem => {
                let instance = request.map(|request| request.uri.path());
                let details =
                    ProblemDetails::new(&body, policies.docs_url_base.as_deref(), instance);
                let bytes = serde_json::to_vec(&details).map_or_else(|_| Bytes::new(), Bytes::from);
                let mut response = json_response(status, bytes);
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static(PROBLEM_JSON),
                );
                write_error_headers(response.headers_mut(), policies.max_text_bytes, |headers| {
                    api.write_headers(headers)
                });
                response
            }
            Some(body) => {
                let mut response = json_response(status, body_bytes(&body));
                write_error_headers(response.headers_mut(), policies.max_text_bytes, |headers| {
                    api.write_headers(headers)
                });
                response
            }
        };
        if policies.problem_json == ProblemJson::OnRequest && request.is_some() {
            // Caches keep one response per `Accept`: the body's format
            // depends on it.
            response
                .headers_mut()
                .append(http::header::VARY, HeaderValue::from_static("accept"));
        }
        response.extensions_mut().insert(ServedError::new(error_id));
        response
    }

    /// What the handlers make of an error nobody declared, if anything.
    fn map_foreign(
        &self,
        error: ErrorRef<'_>,
        request: Option<&RequestInfo>,
        router: Option<&ErrorHandlers>,
    ) -> Option<Error> {
        let handlers = &self.inner.handlers;
        if error.as_api_error().is_some()
            || handlers.is_empty() && router.map_or(true, ErrorHandlers::is_empty)
        {
            return None;
        }
        ErrorHandlers::handle(router, handlers, error, |panicked| {
            let title = match panicked.handled {
                Some(handled) => format!(
                    "the error handler for {handled} panicked: {}",
                    panicked.message
                ),
                None => format!("the default error handler panicked: {}", panicked.message),
            };
            self.report_non_fatal(&title, None, request, error.error_id());
        })
    }

    /// Sends the crash report of a served error; returns the id the
    /// reporter gave it.
    fn report_served(
        &self,
        error: ErrorRef<'_>,
        sent: &ErrorBody,
        request: Option<&RequestInfo>,
        error_id: &str,
    ) -> Option<String> {
        let mut reported = ReportedError::new(error, sent);
        // Cut before it goes into the title.
        truncate(&mut reported.description, self.inner.max_text_bytes);
        let mut report = self.report(
            format_title(&reported),
            reported.status >= 500,
            request,
            Some(error_id),
        );
        report.error = Some(reported);
        self.send_with_backtrace(report, error.backtrace())
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
}

/// What [`Config::decide`] leaves to write: the error, its final status,
/// its body as a value when a policy reshaped it or a report quoted its
/// id (else the error writes its own), and its id.
struct Decided<'a> {
    api: &'a dyn ApiError,
    status: StatusCode,
    body: Option<ErrorBody>,
    problem: bool,
    error_id: String,
}

/// How a configuration's bodies render, with `error_id`.
fn rendering<'a>(policies: &Policies, error_id: &'a str) -> Rendering<'a> {
    Rendering::new()
        .error_id(error_id)
        .max_text_bytes(policies.max_text_bytes)
        .source_text(policies.source_text)
}

/// The body an error writes itself, as a value.
fn plain_body(api: &dyn ApiError, rendering: &Rendering<'_>) -> ErrorBody {
    let mut body = api.to_body();
    rendering.apply(&mut body);
    body
}

/// Pico's `__debug__`: type, text, causes, stack.
fn debug_payload(error: ErrorRef<'_>) -> Value {
    let chain = error.chain();
    let stack_trace: Vec<String> = crate::report::backtrace::text(error.backtrace())
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
