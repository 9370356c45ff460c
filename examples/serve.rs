//! The login service on axum, for curl: `cargo run --example serve -- --port 8080`.
//! Crash reports go to the log (`tracing`). With `--openapi`, prints the
//! service's OpenAPI document instead, for tools that check it.

#[path = "login/axum_app.rs"]
mod axum_app;
#[path = "login/errors.rs"]
mod errors;
#[path = "login/port.rs"]
mod port;

use macaron_core::Config;
use utoipa::OpenApi as _;

#[tokio::main]
async fn main() {
    if std::env::args().any(|argument| argument == "--openapi") {
        let document = axum_app::ApiDoc::openapi()
            .to_pretty_json()
            .expect("the document is JSON");
        println!("{document}");
        return;
    }
    // Crash reports are `tracing` events: printed, with their fields.
    tracing_subscriber::fmt().with_target(false).init();
    let port = port::port_argument().unwrap_or(8080);
    // Each code's documentation: a section of the page at `/errors`, which
    // bodies link to under `docs_url`.
    let config = Config::builder()
        .service("login-example", env!("CARGO_PKG_VERSION"))
        .docs_url_base(format!("http://127.0.0.1:{port}/errors#"))
        .docs_url_key("docs_url")
        .build();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|error| panic!("cannot listen on port {port}: {error}"));
    println!(
        "listening on http://{}",
        listener.local_addr().expect("an address")
    );
    println!("try: curl -i http://127.0.0.1:{port}/users/42");
    println!("the OpenAPI document: curl http://127.0.0.1:{port}/openapi.json");
    println!("the error reference: http://127.0.0.1:{port}/errors");
    axum::serve(listener, axum_app::app(config))
        .await
        .expect("the server runs");
}
