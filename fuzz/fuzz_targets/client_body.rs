//! Client-side parsing of any bytes a remote service may send: no panic,
//! and only a body of the model's shape is taken for one. Its bounded
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
    if parsed.is_ok() {
        let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
        assert!(macaron_core::is_error(&value));
    }
    let remote = RemoteError::new(status, parsed);
    let _ = remote.to_response();
    let _ = remote.into_error().to_response();
});
