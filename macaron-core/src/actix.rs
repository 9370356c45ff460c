//! actix-web: every error type implements `ResponseError`. actix-web 4
//! uses `http` 0.2, so statuses and headers are converted by value.

use crate::adapter::{
    keeps, record_panic_locations, run_handler, serve_framework_error, ErrorBodies,
    MAX_FRAMEWORK_TEXT,
};
use crate::handlers::{with_handler, ErrorHandlers};
use crate::scope::{report_notices_in_scope, Scope};
use crate::serve::serve;
use crate::{ApiError, Config, Error, ErrorRef, RequestInfo, ServedError};
use actix_web::body::{to_bytes_limited, BodySize, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode as ActixStatus;
use actix_web::{HttpResponse, ResponseError};
use bytes::Bytes;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A handler returning `Result<T, macaron_core::Error>` works as is.
impl ResponseError for Error {
    fn status_code(&self) -> ActixStatus {
        to_actix_status(self.status())
    }

    fn error_response(&self) -> HttpResponse {
        to_actix_response(serve(self))
    }
}

/// The status of a declared error, as actix-web's type.
pub fn actix_status<E: ApiError>(error: &E) -> ActixStatus {
    to_actix_status(error.status())
}

/// The response of a declared error served under the scope's policies.
pub fn actix_response<E: ApiError>(error: &E) -> HttpResponse {
    to_actix_response(serve(ErrorRef::from(error)))
}

fn to_actix_status(status: http::StatusCode) -> ActixStatus {
    ActixStatus::from_u16(status.as_u16()).unwrap_or(ActixStatus::INTERNAL_SERVER_ERROR)
}

pub(crate) fn to_actix_response(response: http::Response<Bytes>) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let mut builder = HttpResponse::build(to_actix_status(parts.status));
    for (name, value) in &parts.headers {
        builder.append_header((name.as_str(), value.as_bytes()));
    }
    let mut response = builder.body(body);
    if let Some(served) = parts.extensions.get::<ServedError>() {
        response.extensions_mut().insert(served.clone());
    }
    response
}

/// The actix-web middleware: what [`MacaronLayer`](crate::MacaronLayer)
/// does for tower, for an actix-web `App`: the handler runs with the
/// configuration and request in scope; panics become 500s with a fatal
/// report; error responses actix-web made (unknown route, wrong method,
/// rejected extractors, body too large) become Error-model bodies, while a
/// handler's own body in a media type of its own is kept (see
/// [`ErrorBodies`](crate::ErrorBodies)); each request is timed; every
/// error response carries a [`ServedError`].
///
/// `App::new().wrap(macaron_core::Macaron::new(config))`
#[derive(Clone, Debug)]
pub struct Macaron {
    config: Config,
    /// The app's (or scope's) own error handlers, tried before the
    /// configuration's.
    handlers: Option<Arc<ErrorHandlers>>,
    handler_bodies: ErrorBodies,
}

impl Macaron {
    /// The middleware, applying `config`.
    pub fn new(config: Config) -> Self {
        record_panic_locations();
        report_notices_in_scope();
        Macaron {
            config,
            handlers: None,
            handler_bodies: ErrorBodies::Keep,
        }
    }

    /// What becomes of an error body a handler wrote in a media type of its
    /// own (JSON, HTML...): kept as it is (the default), or translated into
    /// the Error model; see [`ErrorBodies`]. For one route or scope, wrap
    /// it in a middleware of its own.
    #[must_use]
    pub fn handler_bodies(mut self, bodies: ErrorBodies) -> Self {
        self.handler_bodies = bodies;
        self
    }

    /// A handler of this middleware's own for errors of type `E`, tried
    /// before the configuration's ([`ConfigBuilder::map_error`](crate::ConfigBuilder::map_error)).
    #[must_use]
    pub fn map_error<E: std::error::Error + 'static>(
        mut self,
        handler: impl Fn(&E) -> Option<Error> + Send + Sync + 'static,
    ) -> Self {
        self.handlers = Some(with_handler(self.handlers.as_deref(), handler));
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for Macaron
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = MacaronMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(MacaronMiddleware {
            service: Rc::new(service),
            config: self.config.clone(),
            handlers: self.handlers.clone(),
            handler_bodies: self.handler_bodies,
        }))
    }
}

/// The service [`Macaron`] wraps around an actix-web service.
pub struct MacaronMiddleware<S> {
    service: Rc<S>,
    config: Config,
    handlers: Option<Arc<ErrorHandlers>>,
    handler_bodies: ErrorBodies,
}

impl<S, B> Service<ServiceRequest> for MacaronMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut request: ServiceRequest) -> Self::Future {
        // The request itself cannot be kept: actix-web's router needs it
        // unshared. Responses give it back; panics and errors do not, and
        // go out as errors that carry their response.
        let info = request_info(&request);
        // A HEAD is answered by the GET route, as axum and RFC 9110 (9.3.2)
        // have it; actix-web's codec leaves the body out, since the
        // request it read was a HEAD.
        if request.method() == actix_web::http::Method::HEAD {
            request.head_mut().method = actix_web::http::Method::GET;
        }
        let scope = Scope::serving(self.config.clone(), info, self.handlers.clone());
        let service = Rc::clone(&self.service);
        let handler_bodies = self.handler_bodies;
        // Every request allocates this future. The rare translation of a
        // framework's own error body is boxed apart, so that its room is
        // not in every request's block: the allocator serves large blocks
        // on a slower path than small ones.
        Box::pin(async move {
            let future = service.call(request);
            let response = match run_handler(&scope, None, future).await {
                Err(panic_response) => return Err(as_actix_error(panic_response)),
                Ok(Err(error)) => {
                    let response = error.error_response();
                    let served = Box::pin(translate(&scope, response)).await;
                    return Err(as_actix_error(served));
                }
                Ok(Ok(response)) => response,
            };
            let served = response.response();
            if response.status().as_u16() < 400
                || served.extensions().get::<ServedError>().is_some()
                || keeps(
                    served.extensions().get::<ErrorBodies>().copied(),
                    None,
                    handler_bodies,
                    served
                        .headers()
                        .get(actix_web::http::header::CONTENT_TYPE)
                        .map(|value| value.as_bytes()),
                    matches!(served.body().size(), BodySize::None | BodySize::Sized(0)),
                )
            {
                return Ok(response.map_into_left_body());
            }
            let (request, response) = response.into_parts();
            let served = Box::pin(translate(&scope, response)).await;
            Ok(ServiceResponse::new(request, to_actix_response(served)).map_into_right_body())
        })
    }
}

/// An error response actix-web made, in the Error model.
async fn translate<B: MessageBody>(
    scope: &Scope,
    response: HttpResponse<B>,
) -> http::Response<Bytes> {
    let headers = to_http_headers(response.headers());
    let status = http::StatusCode::from_u16(response.status().as_u16())
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = read_body(response.into_body()).await;
    serve_framework_error(
        &scope.config,
        scope.request_info(),
        status,
        &headers,
        &bytes,
    )
}

/// An actix-web error whose response is `response`.
fn as_actix_error(response: http::Response<Bytes>) -> actix_web::Error {
    let response = to_actix_response(response);
    actix_web::error::InternalError::from_response("served by macaron", response).into()
}

/// The start of a framework-made body, for its description.
async fn read_body(body: impl MessageBody) -> Bytes {
    match to_bytes_limited(body, MAX_FRAMEWORK_TEXT).await {
        Ok(Ok(bytes)) => bytes,
        _ => Bytes::new(),
    }
}

fn request_info(request: &ServiceRequest) -> RequestInfo {
    let method = http::Method::from_bytes(request.method().as_str().as_bytes()).unwrap_or_default();
    // The path and query, all a report shows, read as the request line
    // gave them rather than formatted again.
    let uri = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str())
        .parse()
        .unwrap_or_default();
    RequestInfo::new(method, uri, to_http_headers(request.headers()))
}

fn to_http_headers(headers: &actix_web::http::header::HeaderMap) -> http::HeaderMap {
    let mut converted = http::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            converted.append(name, value);
        }
    }
    converted
}
