//! The client side: real responses of the example login service, re-raised
//! through the catalog, and bodies that are not the model.

#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::{ApiError, Config, ErrorBody, RemoteError, Reporting, ResponseExt as _};
use std::net::SocketAddr;

async fn login_service() -> SocketAddr {
    let config = Config::builder().reporting(Reporting::Off).build();
    macaron_tests::serve_axum(axum_app::app(config)).await
}

#[tokio::test]
async fn a_declared_remote_error_is_re_raised_as_the_local_one() {
    let address = login_service().await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://{address}/login"))
        .header("content-type", "application/json")
        .body(r#"{"email":"bob@example.com","password":"x"}"#)
        .send()
        .await
        .unwrap();
    let remote = response.api_result().await.unwrap_err();
    let received = remote.body().unwrap().clone();
    let error_id = received.error_id.clone().unwrap();
    assert_eq!(remote.local().unwrap().type_name, "InvalidUser");
    assert_eq!(
        (remote.code(), remote.status().as_u16()),
        ("INVALID_USER", 401)
    );

    // Served again here: same code, status, texts and id.
    let config = Config::builder().reporting(Reporting::Off).build();
    let response = config.respond(&remote.into_error(), None);
    assert_eq!(response.status(), 401);
    assert_eq!(ErrorBody::from_response(&response).unwrap(), received);
    assert_eq!(received.error_id.as_deref(), Some(error_id.as_str()));
    assert_eq!(
        received.user_message.as_deref(),
        Some("Sorry, we don't know you")
    );

    let ok = client
        .get(format!("http://{address}/users/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.api_result().await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_undeclared_remote_error_is_a_502_whose_body_goes_to_the_report() {
    let address = login_service().await;
    let response = reqwest::Client::new()
        .delete(format!("http://{address}/users/1"))
        .send()
        .await
        .unwrap();
    let remote = response.api_result().await.unwrap_err();
    assert_eq!(remote.body().unwrap().error, "METHOD_NOT_ALLOWED");
    assert!(remote.local().is_none());
    assert_eq!(
        (remote.code(), remote.status().as_u16()),
        ("BAD_GATEWAY", 502)
    );
    assert_eq!(remote.error_description(), "An upstream service failed");
    assert!(
        remote
            .to_string()
            .starts_with(r#"a service answered 405: {"error":"METHOD_NOT_ALLOWED""#),
        "{remote}"
    );
    let body = ErrorBody::from_response(&remote.to_response()).unwrap();
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"error":"BAD_GATEWAY","error_description":"An upstream service failed","status":502}"#
    );
}

#[test]
fn bodies_that_are_not_the_model() {
    let cases: [(u16, &[u8], &str); 7] = [
        (
            502,
            b"<html><body>Bad Gateway</body></html>",
            "not JSON: expected value at line 1 column 1",
        ),
        (500, b"", "the body is empty"),
        (503, b" \n", "the body is empty"),
        (
            400,
            br#"{"error":"BAD_REQUEST","error_description":"tr"#,
            "not JSON: EOF while parsing a string at line 1 column 46",
        ),
        (200, br#"{"id":7}"#, "JSON, but not an error object"),
        (
            404,
            br#"{"error":"NOT_FOUND","error_description":"gone","status":"404"}"#,
            "JSON, but not an error object",
        ),
        (
            404,
            &[0xff, 0xfe, b'{'],
            "not JSON: expected value at line 1 column 1",
        ),
    ];
    for (status, body, problem) in cases {
        let not_an_error = ErrorBody::from_status_and_bytes(status, body).unwrap_err();
        assert_eq!(
            (not_an_error.status, not_an_error.problem.as_str()),
            (status, problem),
            "{body:?}"
        );
        let remote = RemoteError::new(status, Err(not_an_error));
        assert_eq!(
            (remote.code(), remote.status().as_u16()),
            ("BAD_GATEWAY", 502)
        );
    }
    // A proxy that answers 200 with an error body is still understood.
    let body = ErrorBody::from_status_and_bytes(
        200,
        br#"{"error":"X","error_description":"d","status":418}"#,
    )
    .unwrap();
    assert_eq!(body.status, 418);
}
