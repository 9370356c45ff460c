//! RFC 9457: every attribute form as problem details, and when they are
//! chosen.

use http::{HeaderMap, Method, Uri};
use macaron_core::{define_errors, ApiError, Config, Error, ProblemJson, Reporting, RequestInfo};

#[derive(Debug, ApiError)]
#[error(
    "DB entry not found",
    code = "INVALID_USER",
    status = 401,
    user_message = "Sorry, we don't know you"
)]
pub struct InvalidUser;

#[derive(Debug, ApiError)]
pub enum AccountError {
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    #[error(
        "slow down",
        code = "RATE_LIMITED",
        status = 429,
        user_message = "Try again in {retry_after} s"
    )]
    RateLimited {
        #[header("retry-after")]
        retry_after: u32,
        #[data]
        limit: u32,
    },
    #[error(transparent)]
    Invalid(#[from] InvalidUser),
}

define_errors! {
    pub PaymentRequired(status = 402, user_message = "Please top up");
}

fn request(accept: Option<&str>) -> RequestInfo {
    let mut headers = HeaderMap::new();
    if let Some(accept) = accept {
        headers.insert("accept", accept.parse().unwrap());
    }
    RequestInfo::new(Method::GET, Uri::from_static("/users/7?x=1"), headers)
}

fn quiet() -> macaron_core::ConfigBuilder {
    Config::builder().reporting(Reporting::Off)
}

/// Content type and body, with a fixed id.
fn render(config: &Config, error: Error, accept: Option<&str>) -> (String, String) {
    let response = config.respond(&error.with_error_id("id-1"), Some(&request(accept)));
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (
        content_type,
        String::from_utf8(response.body().to_vec()).unwrap(),
    )
}

#[test]
fn every_attribute_form_as_problem_details() {
    let config = quiet().build();
    let cases: Vec<(Error, &str)> = vec![
        (
            InvalidUser.into(),
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"DB entry not found","instance":"/users/7","code":"INVALID_USER","user_message":"Sorry, we don't know you","error_id":"id-1"}"#,
        ),
        (
            AccountError::UnknownUser { id: 7 }.into(),
            r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no user with id 7","instance":"/users/7","code":"UNKNOWN_USER","error_id":"id-1"}"#,
        ),
        (
            AccountError::RateLimited {
                retry_after: 30,
                limit: 10,
            }
            .into(),
            r#"{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"slow down","instance":"/users/7","code":"RATE_LIMITED","user_message":"Try again in 30 s","limit":10,"error_id":"id-1"}"#,
        ),
        (
            AccountError::from(InvalidUser).into(),
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"DB entry not found","instance":"/users/7","code":"INVALID_USER","user_message":"Sorry, we don't know you","error_id":"id-1"}"#,
        ),
        (
            PaymentRequired::new("card declined")
                .with_data("balance", -3)
                .into(),
            r#"{"type":"about:blank","title":"Payment Required","status":402,"detail":"card declined","instance":"/users/7","code":"PAYMENT_REQUIRED","user_message":"Please top up","balance":-3,"error_id":"id-1"}"#,
        ),
        (
            Error::from(std::io::Error::other("secret")),
            r#"{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server encountered an internal error","instance":"/users/7","code":"UNHANDLED_SERVER_ERROR","error_id":"id-1"}"#,
        ),
    ];
    for (error, expected) in cases {
        let (content_type, body) = render(&config, error, Some("application/problem+json"));
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(body, expected);
    }
    // Headers are the error's own in both renderings.
    let response = config.respond(
        &Error::from(AccountError::RateLimited {
            retry_after: 30,
            limit: 10,
        }),
        Some(&request(Some("application/problem+json"))),
    );
    assert_eq!(response.headers()["retry-after"], "30");
}

#[test]
fn the_model_stays_the_default() {
    let config = quiet().build();
    let accepts = [
        None,
        Some("application/json"),
        Some("*/*"),
        Some("application/problem+json;q=0, application/json"),
    ];
    for accept in accepts {
        let (content_type, body) =
            render(&config, AccountError::UnknownUser { id: 7 }.into(), accept);
        assert_eq!(content_type, "application/json", "{accept:?}");
        assert_eq!(
            body,
            r#"{"error":"UNKNOWN_USER","error_description":"no user with id 7","status":404,"error_id":"id-1"}"#
        );
    }
    let asked = [
        "application/json, application/problem+json",
        "Application/Problem+JSON; q=0.5",
    ];
    for accept in asked {
        assert_eq!(
            render(&config, InvalidUser.into(), Some(accept)).0,
            "application/problem+json",
            "{accept}"
        );
    }
}

#[test]
fn always_never_and_type_uris() {
    let always = quiet()
        .problem_json(ProblemJson::Always)
        .docs_url_base("https://example.com/errors/")
        .build();
    let (content_type, body) = render(&always, AccountError::UnknownUser { id: 7 }.into(), None);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(
        body,
        r#"{"type":"https://example.com/errors/UNKNOWN_USER","title":"Not Found","status":404,"detail":"no user with id 7","instance":"/users/7","code":"UNKNOWN_USER","error_id":"id-1"}"#
    );
    let never = quiet().problem_json(ProblemJson::Never).build();
    let (content_type, _) = render(&never, InvalidUser.into(), Some("application/problem+json"));
    assert_eq!(content_type, "application/json");
}

/// Over axum on loopback: q-values weigh, and every response whose format
/// `Accept` chose says so in `Vary`; with the format fixed, none does.
#[tokio::test]
async fn negotiated_over_axum_with_vary() {
    async fn handler() -> Result<(), Error> {
        Err(AccountError::UnknownUser { id: 7 })?
    }
    let serve = |config: Config| {
        let app = axum::Router::new()
            .route("/users/7", axum::routing::get(handler))
            .layer(macaron_core::MacaronLayer::new(config));
        macaron_tests::serve_axum(app)
    };
    let negotiated = serve(quiet().build()).await;
    let always = serve(quiet().problem_json(ProblemJson::Always).build()).await;
    let client = reqwest::Client::new();
    let get = |address: std::net::SocketAddr, accept: Option<&'static str>| {
        let mut request = client.get(format!("http://{address}/users/7"));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        async move {
            let response = request.send().await.unwrap();
            let header = |name: &str| {
                let values = response.headers().get_all(name).iter();
                values
                    .map(|value| value.to_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (header("content-type"), header("vary"))
        }
    };
    let cases = [
        (negotiated, None, "application/json", "accept"),
        (
            negotiated,
            Some("application/json, application/problem+json;q=0.1"),
            "application/json",
            "accept",
        ),
        (
            negotiated,
            Some("application/problem+json;Q=0, */*"),
            "application/json",
            "accept",
        ),
        (
            negotiated,
            Some("application/json;q=0.5, application/problem+json"),
            "application/problem+json",
            "accept",
        ),
        (
            always,
            Some("application/json"),
            "application/problem+json",
            "",
        ),
    ];
    for (address, accept, content_type, vary) in cases {
        assert_eq!(
            get(address, accept).await,
            (content_type.to_owned(), vary.to_owned()),
            "{accept:?}"
        );
    }
}
