//! What every error nobody declared renders as: the 500
//! `UNHANDLED_SERVER_ERROR`, whose own text stays in the crash report.

use crate::api_error::render_body;
use crate::render::{static_response, Rendering};
use crate::{ApiError, ErrorInfo};
use bytes::Bytes;
use http::{Response, StatusCode};
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt::{self, Display};

/// The code of an error nobody declared.
pub const UNHANDLED_CODE: &str = "UNHANDLED_SERVER_ERROR";
/// The description clients receive for an error nobody declared.
pub const UNHANDLED_DESCRIPTION: &str = "The server encountered an internal error";
const UNHANDLED_BODY: &[u8] =
    br#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;

/// The catalog entry of the code every foreign error answers with: no
/// type declares it, yet clients see it.
pub(crate) static UNHANDLED_INFO: ErrorInfo = ErrorInfo {
    type_name: "Error",
    module_path: "macaron_core",
    variant: None,
    code: UNHANDLED_CODE,
    status: StatusCode::INTERNAL_SERVER_ERROR,
    description: UNHANDLED_DESCRIPTION,
    user_message: None,
    description_example: UNHANDLED_DESCRIPTION,
    user_message_example: None,
    doc: "An error nobody declared, such as a failure `?` brought from a library: \
          its own text stays in the crash report.",
    headers: &[],
    data: &[],
};

/// What clients receive for an error: the declared error, or for any
/// other the 500 `UNHANDLED_SERVER_ERROR`. (One object either way, so that
/// rendering is one call, building the response where the caller wants it,
/// not a branch of two whose result is then copied.)
#[inline]
pub(crate) fn rendered(api: Option<&dyn ApiError>) -> &dyn ApiError {
    api.unwrap_or(&Unhandled)
}

/// How an error nobody declared renders.
#[derive(Debug)]
struct Unhandled;

/// The error every foreign error renders as.
pub(crate) fn unhandled() -> &'static dyn ApiError {
    &Unhandled
}

impl Display for Unhandled {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(UNHANDLED_DESCRIPTION)
    }
}

impl StdError for Unhandled {}

impl ApiError for Unhandled {
    fn code(&self) -> &str {
        UNHANDLED_CODE
    }

    fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_description(&self) -> Cow<'_, str> {
        Cow::Borrowed(UNHANDLED_DESCRIPTION)
    }

    fn render(&self, rendering: &Rendering<'_>) -> Response<Bytes> {
        if !rendering.fits(&[UNHANDLED_DESCRIPTION]) {
            return render_body(self, rendering);
        }
        static_response(StatusCode::INTERNAL_SERVER_ERROR, UNHANDLED_BODY, rendering)
    }
}
