//! The configuration and request in scope: what code with no `Config` in
//! hand (`report_error`, `#[report_slow]`, an error served by a framework
//! trait) works under.

use crate::report::Caught;
use crate::{Config, RequestInfo};
use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::{OnceLock, RwLock};

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
    crate::notice::install(report_notice);
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
    /// Makes this the configuration of the whole process (like installing
    /// a logger), for code that has no `Config` in hand, such as
    /// [`report_error`](crate::report_error).
    pub fn install(self) {
        crate::notice::install(report_notice);
        *GLOBAL
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(self);
    }

    /// The configuration in effect here: the innermost [`scope`](Self::scope)
    /// on this thread, else the installed one, else the defaults.
    pub fn current() -> Config {
        crate::notice::install(report_notice);
        if let Some(config) = with_current_scope(|scope| scope.map(|(config, _)| config.clone())) {
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
        scoped(self, None, f)
    }
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

/// What rendering notices goes through the configuration in scope (see
/// the `notice` module).
fn report_notice(title: &str) {
    report_error(title, None);
}
