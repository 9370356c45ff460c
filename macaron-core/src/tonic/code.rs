//! The gRPC code of an HTTP status, and back.

use http::StatusCode;
use tonic::Code;

/// The gRPC code of an error answered over HTTP with `status`: the
/// mapping of `google.rpc.Code`, read from HTTP's side.
///
/// | HTTP | gRPC |
/// |---|---|
/// | 400, 422 | `INVALID_ARGUMENT` |
/// | 401 | `UNAUTHENTICATED` |
/// | 403 | `PERMISSION_DENIED` |
/// | 404, 410 | `NOT_FOUND` |
/// | 405 | `UNIMPLEMENTED` |
/// | 408 | `DEADLINE_EXCEEDED` |
/// | 409 | `ALREADY_EXISTS` when the code ends in `EXISTS` (`USER_EXISTS`), else `ABORTED` |
/// | 412, 428, any other 4xx | `FAILED_PRECONDITION` |
/// | 413, 429 | `RESOURCE_EXHAUSTED` |
/// | 416 | `OUT_OF_RANGE` |
/// | 499 | `CANCELLED` |
/// | 500, any other 5xx | `INTERNAL` |
/// | 501 | `UNIMPLEMENTED` |
/// | 502, 503 | `UNAVAILABLE` |
/// | 504 | `DEADLINE_EXCEEDED` |
/// | anything else | `UNKNOWN` |
///
/// ```
/// use http::StatusCode;
/// use macaron_core::grpc_code;
/// use tonic::Code;
///
/// assert_eq!(grpc_code(StatusCode::NOT_FOUND, "UNKNOWN_USER"), Code::NotFound);
/// assert_eq!(grpc_code(StatusCode::CONFLICT, "USER_EXISTS"), Code::AlreadyExists);
/// assert_eq!(grpc_code(StatusCode::CONFLICT, "STALE_VERSION"), Code::Aborted);
/// ```
pub fn grpc_code(status: StatusCode, code: &str) -> Code {
    match status.as_u16() {
        400 | 422 => Code::InvalidArgument,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 | 410 => Code::NotFound,
        405 | 501 => Code::Unimplemented,
        408 | 504 => Code::DeadlineExceeded,
        409 if code.ends_with("EXISTS") => Code::AlreadyExists,
        409 => Code::Aborted,
        413 | 429 => Code::ResourceExhausted,
        416 => Code::OutOfRange,
        499 => Code::Cancelled,
        502 | 503 => Code::Unavailable,
        400..=499 => Code::FailedPrecondition,
        500..=599 => Code::Internal,
        _ => Code::Unknown,
    }
}

/// The HTTP status of a received gRPC code, when the status does not say
/// its own: `google.rpc.Code`'s documented mapping.
pub(super) fn http_status(code: Code) -> u16 {
    match code {
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
        Code::Unauthenticated => 401,
        Code::PermissionDenied => 403,
        Code::NotFound => 404,
        Code::AlreadyExists | Code::Aborted => 409,
        Code::ResourceExhausted => 429,
        Code::Cancelled => 499,
        Code::Unimplemented => 501,
        Code::Unavailable => 503,
        Code::DeadlineExceeded => 504,
        _ => 500,
    }
}
