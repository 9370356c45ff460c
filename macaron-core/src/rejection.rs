//! The requests a framework rejects before any handler runs (a body that
//! is not JSON, a parameter that does not parse), as macaron answers them:
//! one code, status and description for each kind, whatever the framework
//! and whatever its own words, which go to the crash report and the debug
//! payload. The adapters classify the framework's answers here; the
//! OpenAPI markers document the same kinds.

use http::StatusCode;

/// A kind of rejected request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub code: &'static str,
    pub status: StatusCode,
    /// The `error_description` clients get.
    pub description: &'static str,
    /// What the OpenAPI document says of it.
    pub summary: &'static str,
}

pub(crate) const INVALID_JSON: Rejection = Rejection {
    code: "INVALID_JSON",
    status: StatusCode::BAD_REQUEST,
    description: "The request body is not valid JSON",
    summary: "The body is not JSON.",
};

pub(crate) const BODY_TOO_LARGE: Rejection = Rejection {
    code: "PAYLOAD_TOO_LARGE",
    status: StatusCode::PAYLOAD_TOO_LARGE,
    description: "The request body is larger than the service accepts",
    summary: "The body is over the size limit.",
};

pub(crate) const NOT_JSON_CONTENT_TYPE: Rejection = Rejection {
    code: "UNSUPPORTED_MEDIA_TYPE",
    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    description: "Expected a request body with `Content-Type: application/json`",
    summary: "The body is not declared as `application/json`.",
};

pub(crate) const BODY_OF_WRONG_SHAPE: Rejection = Rejection {
    code: "INVALID_PARAMETER",
    status: StatusCode::UNPROCESSABLE_ENTITY,
    description: "The request body does not have the expected fields and types",
    summary: "The body does not have the expected fields and types.",
};

pub(crate) const INVALID_PARAMETER: Rejection = Rejection {
    code: "INVALID_PARAMETER",
    status: StatusCode::BAD_REQUEST,
    description: "A path or query parameter does not parse",
    summary: "A path or query parameter does not parse.",
};

#[cfg(any(feature = "tower", feature = "actix-web"))]
/// The rejections axum and actix-web write as plain text, by the status
/// they give and the start of the text. A status may differ from the kind's:
/// actix-web says 400 for a missing content type and a body of the wrong
/// shape, and 404 for a path parameter that does not parse.
const TEXTS: &[(u16, &str, &Rejection)] = &[
    // axum
    (
        400,
        "Failed to parse the request body as JSON",
        &INVALID_JSON,
    ),
    (
        400,
        "Failed to deserialize query string",
        &INVALID_PARAMETER,
    ),
    (400, "Invalid URL", &INVALID_PARAMETER),
    (400, "Failed to deserialize form", &INVALID_PARAMETER),
    (413, "Failed to buffer the request body", &BODY_TOO_LARGE),
    (
        415,
        "Expected request with `Content-Type: application/json`",
        &NOT_JSON_CONTENT_TYPE,
    ),
    (
        422,
        "Failed to deserialize the JSON body",
        &BODY_OF_WRONG_SHAPE,
    ),
    (422, "Failed to deserialize form body", &BODY_OF_WRONG_SHAPE),
    // actix-web
    (400, "Content type error", &NOT_JSON_CONTENT_TYPE),
    (400, "Query deserialize error", &INVALID_PARAMETER),
    (400, "Path deserialize error", &INVALID_PARAMETER),
    (400, "URL encoded error", &INVALID_PARAMETER),
    (404, "can not parse", &INVALID_PARAMETER),
    (413, "JSON payload", &BODY_TOO_LARGE),
    (413, "payload reached size limit", &BODY_TOO_LARGE),
];

#[cfg(any(feature = "tower", feature = "actix-web"))]
/// The starts of serde's errors about a document's shape (as opposed to
/// its syntax).
const SHAPE_ERRORS: &[&str] = &[
    "missing field",
    "unknown field",
    "invalid type",
    "invalid value",
    "invalid length",
    "duplicate field",
    "unknown variant",
];

/// The kind of a framework's plain-text answer of `status`, if it is a
/// rejection macaron knows.
#[cfg(any(feature = "tower", feature = "actix-web"))]
pub(crate) fn classify(status: StatusCode, text: &str) -> Option<&'static Rejection> {
    // actix-web says the same of a body that is not JSON and of one of the
    // wrong shape; serde's words tell them apart.
    if let Some(detail) = text.strip_prefix("Json deserialize error: ") {
        let shape = SHAPE_ERRORS.iter().any(|shape| detail.starts_with(shape));
        return Some(if shape {
            &BODY_OF_WRONG_SHAPE
        } else {
            &INVALID_JSON
        });
    }
    TEXTS
        .iter()
        .find(|(given, start, _)| *given == status.as_u16() && text.starts_with(start))
        .map(|&(_, _, rejection)| rejection)
}

#[cfg(all(test, feature = "tower"))]
mod tests {
    use super::*;

    #[test]
    fn each_framework_s_words_are_one_kind() {
        let cases = [
            (
                400,
                "Failed to parse the request body as JSON: email: EOF",
                &INVALID_JSON,
            ),
            (
                400,
                "Json deserialize error: EOF while parsing",
                &INVALID_JSON,
            ),
            (
                422,
                "Failed to deserialize the JSON body into the target type: x",
                &BODY_OF_WRONG_SHAPE,
            ),
            (
                400,
                "Json deserialize error: invalid type: integer `7`",
                &BODY_OF_WRONG_SHAPE,
            ),
            (
                413,
                "Failed to buffer the request body: length limit exceeded",
                &BODY_TOO_LARGE,
            ),
            (
                413,
                "JSON payload (3145740 bytes) is larger than allowed",
                &BODY_TOO_LARGE,
            ),
            (
                415,
                "Expected request with `Content-Type: application/json`",
                &NOT_JSON_CONTENT_TYPE,
            ),
            (400, "Content type error", &NOT_JSON_CONTENT_TYPE),
            (
                400,
                "Invalid URL: Cannot parse `ada` to a `u64`",
                &INVALID_PARAMETER,
            ),
            (404, "can not parse \"ada\" to a u64", &INVALID_PARAMETER),
        ];
        for (status, text, kind) in cases {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(classify(status, text), Some(kind), "{text}");
        }
        assert_eq!(classify(StatusCode::NOT_FOUND, "Not Found"), None);
    }
}
