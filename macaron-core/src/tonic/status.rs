//! An error as a `tonic::Status`: the body and headers it is served with
//! over HTTP, translated, within what gRPC peers accept.

use super::{grpc_code, ERROR_ID_KEY, STATUS_KEY};
use crate::render::truncate;
use crate::serve::answer;
use crate::{Config, Error, ErrorBody};
use http::{HeaderMap, HeaderName, StatusCode};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;
use tonic::metadata::MetadataMap;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt as _};

/// The locale of the `LocalizedMessage` that carries a user message: the
/// language the service writes its messages in is not declared anywhere.
pub const USER_MESSAGE_LOCALE: &str = "en-US";

impl From<Error> for Status {
    /// The status of the error under the configuration and request in
    /// scope, as [`Error::serve`] answers it over HTTP.
    fn from(error: Error) -> Status {
        tonic_status(error)
    }
}

/// The status of an error served under the scope's policies (what every
/// `From<_> for Status` calls).
pub fn tonic_status(error: Error) -> Status {
    answer(&error, |config, body, headers| {
        status_of_answer(Answer::of(config, body, headers))
    })
}

/// The most a status may take in its trailers (its message, details and
/// metadata, as HTTP/2 counts them): gRPC's C-based and Java
/// implementations refuse a header list past 8 KiB by default, and a
/// status refused on the way is lost whole, its code included.
pub const MAX_STATUS_BYTES: usize = 8 * 1024;

/// What a status keeps of each text when the whole does not fit in
/// [`MAX_STATUS_BYTES`].
const COMPACT_TEXT_BYTES: usize = 1024;

/// The `ErrorInfo` metadata key that lists, comma-separated, the data keys
/// and header names a status left out to fit in [`MAX_STATUS_BYTES`].
pub const OMITTED_KEY: &str = "omitted";

/// The status that says what `answer` says: its code and status as the
/// gRPC code and `ErrorInfo`'s reason, its description as the message,
/// its user message as a `LocalizedMessage`, its data and error id as
/// `ErrorInfo`'s metadata, its `retry-after` as a `RetryInfo`, its
/// documentation URL as a `Help` link, its headers as the status'
/// metadata. Within [`MAX_STATUS_BYTES`]: past it, the data and headers
/// are left out (and named under [`OMITTED_KEY`]) and the texts cut; past
/// it still, the details are left out.
fn status_of_answer(answer: Answer) -> Status {
    if answer.most_bytes() <= MAX_STATUS_BYTES {
        return answer.into_status(false);
    }
    let (code, mut message) = (answer.code, answer.message.clone());
    let status = answer.into_status(true);
    if trailer_bytes(&status) <= MAX_STATUS_BYTES {
        return status;
    }
    truncate(&mut message, COMPACT_TEXT_BYTES);
    Status::new(code, message)
}

/// An error's HTTP answer, read for its status.
struct Answer {
    code: Code,
    reason: String,
    message: String,
    user_message: Option<String>,
    /// The extra data, each value as text (JSON for any but a string).
    data: Vec<(String, String)>,
    error_id: Option<String>,
    http_status: u16,
    domain: String,
    retry_after: Option<u64>,
    docs_url: Option<String>,
    headers: HeaderMap,
}

impl Answer {
    /// The answer served with `body` and the error's `headers`, under
    /// `config`.
    fn of(config: &Config, body: ErrorBody, headers: HeaderMap) -> Answer {
        let http_status =
            StatusCode::from_u16(body.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let data = body
            .extra_entries()
            .map(|(key, value)| {
                let value = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (key.clone(), value)
            })
            .collect();
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        Answer {
            code: grpc_code(http_status, &body.error),
            data,
            http_status: http_status.as_u16(),
            domain: config.service_name().unwrap_or_default().to_owned(),
            retry_after,
            docs_url: config.docs_url(&body.error),
            headers: without_grpc_reserved(headers),
            reason: body.error,
            message: body.error_description,
            user_message: body.user_message,
            error_id: body.error_id,
        }
    }

    /// At least what the whole status takes in trailers (see
    /// [`trailer_bytes`]), from its texts: the details are a protobuf
    /// message whose every field costs less than `FIELD` bytes besides its
    /// text, and whose every detail less than `DETAIL` (its type URL).
    fn most_bytes(&self) -> usize {
        const FIELD: usize = 16;
        const DETAIL: usize = 96;
        let texts = [
            Some(&self.message),
            Some(&self.reason),
            Some(&self.domain),
            self.error_id.as_ref(),
            self.user_message.as_ref(),
            self.docs_url.as_ref(),
        ];
        let details = 4 * DETAIL
            + (texts.iter().flatten())
                .map(|text| text.len() + FIELD)
                .sum::<usize>()
            + (self.data.iter())
                .map(|(key, value)| key.len() + value.len() + 3 * FIELD)
                .sum::<usize>()
            + USER_MESSAGE_LOCALE.len()
            + "the error ".len()
            + self.reason.len()
            + 8 * FIELD;
        let headers: usize = (self.headers.iter())
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        256 + self.message.len() * 3 + details.div_ceil(3) * 4 + headers
    }

    /// The status, whole, or `compact`: without data and headers, with
    /// texts cut.
    fn into_status(self, compact: bool) -> Status {
        let mut metadata = HashMap::new();
        if compact {
            let omitted: Vec<&str> = (self.data.iter().map(|(key, _)| key.as_str()))
                .chain(self.headers.keys().map(HeaderName::as_str))
                .collect();
            if !omitted.is_empty() {
                metadata.insert(OMITTED_KEY.to_owned(), omitted.join(","));
            }
        } else {
            metadata.extend(self.data);
        }
        if let Some(error_id) = self.error_id {
            metadata.insert(ERROR_ID_KEY.to_owned(), error_id);
        }
        metadata.insert(STATUS_KEY.to_owned(), self.http_status.to_string());
        let cut = |mut text: String| {
            if compact {
                truncate(&mut text, COMPACT_TEXT_BYTES);
            }
            text
        };
        let help = self
            .docs_url
            .map(|url| (format!("the error {}", self.reason), url));
        let mut details = ErrorDetails::with_error_info(self.reason, self.domain, metadata);
        if let Some(user_message) = self.user_message {
            details.set_localized_message(USER_MESSAGE_LOCALE, cut(user_message));
        }
        if let Some(seconds) = self.retry_after {
            details.set_retry_info(Some(Duration::from_secs(seconds)));
        }
        if let Some((description, url)) = help {
            details.add_help_link(description, url);
        }
        let headers = if compact {
            HeaderMap::new()
        } else {
            self.headers
        };
        Status::with_error_details_and_metadata(
            self.code,
            cut(self.message),
            details,
            MetadataMap::from_headers(headers),
        )
    }
}

/// What `status` takes in HTTP/2 trailers, as a peer's header list limit
/// counts it (each field's name, value and 32 bytes), at worst: its
/// message percent-encoded throughout, its details in base64.
fn trailer_bytes(status: &Status) -> usize {
    const FIELD: usize = 32;
    let message = "grpc-message".len() + status.message().len() * 3 + FIELD;
    let details = "grpc-status-details-bin".len() + status.details().len().div_ceil(3) * 4 + FIELD;
    let metadata: usize = status
        .metadata()
        .as_ref()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + FIELD)
        .sum();
    "grpc-status".len() + 2 + FIELD + message + details + metadata
}

/// An error's headers (`retry-after`, `www-authenticate`, its own
/// `#[header]`s) as a status' metadata: without any name gRPC reserves
/// (`grpc-*`) or would read as binary (`*-bin`), so that an error's header
/// cannot change what the status says.
fn without_grpc_reserved(mut headers: HeaderMap) -> HeaderMap {
    let reserved: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("grpc-") || name.as_str().ends_with("-bin"))
        .cloned()
        .collect();
    for name in reserved {
        headers.remove(name);
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str, entries: usize) -> Answer {
        let mut headers = HeaderMap::new();
        for index in 0..entries {
            headers.insert(
                HeaderName::try_from(format!("x-header-{index}")).unwrap(),
                http::HeaderValue::try_from(text).unwrap_or(http::HeaderValue::from_static("v")),
            );
        }
        Answer {
            code: Code::InvalidArgument,
            reason: "R".repeat(text.len() % 50 + 1),
            message: text.to_owned(),
            user_message: (entries % 2 == 0).then(|| text.to_owned()),
            data: (0..entries)
                .map(|index| (format!("key{index}"), text.to_owned()))
                .collect(),
            error_id: Some("0822664e-d07e-4460-8342-9f33b14db2ec".to_owned()),
            http_status: 400,
            domain: "users".to_owned(),
            retry_after: Some(u64::MAX),
            docs_url: Some(format!("https://errors.example.com/{text}")),
            headers,
        }
    }

    /// The estimate that spares measuring a whole status is never below
    /// the measure, whatever the texts and their number.
    #[test]
    fn most_bytes_is_at_least_what_the_status_takes() {
        let texts = [
            "",
            "a",
            "slow down",
            "é\u{1F600}\u{7f}\n%",
            &"x".repeat(3000),
        ];
        for text in texts {
            for entries in [0, 1, 2, 7, 40] {
                let answer = answer(text, entries);
                let most = answer.most_bytes();
                let taken = trailer_bytes(&answer.into_status(false));
                assert!(taken <= most, "{text:?} {entries}: {taken} > {most}");
            }
        }
    }
}
