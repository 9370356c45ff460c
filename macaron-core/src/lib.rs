//! One consistent, documented error model for HTTP services: declare each
//! error once, as a type, and every one renders to the same JSON object
//! with the right HTTP status, for any framework.
//!
//! ```json
//! {"error": "INVALID_USER", "error_description": "DB entry not found", "user_message": "Sorry, we don't know you", "status": 401}
//! ```
//!
//! # Declaring errors
//!
//! Derive [`ApiError`] on a struct or an enum. `#[error(...)]` takes the
//! description first (the `Display` text and the `error_description`,
//! interpolating fields as `format!` does), then `code`, `status` and
//! `user_message`:
//!
//! ```
//! use macaron_core::ApiError;
//!
//! #[derive(Debug, ApiError)]
//! #[error("DB entry not found", code = "INVALID_USER", status = 401, user_message = "Sorry, we don't know you")]
//! pub struct InvalidUser;
//!
//! let response = InvalidUser.to_response();
//! assert_eq!(response.status(), 401);
//! assert_eq!(
//!     response.body(),
//!     r#"{"error":"INVALID_USER","error_description":"DB entry not found","user_message":"Sorry, we don't know you","status":401}"#
//! );
//! ```
//!
//! On an enum, each variant has its own `#[error(...)]`:
//!
//! ```
//! use macaron_core::ApiError;
//!
//! # #[derive(Debug, ApiError)]
//! # #[error("token expired", status = 401)]
//! # pub struct AuthError;
//! #[derive(Debug, ApiError)]
//! pub enum AccountError {
//!     /// The login is unknown.
//!     #[error("no user with id {id}", status = 401)]
//!     UnknownUser { id: u64 },
//!     #[error("slow down", code = "RATE_LIMITED", status = 429, user_message = "Try again in {retry_after} s")]
//!     RateLimited {
//!         #[header("retry-after")]
//!         retry_after: u32,
//!         #[data]
//!         limit: u32,
//!     },
//!     #[error("database failure", status = 500)]
//!     Db(#[from] std::io::Error),
//!     #[error(transparent)]
//!     Auth(#[from] AuthError),
//! }
//!
//! let error = AccountError::UnknownUser { id: 7 };
//! assert_eq!(error.code(), "UNKNOWN_USER");
//! assert_eq!(error.to_string(), "no user with id 7");
//!
//! let response = AccountError::RateLimited { retry_after: 30, limit: 10 }.to_response();
//! assert_eq!(response.status(), 429);
//! assert_eq!(response.headers()["retry-after"], "30");
//! assert_eq!(
//!     response.body(),
//!     r#"{"error":"RATE_LIMITED","error_description":"slow down","user_message":"Try again in 30 s","status":429,"limit":10}"#
//! );
//!
//! // A transparent variant is the wrapped error in every respect.
//! let response = AccountError::from(AuthError).to_response();
//! assert_eq!(response.body(), r#"{"error":"AUTH_ERROR","error_description":"token expired","status":401}"#);
//! ```
//!
//! The rules:
//! - `status` is required: an integer from 400 to 599.
//! - `code` defaults to the name in SCREAMING_SNAKE_CASE (`UnknownUser`
//!   gives `UNKNOWN_USER`).
//! - An `#[error(...)]` on an enum is every variant's default, key by key.
//! - A variant without a description, in an enum that has some, takes its
//!   status' reason phrase (`"Unauthorized"`); a type with no description
//!   at all keeps the `Display` written by hand, as with thiserror.
//! - The description is the `Display` text, written as thiserror writes
//!   it: `{field}`, `{0}`, `{field:?}`, format specs, format arguments
//!   after the string with the `.field` shorthand
//!   (`#[error("{} items", .0.len())]`), constants in scope, or
//!   `#[error(fmt = path::to::function)]`. The user message takes fields
//!   and constants.
//! - Field attributes: `#[source]` (or a field named `source`) is the
//!   error's cause, an error or a pointer to one (`Box<dyn Error + Send +
//!   Sync>`, `anyhow::Error`); `#[from]` also generates `From` (of `T` for
//!   an `Option<T>`); `#[backtrace]` (or a `Backtrace` field) is the
//!   backtrace crash reports carry; `#[header("name")]` sends the field's
//!   `Display` text as a response header (not one that frames the
//!   response, such as `content-length`, nor `content-type`); `#[data]`
//!   (or `#[data("key")]`) adds the field to the body. `#[data]` cannot
//!   use the model's own keys.
//! - `#[error(transparent)]` on a one-field variant or struct forwards
//!   everything to the wrapped error: a declared one renders as itself, any
//!   other (`std::io::Error`, `anyhow::Error`) as the unhandled 500.
//! - The derive implements `Display`, `std::error::Error`, `From` and
//!   `serde::Serialize` (as the body) too; `#[api_error(serialize = false)]`
//!   leaves `Serialize` to the type. Coming from thiserror: swap the derive
//!   and add one `#[error(status = 500)]` on the enum (the README's "Coming
//!   from thiserror" lists what else differs).
//!
//! Mistakes are compile errors that point at the token and say what to
//! write instead.
//!
//! # Many errors at once
//!
//! [`define_errors!`] declares one type per line, with the same keys
//! (PyMacaron's `add_error`):
//!
//! ```
//! use macaron_core::ApiError;
//!
//! macaron_core::define_errors! {
//!     /// Raised when the token is not valid.
//!     pub TokenInvalid(status = 401);
//!     pub MyOwnException(code = "MY_OWN_EXCEPTION", status = 401);
//!     pub(crate) PaymentRequired("Payment required", status = 402, user_message = "Please top up");
//! }
//!
//! let error = MyOwnException::new("card declined").with_user_message("Sorry");
//! assert_eq!(MyOwnException::CODE, "MY_OWN_EXCEPTION");
//! assert_eq!(
//!     error.to_response().body(),
//!     r#"{"error":"MY_OWN_EXCEPTION","error_description":"card declined","user_message":"Sorry","status":401}"#
//! );
//! assert_eq!(
//!     TokenInvalid::default().to_response().body(),
//!     r#"{"error":"TOKEN_INVALID","error_description":"Unauthorized","status":401}"#
//! );
//! let error = PaymentRequired::default().with_data("balance", -3);
//! assert_eq!(
//!     error.to_response().body(),
//!     r#"{"error":"PAYMENT_REQUIRED","error_description":"Payment required","user_message":"Please top up","status":402,"balance":-3}"#
//! );
//! ```
//!
//! Each type is an alias of [`DefinedError`], which has `new(description)`,
//! `with_user_message`, `with_data`, `with_source`, a `Default` (the
//! declared description, or the status' reason phrase), the constants
//! `CODE` and `STATUS`, and `Clone`. An entry's doc comment and attributes
//! go on its alias; `#[derive]` and `#[repr]` cannot, and are errors.
//!
//! An entry written with `struct` is a struct of its own with all of the
//! above: a service derives what its fields allow (`PartialEq` and `Eq`,
//! which compare sources by their text), adds methods and implements
//! foreign traits as on any type of its own. Aliases compile in a fraction
//! of the time of structs (see `BENCHMARKS.md`), which matters in a block
//! of hundreds:
//!
//! ```
//! macaron_core::define_errors! {
//!     #[derive(PartialEq, Eq)]
//!     pub struct OutOfStock(status = 409);
//! }
//!
//! impl OutOfStock {
//!     pub fn item(sku: &str) -> Self {
//!         OutOfStock::new(format!("{sku} is out of stock")).with_data("sku", sku)
//!     }
//! }
//!
//! assert_eq!(OutOfStock::item("A-1"), OutOfStock::item("A-1"));
//! assert_ne!(OutOfStock::item("A-1"), OutOfStock::default());
//! ```
//!
//! # How an error is served
//!
//! [`Config::respond`], which the framework adapters and [`Error::serve`]
//! call, first decides which policies apply (the decorator, debug mode, a
//! hidden 5xx description, problem details), then sends the crash report
//! when one is due (a reporter's id for the body, such as Sentry's, is
//! known before the body is written), then writes the body once: the error
//! renders itself through [`ApiError::render`] under a [`Rendering`] (the
//! `error_id` as the last key, texts cut at
//! [`max_text_bytes`](ConfigBuilder::max_text_bytes)), or, when a policy
//! reshapes the body, its [`ErrorBody`] is serialized.
//!
//! The source has one module per concept, in five layers that each use
//! only the ones before them: bodies, the model, reports, serving,
//! adapters (listed at the top of `lib.rs` and in the README's layout).
//!
//! # Features
//!
//! All off by default:
//! - `axum`: every error type is axum's `IntoResponse`, and
//!   [`MacaronLayer`] (includes `tower`). Rust 1.80+.
//! - `tower`: [`MacaronLayer`], for any `Service<http::Request<_>>`.
//! - `actix-web`: every error type is actix-web's `ResponseError`, and the
//!   [`Macaron`] middleware. Rust 1.89+.
//! - `anyhow`: `?` from an [`Error`] into an `anyhow::Error` and back, and
//!   declared errors found in anyhow errors without context.
//! - `sentry`: [`SentryReporter`]. Rust 1.89+.
//! - `tracing`: crash reports, and macaron's own failures, as `tracing`
//!   events (`TracingReporter`, the default reporter then); without it,
//!   lines on standard error ([`StderrReporter`]).
//! - `reqwest`: [`ResponseExt::api_result`] on `reqwest::Response`.
//! - `utoipa`: OpenAPI responses for every error type ([`openapi`]).
//!   Rust 1.88+.
//! - `tonic`: every error type converts into a `tonic::Status` with
//!   Google's rich error details, [`MacaronGrpcLayer`] for tonic servers,
//!   and a received `Status` as a [`RemoteError`] (includes `tower`).
//!   Rust 1.88+.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
// docs.rs (see Cargo.toml) marks each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The modules, in layers: each uses only the layers above it
// (`tests/tests/layers.rs` checks it).
//
// 1. Bodies: `accept` (negotiating the rendering), `json` (escaping), `body` (`ErrorBody`),
//    `docs_url` (each code's documentation URL), `problem` (RFC 9457),
//    `render` (the writer generated code drives, headers, data), `notice`
//    (what rendering reports), `log` (macaron's own failures),
//    `strict_json` (received JSON, no key twice), `reason` (RFC 9110's
//    reason phrases).
// 2. The model: `source`, `api_error` (the trait), `declared` (the macros'
//    tables), `defined` (`define_errors!`'s type), `registry`, `unhandled`,
//    `error` (`Error`, `ErrorRef`), `anyhow` (an `Error` into anyhow and
//    back), `convert` (what becomes an `Error`), `context`, `transparent`,
//    `served`, `request`, `http_errors`, `client`, `catalog` (and its
//    `snapshot`), `rejection`
//    (what frameworks reject, as macaron answers it), `openapi` (and its
//    `schema` and `response`).
// 3. Reports: `report` (the report, reporters, delivery, ids, backtraces),
//    `sentry`.
// 4. Serving: `handlers` (foreign-error handlers), `config` (the policies;
//    `builder`, the settings),
//    `dispatch` (a configuration's reports),
//    `respond` (the pipeline), `scope` (the current configuration and
//    request), `serve`, `timer` (slow calls).
// 5. Adapters: `frameworks` (the trait impls generated code gets),
//    `axum`, `adapter` (what the tower layer and the actix-web middleware
//    share), `layer`, `actix`, `tonic` (gRPC: `code`, the code mapping;
//    `status`, an error as a status; `remote`, a status received; `layer`,
//    for tonic servers).

// Lets `define_errors!` and the derive be used inside this crate too.
extern crate self as macaron_core;

// 1. Bodies
mod accept;
mod body;
mod docs_url;
mod json;
mod log;
mod notice;
mod problem;
mod reason;
mod render;
mod strict_json;

// 2. The model
#[cfg(feature = "anyhow")]
mod anyhow;
mod api_error;
pub mod catalog;
mod client;
mod context;
mod convert;
mod declared;
mod defined;
mod error;
pub mod http_errors;
#[cfg(feature = "utoipa")]
pub mod openapi;
mod registry;
#[cfg(any(feature = "tower", feature = "actix-web", feature = "utoipa"))]
mod rejection;
mod request;
mod served;
mod source;
mod transparent;
mod unhandled;

// 3. Reports
mod report;
#[cfg(feature = "sentry")]
mod sentry;

// 4. Serving
mod config;
mod dispatch;
mod handlers;
mod respond;
mod scope;
mod serve;
mod timer;

// 5. Adapters
#[cfg(feature = "actix-web")]
mod actix;
#[cfg(any(feature = "tower", feature = "actix-web"))]
mod adapter;
#[cfg(feature = "axum")]
mod axum;
mod frameworks;
#[cfg(feature = "tower")]
mod layer;
#[cfg(feature = "tonic")]
mod tonic;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use api_error::{ApiError, ErrorInfo};
pub use body::{ErrorBody, RESERVED_KEYS};
pub use catalog::catalog;
#[cfg(feature = "reqwest")]
pub use client::ResponseExt;
pub use client::{is_error, BodyProblem, NotAnErrorBody, RemoteError, DEFAULT_MAX_BODY_BYTES};
pub use config::{
    Config, ConfigBuilder, Reporting, DEFAULT_MAX_TEXT_BYTES, DEFAULT_REPORT_TIMEOUT,
    DEFAULT_REPORT_WINDOW, NO_ERROR_REPORTING, REPORT_QUEUE_CAPACITY,
};
pub use context::Context;
pub use defined::DefinedError;
pub use error::{Error, ErrorRef};
pub use http;
pub use http_errors::{abort, HttpError};
pub use problem::{ProblemDetails, ProblemJson, PROBLEM_JSON};
pub use reason::reason_phrase;
pub use render::{Rendering, TRUNCATION_MARK};
#[cfg(feature = "tracing")]
pub use report::TracingReporter;
pub use report::{
    failed_reports, panic_message, Caught, CrashReport, NonBlocking, ReportedError,
    ReportedRequest, Reporter, ServerInfo, StderrReporter, REDACTED,
};
pub use request::RequestInfo;
pub use scope::report_error;
#[cfg(feature = "sentry")]
pub use sentry::SentryReporter;
pub use served::ServedError;
pub use source::{AsDynError, BoxError};
pub use timer::CallTimer;
pub use unhandled::{UNHANDLED_CODE, UNHANDLED_DESCRIPTION};

#[cfg(feature = "actix-web")]
pub use actix::{Macaron, MacaronMiddleware};
#[cfg(any(feature = "tower", feature = "actix-web"))]
pub use adapter::ErrorBodies;
#[cfg(feature = "tower")]
pub use layer::{MacaronFuture, MacaronLayer, MacaronService};
#[cfg(feature = "tonic")]
pub use tonic::{
    grpc_code, MacaronGrpcBody, MacaronGrpcFuture, MacaronGrpcLayer, MacaronGrpcService,
    MAX_STATUS_BYTES, OMITTED_KEY, USER_MESSAGE_LOCALE,
};

/// Derives [`ApiError`], `Display` and `std::error::Error`; see the
/// [crate documentation](crate#declaring-errors).
pub use macaron_derive::ApiError;

/// Declares error types in a batch; see the
/// [crate documentation](crate#many-errors-at-once).
pub use macaron_derive::define_errors;

/// Reports calls of a function (sync or async) slower than `max_ms`
/// milliseconds, or than the configured `report_call_exceeding_ms` when
/// no limit is given (PyMacaron's `@report_slow`). The report is
/// non-fatal, titled `NON-FATAL BACKEND ERROR: <fn>() calltime exceeded
/// <N> millisec!`, and goes through the [current](Config::current)
/// configuration.
///
/// ```
/// #[macaron_core::report_slow(max_ms = 5000)]
/// async fn do_login_user(login: String) -> String {
///     login
/// }
///
/// #[macaron_core::report_slow]
/// fn render_page() -> &'static str {
///     "<html>"
/// }
/// # assert_eq!(render_page(), "<html>");
/// ```
pub use macaron_derive::report_slow;
