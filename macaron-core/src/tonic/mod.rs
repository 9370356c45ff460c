//! gRPC with tonic: every error as a `tonic::Status` carrying google.rpc's
//! error details, `MacaronGrpcLayer` around tonic servers, and a received
//! `Status` as a [`RemoteError`](crate::RemoteError).
//!
//! A status is the error's HTTP answer translated: the same policies
//! (5xx texts hidden, error ids, decorators, reports) decide it, so that
//! one error means the same thing on both protocols.

mod code;
mod layer;
mod remote;
mod status;

pub use code::grpc_code;
pub use layer::{MacaronGrpcBody, MacaronGrpcFuture, MacaronGrpcLayer, MacaronGrpcService};
pub use status::{tonic_status, MAX_STATUS_BYTES, OMITTED_KEY, USER_MESSAGE_LOCALE};

/// The metadata key of `google.rpc.ErrorInfo` under which the error id
/// travels, as `error_id` does in bodies.
const ERROR_ID_KEY: &str = "error_id";
/// The metadata key of the HTTP status, which gRPC codes do not keep
/// (400 and 422 are both `INVALID_ARGUMENT`).
const STATUS_KEY: &str = "status";
