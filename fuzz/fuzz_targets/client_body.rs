//! Client-side parsing of any bytes a remote service may send: no panic,
//! and what is taken for an error body is what the bytes say. Its bounded
//! equivalent runs in `cargo test` (`tests/tests/reliability.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use macaron_core::{ApiError, ErrorBody, RemoteError};

fuzz_target!(|input: &[u8]| {
    // The first two bytes choose the status, the rest is the body.
    let (status, body) = match input {
        [high, low, body @ ..] => (u16::from_be_bytes([*high, *low]) % 1000, body),
        _ => (500, input),
    };
    let parsed = ErrorBody::from_status_and_bytes(status, body);
    match &parsed {
        // What was taken for a body is what the bytes say.
        Ok(parsed) => {
            let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
            assert_eq!(value["error"], parsed.error.as_str());
            assert_eq!(value["status"], parsed.status);
        }
        // What was not keeps the status and says why.
        Err(not_a_body) => {
            assert_eq!(not_a_body.status, status);
            assert!(!not_a_body.problem.is_empty());
        }
    }
    let remote = RemoteError::new(status, parsed);
    let _ = remote.to_response();
    let _ = remote.into_error().to_response();
});
