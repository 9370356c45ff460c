//! gRPC with tonic: every error as a `tonic::Status` carrying google.rpc's
//! error details, `MacaronGrpcLayer` around tonic servers, and a received
//! `Status` as a [`RemoteError`].
//!
//! A status is the error's HTTP answer translated: the same policies
//! (5xx texts hidden, error ids, decorators, reports) decide it, so that
//! one error means the same thing on both protocols.

use crate::adapter::{poll_scoped, record_panic_locations, report_if_slow, serve_panic};
use crate::render::truncate;
use crate::scope::{report_notices_in_scope, with_scope_or_global, Scope};
use crate::serve::serve;
use crate::{BodyProblem, Config, Error, ErrorBody, NotAnErrorBody, RemoteError, RequestInfo};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, Request, Response, StatusCode};
use pin_project_lite::pin_project;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tonic::metadata::MetadataMap;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt as _};
use tower_layer::Layer;
use tower_service::Service;

/// The locale of the `LocalizedMessage` that carries a user message: the
/// language the service writes its messages in is not declared anywhere.
pub const USER_MESSAGE_LOCALE: &str = "en-US";

/// The gRPC code of an error answered over HTTP with `status`: the
/// mapping of `google.rpc.Code`, read from HTTP's side.
///
/// | HTTP | gRPC |
/// |---|---|
/// | 400, 422 | `INVALID_ARGUMENT` |
/// | 401 | `UNAUTHENTICATED` |
/// | 403 | `PERMISSION_DENIED` |
/// | 404, 410 | `NOT_FOUND` |
/// | 405 | `UNIMPLEMENTED` |
/// | 408 | `DEADLINE_EXCEEDED` |
/// | 409 | `ALREADY_EXISTS` when the code ends in `EXISTS` (`USER_EXISTS`), else `ABORTED` |
/// | 412, 428, any other 4xx | `FAILED_PRECONDITION` |
/// | 413, 429 | `RESOURCE_EXHAUSTED` |
/// | 416 | `OUT_OF_RANGE` |
/// | 499 | `CANCELLED` |
/// | 500, any other 5xx | `INTERNAL` |
/// | 501 | `UNIMPLEMENTED` |
/// | 502, 503 | `UNAVAILABLE` |
/// | 504 | `DEADLINE_EXCEEDED` |
/// | anything else | `UNKNOWN` |
///
/// ```
/// use http::StatusCode;
/// use macaron_core::grpc_code;
/// use tonic::Code;
///
/// assert_eq!(grpc_code(StatusCode::NOT_FOUND, "UNKNOWN_USER"), Code::NotFound);
/// assert_eq!(grpc_code(StatusCode::CONFLICT, "USER_EXISTS"), Code::AlreadyExists);
/// assert_eq!(grpc_code(StatusCode::CONFLICT, "STALE_VERSION"), Code::Aborted);
/// ```
pub fn grpc_code(status: StatusCode, code: &str) -> Code {
    match status.as_u16() {
        400 | 422 => Code::InvalidArgument,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 | 410 => Code::NotFound,
        405 | 501 => Code::Unimplemented,
        408 | 504 => Code::DeadlineExceeded,
        409 if code.ends_with("EXISTS") => Code::AlreadyExists,
        409 => Code::Aborted,
        413 | 429 => Code::ResourceExhausted,
        416 => Code::OutOfRange,
        499 => Code::Cancelled,
        502 | 503 => Code::Unavailable,
        400..=499 => Code::FailedPrecondition,
        500..=599 => Code::Internal,
        _ => Code::Unknown,
    }
}

/// The HTTP status of a received gRPC code, when the status does not say
/// its own: `google.rpc.Code`'s documented mapping.
fn http_status(code: Code) -> u16 {
    match code {
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
        Code::Unauthenticated => 401,
        Code::PermissionDenied => 403,
        Code::NotFound => 404,
        Code::AlreadyExists | Code::Aborted => 409,
        Code::ResourceExhausted => 429,
        Code::Cancelled => 499,
        Code::Unimplemented => 501,
        Code::Unavailable => 503,
        Code::DeadlineExceeded => 504,
        _ => 500,
    }
}

/// The metadata key of `google.rpc.ErrorInfo` under which the error id
/// travels, as `error_id` does in bodies.
const ERROR_ID_KEY: &str = "error_id";
/// The metadata key of the HTTP status, which gRPC codes do not keep
/// (400 and 422 are both `INVALID_ARGUMENT`).
const STATUS_KEY: &str = "status";

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
    let response = serve(&error);
    with_scope_or_global(|config, _| status_of_response(config, &response))
}

/// The most a status may take in its trailers (its message, details and
/// metadata, as HTTP/2 counts them): gRPC peers commonly refuse metadata
/// beyond 8 KiB, and a status refused on the way is lost whole, its code
/// included.
pub const MAX_STATUS_BYTES: usize = 8 * 1024;

/// What a status keeps of each text when the whole does not fit in
/// [`MAX_STATUS_BYTES`].
const COMPACT_TEXT_BYTES: usize = 1024;

/// The `ErrorInfo` metadata key that lists, comma-separated, the data keys
/// and header names a status left out to fit in [`MAX_STATUS_BYTES`].
pub const OMITTED_KEY: &str = "omitted";

/// The status that says what `response`, an error served over HTTP, says:
/// its code and status as the gRPC code and `ErrorInfo`'s reason, its
/// description as the message, its user message as a `LocalizedMessage`,
/// its data and error id as `ErrorInfo`'s metadata, its `retry-after` as a
/// `RetryInfo`, its documentation URL as a `Help` link, its headers as the
/// status' metadata. Within [`MAX_STATUS_BYTES`]: past it, the data and
/// headers are left out (and named under [`OMITTED_KEY`]) and the texts
/// cut; past it still, the details are left out.
fn status_of_response(config: &Config, response: &Response<Bytes>) -> Status {
    let answer = Answer::of(config, response);
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
    fn of(config: &Config, response: &Response<Bytes>) -> Answer {
        let body: Map<String, Value> = serde_json::from_slice(response.body()).unwrap_or_default();
        let text = |keys: &[&str]| {
            keys.iter()
                .find_map(|key| body.get(*key).and_then(Value::as_str))
                .map(str::to_owned)
        };
        // The PyMacaron model, or problem details when a configuration
        // always answers with them.
        let reason = text(&["error", "code"]).unwrap_or_else(|| crate::UNHANDLED_CODE.to_owned());
        let data = body
            .iter()
            .filter(|(key, _)| !MODEL_KEYS.contains(&key.as_str()))
            .map(|(key, value)| {
                let value = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (key.clone(), value)
            })
            .collect();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        Answer {
            code: grpc_code(response.status(), &reason),
            message: text(&["error_description", "detail"]).unwrap_or_default(),
            user_message: text(&["user_message"]),
            data,
            error_id: text(&[ERROR_ID_KEY]),
            http_status: response.status().as_u16(),
            domain: config.service_name().unwrap_or_default().to_owned(),
            retry_after,
            docs_url: config.docs_url(&reason),
            headers: error_headers(response.headers()),
            reason,
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

/// The headers of an error's answer that say something about the error
/// (`retry-after`, `www-authenticate`, its own `#[header]`s), as a status'
/// metadata. Not those about the HTTP body (its type, length and
/// negotiation), which gRPC frames itself, nor any that gRPC reserves
/// (`grpc-*`) or would read as binary (`*-bin`): an error's header must
/// not change what the status says.
fn error_headers(headers: &HeaderMap) -> HeaderMap {
    const HTTP_BODY: [&str; 3] = ["content-type", "content-length", "vary"];
    headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            !HTTP_BODY.contains(&name) && !name.starts_with("grpc-") && !name.ends_with("-bin")
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The keys of both body models that are not extra data.
const MODEL_KEYS: [&str; 10] = [
    "error",
    "error_description",
    "status",
    "user_message",
    "error_id",
    "type",
    "title",
    "detail",
    "instance",
    "code",
];

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
            let start: String = format!("{:?}: {}", status.code(), status.message())
                .chars()
                .take(1024)
                .collect();
            return RemoteError::new(
                fallback_status,
                Err(NotAnErrorBody {
                    status: fallback_status,
                    kind: BodyProblem::NotAnErrorObject,
                    problem: "a gRPC status without a google.rpc.ErrorInfo detail".into(),
                    start,
                }),
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
        let mut data: Vec<_> = info
            .metadata
            .iter()
            .filter(|(key, _)| !MODEL_KEYS.contains(&key.as_str()))
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

/// The layer that does for a tonic server what [`MacaronLayer`](crate::MacaronLayer)
/// does for an HTTP one: each call runs with the configuration and request
/// in scope (its route the gRPC method, `/package.Service/Method`), so
/// that errors turned into a `Status` get error ids, decorators and crash
/// reports; a panic becomes an `INTERNAL` status and a fatal report; each
/// call is timed against `report_call_exceeding_ms`. A response stream is
/// read in the same scope ([`MacaronGrpcBody`]). A `Status` a handler
/// builds by hand is its own answer: the layer sends it as it is and
/// reports nothing, as `MacaronLayer` keeps a body a handler wrote itself.
///
/// ```
/// # async fn run(routes: tonic::service::Routes) -> Result<(), Box<dyn std::error::Error>> {
/// let config = macaron_core::Config::builder().build();
/// tonic::transport::Server::builder()
///     .layer(macaron_core::MacaronGrpcLayer::new(config))
///     .add_routes(routes)
///     .serve("127.0.0.1:50051".parse()?)
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct MacaronGrpcLayer {
    config: Config,
}

impl MacaronGrpcLayer {
    /// The layer, applying `config`.
    pub fn new(config: Config) -> Self {
        record_panic_locations();
        report_notices_in_scope();
        MacaronGrpcLayer { config }
    }
}

impl<S> Layer<S> for MacaronGrpcLayer {
    type Service = MacaronGrpcService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MacaronGrpcService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service [`MacaronGrpcLayer`] wraps around a tonic server's.
#[derive(Clone, Debug)]
pub struct MacaronGrpcService<S> {
    inner: S,
    config: Config,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for MacaronGrpcService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<MacaronGrpcBody<ResBody>>;
    type Error = S::Error;
    type Future = MacaronGrpcFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let method = request.uri().path().to_owned();
        let info = RequestInfo::of_request(&request).with_route(method);
        MacaronGrpcFuture {
            scope: Some(Scope::serving(self.config.clone(), info, None)),
            future: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The future of a [`MacaronGrpcService`] response.
    pub struct MacaronGrpcFuture<F> {
        #[pin]
        future: F,
        // Handed to the response's body once the handler is done.
        scope: Option<Scope>,
    }
}

impl<F, B, E> Future for MacaronGrpcFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<MacaronGrpcBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let scope = this
            .scope
            .as_ref()
            .expect("a MacaronGrpcFuture polled after it completed");
        let outcome = ready!(poll_scoped(scope, this.future, cx));
        report_if_slow(scope, None);
        let response = match outcome {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => return Poll::Ready(Err(error)),
            Err(panic) => {
                let served = serve_panic(scope, panic);
                status_of_response(&scope.config, &served).into_http()
            }
        };
        let scope = this.scope.take();
        Poll::Ready(Ok(response.map(|body| MacaronGrpcBody {
            body,
            scope,
            ended: false,
        })))
    }
}

pin_project! {
    /// The body of a [`MacaronGrpcService`] response: a response stream's
    /// messages are polled with the call's configuration and request in
    /// scope, so that an error the stream turns into a `Status` is served
    /// as the handler's are; a panic there ends the stream with an
    /// `INTERNAL` status and a fatal report.
    pub struct MacaronGrpcBody<B> {
        #[pin]
        body: B,
        scope: Option<Scope>,
        // After a panic: the body is in no state to be polled again.
        ended: bool,
    }
}

impl<B: http_body::Body> http_body::Body for MacaronGrpcBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        let this = self.project();
        if *this.ended {
            return Poll::Ready(None);
        }
        let Some(scope) = this.scope.as_ref() else {
            return this.body.poll_frame(cx);
        };
        match catch_unwind(AssertUnwindSafe(|| {
            scope.enter(|| this.body.poll_frame(cx))
        })) {
            Ok(frame) => frame,
            Err(panic) => {
                *this.ended = true;
                let served = serve_panic(scope, panic);
                let status = status_of_response(&scope.config, &served);
                let mut trailers = HeaderMap::new();
                // A status this crate built has valid headers.
                let _ = status.add_header(&mut trailers);
                Poll::Ready(Some(Ok(http_body::Frame::trailers(trailers))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ended || self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        if self.ended {
            return http_body::SizeHint::with_exact(0);
        }
        self.body.size_hint()
    }
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
