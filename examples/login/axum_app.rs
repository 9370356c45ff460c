//! The login service on axum: a user/login API mirroring PyMacaron's docs,
//! documented with OpenAPI at `/openapi.json` and its errors' reference
//! page at `/errors`.

use crate::errors::{
    AccountError, AuthorizationHeaderMissing, InvalidUser, PaymentRequired, TokenInvalid,
};
use axum::extract::{Json, Path};
use axum::http::HeaderMap;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use macaron_core::openapi::{
    Errors, JsonBodyRejection, ParameterRejection, RoutingError, Unhandled,
};
use macaron_core::{Config, Context as _, Error, ErrorBody, MacaronLayer};
use serde_json::{json, Value};
use utoipa::OpenApi;

/// The service's OpenAPI document: each operation lists the errors it can
/// answer.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "login-example",
        description = "The login service of macaron's examples."
    ),
    paths(login, me, user, pay, export),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

/// A login attempt.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct Login {
    email: String,
    password: String,
}

/// Logs a user in.
#[utoipa::path(post, path = "/login", request_body = Login, responses(
    (status = 200, description = "The user's token"),
    Errors<(AccountError, JsonBodyRejection, RoutingError, Unhandled)>,
))]
async fn login(Json(login): Json<Login>) -> Result<Json<Value>, AccountError> {
    match (login.email.as_str(), login.password.as_str()) {
        ("ada@example.com", "lovelace") => Ok(Json(json!({"token": "token-ada"}))),
        ("flood@example.com", _) => Err(AccountError::RateLimited {
            retry_after: 30,
            attempts: 12,
        }),
        _ => Err(InvalidUser.into()),
    }
}

/// The user the token belongs to.
#[utoipa::path(get, path = "/me", responses(
    (status = 200, description = "The user"),
    Errors<(AuthorizationHeaderMissing, TokenInvalid, RoutingError, Unhandled)>,
))]
async fn me(headers: HeaderMap) -> Result<Json<Value>, Error> {
    let authorization = headers
        .get("authorization")
        .ok_or_else(AuthorizationHeaderMissing::default)?;
    if authorization != "Bearer token-ada" {
        return Err(TokenInvalid::default().into());
    }
    Ok(Json(json!({"id": 1, "email": "ada@example.com"})))
}

/// A user, by id.
#[utoipa::path(get, path = "/users/{id}", params(("id" = u64, Path, description = "The user's id")), responses(
    (status = 200, description = "The user"),
    Errors<(AccountError, ParameterRejection, RoutingError, Unhandled)>,
))]
async fn user(Path(id): Path<u64>) -> Result<Json<Value>, AccountError> {
    match id {
        1 => Ok(Json(json!({"id": 1, "email": "ada@example.com"}))),
        id => Err(AccountError::UnknownUser { id }),
    }
}

/// Pays for the plan.
#[utoipa::path(post, path = "/payments", responses(
    (status = 204, description = "Paid"),
    Errors<(PaymentRequired, RoutingError, Unhandled)>,
))]
async fn pay() -> Result<(), PaymentRequired> {
    Err(PaymentRequired::new("balance too low for this plan").with_data("balance", -3))
}

/// Every user, as CSV.
#[utoipa::path(get, path = "/export", responses(
    (status = 200, description = "The users, as CSV", content_type = "text/csv", body = String),
    Errors<(RoutingError, Unhandled)>,
))]
async fn export() -> Result<String, Error> {
    // A failure nobody declared: clients get a 500, the report gets the rest.
    let data = std::fs::read_to_string("/var/lib/login/export.csv").context("exporting users")?;
    Ok(data)
}

/// Every code the service may answer with, one section each: where
/// documentation URLs (`docs_url_base`) point.
fn error_reference() -> String {
    macaron_core::catalog::reference_html(&macaron_core::catalog(), "login-example errors")
}

/// The service, with every error in the Error model.
pub fn app(config: Config) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/users/{id}", get(user))
        .route("/payments", post(pay))
        .route("/export", get(export))
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .route("/errors", get(|| async { Html(error_reference()) }))
        .layer(MacaronLayer::new(config))
}
