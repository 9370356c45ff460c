//! A received `tonic::Status` as a [`RemoteError`].

use super::code::http_status;
use super::{ERROR_ID_KEY, STATUS_KEY};
use crate::client::not_an_error_body;
use crate::{BodyProblem, ErrorBody, RemoteError};
use serde_json::Value;
use tonic::Status;
use tonic_types::{ErrorDetails, StatusExt as _};

impl RemoteError {
    /// The error another service answered over gRPC. A status whose
    /// details carry a `google.rpc.ErrorInfo` (as macaron's do) gives the
    /// body it stands for: its reason as the code, the message as the
    /// description, the `LocalizedMessage` as the user message, the
    /// metadata as the error id and data (as strings), the `status`
    /// metadata, or else the code's usual HTTP status, as the status. Any
    /// other status is no error body, and becomes a 502 like an HTTP
    /// response without one.
    ///
    /// ```
    /// use macaron_core::{ApiError, RemoteError};
    /// use tonic::{Code, Status};
    ///
    /// let remote = RemoteError::from_status(&Status::new(Code::Unavailable, "overloaded"));
    /// assert_eq!(remote.status(), 502);
    /// assert_eq!(remote.body().unwrap_err().status, 503);
    /// ```
    pub fn from_status(status: &Status) -> RemoteError {
        let fallback_status = http_status(status.code());
        let details = status.check_error_details().ok();
        let Some(info) = details.as_ref().and_then(ErrorDetails::error_info) else {
            let received = format!("{:?}: {}", status.code(), status.message());
            return RemoteError::new(
                fallback_status,
                Err(not_an_error_body(
                    fallback_status,
                    BodyProblem::NotAnErrorObject,
                    "a gRPC status without a google.rpc.ErrorInfo detail".into(),
                    received.as_bytes(),
                )),
            );
        };
        let http_status = info
            .metadata
            .get(STATUS_KEY)
            .and_then(|status| status.parse::<u16>().ok())
            .filter(|status| (400..=599).contains(status))
            .unwrap_or(fallback_status);
        let mut body = ErrorBody::new(info.reason.clone(), status.message(), http_status);
        body.user_message = details
            .as_ref()
            .and_then(ErrorDetails::localized_message)
            .map(|localized| localized.message.clone());
        body.error_id = info.metadata.get(ERROR_ID_KEY).cloned();
        // The body's own keys among them are never written from its extra
        // entries.
        let mut data: Vec<_> = info
            .metadata
            .iter()
            .filter(|(key, _)| ![ERROR_ID_KEY, STATUS_KEY].contains(&key.as_str()))
            .collect();
        // Metadata is a map without order: data in key order, the same
        // on every run.
        data.sort();
        for (key, value) in data {
            body.extra.insert(key.clone(), Value::String(value.clone()));
        }
        RemoteError::new(http_status, Ok(body))
    }
}

impl From<Status> for RemoteError {
    fn from(status: Status) -> RemoteError {
        RemoteError::from_status(&status)
    }
}
