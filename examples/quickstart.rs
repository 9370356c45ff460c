//! What a client receives for a handful of errors: the HTTP status, the
//! headers and the body. Run with `cargo run --example quickstart`.

use macaron_core::{define_errors, ApiError};

/// A custom error: the PyMacaron `InvalidUserError`, as a type.
#[derive(Debug, ApiError)]
#[error(
    "DB entry not found",
    code = "INVALID_USER",
    status = 401,
    user_message = "Sorry, we don't know you"
)]
pub struct InvalidUser;

/// Several errors of one service, with fields, headers and extra data.
#[derive(Debug, ApiError)]
pub enum AccountError {
    /// The login is unknown.
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    /// Too many attempts.
    #[error(
        "slow down",
        code = "RATE_LIMITED",
        status = 429,
        user_message = "Try again in {retry_after} s"
    )]
    RateLimited {
        #[header("retry-after")]
        retry_after: u32,
        #[data]
        limit: u32,
    },
    /// The database failed; its message stays out of the response.
    #[error("database failure", status = 500)]
    Db(#[from] std::io::Error),
}

// Errors in a batch, PyMacaron's `add_error`.
define_errors! {
    /// Raised when the token is not valid.
    pub TokenInvalid(status = 401);
    pub MyOwnException(code = "MY_OWN_EXCEPTION", status = 401);
}

fn show(label: &str, error: &dyn ApiError) {
    let response = error.to_response();
    println!("--- {label}");
    println!("HTTP/1.1 {}", response.status());
    for (name, value) in response.headers() {
        println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
    }
    println!();
    println!("{}", String::from_utf8_lossy(response.body()));
    println!();
}

fn main() {
    show("a custom error", &InvalidUser);
    show(
        "an enum variant with a field",
        &AccountError::UnknownUser { id: 42 },
    );
    show(
        "a header and extra data",
        &AccountError::RateLimited {
            retry_after: 30,
            limit: 10,
        },
    );
    show(
        "a server error wrapping an io::Error",
        &AccountError::from(std::io::Error::other("disk /dev/sda1 full")),
    );
    show("a batch error with its defaults", &TokenInvalid::default());
    show(
        "a batch error with a description and a user message",
        &MyOwnException::new("card declined").with_user_message("Sorry, try another card"),
    );
}
