//! Ready-made HTTP errors, `abort`, and `?` into `macaron_core::Error`.

use http::{header, StatusCode};
use macaron_core::http_errors::{self, status_code_name};
use macaron_core::{abort, define_errors, ApiError, Error};
use macaron_tests::assert_response;

#[test]
fn every_named_error_status_has_a_ready_made_error() {
    let errors: Vec<Box<dyn ApiError>> = vec![
        Box::new(http_errors::BadRequest::default()),
        Box::new(http_errors::Unauthorized::default()),
        Box::new(http_errors::PaymentRequired::default()),
        Box::new(http_errors::Forbidden::default()),
        Box::new(http_errors::NotFound::default()),
        Box::new(http_errors::MethodNotAllowed::default()),
        Box::new(http_errors::NotAcceptable::default()),
        Box::new(http_errors::ProxyAuthenticationRequired::default()),
        Box::new(http_errors::RequestTimeout::default()),
        Box::new(http_errors::Conflict::default()),
        Box::new(http_errors::Gone::default()),
        Box::new(http_errors::LengthRequired::default()),
        Box::new(http_errors::PreconditionFailed::default()),
        Box::new(http_errors::PayloadTooLarge::default()),
        Box::new(http_errors::UriTooLong::default()),
        Box::new(http_errors::UnsupportedMediaType::default()),
        Box::new(http_errors::RangeNotSatisfiable::default()),
        Box::new(http_errors::ExpectationFailed::default()),
        Box::new(http_errors::ImATeapot::default()),
        Box::new(http_errors::MisdirectedRequest::default()),
        Box::new(http_errors::UnprocessableEntity::default()),
        Box::new(http_errors::Locked::default()),
        Box::new(http_errors::FailedDependency::default()),
        Box::new(http_errors::TooEarly::default()),
        Box::new(http_errors::UpgradeRequired::default()),
        Box::new(http_errors::PreconditionRequired::default()),
        Box::new(http_errors::TooManyRequests::default()),
        Box::new(http_errors::RequestHeaderFieldsTooLarge::default()),
        Box::new(http_errors::UnavailableForLegalReasons::default()),
        Box::new(http_errors::InternalServerError::default()),
        Box::new(http_errors::NotImplemented::default()),
        Box::new(http_errors::BadGateway::default()),
        Box::new(http_errors::ServiceUnavailable::default()),
        Box::new(http_errors::GatewayTimeout::default()),
        Box::new(http_errors::HttpVersionNotSupported::default()),
        Box::new(http_errors::VariantAlsoNegotiates::default()),
        Box::new(http_errors::InsufficientStorage::default()),
        Box::new(http_errors::LoopDetected::default()),
        Box::new(http_errors::NotExtended::default()),
        Box::new(http_errors::NetworkAuthenticationRequired::default()),
    ];
    let named: Vec<StatusCode> = (400..=599)
        .map(|status| StatusCode::from_u16(status).unwrap())
        .filter(|status| status.canonical_reason().is_some())
        .collect();
    let statuses: Vec<StatusCode> = errors.iter().map(|error| error.status()).collect();
    assert_eq!(statuses, named);
    for error in &errors {
        let status = error.status();
        assert_eq!(error.code(), status_code_name(status), "{status}");
        // The derive's table of reason phrases is core's.
        assert_eq!(
            error.error_description(),
            macaron_core::reason_phrase(status).unwrap()
        );
        macaron_tests::assert_same_as_serde(&**error);
    }
    // RFC 9110 renamed two phrases; the codes, which clients match on, stay.
    assert_eq!(
        (
            http_errors::PayloadTooLarge::CODE,
            http_errors::PayloadTooLarge::default().error_description()
        ),
        ("PAYLOAD_TOO_LARGE", "Content Too Large".into())
    );
    assert_eq!(
        (
            http_errors::UnprocessableEntity::CODE,
            http_errors::UnprocessableEntity::default().error_description()
        ),
        ("UNPROCESSABLE_ENTITY", "Unprocessable Content".into())
    );
    assert_eq!(status_code_name(StatusCode::IM_A_TEAPOT), "IM_A_TEAPOT");
    assert_eq!(
        status_code_name(StatusCode::from_u16(499).unwrap()),
        "CLIENT_ERROR"
    );
    assert_eq!(
        status_code_name(StatusCode::from_u16(599).unwrap()),
        "SERVER_ERROR"
    );
}

#[test]
fn abort_with_message_data_and_headers() {
    assert_response(
        &abort(StatusCode::BAD_REQUEST),
        400,
        &[],
        r#"{"error":"BAD_REQUEST","error_description":"Bad Request","status":400}"#,
    );
    let error = abort(StatusCode::UNAUTHORIZED)
        .with_message("My custom message")
        .with_user_message("Please log in")
        .with_data("custom", "value")
        .with_data("error", "overwrite attempt")
        .with_data("error_id", "overwrite attempt")
        .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"api\"")
        .with_header("retry-after", "5")
        .with_header("bad header", "dropped")
        .with_header("x-injected", "a\r\nset-cookie: b");
    assert_response(
        &error,
        401,
        &[
            ("www-authenticate", "Bearer realm=\"api\""),
            ("retry-after", "5"),
        ],
        r#"{"error":"UNAUTHORIZED","error_description":"My custom message","user_message":"Please log in","status":401,"custom":"value"}"#,
    );
    assert_response(
        &abort(StatusCode::OK).with_code("MY_CODE"),
        500,
        &[],
        r#"{"error":"MY_CODE","error_description":"Internal Server Error","status":500}"#,
    );
}

define_errors! {
    pub Batch(status = 409);
}

#[test]
fn question_mark_keeps_every_declared_kind() {
    fn abort_in_handler() -> Result<(), Error> {
        Err(abort(StatusCode::CONFLICT).with_message("taken"))?
    }
    fn batch_in_handler() -> Result<(), Error> {
        Err(Batch::new("batched"))?
    }
    fn ready_made_in_handler() -> Result<(), Error> {
        Err(http_errors::NotFound::default())?
    }
    fn parse_in_handler() -> Result<u32, Error> {
        Ok("x".parse::<u32>()?)
    }
    let codes: Vec<(String, u16)> = [
        abort_in_handler().unwrap_err(),
        batch_in_handler().unwrap_err(),
        ready_made_in_handler().unwrap_err(),
        parse_in_handler().unwrap_err(),
    ]
    .iter()
    .map(|error| (error.code().to_owned(), error.status().as_u16()))
    .collect();
    assert_eq!(
        codes,
        [
            ("CONFLICT".to_owned(), 409),
            ("BATCH".to_owned(), 409),
            ("NOT_FOUND".to_owned(), 404),
            ("UNHANDLED_SERVER_ERROR".to_owned(), 500),
        ]
    );
}

#[derive(Debug, ApiError)]
#[error("wrapped {0}", status = 422)]
struct Generic<T: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(T);

#[test]
fn generic_types_convert_with_error_declared() {
    assert_eq!(Error::declared(Generic(5)).code(), "GENERIC");
    // Generic types cannot register: `?` (From) and `new` see an unknown
    // type.
    assert_eq!(Error::from(Generic(5)).code(), "UNHANDLED_SERVER_ERROR");
    assert_eq!(Error::new(Generic(5)).code(), "UNHANDLED_SERVER_ERROR");
    assert_eq!(Error::unhandled(Batch::default()).status(), 500);
}
