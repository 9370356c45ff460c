//! Bad data at run time: header values that would split a response, texts
//! an attacker makes huge, extra data that tries to replace the model's
//! keys, and bodies a client cannot trust.

use http::StatusCode;
use macaron_core::{
    abort, ApiError, Config, Error, DEFAULT_MAX_TEXT_BYTES, RESERVED_KEYS, TRUNCATION_MARK,
};
use macaron_tests::{body_of, Capture};
use proptest::prelude::*;

// The fuzz target's check, so that both runs check the same.
#[path = "../../fuzz/src/client_body_check.rs"]
mod client_body_check;

#[derive(Debug, ApiError)]
#[error("retry later", status = 503)]
struct Unavailable {
    #[header("retry-after")]
    retry_after: String,
}

#[derive(Debug, ApiError)]
#[error(
    "no user named {name}",
    status = 404,
    user_message = "{name} is unknown"
)]
struct UnknownUser {
    name: String,
}

const INJECTION: &str = "10\r\nset-cookie: stolen=1";

#[test]
fn invalid_header_values_are_dropped_reported_and_never_split_the_response() {
    let capture = Capture::default();
    let config = capture.config().build();
    let (derived, aborted) = config.scope(|| {
        let derived = Unavailable {
            retry_after: INJECTION.into(),
        }
        .to_response();
        let aborted = abort(StatusCode::TOO_MANY_REQUESTS)
            .with_header("retry-after", INJECTION)
            .with_header("bad name\n", "1")
            .to_response();
        (derived, aborted)
    });
    for response in [&derived, &aborted] {
        let names: Vec<&str> = response
            .headers()
            .keys()
            .map(|name| name.as_str())
            .collect();
        assert_eq!(names, ["content-type"]);
    }
    assert_eq!(derived.status(), 503);
    assert_eq!(aborted.status(), 429);
    assert_eq!(
        capture.titles(),
        [
            "NON-FATAL BACKEND ERROR: invalid value for response header `retry-after` dropped",
            "NON-FATAL BACKEND ERROR: invalid value for response header `retry-after` dropped",
            "NON-FATAL BACKEND ERROR: invalid value for response header `<invalid name>` dropped",
        ]
    );
}

#[test]
fn long_texts_are_cut_at_the_limit_and_marked_in_responses_and_reports() {
    let capture = Capture::default();
    let config = capture.config().report_client_errors(true).build();
    // 3-byte characters: the limit falls inside one in the user message,
    // and between two in the description (after its 14 ASCII bytes).
    let name = "€".repeat(DEFAULT_MAX_TEXT_BYTES);
    let error = Error::new(UnknownUser { name: name.clone() });
    let body = body_of(&config.respond(&error, None));

    let description = format!("no user named {name}");
    let expected = |text: &str| {
        let mut end = DEFAULT_MAX_TEXT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{TRUNCATION_MARK}", &text[..end])
    };
    assert_eq!(body.error_description, expected(&description));
    assert_eq!(
        body.user_message.as_deref(),
        Some(expected(&format!("{name} is unknown")).as_str())
    );

    let reports = capture.reports();
    let reported = reports[0].error.as_ref().expect("the error");
    assert_eq!(reported.description, expected(&description));
    assert_eq!(reported.user_message, body.user_message);
}

#[test]
fn texts_at_the_limit_are_kept_whole_and_the_limit_is_configurable() {
    let config = Config::builder().max_text_bytes(13).build();
    let served = |message: &str| {
        body_of(&config.respond(
            &Error::new(abort(StatusCode::BAD_REQUEST).with_message(message.to_owned())),
            None,
        ))
        .error_description
    };
    assert_eq!(served("thirteen byte"), "thirteen byte");
    assert_eq!(
        served("fourteen bytes"),
        format!("fourteen byte{TRUNCATION_MARK}")
    );
    // The limit falls inside the seventh `é`: it is left out whole.
    assert_eq!(served("ééééééé"), format!("éééééé{TRUNCATION_MARK}"));
}

#[test]
fn extra_data_never_takes_a_key_macaron_writes() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = config.scope(|| {
        let mut error = abort(StatusCode::CONFLICT).with_message("taken");
        for key in RESERVED_KEYS {
            error = error.with_data(key, "forged");
        }
        Error::new(error.with_data("seat", 12)).with_error_id("id-1")
    });
    let expected = r#"{"error":"CONFLICT","error_description":"taken","status":409,"seat":12,"error_id":"id-1"}"#;
    assert_eq!(config.respond(&error, None).body(), expected);
    let left_out: Vec<String> = RESERVED_KEYS
        .iter()
        .map(|key| {
            format!("NON-FATAL BACKEND ERROR: extra data `{key}` left out: macaron writes that key of the body itself")
        })
        .collect();
    assert_eq!(capture.titles(), left_out);

    // Problem details and debug mode write theirs, not the forged ones.
    let problem = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .problem_json(macaron_core::ProblemJson::Always)
        .build();
    assert_eq!(
        problem.respond(&error, None).body(),
        r#"{"type":"about:blank","title":"Conflict","status":409,"detail":"taken","code":"CONFLICT","seat":12,"error_id":"id-1"}"#
    );
    let debug = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .debug(true)
        .build();
    let body = body_of(&debug.respond(&error, None));
    assert_eq!(
        body.extra["__debug__"]["name"],
        "macaron_core::http_errors::HttpError"
    );
}

/// A hand-written `write_data` that tries the reserved keys.
#[derive(Debug)]
struct Forger;

impl std::fmt::Display for Forger {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("forger")
    }
}

impl std::error::Error for Forger {}

impl ApiError for Forger {
    fn code(&self) -> &str {
        "FORGER"
    }

    fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    fn write_data(&self, data: &mut serde_json::Map<String, serde_json::Value>) {
        data.insert("sentry_id".into(), "forged".into());
        data.insert("seat".into(), 12.into());
    }
}

#[test]
fn hand_written_write_data_cannot_take_them_either() {
    let capture = Capture::default();
    let response = capture.config().build().scope(|| Forger.to_response());
    assert_eq!(
        response.body(),
        r#"{"error":"FORGER","error_description":"forger","status":400,"seat":12}"#
    );
    assert_eq!(
        capture.titles(),
        ["NON-FATAL BACKEND ERROR: extra data `sentry_id` left out: macaron writes that key of the body itself"]
    );
}

/// The derive refuses `#[data]` under the same keys: its list, which it
/// cannot import, is this one.
#[test]
fn the_derive_reserves_the_same_keys() {
    let source = include_str!("../../macaron-derive/src/valid/fields.rs");
    let start = source.find("RESERVED_KEYS: &[&str] = &[").unwrap();
    let list = &source[start..start + source[start..].find("];").unwrap()];
    let keys: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
    assert_eq!(keys, RESERVED_KEYS);
}

/// Bodies a client might receive: anything at all, JSON of any shape, and
/// near-misses of the model.
fn untrusted_body() -> impl Strategy<Value = Vec<u8>> {
    let json_value = any::<u8>().prop_map(|seed| {
        [
            "null",
            "{}",
            "[]",
            r#"{"error":1}"#,
            r#"{"error":"X","status":"400"}"#,
            r#"{"error":"X","status":99999999999999999999}"#,
            r#"{"error":"X","status":-1,"error_description":null}"#,
            r#"{"error":"X","status":400,"user_message":{"a":[1,2]}}"#,
            r#"{"error":"X","status":400,"error_id":7,"extra":"\ud800"}"#,
            r#"{"error":"\u0000","status":400,"error_description":"\u2028"}"#,
        ][usize::from(seed) % 10]
            .as_bytes()
            .to_vec()
    });
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        json_value.clone(),
        // A valid body cut or corrupted at a random place.
        (json_value, any::<usize>(), any::<u8>()).prop_map(|(mut bytes, at, byte)| {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = byte;
                bytes.truncate(at + 1);
            }
            bytes
        }),
        "\\PC{0,64}".prop_map(String::into_bytes),
        // Deep nesting, which a recursive parser must refuse, not overflow on.
        (1usize..100_000).prop_map(|depth| "[".repeat(depth).into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// The bounded equivalent of the `cargo fuzz` target `client_body`:
    /// no byte string panics the client-side parsing.
    #[test]
    fn client_parsing_never_panics(status in 0u16..1000, body in untrusted_body()) {
        client_body_check::check_client_body(status, &body);
    }
}

/// An error whose `source()` is itself.
#[derive(Debug)]
struct Cyclic;

impl std::fmt::Display for Cyclic {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("round and round")
    }
}

impl std::error::Error for Cyclic {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self)
    }
}

#[test]
fn a_cyclic_chain_of_sources_is_walked_32_links_at_most_and_said_cut() {
    let capture = Capture::default();
    let config = capture.config().build();
    let error = Error::from(Cyclic);
    let mut chain = vec!["round and round".to_owned(); 32];
    chain.push("[cut after 32 links: the chain of sources goes on, or is a cycle]".to_owned());
    assert_eq!(error.chain(), chain);
    let response = config.respond(&error, None);
    assert_eq!(response.status(), 500);
    let reports = capture.reports();
    assert_eq!(reports[0].error.as_ref().unwrap().chain, chain);
}

/// An error whose every text comes from outside: a field for a header, one
/// for data.
#[derive(Debug, ApiError)]
#[error("rejected", status = 422)]
struct Rejected {
    #[header("x-reason")]
    reason: String,
    #[data]
    input: Vec<String>,
}

macaron_core::define_errors! {
    Refused(status = 409);
}

/// Every text that reaches a body, a header or a report is cut at the
/// limit (16 bytes here), not only descriptions and user messages: codes,
/// extra data (values, nested, and keys), header values (left out, since
/// a cut header value means something else), and the report's chain,
/// context, path, query and header values.
#[test]
fn every_text_is_bounded() {
    let capture = Capture::default();
    let config = capture
        .config()
        .max_text_bytes(16)
        .report_client_errors(true)
        .build();
    let long = "x".repeat(1 << 20);
    let cut = format!("xxxxxxxxxxxxxxxx{TRUNCATION_MARK}");
    let mut request_headers = http::HeaderMap::new();
    request_headers.insert("x-long", long.parse().unwrap());
    let request = macaron_core::RequestInfo::new(
        http::Method::GET,
        // `http` takes URIs of less than 64 KiB.
        format!("/{0}?q={0}", &long[..30_000]).parse().unwrap(),
        request_headers,
    );
    let served = |error: Error| {
        let response = config.scope(|| config.respond(&error.with_error_id("id"), Some(&request)));
        let headers: Vec<_> = response
            .headers()
            .keys()
            .map(|name| name.to_string())
            .collect();
        (
            headers,
            String::from_utf8(response.body().to_vec()).unwrap(),
        )
    };

    let http_error = config.scope(|| {
        abort(StatusCode::BAD_REQUEST)
            .with_code(long.clone())
            .with_data("value", &long)
            .with_data(
                "nested",
                serde_json::json!({ "list": [&long], long.clone(): 1 }),
            )
            .with_header("x-long", long.as_str())
    });
    assert_eq!(
        served(Error::new(http_error)),
        (
            vec!["content-type".to_owned(), "vary".to_owned()],
            format!(
                r#"{{"error":"{cut}","error_description":"Bad Request","status":400,"nested":{{"list":["{cut}"],"{cut}":1}},"value":"{cut}","error_id":"id"}}"#
            )
        )
    );
    let rejected = Rejected {
        reason: long.clone(),
        input: vec![long.clone()],
    };
    assert_eq!(
        served(Error::from(rejected)),
        (
            vec!["content-type".to_owned(), "vary".to_owned()],
            format!(
                r#"{{"error":"REJECTED","error_description":"rejected","status":422,"input":["{cut}"],"error_id":"id"}}"#
            )
        )
    );
    let refused = config.scope(|| Refused::default().with_data("value", &long));
    assert_eq!(
        served(Error::from(refused)).1,
        format!(
            r#"{{"error":"REFUSED","error_description":"Conflict","status":409,"value":"{cut}","error_id":"id"}}"#
        )
    );

    // Two header values left out, each reported with its length.
    let dropped = capture
        .titles()
        .into_iter()
        .filter(|title| title.contains("over the limit"))
        .collect::<Vec<_>>();
    let title = |name: &str| {
        format!("NON-FATAL BACKEND ERROR: response header `{name}` dropped: its value of 1048576 bytes is over the limit on texts")
    };
    assert_eq!(dropped, [title("x-long"), title("x-reason")]);

    // A foreign error with a long text and context, served for the request.
    let foreign = Error::from(std::io::Error::other(long.clone())).with_context(long.clone());
    served(foreign);
    let report = capture.reports().pop().unwrap();
    let error = report.error.unwrap();
    assert_eq!(
        (error.description, error.chain, error.context),
        (cut.clone(), vec![cut.clone()], vec![cut.clone()])
    );
    let request = report.request.unwrap();
    assert_eq!(
        (request.path, request.query, request.headers),
        (
            format!("/xxxxxxxxxxxxxxx{TRUNCATION_MARK}"),
            Some(format!("q=xxxxxxxxxxxxxx{TRUNCATION_MARK}")),
            vec![("x-long".to_owned(), cut.clone())]
        )
    );
    assert_eq!(
        report.title,
        // The code too is cut at 16 bytes.
        format!("FATAL BACKEND ERROR 500 UNHANDLED_SERVER{TRUNCATION_MARK}: {cut}")
    );
}

/// Over axum on loopback: forged keys left out and long texts cut, as the
/// service sends them.
#[tokio::test]
async fn over_axum_forged_keys_and_long_texts_never_reach_the_client() {
    async fn handler() -> Result<(), Error> {
        let long = "x".repeat(1 << 20);
        Err(abort(StatusCode::CONFLICT)
            .with_message("taken")
            .with_data("__debug__", "forged")
            .with_data("sentry_id", "forged")
            .with_data("seat", &long)
            .with_header("x-long", long.as_str()))?
    }
    let config = Config::builder()
        .reporting(macaron_core::Reporting::Off)
        .max_text_bytes(16)
        .build();
    let app = axum::Router::new()
        .route("/", axum::routing::get(handler))
        .layer(macaron_core::MacaronLayer::new(config));
    let address = macaron_tests::serve_axum(app).await;
    let response = reqwest::get(format!("http://{address}/")).await.unwrap();
    assert!(response.headers().get("x-long").is_none());
    let body = response.text().await.unwrap();
    let body = &body[..body.find(r#","error_id":""#).unwrap()];
    assert_eq!(
        body,
        format!(
            r#"{{"error":"CONFLICT","error_description":"taken","status":409,"seat":"xxxxxxxxxxxxxxxx{TRUNCATION_MARK}""#
        )
    );
}
