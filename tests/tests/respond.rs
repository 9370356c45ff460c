//! The serving path writes each body once: the error writes its own when
//! no policy shapes it, the body as a value is written when one does, and
//! both give the same bytes.

use http::StatusCode;
use macaron_core::{
    abort, ApiError, Config, ConfigBuilder, CrashReport, Error, Reporter, Reporting,
    TRUNCATION_MARK,
};

#[derive(Debug, ApiError)]
#[error(
    "no user named {name}",
    status = 404,
    user_message = "{name} is unknown"
)]
struct UnknownUser {
    #[data]
    name: String,
    #[header("x-user-id")]
    id: u32,
}

#[derive(Debug, ApiError)]
#[error("the ledger is locked", code = "LEDGER_LOCKED", status = 503)]
struct LedgerLocked;

macaron_core::define_errors! {
    PaymentRequired("Payment required", status = 402, user_message = "Please top up");
}

fn errors() -> Vec<Error> {
    vec![
        Error::from(UnknownUser {
            name: "élodie".repeat(5),
            id: 7,
        }),
        Error::from(LedgerLocked),
        Error::from(PaymentRequired::default()),
        Error::from(PaymentRequired::new("card declined").with_data("balance", -3)),
        Error::new(abort(StatusCode::CONFLICT).with_message("taken")),
        Error::msg("password=hunter2"),
    ]
}

fn quiet() -> ConfigBuilder {
    Config::builder().reporting(Reporting::Off)
}

/// The response's status, headers and body as text.
fn served(config: &Config, error: &Error) -> (u16, Vec<(String, String)>, String) {
    let response = config.respond(error, None);
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    let body = String::from_utf8(response.body().to_vec()).unwrap();
    (response.status().as_u16(), headers, body)
}

#[test]
fn a_decorator_that_changes_nothing_changes_no_byte() {
    for limit in [usize::MAX, 12, 0] {
        let plain = quiet().max_text_bytes(limit).build();
        let decorated = quiet()
            .max_text_bytes(limit)
            .decorator(|_, _, _| {})
            .build();
        for error in errors() {
            let error = error.with_error_id("fixed-id");
            assert_eq!(
                served(&plain, &error),
                served(&decorated, &error),
                "{error:?} at limit {limit}"
            );
        }
    }
}

#[test]
fn the_error_id_is_the_last_key_and_texts_are_cut_in_the_same_pass() {
    // The limit falls inside an `é` in both texts (`é` is two bytes).
    let config = quiet().max_text_bytes(15).build();
    let name = "élodie".repeat(5);
    let error = Error::from(UnknownUser {
        name: name.clone(),
        id: 7,
    })
    .with_error_id("fixed-id");
    let (status, headers, body) = served(&config, &error);
    assert_eq!(status, 404);
    assert_eq!(
        headers,
        [
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-user-id".to_owned(), "7".to_owned()),
        ]
    );
    assert_eq!(
        body,
        format!(
            r#"{{"error":"UNKNOWN_USER","error_description":"no user named {TRUNCATION_MARK}","user_message":"élodieélodie{TRUNCATION_MARK}","status":404,"name":"élodieélodie{TRUNCATION_MARK}","error_id":"fixed-id"}}"#
        )
    );
}

/// A reporter that gives every report an id for the body, as Sentry's does.
struct Quoting;

impl Reporter for Quoting {
    fn report(&self, _: &CrashReport) -> Result<(), macaron_core::BoxError> {
        Ok(())
    }

    fn body_key(&self) -> Option<&'static str> {
        Some("report_id")
    }

    fn report_and_identify(
        &self,
        _: &CrashReport,
    ) -> Result<Option<String>, macaron_core::BoxError> {
        Ok(Some("r-1".into()))
    }

    fn is_non_blocking(&self) -> bool {
        true
    }
}

#[test]
fn the_reporters_id_is_written_with_the_body_not_after_it() {
    let config = Config::builder()
        .reporting(Reporting::On)
        .reporter(Quoting)
        .build();
    let error = Error::from(LedgerLocked).with_error_id("fixed-id");
    let (status, _, body) = served(&config, &error);
    assert_eq!(status, 503);
    assert_eq!(
        body,
        r#"{"error":"LEDGER_LOCKED","error_description":"the ledger is locked","status":503,"report_id":"r-1","error_id":"fixed-id"}"#
    );
    // A client error sends no report, so no id.
    let error = Error::from(PaymentRequired::default()).with_error_id("fixed-id");
    assert_eq!(
        served(&config, &error).2,
        r#"{"error":"PAYMENT_REQUIRED","error_description":"Payment required","user_message":"Please top up","status":402,"error_id":"fixed-id"}"#
    );
}
