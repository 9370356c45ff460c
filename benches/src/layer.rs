//! What `MacaronLayer` adds to a minimal axum service, in-process: the
//! same router without a layer; with a layer that does nothing, added by
//! `Router::layer` (what axum itself charges for any layer there); with
//! `MacaronLayer` added by `Router::layer`; with `MacaronLayer` around
//! the whole router, as `tower::ServiceBuilder` puts it; and, around the
//! router too, three layers that do part of what `MacaronLayer` must:
//! - `wrap`, whose future only wraps the router's: what seeing the
//!   response costs in itself;
//! - `copy`, which also keeps a copy of the request's method, URI and
//!   headers until the response is ready, as any layer must whose crash
//!   reports and decorator see the request (the handler takes the request
//!   itself);
//! - `floor`, which also times the call on the clock `MacaronLayer` reads
//!   and gives its future a share of the configuration, as any layer must
//!   that reports slow calls and owns a reporter: the floor of `around`.

use crate::fixtures::UnknownUser;
use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::{HeaderMap, Method, Request, Uri};
use macaron_core::{Config, MacaronLayer, MacaronService, Reporting, RequestInfo};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tower::{Layer as _, Service, ServiceExt as _};

/// The paths requested: a success and a declared error.
pub const PATHS: [&str; 2] = ["/ok", "/error"];

/// A service under measure.
pub enum Subject {
    /// A router, layered or not.
    Router(Router),
    /// A router inside `MacaronLayer`.
    Around(MacaronService<Router>),
    /// A router inside [`KeepRequest`] keeping nothing.
    Wrap(KeepRequest<Router, (), ()>),
    /// A router inside [`KeepRequest`] keeping a copy of the request.
    Copy(KeepRequest<Router, (), RequestCopy>),
    /// A router inside [`KeepRequest`] keeping a copy of the request with
    /// its arrival, and a share of the configuration.
    Floor(KeepRequest<Router, Config, RequestInfo>),
}

/// What `copy` keeps of each request.
pub type RequestCopy = (Method, Uri, HeaderMap);

/// The services compared, by name.
pub fn subjects() -> [(&'static str, Subject); 7] {
    let config = Config::builder().reporting(Reporting::Off).build();
    let layer = MacaronLayer::new(config.clone());
    // `with_state` turns handlers into routes once, as `axum::serve` does;
    // without it, axum would apply the layers again on every request.
    [
        ("without", Subject::Router(router().with_state(()))),
        (
            "identity",
            Subject::Router(router().layer(tower::layer::layer_fn(|s| s)).with_state(())),
        ),
        (
            "with",
            Subject::Router(router().layer(layer.clone()).with_state(())),
        ),
        (
            "around",
            Subject::Around(layer.layer(router().with_state(()))),
        ),
        (
            "wrap",
            Subject::Wrap(KeepRequest {
                inner: router().with_state(()),
                shared: (),
                keep: |_| (),
                finish: |(), ()| (),
            }),
        ),
        (
            "copy",
            Subject::Copy(KeepRequest {
                inner: router().with_state(()),
                shared: (),
                keep: |request| {
                    (
                        request.method().clone(),
                        request.uri().clone(),
                        request.headers().clone(),
                    )
                },
                // Read, so that what is kept cannot be left out.
                finish: |(), copy| {
                    std::hint::black_box(copy);
                },
            }),
        ),
        (
            "floor",
            Subject::Floor(floor(router().with_state(()), config)),
        ),
    ]
}

/// `inner` inside the least a layer with `MacaronLayer`'s duties does:
/// [`KeepRequest`] keeping a copy of the request with its arrival, and a
/// share of `config`, and reading the clock once the response is ready.
pub fn floor<S>(inner: S, config: Config) -> KeepRequest<S, Config, RequestInfo> {
    KeepRequest {
        inner,
        shared: config,
        // Notes the arrival on the clock `MacaronLayer` reads, and clones
        // as `MacaronLayer` does, straight into the request it keeps.
        keep: |request| {
            RequestInfo::new(
                request.method().clone(),
                request.uri().clone(),
                request.headers().clone(),
            )
        },
        finish: |config, request| {
            let limit = Duration::from_millis(config.report_call_exceeding_ms());
            if request.elapsed() > limit {
                std::hint::black_box(request);
            }
        },
    }
}

fn router() -> Router {
    Router::new().route("/ok", get(|| async { "ok" })).route(
        "/error",
        get(|| async { Err::<&str, _>(UnknownUser { id: 42 }) }),
    )
}

/// One request to `path`, answered.
pub async fn request(subject: &Subject, path: &'static str) {
    // A static URI, whose clone is free: the clone of one hyper parsed
    // costs a reference count more, which this leaves out.
    let request = Request::get(http::Uri::from_static(path))
        .body(Body::empty())
        .expect("a request");
    let response = match subject {
        Subject::Router(router) => router.clone().oneshot(request).await,
        Subject::Around(service) => service.clone().oneshot(request).await,
        Subject::Wrap(service) => service.clone().oneshot(request).await,
        Subject::Copy(service) => service.clone().oneshot(request).await,
        Subject::Floor(service) => service.clone().oneshot(request).await,
    };
    drop(std::hint::black_box(response.expect("a response")));
}

/// A service whose future wraps its inner service's, keeps what `keep`
/// takes of the request and a clone of `shared` until the response is
/// ready, then gives both to `finish`. It does nothing else.
pub struct KeepRequest<S, H, K> {
    inner: S,
    shared: H,
    keep: fn(&Request<Body>) -> K,
    finish: fn(&H, &K),
}

// By hand: a derive would ask `K: Clone`.
impl<S: Clone, H: Clone, K> Clone for KeepRequest<S, H, K> {
    fn clone(&self) -> Self {
        KeepRequest {
            inner: self.inner.clone(),
            shared: self.shared.clone(),
            keep: self.keep,
            finish: self.finish,
        }
    }
}

impl<S: Service<Request<Body>>, H: Clone, K> Service<Request<Body>> for KeepRequest<S, H, K> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = KeepFuture<S::Future, H, K>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // Written where the future keeps it, as `MacaronLayer` does: a copy
        // made first and moved in would add the moves to the floor.
        KeepFuture {
            kept: (self.keep)(&request),
            shared: self.shared.clone(),
            finish: self.finish,
            future: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The future of a [`KeepRequest`] response.
    pub struct KeepFuture<F, H, K> {
        #[pin]
        future: F,
        shared: H,
        kept: K,
        finish: fn(&H, &K),
    }
}

impl<F: Future, H, K> Future for KeepFuture<F, H, K> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        // The poll passed on as it is: taking the output out and wrapping
        // it again would add its moves to the floor.
        let poll = this.future.poll(cx);
        if poll.is_ready() {
            (this.finish)(this.shared, this.kept);
        }
        poll
    }
}
