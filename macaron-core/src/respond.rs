//! The serving pipeline: an error's response under every policy of a
//! configuration, with its crash report.

use crate::config::Decorator;
use crate::dispatch::format_title;
use crate::json;
use crate::problem::{accepts_problem_json, ProblemDetails, PROBLEM_JSON};
use crate::render::body_bytes;
use crate::report::{new_error_id, panic_message, ReportedError};
use crate::{Config, ErrorBody, ErrorRef, ProblemJson, RequestInfo, ServedError, TRUNCATION_MARK};
use bytes::Bytes;
use http::{Response, StatusCode};
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
                *response.body_mut() = body_bytes(body);
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
        response.extensions_mut().insert(ServedError::new(error_id));

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
}

/// Pico's `__debug__`: type, text, causes, stack.
fn debug_payload(error: ErrorRef<'_>) -> Value {
    let chain = error.chain();
    let stack_trace: Vec<String> = error
        .captured_backtrace()
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

/// `{...}` -> `{...,"error_id":"<id>"}` without parsing or re-serializing.
fn splice_error_id(body: &[u8], error_id: &str) -> Bytes {
    let mut spliced = json::BodyBuf::new();
    spliced.put(&body[..body.len() - 1]);
    spliced.put(b",\"error_id\":\"");
    json::escape_into(&mut spliced, error_id);
    spliced.put(b"\"}");
    spliced.take_bytes()
}

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
