//! Step 1 of the walkthrough on axum's `examples/anyhow-error-response`:
//! the layer added, nothing else changed. The handler's 500 is plain text,
//! as a framework writes, so the layer translates it: the client gets the
//! Error model, still with the error's text.

use super::anyhow_original;
use axum::Router;
use macaron_core::{Config, MacaronLayer};

pub fn app(config: Config) -> Router {
    anyhow_original::app().layer(MacaronLayer::new(config))
}
