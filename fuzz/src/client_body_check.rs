//! The check of client-side parsing, shared by the `client_body` fuzz
//! target and its bounded equivalent in `tests/tests/reliability.rs`:
//! panics when it fails.

use macaron_core::{ApiError as _, ErrorBody, RemoteError};

/// Parses `body` as a remote service's response of `status`: what is taken
/// for an error body is what the bytes say; what is not keeps the status
/// and says why; the result renders again without a panic.
pub fn check_client_body(status: u16, body: &[u8]) {
    let parsed = ErrorBody::from_status_and_bytes(status, body);
    match &parsed {
        Ok(parsed) => {
            let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
            assert_eq!(value["error"], parsed.error.as_str());
            assert_eq!(value["status"], parsed.status);
        }
        Err(not_a_body) => {
            assert_eq!(not_a_body.status, status);
            assert!(!not_a_body.problem.is_empty());
        }
    }
    let remote = RemoteError::new(status, parsed);
    let _ = remote.to_response();
    let _ = remote.into_error().to_response();
}
