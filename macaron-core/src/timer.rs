//! Slow calls: a timer that sends a non-fatal report when a call takes
//! longer than its limit (PyMacaron's `@report_slow`).

use crate::{Config, RequestInfo};
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

impl Config {
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
            let request = self
                .request
                .take()
                .map(|request| request.arrived_ago(elapsed));
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

/// The timer `#[report_slow]` puts at the start of a function. In a request
/// an adapter serves, it replaces the adapter's own timing of the request.
pub fn time_call_in_scope(name: &'static str, limit_ms: Option<u64>) -> crate::CallTimer {
    crate::scope::with_scope_or_global(|config, request| {
        let timer = config.time_call(name, limit_ms);
        match request {
            Some(request) => {
                request
                    .handler_timed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                timer.with_request(request.info.clone())
            }
            None => timer,
        }
    })
}
