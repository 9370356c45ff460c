//! The configuration and request in scope: what code with no `Config` in
//! hand (`report_error`, `#[report_slow]`, an error served by a framework
//! trait) works under.

use crate::handlers::ErrorHandlers;
use crate::report::Caught;
use crate::{Config, RequestInfo};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock, RwLock};

static GLOBAL: RwLock<Option<Config>> = RwLock::new(None);

/// A configuration in scope, with the request being served when an
/// adapter set it. Adapters keep theirs in their future (no allocation per
/// request) and lend it to every poll of the handler.
#[derive(Debug)]
pub(crate) struct Scope {
    pub(crate) config: Config,
    pub(crate) request: Option<RequestScope>,
}

/// The request an adapter is serving.
#[derive(Debug)]
pub(crate) struct RequestScope {
    pub(crate) info: RequestInfo,
    /// Set by `#[report_slow]`: the handler times itself, with its own limit.
    pub(crate) handler_timed: AtomicBool,
    /// The error handlers of the router the adapter wraps, tried before the
    /// configuration's.
    pub(crate) handlers: Option<Arc<ErrorHandlers>>,
}

// Borrowed for the length of a call, not cloned: the scope is set and
// reset on every poll of every handler, and read only when an error
// happens.
scoped_tls::scoped_thread_local!(static CURRENT: Scope);

impl Scope {
    /// The scope of a request an adapter serves.
    #[cfg(any(feature = "tower", feature = "actix-web"))]
    pub(crate) fn serving(
        config: Config,
        info: RequestInfo,
        handlers: Option<Arc<ErrorHandlers>>,
    ) -> Self {
        Scope {
            config,
            request: Some(RequestScope {
                info,
                handler_timed: AtomicBool::new(false),
                handlers,
            }),
        }
    }

    /// The request being served, if any.
    #[cfg(any(feature = "tower", feature = "actix-web"))]
    pub(crate) fn request_info(&self) -> Option<&RequestInfo> {
        self.request.as_ref().map(|request| &request.info)
    }

    /// Runs `f` with this scope current on this thread; the enclosing one
    /// is back when `f` returns or unwinds.
    pub(crate) fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        CURRENT.set(self, f)
    }
}

/// `f` of the innermost scope, if any.
fn with_current_scope<R>(f: impl FnOnce(Option<&Scope>) -> R) -> R {
    if CURRENT.is_set() {
        CURRENT.with(|scope| f(Some(scope)))
    } else {
        f(None)
    }
}

/// `f` of the innermost scope's configuration and request, else of the
/// installed configuration (or the defaults) and no request.
pub(crate) fn with_scope_or_global<R>(f: impl FnOnce(&Config, Option<&RequestScope>) -> R) -> R {
    with_current_scope(|scope| match scope {
        Some(scope) => f(&scope.config, scope.request.as_ref()),
        None => f(&Config::current(), None),
    })
}

impl Config {
    /// Makes this the configuration of the whole process (like installing
    /// a logger), for code that has no `Config` in hand, such as
    /// [`report_error`](crate::report_error).
    pub fn install(self) {
        report_notices_in_scope();
        *GLOBAL
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(self);
    }

    /// The configuration in effect here: the innermost [`scope`](Self::scope)
    /// on this thread, else the installed one, else the defaults.
    pub fn current() -> Config {
        report_notices_in_scope();
        if let Some(config) = with_current_scope(|scope| scope.map(|scope| scope.config.clone())) {
            return config;
        }
        let installed = GLOBAL
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        // Built once: serving an error with nothing installed must not
        // build a configuration (and read the environment) every time.
        static DEFAULT: OnceLock<Config> = OnceLock::new();
        installed.unwrap_or_else(|| DEFAULT.get_or_init(Config::default).clone())
    }

    /// Runs `f` with this configuration as [`current`](Self::current) on
    /// this thread (adapters do this around each handler; tests use it to
    /// stay independent of each other).
    pub fn scope<R>(&self, f: impl FnOnce() -> R) -> R {
        report_notices_in_scope();
        let scope = Scope {
            config: self.clone(),
            request: None,
        };
        scope.enter(f)
    }
}

/// A non-fatal report titled `NON-FATAL BACKEND ERROR: <title>`, through
/// the [current](Config::current) configuration (PyMacaron's
/// `report_error`). `caught` is what went wrong, if anything: an error,
/// an [`Error`](crate::Error), or an [`ErrorBody`](crate::ErrorBody) received from another service.
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

/// From now on, what rendering notices goes through the configuration in
/// scope (see the `notice` module). Called where a configuration is put in
/// use: installed, scoped, or given to an adapter.
pub(crate) fn report_notices_in_scope() {
    crate::notice::install(|title| report_error(title, None));
}
