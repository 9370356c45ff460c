//! The errors both the benchmarks and the allocation test render, and the
//! floors they are measured against.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response, StatusCode};
use macaron_core::ApiError;
use std::io::Write as _;

#[derive(Debug, ApiError)]
#[error(
    "DB entry not found",
    code = "INVALID_USER",
    status = 401,
    user_message = "Sorry, we don't know you"
)]
pub struct InvalidUser;

#[derive(Debug, ApiError)]
#[error(
    "no user with id {id}",
    code = "UNKNOWN_USER",
    status = 404,
    user_message = "Sorry, we don't know you"
)]
pub struct UnknownUser {
    pub id: u64,
}

macaron_core::define_errors! {
    pub InvalidUserBatch("DB entry not found", code = "INVALID_USER", status = 401, user_message = "Sorry, we don't know you");
    pub UnknownUserBatch(code = "UNKNOWN_USER", status = 404, user_message = "Sorry, we don't know you");
}

const STATIC_BODY: &[u8] = br#"{"error":"INVALID_USER","error_description":"DB entry not found","user_message":"Sorry, we don't know you","status":401}"#;

/// The floor: the response built by hand from a static body. (http's
/// `HeaderMap` allocates twice for its first header.)
pub fn floor() -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(STATIC_BODY));
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The floor of an interpolated body: `UnknownUser`'s body formatted on the
/// stack and copied into one allocation of its size, and a content-type.
pub fn floor_interpolated(id: u64) -> Response<Bytes> {
    let mut buffer = [0u8; 256];
    let mut unwritten = &mut buffer[..];
    write!(
        unwritten,
        r#"{{"error":"UNKNOWN_USER","error_description":"no user with id {id}","user_message":"Sorry, we don't know you","status":404}}"#
    )
    .expect("the body fits");
    let length = 256 - unwritten.len();
    let mut response = Response::new(Bytes::copy_from_slice(&buffer[..length]));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
