//! tower: `MacaronLayer` puts every response of a service in the Error
//! model and applies the runtime policies with the request in hand.

use crate::adapter::{
    record_panic_locations, run_handler, serve_framework_error, MAX_FRAMEWORK_TEXT,
};
use crate::config::RequestScope;
use crate::{Config, RequestInfo, ServedError};
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Either, Full, Limited};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower_layer::Layer;
use tower_service::Service;

/// The layer that makes every error a service emits, declared or not,
/// framework-made or not, an Error-model response, with crash reports that
/// carry the request:
/// - the handler runs with the configuration and request in scope, so
///   declared errors get an `error_id`, the decorator, debug mode and
///   reports with request fields;
/// - a panic becomes a 500 `UNHANDLED_SERVER_ERROR` and a fatal report
///   with the panic message and location; the server keeps serving;
/// - error responses the framework made (unknown route, wrong method,
///   rejected body, query or path, body too large, timeouts) become
///   Error-model bodies with stable codes, keeping their headers (`Allow`);
/// - each request is timed against `report_call_exceeding_ms`, or a
///   route's own limit ([`slow_route`](Self::slow_route)), or the handler's
///   `#[report_slow]`;
/// - every error response carries a [`ServedError`] extension.
///
/// With axum: `Router::new().route(...).layer(MacaronLayer::new(config))`.
#[derive(Clone, Debug)]
pub struct MacaronLayer {
    config: Config,
    slow_routes: Arc<HashMap<String, u64>>,
}

impl MacaronLayer {
    /// The layer, applying `config`.
    pub fn new(config: Config) -> Self {
        record_panic_locations();
        MacaronLayer {
            config,
            slow_routes: Arc::default(),
        }
    }

    /// Requests to `route` (the route pattern, as `/upload/{id}`) may take
    /// `max_ms` milliseconds before a slow-call report.
    #[must_use]
    pub fn slow_route(mut self, route: impl Into<String>, max_ms: u64) -> Self {
        Arc::make_mut(&mut self.slow_routes).insert(route.into(), max_ms);
        self
    }
}

impl<S> Layer<S> for MacaronLayer {
    type Service = MacaronService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MacaronService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`MacaronLayer`] wraps around another.
#[derive(Clone, Debug)]
pub struct MacaronService<S> {
    inner: S,
    layer: MacaronLayer,
}

/// The body of a [`MacaronService`] response: the inner service's, or an
/// Error-model body.
pub type MacaronBody<B> = Either<B, Full<Bytes>>;

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for MacaronService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<crate::BoxError>,
{
    type Response = Response<MacaronBody<ResBody>>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let route = matched_route(&request);
        let limit = route
            .as_deref()
            .and_then(|route| self.layer.slow_routes.get(route))
            .copied();
        let mut info = RequestInfo::new(
            request.method().clone(),
            request.uri().clone(),
            request.headers().clone(),
        );
        info.route = route;
        let scope = RequestScope::new(info);
        let config = self.layer.config.clone();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = match run_handler(&config, &scope, limit, future).await {
                Ok(result) => result?,
                Err(panic_response) => return Ok(full(panic_response)),
            };
            if response.status().as_u16() < 400
                || response.extensions().get::<ServedError>().is_some()
            {
                return Ok(response.map(Either::Left));
            }
            let (parts, body) = response.into_parts();
            let bytes = match Limited::new(body, MAX_FRAMEWORK_TEXT).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => Bytes::new(),
            };
            let served =
                serve_framework_error(&config, &scope, parts.status, &parts.headers, &bytes);
            Ok(full(served))
        })
    }
}

fn full<B>(response: Response<Bytes>) -> Response<MacaronBody<B>> {
    response.map(|body| Either::Right(Full::new(body)))
}

/// The route pattern the framework matched, when it says (axum does).
fn matched_route<B>(request: &Request<B>) -> Option<String> {
    #[cfg(feature = "axum")]
    if let Some(path) = request.extensions().get::<axum::extract::MatchedPath>() {
        return Some(path.as_str().to_owned());
    }
    let _ = request;
    None
}
