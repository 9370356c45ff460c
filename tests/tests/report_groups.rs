//! During an outage the same failure makes one report and one summary, not
//! one report per request (PyMacaron's `error_reporter` sent a mail for
//! each): the first report of a failure goes out at once, the others within
//! the window are counted and go out as one summary when it closes.

use macaron_core::{Config, Error, MacaronLayer, Reporting};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A mail: a report's title, and its panic location.
type Mail = (String, Option<String>);

/// A PyMacaron-style callback that keeps the mail.
#[derive(Clone, Default)]
struct Mailbox(Arc<Mutex<Vec<Mail>>>);

impl Mailbox {
    fn config(&self, window: Duration) -> macaron_core::ConfigBuilder {
        let mailbox = self.0.clone();
        Config::builder()
            .reporting(Reporting::On)
            .error_reporter(move |title, report| {
                let report: serde_json::Value = serde_json::from_str(report).unwrap();
                let location = report["error"]["location"].as_str().map(str::to_owned);
                mailbox.lock().unwrap().push((title.to_owned(), location));
            })
            .group_reports(Some(window))
    }

    /// The mail once `count` have come: a guard of a minute, not a timing.
    fn when(&self, count: usize) -> Vec<Mail> {
        for _ in 0..6000 {
            let mail = self.0.lock().unwrap().clone();
            if mail.len() >= count {
                return mail;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("{count} mails never came: {:?}", self.0.lock().unwrap());
    }
}

/// The summary title, with its time left out.
fn without_time(title: &str) -> String {
    match title.split_once(" more since ") {
        Some((count, rest)) => {
            let (_, title) = rest.split_once(": ").unwrap();
            format!("{count} more since <time>: {title}")
        }
        None => title.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_over_axum_makes_one_report_and_one_summary_per_failure() {
    async fn database() -> Result<(), Error> {
        Err(std::io::Error::other("the database is down"))?
    }
    async fn bug() -> &'static str {
        panic!("index out of range")
    }
    let mailbox = Mailbox::default();
    let config = mailbox.config(Duration::from_millis(500)).build();
    let app = axum::Router::new()
        .route("/users", axum::routing::get(database))
        .route("/orders", axum::routing::get(database))
        .route("/bug", axum::routing::get(bug))
        .layer(MacaronLayer::new(config.clone()));
    let address = macaron_tests::serve_axum(app).await;
    let client = reqwest::Client::new();
    for (path, times) in [("users", 50), ("orders", 5), ("bug", 50)] {
        let requests = (0..times).map(|_| client.get(format!("http://{address}/{path}")).send());
        for response in futures_util::future::join_all(requests).await {
            assert_eq!(response.unwrap().status(), 500);
        }
    }
    // Reports counted are accounted for: 49 + 4 + 49.
    assert_eq!(config.grouped_reports(), 102);
    let mail = mailbox.when(6);
    // The panics' reports carry where it panicked: this file.
    let location = mail
        .iter()
        .find_map(|(_, location)| location.clone())
        .unwrap();
    assert!(
        location.starts_with("tests/tests/report_groups.rs:"),
        "{location}"
    );
    let database_down = "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: the database is down";
    let panicked = format!(
        "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: panicked at {location}: index out of range"
    );
    let mut titles: Vec<String> = mail.iter().map(|(title, _)| without_time(title)).collect();
    let mut expected = vec![
        format!("49 more since <time>: {database_down}"),
        format!("49 more since <time>: {panicked}"),
        format!("4 more since <time>: {database_down}"),
        database_down.to_owned(),
        database_down.to_owned(),
        panicked.clone(),
    ];
    expected.sort();
    titles.sort();
    assert_eq!(titles, expected);
}

#[test]
fn tracing_events_stay_one_per_failure() {
    let mailbox = Mailbox::default();
    let config = mailbox.config(Duration::from_secs(60)).build();
    let events = macaron_tests::tracing_capture::events_of(|| {
        for _ in 0..10 {
            config.respond(&Error::msg("the database is down"), None);
        }
    });
    let errors = events
        .iter()
        .filter(|(level, target, _)| *level == tracing::Level::ERROR && target == "macaron")
        .count();
    assert_eq!(errors, 10);
    assert_eq!(mailbox.when(1).len(), 1);
    assert_eq!(config.grouped_reports(), 9);
}

#[test]
fn the_default_tracing_reporter_groups_nothing_and_callbacks_group() {
    let tracing = Config::builder().reporting(Reporting::On).build();
    let callback = Config::builder()
        .reporting(Reporting::On)
        .error_reporter(|_, _| {})
        .build();
    for _ in 0..3 {
        tracing.respond(&Error::msg("down"), None);
        callback.respond(&Error::msg("down"), None);
    }
    assert_eq!(tracing.grouped_reports(), 0);
    assert_eq!(callback.grouped_reports(), 2);
}
