#![deny(deprecated, clippy::all, clippy::pedantic)]

use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error(status = 500)]
pub enum Error {
    #[deprecated]
    #[error("...")]
    Deprecated,
}
