//! An error to a `tonic::Status`: macaron's conversion beside the status a
//! tonic service builds by hand, with and without the same rich details.
//! Each case takes the interpolated id and hides its status from the
//! optimizer, by reference as the render cases do.

use crate::fixtures::UnknownUser;
use crate::render::Cases;
use macaron_core::Config;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::OnceLock;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt as _};

/// The configuration a gRPC handler runs under (its layer puts it in
/// scope): the service's name is the details' domain.
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::builder()
            .service("users", "1.0.0")
            .reporting(macaron_core::Reporting::Off)
            .build()
    })
}

/// By hand with the same details (ErrorInfo, LocalizedMessage), by hand
/// with none, and macaron's conversion of a derived error in scope.
pub const GRPC: &Cases = &[
    ("by_hand", |id| {
        black_box(&by_hand(black_box(id)));
    }),
    ("by_hand_plain", |id| {
        black_box(&Status::not_found(format!(
            "no user with id {}",
            black_box(id)
        )));
    }),
    ("derive", |id| {
        black_box(&config().scope(|| Status::from(UnknownUser { id: black_box(id) })));
    }),
];

/// What a tonic service writes for an error with Google's rich details.
fn by_hand(id: u64) -> Status {
    let mut details = ErrorDetails::with_error_info("UNKNOWN_USER", "users", HashMap::new());
    details.set_localized_message("en-US", "Sorry, we don't know you");
    Status::with_error_details(Code::NotFound, format!("no user with id {id}"), details)
}
