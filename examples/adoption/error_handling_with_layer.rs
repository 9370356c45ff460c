//! Step 1 of the walkthrough on axum's `examples/error-handling`: the
//! layer added, nothing else changed. The handler's own JSON error bodies
//! are kept; what axum made itself (a wrong method, an unknown route) is
//! translated into the Error model.

use super::error_handling_original;
use axum::Router;
use macaron_core::{Config, MacaronLayer};

pub fn app(config: Config) -> Router {
    error_handling_original::app().layer(MacaronLayer::new(config))
}
