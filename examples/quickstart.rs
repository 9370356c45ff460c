//! What a client receives: starts the login service in-process, sends it
//! a set of requests, and prints each with the status, headers and body of
//! the response. Run with `cargo run --example quickstart`.

#[path = "login/axum_app.rs"]
mod axum_app;
#[path = "login/errors.rs"]
mod errors;

use macaron_core::{Config, CrashReport, Reporting};

#[tokio::main]
async fn main() {
    let config = Config::builder()
        .service("login-example", env!("CARGO_PKG_VERSION"))
        .reporting(Reporting::On)
        .reporter(|report: &CrashReport| {
            println!("    [crash report to the admins] {}", report.title);
            Ok(())
        })
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        axum::serve(listener, axum_app::app(config))
            .await
            .expect("the server runs");
    });

    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");
    let json = |body: &'static str| (("content-type", "application/json"), body);
    let requests = [
        (
            "POST",
            "/login",
            Some(json(r#"{"email":"ada@example.com","password":"lovelace"}"#)),
        ),
        (
            "POST",
            "/login",
            Some(json(r#"{"email":"bob@example.com","password":"x"}"#)),
        ),
        (
            "POST",
            "/login",
            Some(json(r#"{"email":"flood@example.com","password":"x"}"#)),
        ),
        (
            "POST",
            "/login",
            Some(json(r#"{"email":"ada@example.com"}"#)),
        ),
        ("POST", "/login", Some(json("{not json"))),
        ("GET", "/me", None),
        ("GET", "/users/42", None),
        ("POST", "/payments", None),
        ("GET", "/export", None),
        ("DELETE", "/users/1", None),
        ("GET", "/nowhere", None),
    ];
    for (method, path, body) in requests {
        let mut request = client.request(method.parse().expect("a method"), url(path));
        let mut shown = format!("{method} {path}");
        if let Some(((name, value), body)) = body {
            request = request.header(name, value).body(body);
            shown = format!("{shown}  {body}");
        }
        let response = request.send().await.expect("a response");
        println!("--> {shown}");
        println!("<-- {}", response.status());
        for (name, value) in response.headers() {
            if name != "date" && name != "content-length" {
                println!("    {name}: {}", value.to_str().unwrap_or("<binary>"));
            }
        }
        println!("    {}", response.text().await.expect("a body"));
        println!();
    }
}
