//! `ErrorBody`: parsing error bodies, and writing them back.

use macaron_core::ErrorBody;
use serde_json::json;

#[test]
fn round_trip_keeps_unknown_keys() {
    let text = r#"{"error":"X","error_description":"d","user_message":"u","status":418,"a":{"nested":[1,null]},"z":true,"error_id":"abc"}"#;
    let body: ErrorBody = serde_json::from_str(text).unwrap();
    assert_eq!(body.user_message.as_deref(), Some("u"));
    assert_eq!(body.error_id.as_deref(), Some("abc"));
    assert_eq!(body.extra["a"], json!({"nested": [1, null]}));
    assert_eq!(serde_json::to_string(&body).unwrap(), text);
}

#[test]
fn keys_in_any_order_and_null_user_message() {
    let body: ErrorBody = serde_json::from_value(json!({
        "status": 404, "user_message": null, "error_description": "gone", "error": "NOT_FOUND"
    }))
    .unwrap();
    assert_eq!(body, ErrorBody::new("NOT_FOUND", "gone", 404));
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"error":"NOT_FOUND","error_description":"gone","status":404}"#
    );
}

#[test]
fn what_is_not_an_error_body() {
    let cases = [
        (
            r#"{"error_description":"d","status":400}"#,
            "missing field `error`",
        ),
        (
            r#"{"error":"E","status":400}"#,
            "missing field `error_description`",
        ),
        (
            r#"{"error":"E","error_description":"d"}"#,
            "missing field `status`",
        ),
        (
            r#"{"error":"E","error_description":"d","status":"400"}"#,
            "invalid type: string \"400\", expected u16",
        ),
        (
            r#"{"error":"E","error_description":"d","status":70000}"#,
            "invalid value: integer `70000`, expected u16",
        ),
        (
            r#"{"error":"E","error":"F","error_description":"d","status":400}"#,
            "duplicate field `error`",
        ),
        (
            r#"{"error":"E","error_description":"d","status":400,"x":1,"x":2}"#,
            "duplicate key in error object",
        ),
        (
            r#"["E"]"#,
            "invalid type: sequence, expected an error object",
        ),
        ("<html>502 Bad Gateway</html>", "expected value"),
        ("", "EOF while parsing a value"),
    ];
    for (text, expected) in cases {
        let error = serde_json::from_str::<ErrorBody>(text)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(expected), "{text}: {error}");
    }
}

#[test]
fn extra_never_writes_the_model_keys() {
    let mut body = ErrorBody::new("E", "d", 400);
    for key in [
        "error",
        "error_description",
        "user_message",
        "status",
        "error_id",
    ] {
        body.extra.insert(key.into(), json!("overwritten"));
    }
    body.extra.insert("kept".into(), json!(1));
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"error":"E","error_description":"d","status":400,"kept":1}"#
    );
}
