//! Client-side parsing of any bytes a remote service may send: no panic,
//! and what is taken for an error body is what the bytes say. Its bounded
//! equivalent runs in `cargo test` (`tests/tests/reliability.rs`).

#![no_main]

#[path = "../src/client_body_check.rs"]
mod client_body_check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    // The first two bytes choose the status, the rest is the body.
    let (status, body) = match input {
        [high, low, body @ ..] => (u16::from_be_bytes([*high, *low]) % 1000, body),
        _ => (500, input),
    };
    client_body_check::check_client_body(status, body);
});
