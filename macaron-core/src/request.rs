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

    /// The W3C trace id of the distributed trace this request belongs to:
    /// the second field of its `traceparent` header, 32 lowercase hex
    /// digits. `None` when the header is absent, repeated or not valid by
    /// the [Trace Context](https://www.w3.org/TR/trace-context/) rules, as
    /// a tracing system would ignore it.
    ///
    /// ```
    /// use http::{HeaderMap, Method, Uri};
    /// use macaron_core::RequestInfo;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(
    ///     "traceparent",
    ///     "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".parse().unwrap(),
    /// );
    /// let request = RequestInfo::new(Method::GET, Uri::from_static("/"), headers);
    /// assert_eq!(request.trace_id(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
    /// ```
    pub fn trace_id(&self) -> Option<&str> {
        let mut values = self.headers.get_all("traceparent").iter();
        match (values.next(), values.next()) {
            (Some(value), None) => trace_id_of(value.to_str().ok()?),
            _ => None,
        }
    }
}

/// The trace id of a `traceparent` value: `version-traceid-parentid-flags`
/// in lowercase hex, with ids not all zeros; version `ff` is invalid, and a
/// later version may append fields after a dash.
fn trace_id_of(traceparent: &str) -> Option<&str> {
    let is_hex = |field: &str| {
        field
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    };
    let is_id = |field: &str| is_hex(field) && field.bytes().any(|byte| byte != b'0');
    let fields = traceparent.get(..55).filter(|fields| fields.is_ascii())?;
    let rest = &traceparent[55..];
    let (version, trace_id, parent_id, flags) = (
        &fields[..2],
        &fields[3..35],
        &fields[36..52],
        &fields[53..55],
    );
    let dashes = [2, 35, 52].iter().all(|&at| fields.as_bytes()[at] == b'-');
    let valid = dashes
        && is_hex(version)
        && version != "ff"
        && is_id(trace_id)
        && is_id(parent_id)
        && is_hex(flags)
        && (rest.is_empty() || (version != "00" && rest.starts_with('-')));
    valid.then_some(trace_id)
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

#[cfg(test)]
mod tests {
    use super::{trace_id_of, RequestInfo};
    use http::{HeaderMap, HeaderValue, Method, Uri};

    const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        for traceparent in [
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            // A later version may add fields after a dash.
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-future",
        ] {
            assert_eq!(trace_id_of(traceparent), Some(TRACE_ID), "{traceparent}");
        }
    }

    #[test]
    fn an_invalid_traceparent_gives_none() {
        for traceparent in [
            "",
            "00",
            // Version 00 has exactly four fields.
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            // All-zero ids.
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            // Uppercase, short or misplaced fields.
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z",
            // Not ASCII where a field should be: refused, not a panic.
            "00-4bf92f3577b34da6a3ce929d0e0e47é-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0é",
        ] {
            assert_eq!(trace_id_of(traceparent), None, "{traceparent}");
        }
    }

    #[test]
    fn a_repeated_traceparent_gives_none() {
        let traceparent =
            HeaderValue::from_static("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        let mut headers = HeaderMap::new();
        headers.append("traceparent", traceparent.clone());
        let request = RequestInfo::new(Method::GET, Uri::from_static("/"), headers.clone());
        assert_eq!(request.trace_id(), Some(TRACE_ID));
        headers.append("traceparent", traceparent);
        let request = RequestInfo::new(Method::GET, Uri::from_static("/"), headers);
        assert_eq!(request.trace_id(), None);
    }
}
