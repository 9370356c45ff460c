//! What `#[derive(ApiError)]` takes of thiserror's grammar, form by form:
//! the exact `Display` text and the exact response of each.

use macaron_core::{ApiError, Error};
use macaron_tests::{assert_response, Capture};
use std::backtrace::Backtrace;
use std::error::Error as _;
use std::path::{Path, PathBuf};

#[derive(Debug, ApiError)]
#[error(status = 400)]
enum Arguments {
    /// A positional argument with field shorthand.
    #[error("{} items", .0.len())]
    Count(Vec<u8>),
    /// A field, and an expression of it.
    #[error("{limit:?} of {}", .limit * 2, code = "OVER_LIMIT")]
    Limit { limit: u32 },
    /// A named argument, beside the keys.
    #[error("user {thing}", thing = .name.to_uppercase(), status = 404, user_message = "no {name}")]
    Named { name: String },
    /// A call.
    #[error("!bool = {}", not(.0))]
    Call(bool),
}

fn not(value: &bool) -> bool {
    !*value
}

#[test]
fn extra_format_arguments() {
    let error = Arguments::Count(vec![1, 2, 3]);
    assert_eq!(error.to_string(), "3 items");
    assert_response(
        &error,
        400,
        &[],
        r#"{"error":"COUNT","error_description":"3 items","status":400}"#,
    );
    let error = Arguments::Limit { limit: 21 };
    assert_eq!(error.to_string(), "21 of 42");
    assert_response(
        &error,
        400,
        &[],
        r#"{"error":"OVER_LIMIT","error_description":"21 of 42","status":400}"#,
    );
    let error = Arguments::Named { name: "ada".into() };
    assert_eq!(error.to_string(), "user ADA");
    assert_response(
        &error,
        404,
        &[],
        r#"{"error":"NAMED","error_description":"user ADA","user_message":"no ada","status":404}"#,
    );
    assert_eq!(Arguments::Call(true).to_string(), "!bool = false");
    assert_eq!(Arguments::catalog()[1].description, "{limit:?} of {}");
}

const MSG: &str = "failed to do";

#[derive(Debug, ApiError)]
#[error("{MSG}: {id:?} ({self:?})", status = 500)]
struct Scoped {
    id: u8,
}

#[test]
fn constants_and_self() {
    let error = Scoped { id: 7 };
    assert_eq!(error.to_string(), "failed to do: 7 (Scoped { id: 7 })");
    assert_response(
        &error,
        500,
        &[],
        r#"{"error":"SCOPED","error_description":"failed to do: 7 (Scoped { id: 7 })","status":500}"#,
    );
}

macro_rules! declare {
    ($variant:ident($value:ty)) => {
        #[derive(Debug, ApiError)]
        enum FromMacro {
            #[error("value {0:?}", status = 422, user_message = "{0} is wrong")]
            $variant($value),
        }
    };
}

declare!(Invalid(u8));

#[test]
fn positional_fields_inside_macro_rules() {
    let error = FromMacro::Invalid(9);
    assert_eq!(error.to_string(), "value 9");
    assert_response(
        &error,
        422,
        &[],
        r#"{"error":"INVALID","error_description":"value 9","user_message":"9 is wrong","status":422}"#,
    );
}

#[derive(Debug, ApiError)]
#[error("{field:p}", status = 500)]
struct Pointer {
    field: Box<i32>,
}

#[test]
fn pointer_of_the_field_value() {
    let error = Pointer {
        field: Box::new(-1),
    };
    assert_eq!(error.to_string(), format!("{:p}", error.field));
}

#[derive(Debug, ApiError)]
#[error("reserved {fn}", status = 409)]
struct Raw {
    r#fn: &'static str,
    #[data]
    r#match: &'static str,
}

#[test]
fn raw_identifiers() {
    let error = Raw {
        r#fn: "main",
        r#match: "function",
    };
    assert_eq!(error.to_string(), "reserved main");
    assert_response(
        &error,
        409,
        &[],
        r#"{"error":"RAW","error_description":"reserved main","status":409,"match":"function"}"#,
    );
}

fn pair(key: &str, value: &u32, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(formatter, "{key}={value}")
}

#[derive(Debug, ApiError)]
#[error(fmt = pair, status = 400)]
struct Formatted {
    key: &'static str,
    #[data]
    value: u32,
}

#[test]
fn fmt_function() {
    let error = Formatted {
        key: "depth",
        value: 3,
    };
    assert_eq!(error.to_string(), "depth=3");
    assert_response(
        &error,
        400,
        &[],
        r#"{"error":"FORMATTED","error_description":"depth=3","status":400,"value":3}"#,
    );
}

/// The enum's `#[error(...)]` is every variant's default, key by key.
#[derive(Debug, ApiError)]
#[error(
    "storage failed: {0}",
    code = "STORAGE",
    status = 503,
    user_message = "Try again"
)]
enum Storage {
    Disk(&'static str),
    Network(&'static str),
    #[error("full", status = 507, code = "STORAGE_FULL")]
    Full,
    #[error(user_message = "Ask an admin")]
    Locked(&'static str),
}

#[test]
fn inherited_attributes() {
    assert_eq!(Storage::Disk("sda").to_string(), "storage failed: sda");
    assert_response(
        &Storage::Disk("sda"),
        503,
        &[],
        r#"{"error":"STORAGE","error_description":"storage failed: sda","user_message":"Try again","status":503}"#,
    );
    assert_response(
        &Storage::Network("eth0"),
        503,
        &[],
        r#"{"error":"STORAGE","error_description":"storage failed: eth0","user_message":"Try again","status":503}"#,
    );
    assert_response(
        &Storage::Full,
        507,
        &[],
        r#"{"error":"STORAGE_FULL","error_description":"full","user_message":"Try again","status":507}"#,
    );
    assert_response(
        &Storage::Locked("db"),
        503,
        &[],
        r#"{"error":"STORAGE","error_description":"storage failed: db","user_message":"Ask an admin","status":503}"#,
    );
    let codes: Vec<(&str, Option<&str>)> = Storage::catalog()
        .iter()
        .map(|info| (info.code, info.variant))
        .collect();
    assert_eq!(
        codes,
        [
            ("STORAGE", Some("Disk")),
            ("STORAGE", Some("Network")),
            ("STORAGE_FULL", Some("Full")),
            ("STORAGE", Some("Locked")),
        ]
    );
}

#[derive(Debug, ApiError)]
#[error(status = 404)]
enum Files {
    #[error("cannot read {0}")]
    Read(PathBuf),
    #[error("cannot open {path} ({path:?})")]
    Open { path: Box<Path> },
}

#[test]
fn paths_display_as_display_does() {
    let error = Files::Read(PathBuf::from("/etc/app.toml"));
    assert_eq!(error.to_string(), "cannot read /etc/app.toml");
    assert_response(
        &error,
        404,
        &[],
        r#"{"error":"READ","error_description":"cannot read /etc/app.toml","status":404}"#,
    );
    let error = Files::Open {
        path: Path::new("a b").into(),
    };
    assert_eq!(error.to_string(), r#"cannot open a b ("a b")"#);
}

#[derive(Debug, ApiError)]
#[error(status = 500)]
enum Sources {
    #[error("optional")]
    Optional(#[from] Option<std::fmt::Error>),
    #[error("with a backtrace")]
    Traced {
        #[from]
        source: std::num::ParseIntError,
        backtrace: Backtrace,
    },
    #[error("marked")]
    Marked {
        #[backtrace]
        trace: Option<Backtrace>,
    },
    #[error("anyhow")]
    Anyhow(#[source] anyhow::Error),
    #[error("boxed")]
    Boxed(#[from] Box<dyn std::error::Error + Send + Sync>),
    #[error("boxed, maybe")]
    MaybeBoxed {
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

#[test]
fn from_an_option_and_with_a_backtrace() {
    let error = Sources::from(std::fmt::Error);
    assert!(matches!(error, Sources::Optional(Some(_))));
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("an error occurred when formatting an argument")
    );
    let error = Sources::from("x".parse::<u8>().unwrap_err());
    let Sources::Traced { backtrace, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(std::ptr::eq(
        ApiError::backtrace(&error).unwrap(),
        backtrace
    ));
    let error = Sources::Marked { trace: None };
    assert!(ApiError::backtrace(&error).is_none());
}

#[test]
fn sources_that_deref_to_an_error() {
    let error = Sources::Anyhow(anyhow::anyhow!("inner").context("outer"));
    assert_eq!(error.source().unwrap().to_string(), "outer");
    assert_eq!(
        error.source().unwrap().source().unwrap().to_string(),
        "inner"
    );
    let error = Sources::from(Box::<dyn std::error::Error + Send + Sync>::from(
        "boxed cause",
    ));
    assert_eq!(error.source().unwrap().to_string(), "boxed cause");
    let error = Sources::MaybeBoxed {
        source: Some("maybe".into()),
    };
    assert_eq!(error.source().unwrap().to_string(), "maybe");
    assert!(Sources::MaybeBoxed { source: None }.source().is_none());
}

/// A backtrace field is the one crash reports carry.
#[test]
fn a_backtrace_field_goes_to_the_crash_report() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Sources::Marked {
        trace: Some(Backtrace::force_capture()),
    };
    let expected = ApiError::backtrace(&error).unwrap().to_string();
    let error = Error::from(error);
    assert!(std::ptr::eq(
        error.backtrace(),
        error.as_api_error().unwrap().backtrace().unwrap()
    ));
    config.respond(&error, None);
    let reports = capture.reports();
    let report = reports[0].to_json();
    // The field's backtrace, from this test's own frame (std's frames of
    // the capture left out).
    let reported = report["error"]["backtrace"].as_str().unwrap();
    assert!(expected.ends_with(reported), "{reported}");
    let first_frame = reported.lines().next().unwrap();
    assert!(
        first_frame.ends_with("a_backtrace_field_goes_to_the_crash_report"),
        "{first_frame}"
    );
    assert_eq!(report["error"]["code"], "MARKED");
}

#[derive(Debug, ApiError)]
#[error(status = 500)]
enum AppError {
    #[error(transparent)]
    Other(#[from] anyhow::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Boxed(Box<Scoped>),
}

const UNHANDLED: &str = r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;

#[test]
fn transparent_over_foreign_errors() {
    let error = AppError::from(anyhow::anyhow!("password=hunter2").context("loading"));
    assert_eq!(error.to_string(), "loading");
    assert_eq!(error.source().unwrap().to_string(), "password=hunter2");
    assert_eq!(error.code(), "UNHANDLED_SERVER_ERROR");
    assert_response(&error, 500, &[], UNHANDLED);

    let error = AppError::from(std::io::Error::other("disk on fire"));
    assert_eq!(error.to_string(), "disk on fire");
    assert_response(&error, 500, &[], UNHANDLED);
    let error = AppError::Boxed(Box::new(Scoped { id: 1 }));
    assert_eq!(error.code(), "SCOPED");
    let catalog: Vec<&str> = AppError::catalog().iter().map(|info| info.code).collect();
    assert_eq!(catalog, ["SCOPED"]);
}

/// The text of a foreign error goes to the crash report, never to the
/// client.
#[test]
fn a_transparent_foreign_error_is_reported_with_its_text() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Error::from(AppError::from(std::io::Error::other("disk on fire")));
    let response = config.respond(&error, None);
    assert_eq!(response.status(), 500);
    assert!(!String::from_utf8_lossy(response.body()).contains("disk"));
    let report = capture.reports()[0].to_json();
    assert_eq!(
        report["error"]["chain"],
        serde_json::json!(["disk on fire"])
    );
    assert_eq!(report["error"]["code"], "UNHANDLED_SERVER_ERROR");
}

/// Not `Debug`: `Display` and `From` need nothing of it.
pub struct Plain;

impl std::fmt::Display for Plain {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("plain")
    }
}

#[derive(ApiError)]
#[error("bad message: {0}", status = 400)]
struct Generic<M>(M);

impl<M> std::fmt::Debug for Generic<M> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Generic")
    }
}

#[derive(Debug, ApiError)]
#[error(status = 500)]
enum Wrapper<E> {
    #[error(transparent)]
    Inner(E),
    #[error("from {0}")]
    Io(#[from] std::io::Error),
}

#[test]
fn each_impl_bounded_by_what_it_uses() {
    assert_eq!(Generic(Plain).to_string(), "bad message: plain");
    assert_response(
        &Generic(Plain),
        400,
        &[],
        r#"{"error":"GENERIC","error_description":"bad message: plain","status":400}"#,
    );
    // `Display` and `From` of a wrapper over what is no `ApiError`.
    let error: Wrapper<std::fmt::Error> = Wrapper::from(std::io::Error::other("x"));
    assert_eq!(error.to_string(), "from x");
    assert_eq!(
        Wrapper::<std::fmt::Error>::Inner(std::fmt::Error).to_string(),
        "an error occurred when formatting an argument"
    );
    assert_eq!(Wrapper::Inner(Scoped { id: 2 }).code(), "SCOPED");
}

/// A batch endpoint's answer: a result per item.
#[derive(serde::Serialize)]
struct Batch {
    results: Vec<Result<u32, Error>>,
}

macaron_core::define_errors! {
    pub QuotaExceeded("quota exceeded", status = 429);
}

#[test]
fn errors_serialize_as_their_bodies() {
    let declared = Arguments::Named { name: "ada".into() };
    let defined = QuotaExceeded::default().with_data("limit", 10);
    let unhandled = Error::msg("secret");
    for (json, response) in [
        (serde_json::to_vec(&declared), declared.to_response()),
        (serde_json::to_vec(&defined), defined.to_response()),
        (serde_json::to_vec(&unhandled), unhandled.to_response()),
        (
            serde_json::to_vec(&AppError::Io(std::io::Error::other("x"))),
            AppError::Io(std::io::Error::other("x")).to_response(),
        ),
    ] {
        assert_eq!(json.unwrap(), response.body().as_ref());
    }
    let batch = Batch {
        results: vec![
            Ok(1),
            Err(declared.into()),
            Err(defined.into()),
            Err(unhandled),
        ],
    };
    assert_eq!(
        serde_json::to_string(&batch).unwrap(),
        r#"{"results":[{"Ok":1},{"Err":{"error":"NAMED","error_description":"user ADA","user_message":"no ada","status":404}},{"Err":{"error":"QUOTA_EXCEEDED","error_description":"quota exceeded","status":429,"limit":10}},{"Err":{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}}]}"#
    );
}

/// A type that serializes itself its own way opts out.
#[derive(Debug, ApiError, serde::Serialize)]
#[api_error(serialize = false)]
#[error("conflict on {key}", status = 409)]
struct OwnSerialize {
    key: String,
}

#[test]
fn serialize_opt_out() {
    let error = OwnSerialize { key: "k".into() };
    assert_eq!(serde_json::to_string(&error).unwrap(), r#"{"key":"k"}"#);
    assert_eq!(
        error.to_response().body(),
        r#"{"error":"OWN_SERIALIZE","error_description":"conflict on k","status":409}"#
    );
}

/// An unsized type is an `ApiError` by reference: `RefCast` makes one.
#[derive(Debug, ApiError, ref_cast::RefCast)]
#[repr(transparent)]
#[error("{}", .tail, status = 400)]
struct Unsized {
    tail: str,
}

#[test]
fn unsized_types_render() {
    use ref_cast::RefCast as _;
    let error = Unsized::ref_cast("tail text");
    assert_eq!(error.to_string(), "tail text");
    assert_response(
        error,
        400,
        &[],
        r#"{"error":"UNSIZED","error_description":"tail text","status":400}"#,
    );
}
