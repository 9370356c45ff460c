//! The login service on actix-web: `cargo run --example actix_login -- --port 8081`.

#[path = "login/actix_app.rs"]
mod actix_app;
#[path = "login/errors.rs"]
mod errors;
#[path = "login/port.rs"]
mod port;

use actix_web::{App, HttpServer};
use macaron_core::{Config, Macaron};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Crash reports are `tracing` events: printed, with their fields.
    tracing_subscriber::fmt().with_target(false).init();
    let port = port::port_argument().unwrap_or(8081);
    let config = Config::builder()
        .service("login-example", env!("CARGO_PKG_VERSION"))
        .build();
    println!("listening on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .wrap(Macaron::new(config.clone()))
            .configure(actix_app::routes)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
