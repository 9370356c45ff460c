//! The services the end-to-end benchmark serves over loopback: one service
//! on axum and on actix-web, each written as a user writes it without
//! macaron (hand-written error bodies, a `tracing` event for a failure, a
//! panic caught: tower-http's catcher on axum, `catch_unwind` on actix-web,
//! which has none) and with macaron as the README shows (declared errors,
//! `?`, `MacaronLayer` or `Macaron`); and the first inside the least a
//! layer with macaron's duties does ([`Variant::Floor`]). Each has the
//! same four routes:
//!
//! - `/ok`: a small JSON body;
//! - `/declared`: a 404 the service means;
//! - `/foreign`: an I/O error nobody declared, served as a 500 and reported;
//! - `/panic`: a handler that panics, served as a 500.

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use macaron_core::{
    ApiError, Config, CrashReport, Error, MacaronLayer, NonBlocking, Reporting, RequestInfo,
};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Which service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Without macaron.
    Bare,
    /// With macaron and its default reporter (a `tracing` event per report).
    Macaron,
    /// With macaron and a `NonBlocking` reporter: reports off the request
    /// path.
    MacaronNonBlocking,
    /// Without macaron, inside the least a layer or middleware with
    /// macaron's duties does, whoever writes it: a copy of each request
    /// with its arrival (crash reports and decorators see the request, and
    /// the handler takes it), a share of a configuration, and the clock
    /// read once the response is ready (slow calls are reported). What the
    /// layer costs at the least.
    Floor,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::Bare,
        Variant::Macaron,
        Variant::MacaronNonBlocking,
        Variant::Floor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::Macaron => "macaron",
            Variant::MacaronNonBlocking => "macaron-nonblocking",
            Variant::Floor => "floor",
        }
    }

    /// Whether the service runs with macaron.
    pub fn has_macaron(self) -> bool {
        matches!(self, Variant::Macaron | Variant::MacaronNonBlocking)
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|variant| variant.name() == name)
    }
}

/// The routes, in the order the benchmark measures them.
pub const ROUTES: [&str; 4] = ["/ok", "/declared", "/foreign", "/panic"];

/// The status each route answers.
pub fn status_of(route: &str) -> u16 {
    match route {
        "/ok" => 200,
        "/declared" => 404,
        _ => 500,
    }
}

/// The configuration of a service with macaron.
pub fn config(variant: Variant) -> Config {
    let builder = Config::builder().reporting(Reporting::On);
    match variant {
        Variant::MacaronNonBlocking => {
            // What a service sends reports to: here, nowhere.
            builder
                .reporter(NonBlocking::new(|_: &CrashReport| Ok(()), 1024))
                .build()
        }
        Variant::Bare | Variant::Macaron | Variant::Floor => builder.build(),
    }
}

/// The axum service.
pub fn app(variant: Variant) -> Router {
    match variant {
        Variant::Bare => bare(),
        Variant::Macaron | Variant::MacaronNonBlocking => with_macaron(config(variant)),
        // The floor's duties in the one layer the bare service adds, so
        // that axum boxes each route no more than there.
        Variant::Floor => {
            let config = config(variant);
            bare_routes().layer(
                tower::ServiceBuilder::new()
                    .layer(tower::layer::layer_fn(move |route| {
                        crate::layer::floor(route, config.clone())
                    }))
                    .layer(tower_http::catch_panic::CatchPanicLayer::new()),
            )
        }
    }
}

/// The actix-web service's routes (its middleware is [`actix_middleware`]).
pub fn actix_routes(variant: Variant) -> impl Fn(&mut actix_web::web::ServiceConfig) + Clone {
    use actix_web::{web, HttpResponse};
    move |routes: &mut web::ServiceConfig| {
        async fn ok() -> HttpResponse {
            HttpResponse::Ok().json(json!({"id": 7, "name": "ada"}))
        }
        match variant {
            Variant::Bare | Variant::Floor => {
                async fn declared() -> HttpResponse {
                    HttpResponse::NotFound().json(json!({"error": "UNKNOWN_USER", "error_description": "no user with id 7", "status": 404}))
                }
                async fn foreign() -> HttpResponse {
                    match read_users() {
                        Ok(users) => HttpResponse::Ok().body(users),
                        Err(error) => {
                            tracing::error!(%error, "reading users failed");
                            HttpResponse::InternalServerError().json(json!({"error": "INTERNAL_ERROR", "error_description": "internal error", "status": 500}))
                        }
                    }
                }
                async fn panic() -> HttpResponse {
                    match std::panic::catch_unwind(|| -> &'static str { panic!("index out of range") }) {
                        Ok(text) => HttpResponse::Ok().body(text),
                        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "INTERNAL_ERROR", "error_description": "internal error", "status": 500})),
                    }
                }
                routes
                    .route("/ok", web::get().to(ok))
                    .route("/declared", web::get().to(declared))
                    .route("/foreign", web::get().to(foreign))
                    .route("/panic", web::get().to(panic));
            }
            Variant::Macaron | Variant::MacaronNonBlocking => {
                async fn declared() -> Result<HttpResponse, UnknownUser> {
                    Err(UnknownUser { id: 7 })
                }
                async fn foreign() -> Result<HttpResponse, Error> {
                    Ok(HttpResponse::Ok().body(read_users()?))
                }
                async fn panic() -> HttpResponse {
                    panic!("index out of range")
                }
                routes
                    .route("/ok", web::get().to(ok))
                    .route("/declared", web::get().to(declared))
                    .route("/foreign", web::get().to(foreign))
                    .route("/panic", web::get().to(panic));
            }
        }
    }
}

/// The actix-web middleware: macaron's, for a service with macaron.
pub fn actix_middleware(
    variant: Variant,
) -> actix_web::middleware::Condition<macaron_core::Macaron> {
    actix_web::middleware::Condition::new(
        variant.has_macaron(),
        macaron_core::Macaron::new(config(variant)),
    )
}

/// The floor's middleware, for the floor. Every service has both this
/// and [`actix_middleware`], one of them or both off, so that all have
/// the same stack.
pub fn actix_floor(variant: Variant) -> actix_web::middleware::Condition<ActixFloor> {
    actix_web::middleware::Condition::new(variant == Variant::Floor, ActixFloor(config(variant)))
}

/// The actix-web floor (see [`Variant::Floor`]).
#[derive(Clone)]
pub struct ActixFloor(Config);

impl<S, B> Transform<S, ServiceRequest> for ActixFloor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = ActixFloorService<S>;
    type InitError = ();
    type Future = std::future::Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        std::future::ready(Ok(ActixFloorService {
            service,
            config: self.0.clone(),
        }))
    }
}

/// The service of [`ActixFloor`].
pub struct ActixFloorService<S> {
    service: S,
    config: Config,
}

impl<S, B> Service<ServiceRequest> for ActixFloorService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    // A future of its own, not a box: the least.
    type Future = ActixFloorFuture<S::Future>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        ActixFloorFuture {
            kept: copy_of(&request),
            config: self.config.clone(),
            future: self.service.call(request),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of an [`ActixFloorService`] response.
    pub struct ActixFloorFuture<F> {
        #[pin]
        future: F,
        config: Config,
        kept: RequestInfo,
    }
}

impl<F: Future> Future for ActixFloorFuture<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let poll = this.future.poll(cx);
        if poll.is_ready() {
            let limit = Duration::from_millis(this.config.report_call_exceeding_ms());
            if this.kept.elapsed() > limit {
                std::hint::black_box(&this.kept);
            }
        }
        poll
    }
}

/// A copy of an actix-web request in `http`'s types. actix-web's are
/// those of `http` 0.2, and its router needs the request itself, so a
/// middleware cannot keep it: it copies what it may need.
fn copy_of(request: &ServiceRequest) -> RequestInfo {
    let method = http::Method::from_bytes(request.method().as_str().as_bytes()).unwrap_or_default();
    let uri = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str())
        .parse()
        .unwrap_or_default();
    let mut headers = http::HeaderMap::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    RequestInfo::new(method, uri, headers)
}

async fn ok() -> Json<serde_json::Value> {
    Json(json!({"id": 7, "name": "ada"}))
}

/// What a failed read of the database is.
fn read_users() -> std::io::Result<String> {
    Err(std::io::Error::other("connection refused"))
}

/// A user's own: error bodies written by hand, a panic caught.
fn bare() -> Router {
    bare_routes().layer(tower_http::catch_panic::CatchPanicLayer::new())
}

/// The bare service's routes.
fn bare_routes() -> Router {
    async fn declared() -> impl IntoResponse {
        (
            StatusCode::NOT_FOUND,
            Json(
                json!({"error": "UNKNOWN_USER", "error_description": "no user with id 7", "status": 404}),
            ),
        )
    }
    async fn foreign() -> Result<String, (StatusCode, Json<serde_json::Value>)> {
        read_users().map_err(|error| {
            tracing::error!(%error, "reading users failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "INTERNAL_ERROR", "error_description": "internal error", "status": 500})),
            )
        })
    }
    Router::new()
        .route("/ok", get(ok))
        .route("/declared", get(declared))
        .route("/foreign", get(foreign))
        .route("/panic", get(panics))
}

#[derive(Debug, ApiError)]
#[error("no user with id {id}", status = 404)]
struct UnknownUser {
    id: u64,
}

/// The same service with macaron.
fn with_macaron(config: Config) -> Router {
    async fn declared() -> Result<String, UnknownUser> {
        Err(UnknownUser { id: 7 })
    }
    async fn foreign() -> Result<String, Error> {
        Ok(read_users()?)
    }
    Router::new()
        .route("/ok", get(ok))
        .route("/declared", get(declared))
        .route("/foreign", get(foreign))
        .route("/panic", get(panics))
        .layer(MacaronLayer::new(config))
}

async fn panics() -> &'static str {
    panic!("index out of range")
}

/// Installs what a service has: a `tracing` subscriber that formats every
/// event, here into nothing, and no panic message on standard error.
pub fn quiet_service_process() {
    tracing_subscriber::fmt().with_writer(std::io::sink).init();
    std::panic::set_hook(Box::new(|_| {}));
}

/// The frameworks the benchmark serves with.
pub const FRAMEWORKS: [&str; 2] = ["axum", "actix-web"];

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt as _;

    #[actix_web::test]
    async fn every_actix_web_route_answers_its_status() {
        for variant in Variant::ALL {
            let app = actix_web::App::new()
                .wrap(actix_middleware(variant))
                .wrap(actix_floor(variant))
                .configure(actix_routes(variant));
            let service = actix_web::test::init_service(app).await;
            for route in ROUTES {
                let request = actix_web::test::TestRequest::get().uri(route).to_request();
                // A panic is served as an error that carries its response.
                let status = match actix_web::test::try_call_service(&service, request).await {
                    Ok(response) => response.status(),
                    Err(error) => error.error_response().status(),
                };
                assert_eq!(status.as_u16(), status_of(route), "{variant:?} {route}");
            }
        }
    }

    /// Each route of each service once, as `cargo test` keeps them working.
    #[test]
    fn every_axum_route_answers_its_status() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for variant in Variant::ALL {
            for route in ROUTES {
                let request = http::Request::get(route)
                    .body(axum::body::Body::empty())
                    .unwrap();
                let response = runtime.block_on(app(variant).oneshot(request)).unwrap();
                assert_eq!(
                    response.status().as_u16(),
                    status_of(route),
                    "{variant:?} {route}"
                );
            }
        }
    }
}
