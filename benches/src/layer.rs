//! What `MacaronLayer` adds to a minimal axum service, in-process: the
//! same router without a layer; with a layer that does nothing, added by
//! `Router::layer` (what axum itself charges for any layer there); with
//! `MacaronLayer` added by `Router::layer`; with `MacaronLayer` around
//! the whole router, as `tower::ServiceBuilder` puts it; and, around the
//! router too, a layer whose future only wraps the router's (what seeing
//! the response costs in itself), and one that also keeps a copy of the
//! request's method, URI and headers until the response is ready: what any
//! layer that puts the request in crash reports must do, the floor of
//! `around`.

use crate::fixtures::UnknownUser;
use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::{HeaderMap, Method, Request, Uri};
use macaron_core::{Config, MacaronLayer, MacaronService, Reporting};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
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
    Wrap(KeepRequest<Router, ()>),
    /// A router inside [`KeepRequest`] keeping a copy of the request.
    Copy(KeepRequest<Router, RequestCopy>),
}

/// What `copy` keeps of each request.
pub type RequestCopy = (Method, Uri, HeaderMap);

/// The services compared, by name.
pub fn subjects() -> [(&'static str, Subject); 6] {
    let config = Config::builder().reporting(Reporting::Off).build();
    let layer = MacaronLayer::new(config);
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
                keep: |_| (),
            }),
        ),
        (
            "copy",
            Subject::Copy(KeepRequest {
                inner: router().with_state(()),
                keep: |request| {
                    (
                        request.method().clone(),
                        request.uri().clone(),
                        request.headers().clone(),
                    )
                },
            }),
        ),
    ]
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
    };
    drop(std::hint::black_box(response.expect("a response")));
}

/// A service whose future wraps its inner service's and keeps what `keep`
/// takes of the request until the response is ready. It does nothing else.
pub struct KeepRequest<S, K> {
    inner: S,
    keep: fn(&Request<Body>) -> K,
}

// By hand: a derive would ask `K: Clone`.
impl<S: Clone, K> Clone for KeepRequest<S, K> {
    fn clone(&self) -> Self {
        KeepRequest {
            inner: self.inner.clone(),
            keep: self.keep,
        }
    }
}

impl<S: Service<Request<Body>>, K> Service<Request<Body>> for KeepRequest<S, K> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = KeepFuture<S::Future, K>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // Written where the future keeps it, as `MacaronLayer` does: a copy
        // made first and moved in would add the moves to the floor.
        KeepFuture {
            kept: (self.keep)(&request),
            future: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The future of a [`KeepRequest`] response.
    pub struct KeepFuture<F, K> {
        #[pin]
        future: F,
        kept: K,
    }
}

impl<F: Future, K> Future for KeepFuture<F, K> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        // Read, so that what is kept cannot be left out.
        std::hint::black_box(&*this.kept);
        this.future.poll(cx)
    }
}
