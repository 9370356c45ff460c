//! One error, three adapters, the same bytes: axum's `IntoResponse`,
//! actix-web's `ResponseError`, and a plain tower service under
//! `MacaronLayer`, each served over the network. A forwarded `error_id`
//! makes the bodies deterministic.

use macaron_core::{ApiError, Config, Error, MacaronLayer, Reporting};
use std::net::SocketAddr;

#[derive(Debug, ApiError)]
#[error(
    "no user with id {id}",
    status = 404,
    user_message = "We don't know you"
)]
pub struct UnknownUser {
    #[header("x-user-id")]
    #[data]
    id: u64,
}

fn error() -> Error {
    Error::from(UnknownUser { id: 9 }).with_error_id("fixed-error-id")
}

const EXPECTED: &str = r#"{"error":"UNKNOWN_USER","error_description":"no user with id 9","user_message":"We don't know you","status":404,"id":9,"error_id":"fixed-error-id"}"#;

fn quiet() -> Config {
    Config::builder().reporting(Reporting::Off).build()
}

async fn get(address: SocketAddr) -> (u16, String, String, String) {
    fetch(address, "application/json").await
}

async fn fetch(address: SocketAddr, accept: &str) -> (u16, String, String, String) {
    let response = reqwest::Client::new()
        .get(format!("http://{address}/user"))
        .header("accept", accept)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let user_id = response.headers()["x-user-id"].to_str().unwrap().to_owned();
    (
        status,
        content_type,
        user_id,
        response.text().await.unwrap(),
    )
}

async fn axum_server() -> SocketAddr {
    async fn handler() -> Result<(), Error> {
        Err(error())
    }
    let app = axum::Router::new()
        .route("/user", axum::routing::get(handler))
        .layer(MacaronLayer::new(quiet()));
    macaron_tests::serve_axum(app).await
}

/// Not an axum router: a `tower::service_fn` whose handler serves the error
/// itself, under the layer.
async fn plain_tower_server() -> SocketAddr {
    macaron_tests::serve_plain_tower(quiet(), |_| error().serve()).await
}

fn actix_server() -> SocketAddr {
    async fn handler() -> Result<actix_web::HttpResponse, Error> {
        Err(error())
    }
    macaron_tests::serve_actix(quiet(), |routes| {
        routes.route("/user", actix_web::web::get().to(handler));
    })
}

#[actix_web::test]
async fn the_same_error_gives_the_same_bytes_through_every_adapter() {
    let expected = (
        404,
        "application/json".to_owned(),
        "9".to_owned(),
        EXPECTED.to_owned(),
    );
    // actix-web's runtime is a tokio runtime: the axum servers run on it too.
    assert_eq!(get(actix_server()).await, expected, "actix-web");
    assert_eq!(get(axum_server().await).await, expected, "axum");
    assert_eq!(
        get(plain_tower_server().await).await,
        expected,
        "plain tower"
    );
}

const PROBLEM: &str = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no user with id 9","instance":"/user","code":"UNKNOWN_USER","user_message":"We don't know you","id":9,"error_id":"fixed-error-id"}"#;

#[actix_web::test]
async fn content_negotiation_gives_the_same_problem_details_through_every_adapter() {
    let accept = "application/problem+json";
    let expected = (404, accept.to_owned(), "9".to_owned(), PROBLEM.to_owned());
    assert_eq!(fetch(actix_server(), accept).await, expected, "actix-web");
    assert_eq!(fetch(axum_server().await, accept).await, expected, "axum");
    assert_eq!(
        fetch(plain_tower_server().await, accept).await,
        expected,
        "plain tower"
    );
}
