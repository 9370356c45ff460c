//! The login service on axum: a user/login API mirroring PyMacaron's docs.

use crate::errors::{
    AccountError, AuthorizationHeaderMissing, InvalidUser, PaymentRequired, TokenInvalid,
};
use axum::extract::{Json, Path};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use macaron_core::{Config, Context as _, Error, MacaronLayer};
use serde_json::{json, Value};

#[derive(serde::Deserialize)]
pub struct Login {
    email: String,
    password: String,
}

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

async fn me(headers: HeaderMap) -> Result<Json<Value>, Error> {
    let authorization = headers
        .get("authorization")
        .ok_or_else(AuthorizationHeaderMissing::default)?;
    if authorization != "Bearer token-ada" {
        return Err(TokenInvalid::default().into());
    }
    Ok(Json(json!({"id": 1, "email": "ada@example.com"})))
}

async fn user(Path(id): Path<u64>) -> Result<Json<Value>, AccountError> {
    match id {
        1 => Ok(Json(json!({"id": 1, "email": "ada@example.com"}))),
        id => Err(AccountError::UnknownUser { id }),
    }
}

async fn pay() -> Result<(), PaymentRequired> {
    Err(PaymentRequired::new("balance too low for this plan").with_data("balance", -3))
}

async fn export() -> Result<String, Error> {
    // A failure nobody declared: clients get a 500, the report gets the rest.
    let data = std::fs::read_to_string("/var/lib/login/export.csv").context("exporting users")?;
    Ok(data)
}

/// The service, with every error in the Error model.
pub fn app(config: Config) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/users/{id}", get(user))
        .route("/payments", post(pay))
        .route("/export", get(export))
        .layer(MacaronLayer::new(config))
}
