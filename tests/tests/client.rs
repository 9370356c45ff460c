//! The client side: real responses of the example login service, re-raised
//! through the catalog, and bodies that are not the model.

#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::{
    ApiError, BodyProblem, Config, ErrorBody, RemoteError, Reporting, ResponseExt as _,
    DEFAULT_MAX_BODY_BYTES,
};
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
    let cases: [(u16, &[u8], BodyProblem, &str); 11] = [
        (
            502,
            b"<html><body>Bad Gateway</body></html>",
            BodyProblem::NotJson,
            "not JSON: expected value at line 1 column 1",
        ),
        (500, b"", BodyProblem::Empty, "the body is empty"),
        (503, b" \n", BodyProblem::Empty, "the body is empty"),
        (
            400,
            br#"{"error":"BAD_REQUEST","error_description":"tr"#,
            BodyProblem::NotJson,
            "not JSON: EOF while parsing a string at line 1 column 46",
        ),
        (
            200,
            br#"{"id":7}"#,
            BodyProblem::NotAnErrorObject,
            "JSON, but not an error object",
        ),
        (
            404,
            br#"{"error":"NOT_FOUND","error_description":"gone","status":"404"}"#,
            BodyProblem::NotAnErrorObject,
            "JSON, but not an error object",
        ),
        (
            404,
            &[0xff, 0xfe, b'{'],
            BodyProblem::NotJson,
            "not JSON: expected value at line 1 column 1",
        ),
        (
            400,
            br#"{"error":"FIRST","error":"SECOND","error_description":"d","status":400}"#,
            BodyProblem::DuplicateKey,
            "JSON, but the key `error` twice in one object at line 1 column 24",
        ),
        (
            400,
            br#"{"error":"E","error_description":"d","status":400,"data":{"a":1,"a":2}}"#,
            BodyProblem::DuplicateKey,
            "JSON, but the key `a` twice in one object at line 1 column 67",
        ),
        (
            400,
            br#"{"error":"E","error_description":"d","status":0}"#,
            BodyProblem::InvalidStatus,
            "an error object whose status 0 is no HTTP status",
        ),
        (
            400,
            br#"{"error":"E","error_description":"d","status":600}"#,
            BodyProblem::InvalidStatus,
            "an error object whose status 600 is no HTTP status",
        ),
    ];
    for (status, body, kind, problem) in cases {
        let not_an_error = ErrorBody::from_status_and_bytes(status, body).unwrap_err();
        assert_eq!(
            (
                not_an_error.status,
                not_an_error.kind,
                not_an_error.problem.as_str()
            ),
            (status, kind, problem),
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

/// A body over the limit is refused before it is parsed, at the limit and
/// not one byte later.
#[test]
fn bodies_over_the_limit_are_refused_unparsed() {
    let mut body = br#"{"error":"E","error_description":""#.to_vec();
    body.resize(DEFAULT_MAX_BODY_BYTES - 16, b'x');
    body.extend_from_slice(br#"","status":400}"#);
    assert_eq!(body.len(), DEFAULT_MAX_BODY_BYTES - 1);
    assert!(ErrorBody::from_status_and_bytes(400, &body).is_ok());
    body.insert(40, b'x');
    assert!(ErrorBody::from_status_and_bytes(400, &body).is_ok());
    body.insert(40, b'x');
    let refused = ErrorBody::from_status_and_bytes(400, &body).unwrap_err();
    assert_eq!(
        (refused.kind, refused.problem.as_str(), refused.start.len()),
        (
            BodyProblem::TooLarge {
                limit: DEFAULT_MAX_BODY_BYTES
            },
            "the body is larger than 65536 bytes",
            1024
        )
    );
    let response = http::Response::builder().status(400).body(body).unwrap();
    let remote = RemoteError::from_response(&response);
    assert_eq!(remote.body().unwrap_err().kind, refused.kind);
    assert_eq!(remote.code(), "BAD_GATEWAY");
}

/// A service that answers 100 MB: `api_result` reads up to the limit and
/// drops the rest, whether the length is announced or streamed.
#[tokio::test]
async fn api_result_stops_reading_at_the_limit() {
    use axum::body::Body;
    const HUNDRED_MB: usize = 100 << 20;
    fn chunks() -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
        let chunk = bytes::Bytes::from(vec![b'x'; 1 << 16]);
        futures_util::stream::iter((0..HUNDRED_MB >> 16).map(move |_| Ok(chunk.clone())))
    }
    let app = axum::Router::new()
        .route(
            "/announced",
            axum::routing::get(|| async {
                http::Response::builder()
                    .status(500)
                    .header("content-length", HUNDRED_MB)
                    .body(Body::from_stream(chunks()))
                    .unwrap()
            }),
        )
        .route(
            "/streamed",
            axum::routing::get(|| async {
                http::Response::builder()
                    .status(500)
                    .body(Body::from_stream(chunks()))
                    .unwrap()
            }),
        );
    let address = macaron_tests::serve_axum(app).await;
    let client = reqwest::Client::new();
    for (path, start) in [("announced", 0), ("streamed", 1024)] {
        let response = client
            .get(format!("http://{address}/{path}"))
            .send()
            .await
            .unwrap();
        let remote = response.api_result().await.unwrap_err();
        let refused = remote.body().unwrap_err();
        assert_eq!(
            (refused.status, refused.kind, refused.start.len()),
            (
                500,
                BodyProblem::TooLarge {
                    limit: DEFAULT_MAX_BODY_BYTES
                },
                start
            ),
            "{path}"
        );
        let response = client
            .get(format!("http://{address}/{path}"))
            .send()
            .await
            .unwrap();
        let remote = response.api_result_limited(1000).await.unwrap_err();
        assert_eq!(
            remote.body().unwrap_err().kind,
            BodyProblem::TooLarge { limit: 1000 }
        );
    }
}
