//! `#[derive(ApiError)]`: every attribute form, with exact bodies.

use macaron_core::{ApiError, ErrorBody};
use macaron_tests::{assert_response, assert_same_as_serde};
use std::error::Error as _;

#[derive(Debug, ApiError)]
#[error(
    "DB entry not found",
    code = "INVALID_USER",
    status = 401,
    user_message = "Sorry, we don't know you"
)]
struct InvalidUser;

#[test]
fn unit_struct_with_every_key() {
    assert_response(
        &InvalidUser,
        401,
        &[],
        r#"{"error":"INVALID_USER","error_description":"DB entry not found","user_message":"Sorry, we don't know you","status":401}"#,
    );
    assert_eq!(InvalidUser.to_string(), "DB entry not found");
    assert_eq!(InvalidUser.code(), "INVALID_USER");
    assert_eq!(InvalidUser.error_description(), "DB entry not found");
    assert_eq!(
        InvalidUser.user_message().as_deref(),
        Some("Sorry, we don't know you")
    );
}

#[derive(Debug, ApiError)]
enum Described {
    #[error("first", status = 400)]
    First,
    #[error(status = 404)]
    PageMissing,
    #[error(status = 499)]
    ClientClosed,
    #[error(status = 599)]
    NetworkTimeout,
}

#[test]
fn no_description_gives_the_reason_phrase_and_no_code_gives_the_name() {
    assert_response(
        &Described::PageMissing,
        404,
        &[],
        r#"{"error":"PAGE_MISSING","error_description":"Not Found","status":404}"#,
    );
    assert_eq!(Described::PageMissing.to_string(), "Not Found");
    assert_eq!(Described::PageMissing.user_message(), None);
    assert_eq!(Described::First.to_string(), "first");
}

#[test]
fn statuses_without_a_reason_phrase() {
    assert_response(
        &Described::ClientClosed,
        499,
        &[],
        r#"{"error":"CLIENT_CLOSED","error_description":"Client Error","status":499}"#,
    );
    assert_response(
        &Described::NetworkTimeout,
        599,
        &[],
        r#"{"error":"NETWORK_TIMEOUT","error_description":"Server Error","status":599}"#,
    );
}

/// A type with no description anywhere keeps the `Display` written by hand,
/// as in thiserror: its text is the description.
#[derive(Debug, ApiError)]
#[error(status = 503, code = "MAINTENANCE")]
struct Maintenance {
    until: &'static str,
}

impl std::fmt::Display for Maintenance {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "down for maintenance until {}", self.until)
    }
}

#[test]
fn display_written_by_hand() {
    let error = Maintenance { until: "noon" };
    assert_eq!(error.to_string(), "down for maintenance until noon");
    assert_response(
        &error,
        503,
        &[],
        r#"{"error":"MAINTENANCE","error_description":"down for maintenance until noon","status":503}"#,
    );
    assert_eq!(Maintenance::catalog()[0].description, "Service Unavailable");
}

#[derive(Debug, ApiError)]
#[error(
    "quota of {0} exceeded by {1:.1}%",
    status = 429,
    user_message = "You used {1:.0}% too much"
)]
struct Quota(u32, f64);

#[test]
fn tuple_struct_interpolates_positions_and_specs() {
    let error = Quota(100, 12.345);
    assert_eq!(error.to_string(), "quota of 100 exceeded by 12.3%");
    assert_response(
        &error,
        429,
        &[],
        r#"{"error":"QUOTA","error_description":"quota of 100 exceeded by 12.3%","user_message":"You used 12% too much","status":429}"#,
    );
}

#[derive(Debug, ApiError)]
#[error("user {name:?} has {count:>4} items {{braces}}", status = 409)]
struct Named {
    name: String,
    count: usize,
}

#[test]
fn named_struct_with_debug_width_and_literal_braces() {
    let error = Named {
        name: "a\"b".into(),
        count: 7,
    };
    assert_eq!(error.to_string(), r#"user "a\"b" has    7 items {braces}"#);
    assert_response(
        &error,
        409,
        &[],
        r#"{"error":"NAMED","error_description":"user \"a\\\"b\" has    7 items {braces}","status":409}"#,
    );
}

#[derive(Debug, ApiError)]
#[error("static text {{ }}", status = 400)]
struct StaticBraces;

#[test]
fn escaped_braces_without_fields_are_static() {
    assert_eq!(StaticBraces.to_string(), "static text { }");
    assert_response(
        &StaticBraces,
        400,
        &[],
        r#"{"error":"STATIC_BRACES","error_description":"static text { }","status":400}"#,
    );
}

#[derive(Debug, ApiError)]
#[error(
    "line\nbreak \"quoted\" \\ tab\t bell\u{7} \u{2028} é 🎉",
    status = 400,
    user_message = "ünïcödé"
)]
struct Escapes;

#[test]
fn static_texts_are_escaped_like_serde_json() {
    assert_response(
        &Escapes,
        400,
        &[],
        "{\"error\":\"ESCAPES\",\"error_description\":\"line\\nbreak \\\"quoted\\\" \\\\ tab\\t bell\\u0007 \u{2028} é 🎉\",\"user_message\":\"ünïcödé\",\"status\":400}",
    );
}

#[derive(Debug, ApiError)]
pub enum AuthError {
    #[error("token expired", status = 401, user_message = "Please log in again")]
    TokenExpired,
    #[error("bad scope {scope}", code = "FORBIDDEN_SCOPE", status = 403)]
    Scope {
        scope: String,
        #[header("www-authenticate")]
        challenge: String,
        #[data("required_scope")]
        required: &'static str,
    },
}

#[derive(Debug, ApiError)]
pub enum AccountError {
    /// The login is unknown.
    #[error("no user with id {id}", status = 401)]
    UnknownUser { id: u64 },
    #[error(
        "slow down",
        code = "RATE_LIMITED",
        status = 429,
        user_message = "Try again in {retry_after} s"
    )]
    RateLimited {
        #[header("Retry-After")]
        retry_after: u32,
        #[data]
        limit: u32,
        #[data]
        bucket: Vec<&'static str>,
    },
    #[error("database failure", status = 500)]
    Db(#[from] std::io::Error),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("upstream {service} failed", status = 502)]
    Upstream {
        service: &'static str,
        source: std::fmt::Error,
    },
    #[error("conversion failed", status = 500)]
    Boxed(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("maybe caused", status = 500)]
    Maybe { source: Option<std::io::Error> },
}

#[test]
fn enum_variant_with_interpolated_description() {
    let error = AccountError::UnknownUser { id: 42 };
    assert_eq!(error.to_string(), "no user with id 42");
    assert_response(
        &error,
        401,
        &[],
        r#"{"error":"UNKNOWN_USER","error_description":"no user with id 42","status":401}"#,
    );
}

#[test]
fn headers_and_data_sorted_by_key() {
    let error = AccountError::RateLimited {
        retry_after: 30,
        limit: 10,
        bucket: vec!["login", "ip"],
    };
    assert_response(
        &error,
        429,
        &[("retry-after", "30")],
        r#"{"error":"RATE_LIMITED","error_description":"slow down","user_message":"Try again in 30 s","status":429,"bucket":["login","ip"],"limit":10}"#,
    );
    let body = error.to_body();
    assert_eq!(body.extra["limit"], 10);
}

#[test]
fn from_and_source() {
    let error: AccountError = std::io::Error::other("disk full").into();
    assert_response(
        &error,
        500,
        &[],
        r#"{"error":"DB","error_description":"database failure","status":500}"#,
    );
    assert_eq!(error.source().unwrap().to_string(), "disk full");
}

#[test]
fn field_named_source_is_the_source() {
    let error = AccountError::Upstream {
        service: "billing",
        source: std::fmt::Error,
    };
    assert_eq!(
        error.source().unwrap().to_string(),
        "an error occurred when formatting an argument"
    );
    assert_response(
        &error,
        502,
        &[],
        r#"{"error":"UPSTREAM","error_description":"upstream billing failed","status":502}"#,
    );
}

#[test]
fn boxed_dyn_source() {
    let error = AccountError::Boxed("not a number".into());
    assert_eq!(error.source().unwrap().to_string(), "not a number");
    assert_eq!(error.code(), "BOXED");
}

#[test]
fn optional_source() {
    let with = AccountError::Maybe {
        source: Some(std::io::Error::other("cause")),
    };
    assert_eq!(with.source().unwrap().to_string(), "cause");
    assert!(AccountError::Maybe { source: None }.source().is_none());
}

#[test]
fn transparent_forwards_everything() {
    let error = AccountError::from(AuthError::Scope {
        scope: "admin".into(),
        challenge: "Bearer realm=\"api\"".into(),
        required: "admin:write",
    });
    assert_eq!(error.to_string(), "bad scope admin");
    assert_eq!(error.code(), "FORBIDDEN_SCOPE");
    assert_eq!(error.status(), 403);
    assert_response(
        &error,
        403,
        &[("www-authenticate", "Bearer realm=\"api\"")],
        r#"{"error":"FORBIDDEN_SCOPE","error_description":"bad scope admin","status":403,"required_scope":"admin:write"}"#,
    );
    let error = AccountError::from(AuthError::TokenExpired);
    assert_eq!(error.user_message().as_deref(), Some("Please log in again"));
    assert_response(
        &error,
        401,
        &[],
        r#"{"error":"TOKEN_EXPIRED","error_description":"token expired","user_message":"Please log in again","status":401}"#,
    );
    assert!(error.source().is_none());
}

#[derive(Debug, ApiError)]
#[error(transparent)]
struct Wrapper(#[from] InvalidUser);

#[derive(Debug, ApiError)]
#[error(transparent)]
struct NamedWrapper {
    inner: AccountError,
}

#[test]
fn transparent_structs() {
    assert_response(
        &Wrapper::from(InvalidUser),
        401,
        &[],
        r#"{"error":"INVALID_USER","error_description":"DB entry not found","user_message":"Sorry, we don't know you","status":401}"#,
    );
    let error = NamedWrapper {
        inner: AccountError::UnknownUser { id: 1 },
    };
    assert_eq!(error.to_string(), "no user with id 1");
    assert_same_as_serde(&error);
}

#[test]
fn catalog_lists_every_declared_error_and_wrapped_ones() {
    let catalog = AccountError::catalog();
    let entries: Vec<(&str, Option<&str>, &str, u16)> = catalog
        .iter()
        .map(|info| {
            (
                info.type_name,
                info.variant,
                info.code,
                info.status.as_u16(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("AccountError", Some("UnknownUser"), "UNKNOWN_USER", 401),
            ("AccountError", Some("RateLimited"), "RATE_LIMITED", 429),
            ("AccountError", Some("Db"), "DB", 500),
            ("AccountError", Some("Upstream"), "UPSTREAM", 502),
            ("AccountError", Some("Boxed"), "BOXED", 500),
            ("AccountError", Some("Maybe"), "MAYBE", 500),
            ("AuthError", Some("TokenExpired"), "TOKEN_EXPIRED", 401),
            ("AuthError", Some("Scope"), "FORBIDDEN_SCOPE", 403),
        ]
    );
    let unknown = catalog[0];
    assert_eq!(unknown.doc, "The login is unknown.");
    assert_eq!(unknown.description, "no user with id {id}");
    let limited = catalog[1];
    assert_eq!(limited.user_message, Some("Try again in {retry_after} s"));
    assert_eq!(limited.headers, ["retry-after"]);
    assert_eq!(limited.data, ["bucket", "limit"]);
    assert_eq!(catalog[7].data, ["required_scope"]);
    assert_eq!(Described::catalog()[1].description, "Not Found");
    assert_eq!(Described::catalog()[1].variant, Some("PageMissing"));
    assert_eq!(InvalidUser::catalog()[0].variant, None);
}

#[derive(Debug, ApiError)]
#[error("f32 {value}", status = 400)]
struct FloatData {
    #[data]
    value: f32,
    #[data]
    missing: Option<u8>,
    #[data]
    nan: f64,
}

#[test]
fn data_renders_as_serde_json_value_does() {
    let error = FloatData {
        value: 0.1,
        missing: None,
        nan: f64::NAN,
    };
    assert_response(
        &error,
        400,
        &[],
        r#"{"error":"FLOAT_DATA","error_description":"f32 0.1","status":400,"missing":null,"nan":null,"value":0.10000000149011612}"#,
    );
}

#[derive(Debug, serde::Serialize)]
struct Field {
    name: &'static str,
    reason: &'static str,
}

#[derive(Debug)]
struct Failing;

impl serde::Serialize for Failing {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot serialize"))
    }
}

#[derive(Debug, ApiError)]
#[error("invalid input", code = "INVALID_PARAMETER", status = 422)]
struct Invalid {
    #[data]
    fields: Vec<Field>,
    #[data]
    broken: Failing,
}

#[test]
fn structured_data_and_data_that_fails_to_serialize() {
    let error = Invalid {
        fields: vec![Field {
            name: "email",
            reason: "not an address",
        }],
        broken: Failing,
    };
    assert_response(
        &error,
        422,
        &[],
        r#"{"error":"INVALID_PARAMETER","error_description":"invalid input","status":422,"fields":[{"name":"email","reason":"not an address"}]}"#,
    );
}

#[derive(Debug, ApiError)]
#[error("retry later", status = 503)]
struct Unavailable {
    #[header("retry-after")]
    retry_after: String,
    #[header("x-trace")]
    trace: u32,
}

#[test]
fn invalid_header_values_are_dropped_and_the_response_still_sent() {
    let error = Unavailable {
        retry_after: "10\r\nset-cookie: stolen=1".into(),
        trace: 5,
    };
    assert_response(
        &error,
        503,
        &[("x-trace", "5")],
        r#"{"error":"UNAVAILABLE","error_description":"retry later","status":503}"#,
    );
}

#[test]
fn interpolated_text_is_escaped() {
    let error = AccountError::from(AuthError::Scope {
        scope: "\"}\n\u{0}\u{2029}<script>".into(),
        challenge: "Bearer".into(),
        required: "x",
    });
    assert_response(
        &error,
        403,
        &[("www-authenticate", "Bearer")],
        "{\"error\":\"FORBIDDEN_SCOPE\",\"error_description\":\"bad scope \\\"}\\n\\u0000\u{2029}<script>\",\"status\":403,\"required_scope\":\"x\"}",
    );
}

#[test]
fn to_body_fields() {
    let body = AccountError::RateLimited {
        retry_after: 5,
        limit: 3,
        bucket: vec![],
    }
    .to_body();
    let mut expected = ErrorBody::new("RATE_LIMITED", "slow down", 429);
    expected.user_message = Some("Try again in 5 s".into());
    expected
        .extra
        .insert("bucket".into(), serde_json::json!([]));
    expected.extra.insert("limit".into(), serde_json::json!(3));
    assert_eq!(body, expected);
}

#[derive(Debug, ApiError)]
enum Never {}

#[test]
fn empty_enum_has_an_empty_catalog() {
    assert!(Never::catalog().is_empty());
}

#[test]
fn errors_are_usable_as_dyn_api_error() {
    let errors: Vec<Box<dyn ApiError>> = vec![
        Box::new(InvalidUser),
        Box::new(AccountError::UnknownUser { id: 3 }),
    ];
    let codes: Vec<&str> = errors.iter().map(|error| error.code()).collect();
    assert_eq!(codes, ["INVALID_USER", "UNKNOWN_USER"]);
    assert_same_as_serde(&*errors[1]);
}
