//! The compile-fail cases live in `tests/ui/`, one file per mistake.
