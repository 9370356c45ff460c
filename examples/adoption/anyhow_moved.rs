//! Step 2 of the walkthrough on axum's `examples/anyhow-error-response`:
//! the errors moved to macaron. The wrapper type is gone: `?` takes the
//! anyhow error as it is. The client gets the unhandled 500, without the
//! error's text, which goes to the crash report with anyhow's chain.

use super::anyhow_original::try_thing;
use axum::routing::get;
use axum::Router;
use macaron_core::{Config, Error, MacaronLayer};

pub fn app(config: Config) -> Router {
    Router::new()
        .route("/", get(handler))
        .layer(MacaronLayer::new(config))
}

async fn handler() -> Result<(), Error> {
    try_thing()?;
    Ok(())
}
