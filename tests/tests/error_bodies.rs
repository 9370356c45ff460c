//! A service adds the layer and keeps its handlers' own error bodies:
//! a body written in a media type of its own (JSON, HTML) is sent as it
//! is, while what the framework makes (empty or plain-text bodies:
//! rejections, unknown routes) is translated, on the same router. A route
//! or a marker on the response changes the choice. Over axum and
//! actix-web on loopback.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use macaron_core::{Config, ErrorBodies, MacaronLayer, Reporting};
use macaron_tests::{fetch, serve_axum};
use serde_json::json;

fn quiet() -> Config {
    Config::builder().reporting(Reporting::Off).build()
}

/// The Error-model body of a 409 a handler wrote, translated.
const CONFLICT: &str =
    r#"{"error":"CONFLICT","error_description":"Conflict","status":409,"error_id":"<id>"}"#;

async fn conflict() -> impl IntoResponse {
    (StatusCode::CONFLICT, axum::Json(json!({"reason": "taken"})))
}

fn app(layer: MacaronLayer) -> axum::Router {
    async fn plain() -> impl IntoResponse {
        (StatusCode::BAD_REQUEST, "bad input")
    }
    async fn plain_kept() -> impl IntoResponse {
        let mut response = (StatusCode::BAD_REQUEST, "bad input, as written").into_response();
        response.extensions_mut().insert(ErrorBodies::Keep);
        response
    }
    async fn json_translated() -> impl IntoResponse {
        let mut response = conflict().await.into_response();
        response.extensions_mut().insert(ErrorBodies::Translate);
        response
    }
    async fn echo(
        axum::Json(value): axum::Json<serde_json::Value>,
    ) -> axum::Json<serde_json::Value> {
        axum::Json(value)
    }
    axum::Router::new()
        .route("/conflict", get(conflict))
        .route("/legacy", get(conflict))
        .route("/plain", get(plain))
        .route("/plain-kept", get(plain_kept))
        .route("/json-translated", get(json_translated))
        .route("/echo", post(echo))
        .layer(layer)
}

#[tokio::test]
async fn a_handlers_own_body_is_kept_and_what_the_framework_made_is_translated() {
    let address = serve_axum(app(
        MacaronLayer::new(quiet()).route_bodies("/legacy", ErrorBodies::Translate)
    ))
    .await;
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");

    // Kept: the handler's JSON.
    assert_eq!(
        fetch(client.get(url("/conflict"))).await,
        (
            409,
            "application/json".into(),
            r#"{"reason":"taken"}"#.into()
        )
    );
    // Translated on the same router: a rejection, an unknown route, a
    // plain-text body.
    let (status, content_type, body) = fetch(
        client
            .post(url("/echo"))
            .header("content-type", "application/json")
            .body("{"),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (400, "application/json"));
    assert!(body.starts_with(r#"{"error":"INVALID_JSON","#), "{body}");
    let (status, _, body) = fetch(client.get(url("/missing"))).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404,"error_id":"<id>"}"#
    );
    let (status, _, body) = fetch(client.get(url("/plain"))).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        r#"{"error":"BAD_REQUEST","error_description":"bad input","status":400,"error_id":"<id>"}"#
    );

    // A route's choice, and a response's own.
    assert_eq!(
        fetch(client.get(url("/legacy"))).await,
        (409, "application/json".into(), CONFLICT.into())
    );
    assert_eq!(
        fetch(client.get(url("/plain-kept"))).await,
        (
            400,
            "text/plain; charset=utf-8".into(),
            "bad input, as written".into()
        )
    );
    assert_eq!(
        fetch(client.get(url("/json-translated"))).await,
        (409, "application/json".into(), CONFLICT.into())
    );
}

#[tokio::test]
async fn a_layer_may_translate_the_handlers_own_bodies_too() {
    let address = serve_axum(app(
        MacaronLayer::new(quiet()).handler_bodies(ErrorBodies::Translate)
    ))
    .await;
    let (status, _, body) =
        fetch(reqwest::Client::new().get(format!("http://{address}/conflict"))).await;
    assert_eq!(status, 409);
    assert_eq!(body, CONFLICT);
}

#[actix_web::test]
async fn on_actix_web_too() {
    use actix_web::{web, HttpResponse};
    async fn conflict() -> HttpResponse {
        HttpResponse::Conflict().json(json!({"reason": "taken"}))
    }
    async fn plain() -> HttpResponse {
        HttpResponse::BadRequest().body("bad input")
    }
    async fn kept() -> HttpResponse {
        let mut response = HttpResponse::BadRequest().body("bad input, as written");
        response.extensions_mut().insert(ErrorBodies::Keep);
        response
    }
    let address = macaron_tests::serve_actix(quiet(), |routes| {
        routes
            .route("/conflict", web::get().to(conflict))
            .route("/plain", web::get().to(plain))
            .route("/kept", web::get().to(kept));
    });
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");
    assert_eq!(
        fetch(client.get(url("/conflict"))).await,
        (
            409,
            "application/json".into(),
            r#"{"reason":"taken"}"#.into()
        )
    );
    let (status, _, body) = fetch(client.get(url("/plain"))).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        r#"{"error":"BAD_REQUEST","error_description":"bad input","status":400,"error_id":"<id>"}"#
    );
    // Kept, though it has no content type of its own.
    assert_eq!(
        fetch(client.get(url("/kept"))).await,
        (400, String::new(), "bad input, as written".into())
    );
}
