//! Helpers for the behaviour tests in `tests/`.

use macaron_core::{ApiError, ErrorBody};

// The README's Rust snippets run as doc tests, so they keep compiling.
#[doc = include_str!("../../README.md")]
mod readme {}

/// Asserts the whole response of `error`: status, every header (in order),
/// and the exact body bytes. Also asserts that the body equals what
/// `serde_json` writes for `to_body()`, and parses back to it.
#[track_caller]
pub fn assert_response<E: ApiError + ?Sized>(
    error: &E,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) {
    let response = error.to_response();
    assert_eq!(response.status().as_u16(), status, "status");
    let actual_headers: Vec<(&str, &str)> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.to_str().expect("visible ASCII")))
        .collect();
    let mut expected_headers = vec![("content-type", "application/json")];
    expected_headers.extend_from_slice(headers);
    assert_eq!(actual_headers, expected_headers, "headers");
    assert_eq!(
        std::str::from_utf8(response.body()).expect("UTF-8 body"),
        body,
        "body"
    );
    assert_same_as_serde(error);
}

/// The fast renderer and `serde_json` agree byte for byte, and the bytes
/// parse back to the same `ErrorBody`.
#[track_caller]
pub fn assert_same_as_serde<E: ApiError + ?Sized>(error: &E) {
    let response = error.to_response();
    let body = error.to_body();
    let expected = serde_json::to_vec(&body).expect("serializable");
    assert_eq!(
        String::from_utf8_lossy(response.body()),
        String::from_utf8_lossy(&expected),
        "to_response() and serde_json::to_vec(&to_body()) differ"
    );
    let parsed: ErrorBody = serde_json::from_slice(response.body()).expect("valid JSON body");
    assert_eq!(parsed, body, "body does not parse back to to_body()");
    assert_eq!(response.status().as_u16(), body.status);
}
