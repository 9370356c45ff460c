//! The login service on actix-web: `cargo run --example actix_login -- --port 8081`.

#[path = "login/errors.rs"]
mod errors;
#[path = "login/port.rs"]
mod port;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use errors::{
    AccountError, AuthorizationHeaderMissing, InvalidUser, PaymentRequired, TokenInvalid,
};
use macaron_core::{Config, Context as _, Error, Macaron};
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

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = port::port_argument().unwrap_or(8081);
    let config = Config::builder()
        .service("login-example", env!("CARGO_PKG_VERSION"))
        .build();
    println!("listening on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .wrap(Macaron::new(config.clone()))
            .route("/login", web::post().to(login))
            .route("/me", web::get().to(me))
            .service(web::resource("/users/{id}").route(web::get().to(user)))
            .route("/payments", web::post().to(pay))
            .route("/export", web::get().to(export))
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
