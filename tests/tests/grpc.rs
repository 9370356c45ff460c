//! gRPC over loopback: a real tonic server under `MacaronGrpcLayer` and a
//! real tonic client. The service is written by hand with prost messages,
//! as tonic's generated code would write it, so that no protobuf compiler
//! is needed. Each declared kind, a foreign error, a panic and a slow
//! call, in a unary call and in a response stream, with their details
//! decoded by the client and re-raised as the local type; a status too
//! large for trailers; conversions outside a server.

use futures_util::StreamExt as _;
use http::uri::PathAndQuery;
use macaron_core::{
    define_errors, ApiError, Config, Error, ErrorBody, MacaronGrpcLayer, ProblemJson, RemoteError,
    Reporting, MAX_STATUS_BYTES, TRUNCATION_MARK,
};
use macaron_tests::service::AccountError;
use macaron_tests::{stable_json, Capture};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Server};
use tonic::{Code, Status};
use tonic_prost::ProstCodec;
use tonic_types::StatusExt as _;

define_errors! {
    /// A version check failed.
    StaleVersion(status = 409);
    /// The user is already registered.
    UserExists(status = 409, user_message = "Pick another name");
    /// The account is locked: an entry of its own type.
    struct AccountLocked(status = 423);
}

#[derive(Clone, PartialEq, prost::Message)]
struct GetUser {
    #[prost(string, tag = "1")]
    name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct User {
    #[prost(string, tag = "1")]
    name: String,
}

const GET: &str = "/macaron.test.Users/Get";
const LIST: &str = "/macaron.test.Users/List";

/// What the handler does for each name: the service's own logic, in
/// macaron's terms.
async fn lookup(name: String) -> Result<User, Error> {
    match name.as_str() {
        "ada" => Ok(User { name }),
        "slow" => {
            tokio::time::sleep(std::time::Duration::from_millis(60)).await;
            Ok(User { name })
        }
        "unknown" => Err(AccountError::UnknownUser { id: 7 })?,
        "limited" => Err(AccountError::RateLimited {
            retry_after: 30,
            limit: 10,
        })?,
        "exists" => Err(UserExists::default())?,
        "stale" => Err(StaleVersion::default())?,
        "gone" => {
            Err(macaron_core::abort(http::StatusCode::GONE).with_data("since", "2026-01-01"))?
        }
        "huge" => Err(macaron_core::abort(http::StatusCode::BAD_REQUEST)
            .with_code("INVALID_BLOB")
            .with_message("x".repeat(100_000))
            .with_data("first", "y".repeat(100_000))
            .with_data("second", "z".repeat(100_000))
            .with_header("x-blob", "w".repeat(4000)))?,
        "foreign" => {
            let text = std::fs::read_to_string("/no/such/dir/db-password=hunter2")?;
            Ok(User { name: text })
        }
        _ => panic!("secret panic message"),
    }
}

/// The `Users` service as tonic's code generator would write it.
#[derive(Clone)]
struct Users;

impl tonic::server::NamedService for Users {
    const NAME: &'static str = "macaron.test.Users";
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl tower::Service<http::Request<tonic::body::Body>> for Users {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        Box::pin(async move {
            let mut grpc = tonic::server::Grpc::new(ProstCodec::default());
            Ok(match request.uri().path() {
                GET => grpc.unary(Get, request).await,
                LIST => grpc.server_streaming(List, request).await,
                _ => Status::unimplemented("no such method").into_http(),
            })
        })
    }
}

struct Get;

impl tonic::server::UnaryService<GetUser> for Get {
    type Response = User;
    type Future = BoxFuture<Result<tonic::Response<User>, Status>>;

    fn call(&mut self, request: tonic::Request<GetUser>) -> Self::Future {
        Box::pin(async move {
            let user = lookup(request.into_inner().name).await?;
            Ok(tonic::Response::new(user))
        })
    }
}

/// Streams the users of comma-separated names, each looked up when the
/// client has read that far: after the handler has returned.
struct List;

type UserStream = Pin<Box<dyn futures_util::Stream<Item = Result<User, Status>> + Send>>;

impl tonic::server::ServerStreamingService<GetUser> for List {
    type Response = User;
    type ResponseStream = UserStream;
    type Future = BoxFuture<Result<tonic::Response<UserStream>, Status>>;

    fn call(&mut self, request: tonic::Request<GetUser>) -> Self::Future {
        let names: Vec<String> = request
            .into_inner()
            .name
            .split(',')
            .map(str::to_owned)
            .collect();
        let users = futures_util::stream::iter(names)
            .then(|name| async move { lookup(name).await.map_err(Status::from) });
        Box::pin(async move { Ok(tonic::Response::new(Box::pin(users) as UserStream)) })
    }
}

async fn serve(config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Server::builder()
        .layer(MacaronGrpcLayer::new(config))
        .add_service(Users);
    tokio::spawn(router.serve_with_incoming(TcpIncoming::from(listener)));
    address
}

/// A client connected to the server at `address`, ready for a call.
async fn client(address: SocketAddr) -> tonic::client::Grpc<Channel> {
    let channel = Channel::from_shared(format!("http://{address}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = tonic::client::Grpc::new(channel);
    client.ready().await.unwrap();
    client
}

async fn call(address: SocketAddr, name: &str) -> Result<User, Status> {
    let mut client = client(address).await;
    let request = tonic::Request::new(GetUser { name: name.into() });
    client
        .unary(
            request,
            PathAndQuery::from_static(GET),
            ProstCodec::default(),
        )
        .await
        .map(tonic::Response::into_inner)
}

/// The names of the users `List` streams, and the status that ended the
/// stream if not OK.
async fn list(address: SocketAddr, names: &str) -> (Vec<String>, Option<Status>) {
    let mut client = client(address).await;
    let request = tonic::Request::new(GetUser { name: names.into() });
    let path = PathAndQuery::from_static(LIST);
    let mut users: tonic::Streaming<User> = match client
        .server_streaming(request, path, ProstCodec::default())
        .await
    {
        Ok(response) => response.into_inner(),
        Err(status) => return (Vec::new(), Some(status)),
    };
    let mut received = Vec::new();
    loop {
        match users.message().await {
            Ok(Some(user)) => received.push(user.name),
            Ok(None) => return (received, None),
            Err(status) => return (received, Some(status)),
        }
    }
}

/// What a client decodes of a status: the code, the message, and every
/// detail macaron sends, with the random error id as `<id>`.
fn decoded(status: &Status) -> String {
    let details = status.get_error_details();
    let info = details.error_info().expect("an ErrorInfo");
    let mut metadata: Vec<_> = info.metadata.iter().collect();
    metadata.sort();
    let metadata: Vec<String> = metadata
        .into_iter()
        .map(|(key, value)| match key.as_str() {
            "error_id" => format!("{key}=<id>"),
            _ => format!("{key}={value}"),
        })
        .collect();
    let mut headers: Vec<String> = status
        .metadata()
        .clone()
        .into_headers()
        .iter()
        // What the transport adds to every response.
        .filter(|(name, _)| !["content-type", "date"].contains(&name.as_str()))
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
        .collect();
    headers.sort();
    format!(
        "{:?} {:?} reason={} domain={} metadata=[{}] localized={:?} retry={:?} help={:?} headers={headers:?}",
        status.code(),
        status.message(),
        info.reason,
        info.domain,
        metadata.join(" "),
        details
            .localized_message()
            .map(|localized| (&localized.locale, &localized.message)),
        details
            .retry_info()
            .and_then(|retry| retry.retry_delay),
        details.help().map(|help| help
            .links
            .iter()
            .map(|link| (&link.description, &link.url))
            .collect::<Vec<_>>()),
    )
}

/// What `decoded` gives for the status of an error nobody declared,
/// served by the service `domain`.
fn unhandled(domain: &str) -> String {
    format!(
        r#"Internal "The server encountered an internal error" reason=UNHANDLED_SERVER_ERROR domain={domain} metadata=[error_id=<id> status=500] localized=None retry=None help=None headers=[]"#
    )
}

/// The error id a status carries.
fn error_id(status: &Status) -> String {
    status.get_error_details().error_info().unwrap().metadata["error_id"].clone()
}

#[tokio::test]
async fn each_declared_kind_arrives_with_its_code_and_details() {
    let config = Config::builder()
        .reporting(Reporting::Off)
        .service("users", "1.0.0")
        .docs_url_base("https://errors.example.com/users#")
        .build();
    let address = serve(config).await;

    assert_eq!(call(address, "ada").await.unwrap().name, "ada");
    let cases = [
        (
            "unknown",
            r#"NotFound "no user with id 7" reason=UNKNOWN_USER domain=users metadata=[error_id=<id> status=404] localized=Some(("en-US", "We don't know you")) retry=None help=Some([("the error UNKNOWN_USER", "https://errors.example.com/users#UNKNOWN_USER")]) headers=[]"#,
        ),
        (
            "limited",
            r#"ResourceExhausted "slow down" reason=RATE_LIMITED domain=users metadata=[error_id=<id> limit=10 status=429] localized=None retry=Some(30s) help=Some([("the error RATE_LIMITED", "https://errors.example.com/users#RATE_LIMITED")]) headers=["retry-after: 30"]"#,
        ),
        (
            "exists",
            r#"AlreadyExists "Conflict" reason=USER_EXISTS domain=users metadata=[error_id=<id> status=409] localized=Some(("en-US", "Pick another name")) retry=None help=Some([("the error USER_EXISTS", "https://errors.example.com/users#USER_EXISTS")]) headers=[]"#,
        ),
        (
            "stale",
            r#"Aborted "Conflict" reason=STALE_VERSION domain=users metadata=[error_id=<id> status=409] localized=None retry=None help=Some([("the error STALE_VERSION", "https://errors.example.com/users#STALE_VERSION")]) headers=[]"#,
        ),
        (
            "gone",
            r#"NotFound "Gone" reason=GONE domain=users metadata=[error_id=<id> since=2026-01-01 status=410] localized=None retry=None help=Some([("the error GONE", "https://errors.example.com/users#GONE")]) headers=[]"#,
        ),
    ];
    for (name, expected) in cases {
        let status = call(address, name).await.unwrap_err();
        assert_eq!(decoded(&status), expected, "{name}");
    }
}

#[tokio::test]
async fn a_foreign_error_is_internal_without_its_text_and_reported_with_the_method() {
    let capture = Capture::default();
    let address = serve(capture.config().service("users", "1.0.0").build()).await;

    let status = call(address, "foreign").await.unwrap_err();
    assert_eq!(decoded(&status), unhandled("users"));
    let reports = capture.reports();
    assert_eq!(reports.len(), 1);
    let report = stable_json(&reports[0]);
    assert_eq!(report["error_id"], serde_json::json!(error_id(&status)));
    assert_eq!(
        report["title"],
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: No such file or directory (os error 2)"
    );
    assert_eq!(report["request"]["method"], "POST");
    assert_eq!(report["request"]["path"], GET);
    assert_eq!(report["request"]["route"], GET);
}

#[tokio::test]
async fn a_panic_is_internal_and_a_fatal_report() {
    let capture = Capture::default();
    let address = serve(capture.config().build()).await;

    let status = call(address, "panic").await.unwrap_err();
    assert_eq!(decoded(&status), unhandled(""));
    let reports = capture.reports();
    assert_eq!(reports.len(), 1);
    // Where it panicked: the one panicking arm of `lookup`.
    let (line, text) = include_str!("grpc.rs")
        .lines()
        .enumerate()
        .find(|(_, text)| text.starts_with("        _ => panic!("))
        .unwrap();
    let column = text.find("panic!").unwrap() + 1;
    assert_eq!(
        reports[0].title,
        format!(
            "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: panicked at tests/tests/grpc.rs:{}:{column}: secret panic message",
            line + 1
        )
    );
    assert_eq!(reports[0].error_id.as_deref(), Some(&*error_id(&status)));
    // The server goes on serving.
    assert_eq!(call(address, "ada").await.unwrap().name, "ada");
}

#[tokio::test]
async fn a_slow_call_is_reported_with_its_method() {
    let capture = Capture::default();
    let address = serve(capture.config().report_call_exceeding_ms(30).build()).await;

    assert_eq!(call(address, "slow").await.unwrap().name, "slow");
    assert_eq!(call(address, "ada").await.unwrap().name, "ada");
    let reports = capture.reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0].title,
        "NON-FATAL BACKEND ERROR: POST /macaron.test.Users/Get calltime exceeded 30 millisec!"
    );
    assert_eq!(reports[0].request.as_ref().unwrap().path, GET);
}

#[tokio::test]
async fn a_response_stream_serves_its_errors_and_panics_in_the_call_scope() {
    let capture = Capture::default();
    let address = serve(capture.config().service("users", "1.0.0").build()).await;

    let (names, status) = list(address, "ada,slow").await;
    assert_eq!(
        (names, status.map(|status| status.code())),
        (vec!["ada".to_owned(), "slow".to_owned()], None)
    );

    // The service's name as the domain: the layer's configuration was in
    // scope, not the process's.
    let (names, status) = list(address, "ada,unknown,ada").await;
    assert_eq!(names, ["ada"]);
    assert_eq!(
        decoded(&status.unwrap()),
        r#"NotFound "no user with id 7" reason=UNKNOWN_USER domain=users metadata=[error_id=<id> status=404] localized=Some(("en-US", "We don't know you")) retry=None help=None headers=[]"#
    );

    let (names, status) = list(address, "ada,foreign").await;
    assert_eq!(names, ["ada"]);
    let status = status.unwrap();
    assert_eq!(decoded(&status), unhandled("users"));
    // tonic encodes every message ready in one poll of the stream: `ada`
    // goes out while `slow` sleeps; `slow` is lost with the poll that
    // panicked.
    let (names, panicked) = list(address, "ada,slow,panic,ada").await;
    assert_eq!(names, ["ada"]);
    let panicked = panicked.unwrap();
    assert_eq!(decoded(&panicked), unhandled("users"));

    // Each reported with the call, under its error id.
    let reports = capture.reports();
    let summary: Vec<(String, String, Option<String>)> = reports
        .iter()
        .map(|report| {
            (
                report.title.split(": ").next().unwrap().to_owned(),
                report.request.as_ref().unwrap().path.clone(),
                report.error_id.clone(),
            )
        })
        .collect();
    let fatal = "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR".to_owned();
    assert_eq!(
        summary,
        [
            (fatal.clone(), LIST.to_owned(), Some(error_id(&status))),
            (fatal, LIST.to_owned(), Some(error_id(&panicked))),
        ]
    );
    assert!(
        reports[1].title.ends_with(": secret panic message"),
        "{}",
        reports[1].title
    );
}

#[tokio::test]
async fn a_received_status_is_re_raised_as_the_local_type() {
    let address = serve(Config::builder().reporting(Reporting::Off).build()).await;
    let status = call(address, "unknown").await.unwrap_err();
    let sent_id = error_id(&status);

    let remote = RemoteError::from(status);
    assert_eq!(remote.local().unwrap().type_name, "AccountError");
    assert_eq!(
        (remote.code(), remote.status().as_u16()),
        ("UNKNOWN_USER", 404)
    );
    let mut expected = ErrorBody::new("UNKNOWN_USER", "no user with id 7", 404);
    expected.user_message = Some("We don't know you".into());
    expected.error_id = Some(sent_id);
    assert_eq!(remote.body().unwrap(), &expected);

    // Served again here, over HTTP: the same body, the same id.
    let config = Config::builder().reporting(Reporting::Off).build();
    let response = config.respond(&remote.into_error(), None);
    assert_eq!(response.status(), 404);
    assert_eq!(ErrorBody::from_response(&response).unwrap(), expected);
}

#[tokio::test]
async fn a_status_too_large_for_trailers_leaves_out_its_data_and_cuts_its_texts() {
    let address = serve(Config::builder().reporting(Reporting::Off).build()).await;
    // Two data values and a description of 8 KiB each (what rendering
    // keeps of a text): whole, the status is refused on the way.
    let status = call(address, "huge").await.unwrap_err();
    let cut = format!("{}{TRUNCATION_MARK}", "x".repeat(1024));
    assert_eq!(
        decoded(&status),
        format!(
            r#"InvalidArgument {cut:?} reason=INVALID_BLOB domain= metadata=[error_id=<id> omitted=first,second,x-blob status=400] localized=None retry=None help=None headers=[]"#
        )
    );
}

#[test]
fn a_status_whose_details_cannot_fit_has_none() {
    let config = Config::builder()
        .reporting(Reporting::Off)
        .service("s".repeat(MAX_STATUS_BYTES), "1.0.0")
        .build();
    let status = config.scope(|| Status::from(AccountError::UnknownUser { id: 7 }));
    assert_eq!(
        (status.code(), status.message(), status.details()),
        (Code::NotFound, "no user with id 7", &b""[..])
    );
}

#[test]
fn problem_details_give_the_same_status() {
    let config = Config::builder()
        .reporting(Reporting::Off)
        .problem_json(ProblemJson::Always)
        .build();
    let limited = AccountError::RateLimited {
        retry_after: 30,
        limit: 10,
    };
    let status = config.scope(|| Status::from(limited));
    assert_eq!(
        decoded(&status),
        r#"ResourceExhausted "slow down" reason=RATE_LIMITED domain= metadata=[error_id=<id> limit=10 status=429] localized=None retry=Some(30s) help=None headers=["retry-after: 30"]"#
    );
}

#[test]
fn a_status_without_error_info_is_a_bad_gateway() {
    let remote = RemoteError::from(Status::new(Code::Unavailable, "overloaded"));
    assert_eq!(
        (remote.code(), remote.status().as_u16()),
        ("BAD_GATEWAY", 502)
    );
    let not_an_error = remote.body().unwrap_err();
    assert_eq!(not_an_error.status, 503);
    assert_eq!(not_an_error.start, "Unavailable: overloaded");
}

#[test]
fn received_data_comes_back_as_strings_in_key_order() {
    let mut metadata = HashMap::new();
    metadata.insert("limit".to_owned(), "10".to_owned());
    metadata.insert("error_id".to_owned(), "id-1".to_owned());
    metadata.insert("status".to_owned(), "429".to_owned());
    metadata.insert("attempts".to_owned(), "3".to_owned());
    // A key of the body's own is not taken from the metadata.
    metadata.insert("error".to_owned(), "FORGED".to_owned());
    let details = tonic_types::ErrorDetails::with_error_info("RATE_LIMITED", "users", metadata);
    let status = Status::with_error_details(Code::ResourceExhausted, "slow down", details);

    let remote = RemoteError::from(status);
    assert_eq!(
        serde_json::to_string(remote.body().unwrap()).unwrap(),
        r#"{"error":"RATE_LIMITED","error_description":"slow down","status":429,"attempts":"3","limit":"10","error_id":"id-1"}"#
    );
    assert_eq!(
        (remote.code(), remote.status().as_u16()),
        ("RATE_LIMITED", 429)
    );
}

#[test]
fn every_error_type_converts_outside_a_server() {
    let status = Status::from(AccountError::UnknownUser { id: 1 });
    assert_eq!(status.code(), Code::NotFound);
    let status = Status::from(UserExists::default());
    assert_eq!(status.code(), Code::AlreadyExists);
    let status = Status::from(AccountLocked::default());
    assert_eq!(
        (status.code(), status.message()),
        (Code::FailedPrecondition, "Locked")
    );
    // An error's own headers travel as metadata, but none that gRPC
    // reserves or would read as binary.
    let unavailable = macaron_core::abort(http::StatusCode::SERVICE_UNAVAILABLE)
        .with_header("x-shard", "7")
        .with_header("grpc-status", "0")
        .with_header("x-trace-bin", "not base64");
    let status = Status::from(unavailable);
    assert_eq!(
        (status.code(), status.message()),
        (Code::Unavailable, "Service Unavailable")
    );
    let headers = status.metadata().clone().into_headers();
    assert_eq!(format!("{headers:?}"), r#"{"x-shard": "7"}"#);
    let status = Status::from(Error::from(std::io::Error::other("password=hunter2")));
    assert_eq!(
        (status.code(), status.message()),
        (Code::Internal, "The server encountered an internal error")
    );
}
