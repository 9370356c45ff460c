//! actix-web: every error type implements `ResponseError`. actix-web 4
//! uses `http` 0.2, so statuses and headers are converted by value.

use crate::serve::serve;
use crate::{ApiError, Error, ErrorRef, ServedError};
use actix_web::http::StatusCode as ActixStatus;
use actix_web::{HttpResponse, ResponseError};
use bytes::Bytes;

/// A handler returning `Result<T, macaron_core::Error>` works as is.
impl ResponseError for Error {
    fn status_code(&self) -> ActixStatus {
        to_actix_status(self.status())
    }

    fn error_response(&self) -> HttpResponse {
        to_actix_response(serve(self))
    }
}

/// The status of a declared error, as actix-web's type.
pub fn actix_status<E: ApiError>(error: &E) -> ActixStatus {
    to_actix_status(error.status())
}

/// The response of a declared error served under the scope's policies.
pub fn actix_response<E: ApiError>(error: &E) -> HttpResponse {
    to_actix_response(serve(ErrorRef::from(error)))
}

fn to_actix_status(status: http::StatusCode) -> ActixStatus {
    ActixStatus::from_u16(status.as_u16()).unwrap_or(ActixStatus::INTERNAL_SERVER_ERROR)
}

pub(crate) fn to_actix_response(response: http::Response<Bytes>) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let mut builder = HttpResponse::build(to_actix_status(parts.status));
    for (name, value) in &parts.headers {
        builder.append_header((name.as_str(), value.as_bytes()));
    }
    let mut response = builder.body(body);
    if let Some(served) = parts.extensions.get::<ServedError>() {
        response.extensions_mut().insert(served.clone());
    }
    response
}
