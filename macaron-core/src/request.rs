//! The request an error happened in, as reports, decorators and slow-call
//! limits see it.

use http::{HeaderMap, Method, Uri};
use std::time::{Duration, Instant, SystemTime};

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
    pub(crate) arrived: Instant,
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
            arrived: Instant::now(),
        }
    }

    /// When the request arrived, by the wall clock.
    pub fn started(&self) -> SystemTime {
        SystemTime::now() - self.arrived.elapsed()
    }

    /// How long ago the request arrived.
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
            arrived: Instant::now(),
        }
    }

    /// The same request, arrived `elapsed` before now.
    pub(crate) fn arrived_ago(self, elapsed: Duration) -> Self {
        RequestInfo {
            arrived: Instant::now().checked_sub(elapsed).unwrap_or(self.arrived),
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
