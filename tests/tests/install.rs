//! A configuration installed for the whole process. Alone in its test
//! binary: it changes process-wide state.

use macaron_core::{report_error, Config};
use macaron_tests::Capture;

#[test]
fn installed_configuration_is_current_outside_scopes() {
    let installed = Capture::default();
    let scoped = Capture::default();
    assert_eq!(Config::current().report_call_exceeding_ms(), 1000);
    installed
        .config()
        .report_call_exceeding_ms(1234)
        .build()
        .install();
    report_error("to the installed one", None);
    let scoped_config = scoped.config().report_call_exceeding_ms(5).build();
    scoped_config.scope(|| {
        report_error("to the scoped one", None);
        assert_eq!(Config::current().report_call_exceeding_ms(), 5);
        // A scope is this thread's: another thread sees the installed one.
        let elsewhere = std::thread::spawn(|| Config::current().report_call_exceeding_ms());
        assert_eq!(elsewhere.join().unwrap(), 1234);
    });
    assert_eq!(Config::current().report_call_exceeding_ms(), 1234);
    assert_eq!(
        installed.titles(),
        ["NON-FATAL BACKEND ERROR: to the installed one"]
    );
    assert_eq!(
        scoped.titles(),
        ["NON-FATAL BACKEND ERROR: to the scoped one"]
    );
}
