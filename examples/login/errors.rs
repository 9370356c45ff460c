//! The errors of the login service, declared once and shared by its axum
//! and actix-web versions.

use macaron_core::ApiError;

/// A custom error, as in PyMacaron's documentation.
#[derive(Debug, ApiError)]
#[error(
    "DB entry not found",
    code = "INVALID_USER",
    status = 401,
    user_message = "Sorry, we don't know you"
)]
pub struct InvalidUser;

/// The errors of the account endpoints.
#[derive(Debug, ApiError)]
pub enum AccountError {
    /// No user has this id.
    #[error("no user with id {id}", status = 404)]
    UnknownUser { id: u64 },
    /// Too many login attempts.
    #[error(
        "too many login attempts",
        code = "RATE_LIMITED",
        status = 429,
        user_message = "Try again in {retry_after} s"
    )]
    RateLimited {
        #[header("retry-after")]
        retry_after: u32,
        #[data]
        attempts: u32,
    },
    /// The password did not match.
    #[error(transparent)]
    Invalid(#[from] InvalidUser),
}

// PyMacaron's built-in authentication errors, in a batch.
macaron_core::define_errors! {
    /// No `Authorization` header.
    pub AuthorizationHeaderMissing("the Authorization header is missing", status = 401);
    /// The token is not one we issued.
    pub TokenInvalid(status = 401, user_message = "Please log in again");
    /// Payment is needed first.
    pub PaymentRequired(status = 402, user_message = "Please top up your account");
}
