//! Foreign-error handlers (Flask-RESTPlus's `@api.errorhandler`), over
//! real servers on loopback: what a database's "row not found", a timeout,
//! a missing file or an upstream's bad JSON becomes, wherever the error
//! sits (returned, under `.context(...)`, inside anyhow); a router's
//! handlers before the application's; a default handler; a handler that
//! panics.

use macaron_core::{Config, ConfigBuilder, Context as _, Error, MacaronLayer};
use macaron_tests::{serve_axum, Capture};
use std::fmt;

/// What a database driver returns.
#[derive(Debug)]
enum DbError {
    RowNotFound,
    Timeout,
}

impl fmt::Display for DbError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::RowNotFound => formatter.write_str("no rows returned"),
            DbError::Timeout => formatter.write_str("pool timed out after 30 s"),
        }
    }
}

impl std::error::Error for DbError {}

macaron_core::define_errors! {
    NotFound(status = 404);
    GatewayTimeout("The database did not answer in time", status = 504);
    BadGateway("An upstream service answered with a body we cannot read", status = 502);
    Forbidden("Admins only", status = 403);
}

fn handlers(builder: ConfigBuilder) -> ConfigBuilder {
    builder
        .map_error(|error: &DbError| match error {
            DbError::RowNotFound => Some(NotFound::default().into()),
            DbError::Timeout => Some(GatewayTimeout::default().into()),
        })
        .map_error(|error: &std::io::Error| {
            (error.kind() == std::io::ErrorKind::NotFound).then(|| NotFound::default().into())
        })
        .map_error(|_: &serde_json::Error| Some(BadGateway::default().into()))
}

/// `body` is `expected` with an `error_id` as its last key.
#[track_caller]
fn assert_body(body: &str, expected: &str) {
    let parsed: macaron_core::ErrorBody = serde_json::from_str(body).unwrap();
    let error_id = parsed.error_id.expect("an error_id");
    let expected = format!(
        r#"{},"error_id":"{error_id}"}}"#,
        expected.strip_suffix('}').unwrap()
    );
    assert_eq!(body, expected);
}

const NOT_FOUND: &str = r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404}"#;
const GATEWAY_TIMEOUT: &str = r#"{"error":"GATEWAY_TIMEOUT","error_description":"The database did not answer in time","status":504}"#;
const UNHANDLED: &str = r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;

async fn get(address: std::net::SocketAddr, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("http://{address}{path}"))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn axum_app(config: Config) -> axum::Router {
    use axum::routing::get;
    async fn row() -> Result<(), Error> {
        Err(DbError::RowNotFound)?
    }
    async fn with_context() -> Result<(), Error> {
        Err(DbError::RowNotFound).context("loading the user")?
    }
    async fn through_anyhow() -> Result<(), Error> {
        let checked: anyhow::Result<()> =
            anyhow::Context::context(Err(DbError::Timeout), "charging the card");
        checked?;
        Ok(())
    }
    async fn file() -> Result<(), Error> {
        std::fs::read("/no/such/file")?;
        Ok(())
    }
    async fn upstream() -> Result<(), Error> {
        serde_json::from_str::<serde_json::Value>("<html>")?;
        Ok(())
    }
    async fn other() -> Result<(), Error> {
        Err(std::io::Error::other("disk on fire"))?
    }
    let admin = axum::Router::new().route("/row", get(row)).layer(
        MacaronLayer::new(config.clone())
            .map_error(|_: &DbError| Some(Forbidden::default().into())),
    );
    axum::Router::new()
        .route("/row", get(row))
        .route("/context", get(with_context))
        .route("/anyhow", get(through_anyhow))
        .route("/file", get(file))
        .route("/upstream", get(upstream))
        .route("/other", get(other))
        .nest("/admin", admin)
        .layer(MacaronLayer::new(config))
}

#[tokio::test]
async fn foreign_errors_become_what_their_handlers_say_wherever_they_are() {
    let capture = Capture::default();
    let address = serve_axum(axum_app(handlers(capture.config()).build())).await;

    for path in ["/row", "/context", "/file"] {
        let (status, body) = get(address, path).await;
        assert_eq!(status, 404, "{path}");
        assert_body(&body, NOT_FOUND);
    }
    let (status, body) = get(address, "/anyhow").await;
    assert_eq!(status, 504);
    assert_body(&body, GATEWAY_TIMEOUT);
    let (status, body) = get(address, "/upstream").await;
    assert_eq!(status, 502);
    assert_body(
        &body,
        r#"{"error":"BAD_GATEWAY","error_description":"An upstream service answered with a body we cannot read","status":502}"#,
    );
    let (status, body) = get(address, "/other").await;
    assert_eq!(status, 500);
    assert_body(&body, UNHANDLED);

    // The report of a mapped 5xx is of the original error.
    let reports = capture.reports();
    let timeout = reports
        .iter()
        .find(|report| report.title.contains("GATEWAY_TIMEOUT"))
        .expect("the report of the timeout");
    assert_eq!(
        timeout.title,
        "FATAL BACKEND ERROR 504 GATEWAY_TIMEOUT: charging the card"
    );
    let reported = timeout.error.as_ref().unwrap();
    assert_eq!(reported.type_name, "anyhow::Error");
    assert_eq!(
        reported.chain,
        ["charging the card", "pool timed out after 30 s"]
    );
    assert_eq!(reported.code, "GATEWAY_TIMEOUT");
}

#[tokio::test]
async fn a_routers_handlers_come_before_the_applications() {
    let config = handlers(Config::builder().reporting(macaron_core::Reporting::Off)).build();
    let address = serve_axum(axum_app(config)).await;
    let (status, body) = get(address, "/admin/row").await;
    assert_eq!(status, 403);
    assert_body(
        &body,
        r#"{"error":"FORBIDDEN","error_description":"Admins only","status":403}"#,
    );
    // Beside it, the application's.
    assert_eq!(get(address, "/row").await.0, 404);
}

#[test]
fn a_default_handler_replaces_the_unhandled_500() {
    let config = handlers(Config::builder().reporting(macaron_core::Reporting::Off))
        .map_unhandled(|error| {
            macaron_core::abort(http::StatusCode::SERVICE_UNAVAILABLE)
                .with_code("TRY_LATER")
                .with_message(format!("{} failed", error.type_name()))
                .into()
        })
        .build();
    let response = config.respond(&Error::from(std::io::Error::other("disk")), None);
    assert_eq!(response.status(), 503);
    assert_body(
        std::str::from_utf8(response.body()).unwrap(),
        r#"{"error":"TRY_LATER","error_description":"std::io::error::Error failed","status":503}"#,
    );
    // Mapped errors are not the default's.
    let response = config.respond(&Error::from(DbError::RowNotFound), None);
    assert_eq!(response.status(), 404);
}

#[test]
fn a_handler_that_panics_leaves_the_error_unhandled_and_is_reported() {
    let capture = Capture::default();
    let config = capture
        .config()
        .map_error(|_: &DbError| -> Option<Error> { panic!("the handler has a bug") })
        .build();
    let response = config.respond(&Error::from(DbError::RowNotFound), None);
    assert_eq!(response.status(), 500);
    assert_body(std::str::from_utf8(response.body()).unwrap(), UNHANDLED);
    assert_eq!(
        capture.titles(),
        [
            "NON-FATAL BACKEND ERROR: the error handler for error_handlers::DbError panicked: the handler has a bug",
            "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: no rows returned",
        ]
    );
}

#[actix_web::test]
async fn on_actix_web_the_middlewares_handlers_come_first() {
    async fn row() -> Result<actix_web::HttpResponse, Error> {
        Err(DbError::RowNotFound)?
    }
    async fn file() -> Result<actix_web::HttpResponse, Error> {
        std::fs::read("/no/such/file").context("reading the plan")?;
        Ok(actix_web::HttpResponse::Ok().finish())
    }
    let config = handlers(Config::builder().reporting(macaron_core::Reporting::Off)).build();
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .service(
                actix_web::web::scope("/admin")
                    .wrap(
                        macaron_core::Macaron::new(config.clone())
                            .map_error(|_: &DbError| Some(Forbidden::default().into())),
                    )
                    .route("/row", actix_web::web::get().to(row)),
            )
            .service(
                actix_web::web::scope("")
                    .wrap(macaron_core::Macaron::new(config.clone()))
                    .route("/row", actix_web::web::get().to(row))
                    .route("/file", actix_web::web::get().to(file)),
            )
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let address = server.addrs()[0];
    actix_web::rt::spawn(server.run());

    let (status, body) = get(address, "/admin/row").await;
    assert_eq!(status, 403);
    assert_body(
        &body,
        r#"{"error":"FORBIDDEN","error_description":"Admins only","status":403}"#,
    );
    for path in ["/row", "/file"] {
        let (status, body) = get(address, path).await;
        assert_eq!(status, 404, "{path}");
        assert_body(&body, NOT_FOUND);
    }
}
