//! What a non-fatal report can carry besides its title.

use crate::{Error, ErrorBody};
use serde_json::{json, Value};
use std::error::Error as StdError;

/// What [`report_error`](crate::report_error) can be given as `caught`: an
/// error, a macaron [`Error`], or an [`ErrorBody`] received from another
/// service.
pub trait Caught {
    /// The caught thing, as JSON for the report.
    fn to_report_json(&self) -> Value;
}

impl<E: StdError> Caught for E {
    fn to_report_json(&self) -> Value {
        json!({ "type": std::any::type_name::<E>(), "chain": crate::source::chain_text(self) })
    }
}

impl Caught for Error {
    fn to_report_json(&self) -> Value {
        json!({
            "type": self.type_name(),
            "code": self.code(),
            "status": self.status().as_u16(),
            "chain": self.chain(),
            "context": self.context(),
        })
    }
}

impl Caught for ErrorBody {
    fn to_report_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
