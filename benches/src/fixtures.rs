//! The errors both the benchmarks and the allocation test render, and the
//! floor they are measured against.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response, StatusCode};
use macaron_core::ApiError;

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
