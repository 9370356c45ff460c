//! `MACARON_NO_ERROR_REPORTING` switches reporting off unless forced on.
//! Alone in its test binary: it sets a process-wide environment variable.

use macaron_core::{Config, Error, Reporting, NO_ERROR_REPORTING};
use macaron_tests::Capture;

#[test]
fn the_environment_switch_and_forcing_reports_on() {
    std::env::set_var(NO_ERROR_REPORTING, "1");
    let capture = Capture::default();
    let auto = Config::builder().reporter(capture.clone()).build();
    auto.respond(&Error::msg("quiet"), None);
    assert!(capture.reports().is_empty());

    let forced = Config::builder()
        .reporter(capture.clone())
        .reporting(Reporting::On)
        .build();
    forced.respond(&Error::msg("loud"), None);
    assert_eq!(
        capture.titles(),
        ["FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: loud"]
    );

    std::env::remove_var(NO_ERROR_REPORTING);
    let auto = Config::builder().reporter(capture.clone()).build();
    auto.respond(&Error::msg("back on"), None);
    assert_eq!(capture.reports().len(), 2);
}
