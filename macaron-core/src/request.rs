//! The request an error happened in, as reports, decorators and slow-call
//! limits see it.

use http::{HeaderMap, Method, Uri};
#[cfg(not(target_os = "linux"))]
use std::time::Instant;
use std::time::{Duration, SystemTime};

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

    /// The same request, arrived `elapsed` before now.
    pub(crate) fn arrived_ago(self, elapsed: Duration) -> Self {
        RequestInfo {
            arrived: Arrival::ago(elapsed),
            ..self
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
    pub(crate) fn ago(elapsed: Duration) -> Self {
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
