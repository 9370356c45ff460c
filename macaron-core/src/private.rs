//! Not public API: what the code `#[derive(ApiError)]`, `define_errors!`
//! and `#[report_slow]` generate refers to. May change in any release.

#[cfg(feature = "actix-web")]
pub use crate::actix::{actix_response, actix_status};
pub use crate::api_error::{body_of, render_body, renders_as_value, serialize};
#[cfg(feature = "axum")]
pub use crate::axum::axum_response;
pub use crate::declared::{
    catalog_of, declared, error_info, status_const, Declared, Examples, More,
};
pub use crate::defined::{Defined, Definition, ErrorFields};
pub use crate::registry::{Registration, Registrations};
pub use crate::render::{put_data, put_header, BodyWriter};
pub use crate::timer::time_call_in_scope as time_call;
#[cfg(feature = "tonic")]
pub use crate::tonic::tonic_status;
pub use crate::transparent::{
    CatalogViaApiError, CatalogViaForeign, Transparent, ViaApiError, ViaForeign, Wrapped,
};
pub use crate::BoxError;
#[cfg(feature = "actix-web")]
pub use actix_web;
#[cfg(feature = "axum")]
pub use axum;
pub use bytes::Bytes;
pub use http::{HeaderMap, Response, StatusCode};
pub use inventory;
pub use serde;
pub use serde_json::{Map, Value};
#[cfg(feature = "tonic")]
pub use tonic;
#[cfg(feature = "utoipa")]
pub use utoipa;
