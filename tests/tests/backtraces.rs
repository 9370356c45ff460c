//! Which errors capture a backtrace when backtraces are on. Alone in its
//! test binary: it turns them on (std reads the variable once).

use macaron_core::{ApiError, Error};
use std::backtrace::BacktraceStatus;

#[derive(Debug, ApiError)]
pub enum AccountError {
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    #[error("database failure", status = 500)]
    Db,
}

#[test]
fn only_errors_a_report_may_need_capture_one() {
    std::env::set_var("RUST_LIB_BACKTRACE", "1");
    let status = |error: Error| error.backtrace().status();
    // Reports and debug payloads read backtraces: unhandled errors and
    // declared 5xx keep them.
    assert_eq!(
        status(Error::from(std::io::Error::other("disk"))),
        BacktraceStatus::Captured
    );
    assert_eq!(status(Error::msg("boom")), BacktraceStatus::Captured);
    assert_eq!(
        status(Error::from(AccountError::Db)),
        BacktraceStatus::Captured
    );
    // Declared client errors, the common case, skip the cost.
    assert_eq!(
        status(Error::from(AccountError::UnknownUser { id: 1 })),
        BacktraceStatus::Disabled
    );
    assert_eq!(
        status(Error::new(macaron_core::abort(http::StatusCode::CONFLICT))),
        BacktraceStatus::Disabled
    );
}
