//! The services the end-to-end benchmark serves over loopback: one axum
//! service written twice, as a user writes it without macaron (hand-written
//! error bodies, a `tracing` event for a failure, tower-http's panic
//! catcher) and with macaron as the README shows (declared errors, `?`,
//! `MacaronLayer`). Each has the same four routes:
//!
//! - `/ok`: a small JSON body;
//! - `/declared`: a 404 the service means;
//! - `/foreign`: an I/O error nobody declared, served as a 500 and reported;
//! - `/panic`: a handler that panics, served as a 500.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use macaron_core::{ApiError, Config, CrashReport, Error, MacaronLayer, NonBlocking, Reporting};
use serde_json::json;

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
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Bare, Variant::Macaron, Variant::MacaronNonBlocking];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::Macaron => "macaron",
            Variant::MacaronNonBlocking => "macaron-nonblocking",
        }
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

/// The service.
pub fn app(variant: Variant) -> Router {
    match variant {
        Variant::Bare => bare(),
        Variant::Macaron => with_macaron(Config::builder().reporting(Reporting::On).build()),
        Variant::MacaronNonBlocking => {
            // What a service sends reports to: here, nowhere.
            let reporter = NonBlocking::new(|_: &CrashReport| Ok(()), 1024);
            with_macaron(
                Config::builder()
                    .reporting(Reporting::On)
                    .reporter(reporter)
                    .build(),
            )
        }
    }
}

async fn ok() -> Json<serde_json::Value> {
    Json(json!({"id": 7, "name": "ada"}))
}

/// What a failed read of the database is.
fn read_users() -> std::io::Result<String> {
    Err(std::io::Error::other("connection refused"))
}

/// A user's own: error bodies written by hand.
fn bare() -> Router {
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
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
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

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt as _;

    /// Each route of each service once, as `cargo test` keeps them working.
    #[test]
    fn every_route_answers_its_status() {
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
