// From thiserror 2.0.21's tests/ui (github.com/dtolnay/thiserror, MIT OR
// Apache-2.0), ported: the derive swapped for ApiError, status = 500 added.
use macaron_core::ApiError;

macro_rules! error_type {
    ($name:ident, $what:expr) => {
        // Use #[error("invalid {}", $what)] instead.

        #[derive(ApiError, Debug)]
        #[error(concat!("invalid ", $what), status = 500)]
        pub struct $name;
    };
}

error_type!(Error, "foo");

fn main() {}
