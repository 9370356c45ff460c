//! Adapted from axum's `examples/error-handling` (tokio-rs/axum, MIT): a
//! third-party library that fails on every third call. One change: its
//! error implements `std::error::Error`, as a library's would.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Serialize, Clone)]
pub struct Timestamp(u64);

impl Timestamp {
    pub fn now() -> Result<Self, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        // Fails on every third call, to simulate errors.
        if COUNTER.fetch_add(1, Ordering::SeqCst) % 3 == 0 {
            Err(Error::FailedToGetTime)
        } else {
            Ok(Self(1337))
        }
    }
}

#[derive(Debug, Clone)]
pub enum Error {
    FailedToGetTime,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "failed to get time")
    }
}

impl std::error::Error for Error {}
