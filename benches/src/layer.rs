//! What `MacaronLayer` adds to a minimal axum service, in-process: the
//! same router without a layer; with a layer that does nothing, added by
//! `Router::layer` (what axum itself charges for any layer there); with
//! `MacaronLayer` added by `Router::layer`; and with `MacaronLayer` around
//! the whole router, as `tower::ServiceBuilder` puts it.

use crate::fixtures::UnknownUser;
use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::Request;
use macaron_core::{Config, MacaronLayer, MacaronService, Reporting};
use tower::{Layer as _, ServiceExt as _};

/// The paths requested: a success and a declared error.
pub const PATHS: [&str; 2] = ["/ok", "/error"];

/// A service under measure.
pub enum Subject {
    /// A router, layered or not.
    Router(Router),
    /// A router inside `MacaronLayer`.
    Around(MacaronService<Router>),
}

/// The services compared, by name.
pub fn subjects() -> [(&'static str, Subject); 4] {
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
    // A static URI, whose clone is free, as the clone of one hyper parsed is.
    let request = Request::get(http::Uri::from_static(path))
        .body(Body::empty())
        .expect("a request");
    let response = match subject {
        Subject::Router(router) => router.clone().oneshot(request).await,
        Subject::Around(service) => service.clone().oneshot(request).await,
    };
    drop(std::hint::black_box(response.expect("a response")));
}
