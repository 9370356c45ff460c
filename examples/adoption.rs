//! Two of axum's own examples, in the three steps of the README's
//! "Adopting macaron in an existing service", for curl:
//! `cargo run --example adoption -- <error-handling|anyhow> <original|layer|moved> [--port N]`.

#[path = "adoption/mod.rs"]
mod adoption;
#[path = "login/port.rs"]
mod port;

use adoption::*;
use macaron_core::Config;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_target(false).init();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::builder().build();
    let app = match (
        arguments.first().map(String::as_str),
        arguments.get(1).map(String::as_str),
    ) {
        (Some("error-handling"), Some("original")) => error_handling_original::app(),
        (Some("error-handling"), Some("layer")) => error_handling_with_layer::app(config),
        (Some("error-handling"), Some("moved")) => error_handling_moved::app(config),
        (Some("anyhow"), Some("original")) => anyhow_original::app(),
        (Some("anyhow"), Some("layer")) => anyhow_with_layer::app(config),
        (Some("anyhow"), Some("moved")) => anyhow_moved::app(config),
        _ => {
            eprintln!("usage: adoption <error-handling|anyhow> <original|layer|moved> [--port N]");
            std::process::exit(2);
        }
    };
    let port = port::port_argument().unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|error| panic!("cannot listen on port {port}: {error}"));
    println!(
        "listening on http://{}",
        listener.local_addr().expect("an address")
    );
    axum::serve(listener, app).await.expect("the server runs");
}
