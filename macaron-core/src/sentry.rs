//! Sentry (Pico's `SentryMixin`): crash reports as Sentry events, and the
//! event id in the body as `sentry_id`.

use crate::report::{CrashReport, Reporter};
use crate::BoxError;
use sentry_core::protocol::{Event, Exception, Level, Request, Values};

/// Sends fatal reports (and non-fatal ones, when asked) as Sentry events
/// through the `sentry` client the service initialised (`sentry::init`),
/// with the request, the error's type and text, and tags `code`, `status`,
/// `error_id`, `route`. The response carries the event id as `sentry_id`,
/// so a user's screenshot leads to the Sentry issue.
///
/// ```
/// use macaron_core::{Config, SentryReporter};
///
/// // let _guard = sentry::init("https://key@sentry.example.com/42");
/// let config = Config::builder().reporter(SentryReporter::new()).build();
/// ```
///
/// Without an initialised client, events go nowhere and bodies carry no
/// `sentry_id`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SentryReporter {
    non_fatal: bool,
}

impl SentryReporter {
    /// A reporter of fatal reports only.
    pub fn new() -> Self {
        SentryReporter::default()
    }

    /// Whether non-fatal reports are sent too (as warnings).
    #[must_use]
    pub fn non_fatal(mut self, send: bool) -> Self {
        self.non_fatal = send;
        self
    }

    fn event(report: &CrashReport) -> Event<'static> {
        let mut event = Event {
            level: if report.is_fatal {
                Level::Error
            } else {
                Level::Warning
            },
            message: Some(report.title.clone()),
            logger: Some("macaron".into()),
            ..Event::default()
        };
        if let Some(error) = &report.error {
            event.exception = Values::from(vec![Exception {
                ty: error.type_name.clone(),
                value: error.chain.first().cloned(),
                ..Exception::default()
            }]);
            event.tags.insert("code".into(), error.code.clone());
            event.tags.insert("status".into(), error.status.to_string());
        }
        if let Some(error_id) = &report.error_id {
            event.tags.insert("error_id".into(), error_id.clone());
        }
        if let Some(request) = &report.request {
            if let Some(route) = &request.route {
                event.tags.insert("route".into(), route.clone());
            }
            event.request = Some(Request {
                method: Some(request.method.clone()),
                query_string: request.query.clone(),
                headers: request.headers.iter().cloned().collect(),
                ..Request::default()
            });
        }
        event.extra.insert("report".into(), report.to_json());
        event
    }
}

impl Reporter for SentryReporter {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        self.report_and_identify(report).map(drop)
    }

    fn body_key(&self) -> Option<&'static str> {
        Some("sentry_id")
    }

    /// Sentry's client sends events from a thread of its own; called on
    /// the request's thread, the event gets the request's hub and scope.
    fn is_non_blocking(&self) -> bool {
        true
    }

    fn report_and_identify(&self, report: &CrashReport) -> Result<Option<String>, BoxError> {
        if !report.is_fatal && !self.non_fatal {
            return Ok(None);
        }
        let id = sentry_core::capture_event(Self::event(report));
        Ok((!id.is_nil()).then(|| id.simple().to_string()))
    }
}
