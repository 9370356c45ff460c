//! `MacaronGrpcLayer`: the configuration and request in scope of each
//! call of a tonic server, and of its response stream.

use super::status::tonic_status;
use crate::adapter::{panic_error, poll_scoped, record_panic_locations, report_if_slow};
use crate::scope::{report_notices_in_scope, Scope};
use crate::{Config, RequestInfo};
use http::{HeaderMap, Request, Response};
use pin_project_lite::pin_project;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tower_layer::Layer;
use tower_service::Service;

/// The layer that does for a tonic server what [`MacaronLayer`](crate::MacaronLayer)
/// does for an HTTP one: each call runs with the configuration and request
/// in scope (its route the gRPC method, `/package.Service/Method`), so
/// that errors turned into a `Status` get error ids, decorators and crash
/// reports; a panic becomes an `INTERNAL` status and a fatal report; each
/// call is timed against `report_call_exceeding_ms`. A response stream is
/// read in the same scope ([`MacaronGrpcBody`]). A `Status` a handler
/// builds by hand is its own answer: the layer sends it as it is and
/// reports nothing, as `MacaronLayer` keeps a body a handler wrote itself.
///
/// ```
/// # async fn run(routes: tonic::service::Routes) -> Result<(), Box<dyn std::error::Error>> {
/// let config = macaron_core::Config::builder().build();
/// tonic::transport::Server::builder()
///     .layer(macaron_core::MacaronGrpcLayer::new(config))
///     .add_routes(routes)
///     .serve("127.0.0.1:50051".parse()?)
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct MacaronGrpcLayer {
    config: Config,
}

impl MacaronGrpcLayer {
    /// The layer, applying `config`.
    pub fn new(config: Config) -> Self {
        record_panic_locations();
        report_notices_in_scope();
        MacaronGrpcLayer { config }
    }
}

impl<S> Layer<S> for MacaronGrpcLayer {
    type Service = MacaronGrpcService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MacaronGrpcService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service [`MacaronGrpcLayer`] wraps around a tonic server's.
#[derive(Clone, Debug)]
pub struct MacaronGrpcService<S> {
    inner: S,
    config: Config,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for MacaronGrpcService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<MacaronGrpcBody<ResBody>>;
    type Error = S::Error;
    type Future = MacaronGrpcFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let method = request.uri().path().to_owned();
        let info = RequestInfo::of_request(&request).with_route(method);
        MacaronGrpcFuture {
            scope: Some(Scope::serving(self.config.clone(), info, None)),
            future: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The future of a [`MacaronGrpcService`] response.
    pub struct MacaronGrpcFuture<F> {
        #[pin]
        future: F,
        // Handed to the response's body once the handler is done.
        scope: Option<Scope>,
    }
}

impl<F, B, E> Future for MacaronGrpcFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<MacaronGrpcBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let scope = this
            .scope
            .as_ref()
            .expect("a MacaronGrpcFuture polled after it completed");
        let outcome = ready!(poll_scoped(scope, this.future, cx));
        report_if_slow(scope, None);
        let response = match outcome {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => return Poll::Ready(Err(error)),
            Err(panic) => scope.enter(|| tonic_status(panic_error(panic))).into_http(),
        };
        let scope = this.scope.take();
        Poll::Ready(Ok(response.map(|body| MacaronGrpcBody { body, scope })))
    }
}

pin_project! {
    /// The body of a [`MacaronGrpcService`] response: a response stream's
    /// messages are polled with the call's configuration and request in
    /// scope, so that an error the stream turns into a `Status` is served
    /// as the handler's are; a panic there ends the stream with an
    /// `INTERNAL` status and a fatal report.
    pub struct MacaronGrpcBody<B> {
        #[pin]
        body: B,
        // `None` once a panic ended the body, which is then in no state to
        // be polled again.
        scope: Option<Scope>,
    }
}

impl<B: http_body::Body> http_body::Body for MacaronGrpcBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        let this = self.project();
        let Some(scope) = this.scope.as_ref() else {
            return Poll::Ready(None);
        };
        match catch_unwind(AssertUnwindSafe(|| {
            scope.enter(|| this.body.poll_frame(cx))
        })) {
            Ok(frame) => frame,
            Err(panic) => {
                let status = scope.enter(|| tonic_status(panic_error(panic)));
                *this.scope = None;
                let mut trailers = HeaderMap::new();
                // A status this crate built has valid headers.
                let _ = status.add_header(&mut trailers);
                Poll::Ready(Some(Ok(http_body::Frame::trailers(trailers))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.scope.is_none() || self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.scope {
            Some(_) => self.body.size_hint(),
            None => http_body::SizeHint::with_exact(0),
        }
    }
}
