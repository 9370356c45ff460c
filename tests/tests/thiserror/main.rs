//! thiserror's own test suite, run against `#[derive(ApiError)]`: the
//! `tests/test_*.rs` files of thiserror 2.0.21 and `tests/test_deprecated.rs`
//! of its repository (<https://github.com/dtolnay/thiserror>, by David
//! Tolnay, licensed under MIT OR Apache-2.0, as macaron is).
//!
//! Each file is changed only by the migration's two steps (the derive
//! swapped for `ApiError`, and `status = 500` added: to a struct's
//! `#[error(...)]`, or in an `#[error(status = 500)]` of its own on an enum
//! or on a struct without one), by the removal of thiserror's `std` and
//! nightly gates (macaron needs std, and runs on stable), and, at lines
//! marked `macaron:`, by what one test crate of many files needs and by the
//! deliberate differences.

// macaron: items a test crate of its own exports are unused in a module.
#![allow(dead_code)]

mod test_backtrace;
mod test_deprecated;
mod test_display;
mod test_error;
mod test_expr;
mod test_from;
mod test_generics;
mod test_lints;
mod test_option;
mod test_path;
mod test_source;
mod test_transparent;
