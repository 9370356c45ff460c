//! The error reference page of the login service, in Markdown and HTML:
//! one anchor per code, every text escaped.

#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[allow(dead_code)]
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::catalog::{reference_html, reference_markdown};
use macaron_core::{ApiError, ErrorInfo};

/// Texts HTML and Markdown would take for markup.
#[derive(Debug, ApiError)]
#[error(
    "a <b> & `c`",
    code = "A<B>",
    status = 400,
    user_message = "it's \"quoted\""
)]
pub struct Markup;

fn entries(module: &str) -> Vec<&'static ErrorInfo> {
    macaron_core::catalog()
        .into_iter()
        .filter(|entry| entry.module_path == module)
        .collect()
}

#[test]
fn markdown_has_a_section_per_code() {
    let page = reference_markdown(&entries("catalog_reference::errors"), "Login errors");
    let expected = r#"# Login errors

<a id="AUTHORIZATION_HEADER_MISSING"></a>

## `AUTHORIZATION_HEADER_MISSING`

No `Authorization` header.

- Status: 401 Unauthorized
- Description: `the Authorization header is missing`
- Declared by: `catalog_reference::errors::AuthorizationHeaderMissing`

<a id="INVALID_USER"></a>

## `INVALID_USER`

A custom error, as in PyMacaron's documentation.

- Status: 401 Unauthorized
- Description: `DB entry not found`
- User message: `Sorry, we don't know you`
- Declared by: `catalog_reference::errors::InvalidUser`

<a id="PAYMENT_REQUIRED"></a>

## `PAYMENT_REQUIRED`

Payment is needed first.

- Status: 402 Payment Required
- Description: `Payment Required`
- User message: `Please top up your account`
- Declared by: `catalog_reference::errors::PaymentRequired`

<a id="RATE_LIMITED"></a>

## `RATE_LIMITED`

Too many login attempts.

- Status: 429 Too Many Requests
- Description: `too many login attempts`
- User message: `Try again in {retry_after} s`
- Headers: `retry-after`
- Data: `attempts`
- Declared by: `catalog_reference::errors::AccountError::RateLimited`

<a id="TOKEN_INVALID"></a>

## `TOKEN_INVALID`

The token is not one we issued.

- Status: 401 Unauthorized
- Description: `Unauthorized`
- User message: `Please log in again`
- Declared by: `catalog_reference::errors::TokenInvalid`

<a id="UNKNOWN_USER"></a>

## `UNKNOWN_USER`

No user has this id.

- Status: 404 Not Found
- Description: `no user with id {id}`
- Declared by: `catalog_reference::errors::AccountError::UnknownUser`
"#;
    assert_eq!(page, expected);
}

#[test]
fn html_is_a_document_with_a_section_per_code() {
    let login = entries("catalog_reference::errors");
    let unknown_user: Vec<_> = login
        .iter()
        .copied()
        .filter(|entry| entry.code == "UNKNOWN_USER")
        .collect();
    assert_eq!(
        reference_html(&unknown_user, "Login errors"),
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Login errors</title>
</head>
<body>
<h1>Login errors</h1>
<section id="UNKNOWN_USER">
<h2><code>UNKNOWN_USER</code></h2>
<p>No user has this id.</p>
<dl>
<dt>Status</dt><dd>404 Not Found</dd>
<dt>Description</dt><dd><code>no user with id {id}</code></dd>
<dt>Declared by</dt><dd><code>catalog_reference::errors::AccountError::UnknownUser</code></dd>
</dl>
</section>
</body>
</html>
"#
    );
    let page = reference_html(&login, "Login errors");
    let anchors: Vec<&str> = page
        .lines()
        .filter_map(|line| line.strip_prefix("<section id=\""))
        .collect();
    assert_eq!(
        anchors,
        [
            "AUTHORIZATION_HEADER_MISSING\">",
            "INVALID_USER\">",
            "PAYMENT_REQUIRED\">",
            "RATE_LIMITED\">",
            "TOKEN_INVALID\">",
            "UNKNOWN_USER\">",
        ]
    );
}

#[test]
fn markup_in_texts_is_escaped() {
    let markup = entries("catalog_reference");
    assert!(markup.iter().all(|entry| entry.code == "A<B>"));
    assert_eq!(
        reference_html(&markup, "<Errors>"),
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>&lt;Errors&gt;</title>
</head>
<body>
<h1>&lt;Errors&gt;</h1>
<section id="A&lt;B&gt;">
<h2><code>A&lt;B&gt;</code></h2>
<p>Texts HTML and Markdown would take for markup.</p>
<dl>
<dt>Status</dt><dd>400 Bad Request</dd>
<dt>Description</dt><dd><code>a &lt;b&gt; &amp; `c`</code></dd>
<dt>User message</dt><dd><code>it&#39;s &quot;quoted&quot;</code></dd>
<dt>Declared by</dt><dd><code>catalog_reference::Markup</code></dd>
</dl>
</section>
</body>
</html>
"#
    );
    assert_eq!(
        reference_markdown(&markup, "Errors"),
        r#"# Errors

<a id="A&lt;B&gt;"></a>

## `A<B>`

Texts HTML and Markdown would take for markup.

- Status: 400 Bad Request
- Description: `` a <b> & `c` ``
- User message: `it's "quoted"`
- Declared by: `catalog_reference::Markup`
"#
    );
}

/// The example service serves the page its documentation URLs point into,
/// and bodies link to their code's section.
#[tokio::test]
async fn the_login_service_serves_its_reference() {
    let address = macaron_tests::serve_axum(axum_app::app(
        macaron_core::Config::builder()
            .reporting(macaron_core::Reporting::Off)
            .docs_url_base("/errors#")
            .docs_url_key("docs_url")
            .build(),
    ))
    .await;
    let client = reqwest::Client::new();
    let page = client
        .get(format!("http://{address}/errors"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let page = page.text().await.unwrap();
    let user = client
        .get(format!("http://{address}/users/42"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&user.text().await.unwrap()).unwrap();
    assert_eq!(body["docs_url"], "/errors#UNKNOWN_USER");
    for code in [
        "UNKNOWN_USER",
        "RATE_LIMITED",
        "NOT_FOUND",
        "UNHANDLED_SERVER_ERROR",
    ] {
        assert!(page.contains(&format!("<section id=\"{code}\">")), "{code}");
    }
}
