//! anyhow, both ways: `?` from anyhow into `macaron_core::Error` (the
//! unhandled 500 with anyhow's whole chain in the report, or the declared
//! error anyhow carries, at any depth), and `?` from `macaron_core::Error`
//! into anyhow and back (feature `anyhow`). The same over a real axum
//! server.

use anyhow::Context as _;
use macaron_core::{ApiError, Config, Error, Reporting};
use macaron_tests::{body_of, serve_axum, Capture};

#[derive(Debug, ApiError)]
#[error(
    "slow down",
    status = 429,
    user_message = "Try again in {retry_after} s"
)]
struct RateLimited {
    #[header("retry-after")]
    retry_after: u32,
    #[data]
    limit: u32,
}

macaron_core::define_errors! {
    PaymentRequired("Payment required", status = 402);
}

const RATE_LIMITED: &str = r#"{"error":"RATE_LIMITED","error_description":"slow down","user_message":"Try again in 30 s","status":429,"limit":10}"#;

fn rate_limited() -> RateLimited {
    RateLimited {
        retry_after: 30,
        limit: 10,
    }
}

/// A declared error under `contexts` layers of anyhow context.
fn through_anyhow(contexts: usize) -> anyhow::Error {
    let mut error = anyhow::Error::new(rate_limited());
    for layer in 1..=contexts {
        error = error.context(format!("layer {layer}"));
    }
    error
}

fn handler(error: anyhow::Error) -> Result<(), Error> {
    Err(error)?;
    Ok(())
}

#[test]
fn a_declared_error_inside_anyhow_is_the_response_at_any_depth() {
    for contexts in [0, 1, 3] {
        let error = handler(through_anyhow(contexts)).unwrap_err();
        let response = error.to_response();
        assert_eq!(response.status(), 429, "{contexts} contexts");
        assert_eq!(response.headers()["retry-after"], "30");
        assert_eq!(response.body(), RATE_LIMITED, "{contexts} contexts");
        assert_eq!(error.code(), "RATE_LIMITED");
        assert_eq!(error.downcast_ref::<RateLimited>().unwrap().limit, 10);
    }
    // A define_errors! type too.
    let error = Error::from(anyhow::Error::new(PaymentRequired::default()).context("paying"));
    assert_eq!(error.code(), "PAYMENT_REQUIRED");
    assert_eq!(error.status(), 402);
}

#[test]
fn an_anyhow_error_without_a_declared_one_is_the_unhandled_500_with_its_whole_chain() {
    let capture = Capture::default();
    let config = capture.config().build();
    let failure = std::fs::read("/no/such/file/password=hunter2")
        .context("reading the key")
        .context("starting the session")
        .unwrap_err();
    let error = handler(failure).unwrap_err();
    assert_eq!(error.type_name(), "anyhow::Error");
    let response = config.respond(&error, None);
    let body = body_of(&response);
    assert_eq!(response.status(), 500);
    assert_eq!(body.error, "UNHANDLED_SERVER_ERROR");
    assert!(!String::from_utf8_lossy(response.body()).contains("hunter2"));

    let reports = capture.reports();
    let reported = reports[0].error.as_ref().unwrap();
    assert_eq!(reported.type_name, "anyhow::Error");
    assert_eq!(
        reported.chain,
        [
            "starting the session",
            "reading the key",
            "No such file or directory (os error 2)",
        ]
    );
    assert_eq!(
        reports[0].title,
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: starting the session"
    );
}

#[test]
fn an_error_goes_into_anyhow_and_comes_back_as_it_was() {
    fn old_plumbing() -> anyhow::Result<()> {
        let error = Error::from(rate_limited())
            .with_context("checking the quota")
            .with_error_id("remote-7");
        Err(error)?;
        Ok(())
    }
    let through = old_plumbing().context("serving /login").unwrap_err();
    // anyhow's chain: its context, then the error's text.
    let chain: Vec<String> = through.chain().map(ToString::to_string).collect();
    assert_eq!(chain, ["serving /login", "slow down"]);

    let back = Error::from(through);
    assert_eq!(back.code(), "RATE_LIMITED");
    assert_eq!(back.context(), ["checking the quota"]);
    assert_eq!(back.error_id(), Some("remote-7"));
    assert_eq!(back.to_response().body(), RATE_LIMITED);
    assert!(back.downcast_ref::<RateLimited>().is_some());
}

#[test]
fn an_unhandled_error_keeps_its_sources_through_anyhow() {
    let error = Error::from(std::io::Error::other("disk on fire"));
    let through = anyhow::Error::from(error);
    assert_eq!(through.to_string(), "disk on fire");
    let back = Error::from(through);
    assert_eq!(back.code(), "UNHANDLED_SERVER_ERROR");
    assert_eq!(back.type_name(), "std::io::error::Error");
}

#[test]
fn what_question_mark_accepts_besides_errors() {
    fn boxed() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        Err(rate_limited())?
    }
    fn handler() -> Result<(), Error> {
        boxed()?;
        Ok(())
    }
    assert_eq!(handler().unwrap_err().code(), "RATE_LIMITED");

    fn message() -> Result<(), Error> {
        Err(format!("no route to {}", "billing"))?
    }
    let error = message().unwrap_err();
    assert_eq!(error.code(), "UNHANDLED_SERVER_ERROR");
    assert_eq!(error.to_string(), "no route to billing");
}

#[test]
fn declared_and_generic_types_with_new_and_declared() {
    #[derive(Debug, ApiError)]
    #[error("wrapped {0}", status = 422)]
    struct Generic<T: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(T);

    assert_eq!(Error::new(rate_limited()).code(), "RATE_LIMITED");
    assert_eq!(Error::new(std::fmt::Error).code(), "UNHANDLED_SERVER_ERROR");
    assert_eq!(Error::declared(Generic(5)).code(), "GENERIC");
    assert_eq!(Error::new(Generic(5)).code(), "UNHANDLED_SERVER_ERROR");
}

#[tokio::test]
async fn over_axum_a_handler_with_anyhow_inside_answers_the_declared_error() {
    async fn quota() -> Result<&'static str, Error> {
        let checked: anyhow::Result<()> =
            Err(anyhow::Error::new(rate_limited())).context("checking the quota");
        checked?;
        Ok("ok")
    }
    async fn broken() -> Result<&'static str, Error> {
        let read: anyhow::Result<Vec<u8>> =
            std::fs::read("/no/such/file").context("reading the config");
        read?;
        Ok("ok")
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let app = axum::Router::new()
        .route("/quota", axum::routing::get(quota))
        .route("/broken", axum::routing::get(broken))
        .layer(macaron_core::MacaronLayer::new(config));
    let address = serve_axum(app).await;

    assert_quota_answer(address).await;

    let response = reqwest::get(format!("http://{address}/broken"))
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let body = body_of_text(&response.text().await.unwrap());
    assert_eq!(body.error, "UNHANDLED_SERVER_ERROR");
    assert_eq!(
        body.error_description,
        "The server encountered an internal error"
    );
}

/// `/quota` answers the declared error inside anyhow, as if returned.
async fn assert_quota_answer(address: std::net::SocketAddr) {
    let response = reqwest::get(format!("http://{address}/quota"))
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    let body = response.text().await.unwrap();
    let error_id = body_of_text(&body).error_id.unwrap();
    assert_eq!(
        body,
        format!(
            r#"{},"error_id":"{error_id}"}}"#,
            RATE_LIMITED.strip_suffix('}').unwrap()
        )
    );
}

fn body_of_text(text: &str) -> macaron_core::ErrorBody {
    serde_json::from_str(text).expect("an error body")
}

#[actix_web::test]
async fn over_actix_web_too() {
    async fn quota() -> Result<actix_web::HttpResponse, Error> {
        let checked: anyhow::Result<()> =
            Err(anyhow::Error::new(rate_limited())).context("checking the quota");
        checked?;
        Ok(actix_web::HttpResponse::Ok().finish())
    }
    let config = Config::builder().reporting(Reporting::Off).build();
    let address = macaron_tests::serve_actix(config, |routes| {
        routes.route("/quota", actix_web::web::get().to(quota));
    });
    assert_quota_answer(address).await;
}
