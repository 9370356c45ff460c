//! The login service on actix-web: the same routes and errors as the axum
//! version. Wrap it in `macaron_core::Macaron` to put every error in the
//! Error model.

use crate::errors::{
    AccountError, AuthorizationHeaderMissing, InvalidUser, PaymentRequired, TokenInvalid,
};
use actix_web::{web, HttpRequest, HttpResponse};
use macaron_core::{Context as _, Error};
use serde_json::json;

#[derive(serde::Deserialize)]
struct Login {
    email: String,
    password: String,
}

async fn login(login: web::Json<Login>) -> Result<HttpResponse, AccountError> {
    match (login.email.as_str(), login.password.as_str()) {
        ("ada@example.com", "lovelace") => {
            Ok(HttpResponse::Ok().json(json!({"token": "token-ada"})))
        }
        ("flood@example.com", _) => Err(AccountError::RateLimited {
            retry_after: 30,
            attempts: 12,
        }),
        _ => Err(InvalidUser.into()),
    }
}

async fn me(request: HttpRequest) -> Result<HttpResponse, Error> {
    let authorization = request
        .headers()
        .get("authorization")
        .ok_or_else(AuthorizationHeaderMissing::default)?;
    if authorization != "Bearer token-ada" {
        return Err(TokenInvalid::default().into());
    }
    Ok(HttpResponse::Ok().json(json!({"id": 1, "email": "ada@example.com"})))
}

async fn user(id: web::Path<u64>) -> Result<HttpResponse, AccountError> {
    match id.into_inner() {
        1 => Ok(HttpResponse::Ok().json(json!({"id": 1, "email": "ada@example.com"}))),
        id => Err(AccountError::UnknownUser { id }),
    }
}

async fn pay() -> Result<HttpResponse, PaymentRequired> {
    Err(PaymentRequired::new("balance too low for this plan").with_data("balance", -3))
}

async fn export() -> Result<String, Error> {
    let data = std::fs::read_to_string("/var/lib/login/export.csv").context("exporting users")?;
    Ok(data)
}

/// The service's routes, for `App::configure`.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        // Resources, not `App::route`: a resource answers a method it does
        // not serve with 405 and `Allow`, as axum does; routes on their
        // own fall through to 404.
        .service(web::resource("/login").route(web::post().to(login)))
        .service(web::resource("/me").route(web::get().to(me)))
        .service(web::resource("/users/{id}").route(web::get().to(user)))
        .service(web::resource("/payments").route(web::post().to(pay)))
        .service(web::resource("/export").route(web::get().to(export)));
}
