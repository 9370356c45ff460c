//! tower: `MacaronLayer` puts every response of a service in the Error
//! model and applies the runtime policies with the request in hand.

use crate::adapter::{
    keeps, poll_scoped, record_panic_locations, report_if_slow, serve_framework_error, serve_panic,
    ErrorBodies, MAX_FRAMEWORK_TEXT,
};
use crate::handlers::{with_handler, ErrorHandlers};
use crate::scope::{report_notices_in_scope, Scope};
use crate::{Config, Error, RequestInfo, ServedError};
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Limited};
use pin_project_lite::pin_project;
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
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
///   rejected body, query or path, body too large, timeouts: empty or
///   plain-text bodies) become Error-model bodies with stable codes,
///   keeping their headers (`Allow`); a body a handler wrote in a media
///   type of its own (JSON, HTML) is kept, unless the layer, the route or
///   the response says otherwise ([`ErrorBodies`](crate::ErrorBodies));
/// - each request is timed against `report_call_exceeding_ms`, or a
///   route's own limit ([`slow_route`](Self::slow_route)), or the handler's
///   `#[report_slow]`;
/// - every error response carries a [`ServedError`] extension.
///
/// With axum: `Router::new().route(...).layer(MacaronLayer::new(config))`.
///
/// Or around any service, with `tower::ServiceBuilder` or
/// [`Layer::layer`]; axum's route patterns (for reports and
/// [`slow_route`](Self::slow_route)) are only known to a layer added with
/// `Router::layer`. The service's response body must be `From<Bytes>`, as
/// axum's `Body` and `Full<Bytes>` are, so that the layer gives back the
/// body type it was given.
#[derive(Clone, Debug)]
pub struct MacaronLayer {
    // One reference count to bump when the service is cloned, which axum
    // does for every request.
    shared: Arc<Shared>,
}

#[derive(Clone, Debug)]
struct Shared {
    config: Config,
    slow_routes: HashMap<String, u64>,
    /// The router's own error handlers, tried before the configuration's.
    handlers: Option<Arc<ErrorHandlers>>,
    handler_bodies: ErrorBodies,
    route_bodies: HashMap<String, ErrorBodies>,
}

impl MacaronLayer {
    /// The layer, applying `config`.
    pub fn new(config: Config) -> Self {
        record_panic_locations();
        report_notices_in_scope();
        MacaronLayer {
            shared: Arc::new(Shared {
                config,
                slow_routes: HashMap::new(),
                handlers: None,
                handler_bodies: ErrorBodies::Keep,
                route_bodies: HashMap::new(),
            }),
        }
    }

    /// Requests to `route` (the route pattern, as `/upload/{id}`) may take
    /// `max_ms` milliseconds before a slow-call report.
    #[must_use]
    pub fn slow_route(mut self, route: impl Into<String>, max_ms: u64) -> Self {
        Arc::make_mut(&mut self.shared)
            .slow_routes
            .insert(route.into(), max_ms);
        self
    }

    /// What becomes of an error body a handler wrote in a media type of its
    /// own (JSON, HTML...): kept as it is (the default), or translated into
    /// the Error model. Empty and plain-text bodies, which frameworks
    /// write, are always translated (see [`ErrorBodies`]).
    #[must_use]
    pub fn handler_bodies(mut self, bodies: ErrorBodies) -> Self {
        Arc::make_mut(&mut self.shared).handler_bodies = bodies;
        self
    }

    /// What becomes of every error response of `route` (the route pattern,
    /// as `/legacy/{id}`) that macaron did not serve, whatever its body.
    #[must_use]
    pub fn route_bodies(mut self, route: impl Into<String>, bodies: ErrorBodies) -> Self {
        Arc::make_mut(&mut self.shared)
            .route_bodies
            .insert(route.into(), bodies);
        self
    }

    /// A handler of this router's own for errors of type `E`, tried before
    /// the configuration's ([`ConfigBuilder::map_error`](crate::ConfigBuilder::map_error)),
    /// as a Flask-RESTPlus namespace's handlers come before the
    /// application's.
    #[must_use]
    pub fn map_error<E: std::error::Error + 'static>(
        mut self,
        handler: impl Fn(&E) -> Option<Error> + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::make_mut(&mut self.shared);
        shared.handlers = Some(with_handler(shared.handlers.as_deref(), handler));
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

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for MacaronService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: http_body::Body<Data = Bytes> + From<Bytes> + Send + 'static,
    ResBody::Error: Into<crate::BoxError>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = MacaronFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let info = RequestInfo::of_request(&request);
        let shared = &*self.layer.shared;
        let limit_ms = match info.route() {
            Some(route) if !shared.slow_routes.is_empty() => shared.slow_routes.get(route).copied(),
            _ => None,
        };
        let route_bodies = match info.route() {
            Some(route) if !shared.route_bodies.is_empty() => {
                shared.route_bodies.get(route).copied()
            }
            _ => None,
        };
        MacaronFuture {
            route_bodies,
            handler_bodies: shared.handler_bodies,
            scope: Scope::serving(
                self.layer.shared.config.clone(),
                info,
                self.layer.shared.handlers.clone(),
            ),
            limit_ms,
            state: State::Handler {
                future: self.inner.call(request),
            },
        }
    }
}

pin_project! {
    /// The future of a [`MacaronService`] response.
    pub struct MacaronFuture<F, B> {
        #[pin]
        state: State<F, B>,
        scope: Scope,
        limit_ms: Option<u64>,
        route_bodies: Option<ErrorBodies>,
        handler_bodies: ErrorBodies,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B> {
        // The inner service's future, polled in scope.
        Handler { #[pin] future: F },
        // A framework-made error response being read and translated: rare,
        // so boxed.
        Translating {
            future: Pin<Box<dyn Future<Output = Response<Bytes>> + Send>>,
            body: PhantomData<fn() -> B>,
        },
    }
}

impl<F, B, E> Future for MacaronFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: http_body::Body<Data = Bytes> + From<Bytes> + Send + 'static,
    B::Error: Into<crate::BoxError>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProjection::Handler { future } => {
                    let outcome = ready!(poll_scoped(this.scope, future, cx));
                    report_if_slow(this.scope, *this.limit_ms);
                    let response = match outcome {
                        Ok(result) => result?,
                        Err(panic) => {
                            let served = serve_panic(this.scope, panic);
                            return Poll::Ready(Ok(served.map(B::from)));
                        }
                    };
                    if response.status().as_u16() < 400
                        || response.extensions().get::<ServedError>().is_some()
                        || keeps(
                            response.extensions().get::<ErrorBodies>().copied(),
                            *this.route_bodies,
                            *this.handler_bodies,
                            response
                                .headers()
                                .get(http::header::CONTENT_TYPE)
                                .map(http::HeaderValue::as_bytes),
                            http_body::Body::size_hint(response.body()).exact() == Some(0),
                        )
                    {
                        return Poll::Ready(Ok(response));
                    }
                    // Rare: the request's headers are copied for it.
                    let future = translate(
                        this.scope.config.clone(),
                        this.scope.request_info().cloned(),
                        response,
                    );
                    this.state.set(State::Translating {
                        future: Box::pin(future),
                        body: PhantomData,
                    });
                }
                StateProjection::Translating { future, .. } => {
                    return future
                        .as_mut()
                        .poll(cx)
                        .map(|served| Ok(served.map(B::from)));
                }
            }
        }
    }
}

/// An error response the framework made, read and put in the Error model.
async fn translate<B>(
    config: Config,
    request: Option<RequestInfo>,
    response: Response<B>,
) -> Response<Bytes>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<crate::BoxError>,
{
    let (parts, body) = response.into_parts();
    let bytes = match Limited::new(body, MAX_FRAMEWORK_TEXT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    serve_framework_error(
        &config,
        request.as_ref(),
        parts.status,
        &parts.headers,
        &bytes,
    )
}
