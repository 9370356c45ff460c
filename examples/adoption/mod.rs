//! The walkthrough of the README's "Adopting macaron in an existing
//! service": two of axum's own examples, each before macaron, with the
//! layer added, and with the errors moved.

pub mod anyhow_moved;
pub mod anyhow_original;
pub mod anyhow_with_layer;
pub mod error_handling_moved;
pub mod error_handling_original;
pub mod error_handling_with_layer;
pub mod time_library;
