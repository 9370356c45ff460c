//! Faults around an error: a reporter that blocks, and a flood of reports
//! while it does. Reporters that fail, panic, and decorators that panic or
//! set a wrong status are in `runtime.rs`.
//!
//! No test here times anything: a response that waited for a blocked
//! reporter would find it finished, which the assertions see, and each wait
//! that runs out logs one warning, which they count.

use macaron_core::{Config, CrashReport, Error, Reporting, REPORT_QUEUE_CAPACITY};
use macaron_tests::body_of;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A reporter that says when it starts on a report, then blocks until
/// released (or a minute passes), then keeps the report's title.
struct Blocked {
    delivered: Arc<Mutex<Vec<String>>>,
    started: mpsc::Receiver<()>,
    release: mpsc::Sender<()>,
}

fn blocked_reporter(timeout: Duration) -> (Config, Blocked) {
    let delivered = Arc::new(Mutex::new(Vec::new()));
    let (started_sender, started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let (started_sender, released) = (Mutex::new(started_sender), Mutex::new(released));
    let sink = delivered.clone();
    let config = Config::builder()
        .reporting(Reporting::On)
        .report_timeout(timeout)
        // Every report on its own: these tests are of the queue.
        .group_reports(None)
        .reporter(move |report: &CrashReport| {
            let _ = started_sender.lock().unwrap().send(());
            let _ = released
                .lock()
                .unwrap()
                .recv_timeout(Duration::from_secs(60));
            sink.lock().unwrap().push(report.title.clone());
            Ok(())
        })
        .build();
    let blocked = Blocked {
        delivered,
        started,
        release,
    };
    (config, blocked)
}

/// How many waits for the reporter ran out while `f` ran on this thread.
fn timed_out_waits(f: impl FnOnce()) -> usize {
    macaron_tests::tracing_capture::events_of(f)
        .iter()
        .filter(|(level, target, _)| *level == tracing::Level::WARN && target == "macaron")
        .count()
}

fn boom(index: usize) -> Error {
    Error::msg(format!("boom {index}"))
}

#[test]
fn a_blocked_reporter_holds_no_response_and_a_flood_is_bounded_and_counted() {
    let (config, blocked) = blocked_reporter(Duration::from_millis(20));
    // The first response waits for its report at most the timeout.
    let mut first = None;
    let warnings = timed_out_waits(|| first = Some(config.respond(&boom(0), None)));
    assert_eq!(warnings, 1);
    let first = first.unwrap();
    assert_eq!(first.status(), 500);
    assert_eq!(body_of(&first).error, "UNHANDLED_SERVER_ERROR");
    blocked.started.recv().unwrap();
    assert!(blocked.delivered.lock().unwrap().is_empty());

    // While the reporter lags, nothing waits for it: fatal reports,
    // non-fatal ones, and slow-call reports. A wait would run out and warn.
    // Three reports a round: a fatal one, a non-fatal one, a slow call.
    let rounds = 10;
    let warnings = timed_out_waits(|| {
        for index in 1..=rounds {
            assert_eq!(config.respond(&boom(index), None).status(), 500);
            config.report_error("retrying", None);
            let timer = config.time_call("fetch_profile()", Some(0));
            std::thread::sleep(Duration::from_millis(1));
            timer.finish();
        }
    });
    assert_eq!(warnings, 0);
    assert!(blocked.delivered.lock().unwrap().is_empty());
    assert_eq!(config.dropped_reports(), 0);

    // A flood: the queue keeps REPORT_QUEUE_CAPACITY reports, the rest are
    // dropped and counted. Report 0 is with the reporter, not in the queue.
    let queued = 3 * rounds;
    let flood = REPORT_QUEUE_CAPACITY + 100;
    for index in 0..flood {
        config.respond(&boom(100 + index), None);
    }
    let dropped = queued + flood - REPORT_QUEUE_CAPACITY;
    assert_eq!(config.dropped_reports(), dropped as u64);
    assert!(blocked.delivered.lock().unwrap().is_empty());

    // Released, the reporter delivers everything queued, in order.
    drop(blocked.release);
    let expected = 1 + REPORT_QUEUE_CAPACITY;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while blocked.delivered.lock().unwrap().len() < expected && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let delivered = blocked.delivered.lock().unwrap();
    assert_eq!(delivered.len(), expected);
    assert_eq!(
        delivered[..4],
        [
            "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom 0",
            "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom 1",
            "NON-FATAL BACKEND ERROR: retrying",
            "NON-FATAL BACKEND ERROR: fetch_profile() calltime exceeded 0 millisec!",
        ]
    );
    assert_eq!(
        delivered.last().unwrap(),
        &format!(
            "FATAL BACKEND ERROR 500 UNHANDLED_SERVER_ERROR: boom {}",
            100 + REPORT_QUEUE_CAPACITY - queued - 1
        )
    );
}

#[test]
fn with_a_zero_timeout_no_response_waits_even_for_a_free_reporter() {
    let (config, blocked) = blocked_reporter(Duration::ZERO);
    assert_eq!(config.respond(&boom(0), None).status(), 500);
    blocked.started.recv().unwrap();
    assert_eq!(config.respond(&boom(1), None).status(), 500);
    assert!(blocked.delivered.lock().unwrap().is_empty());
    drop(blocked.release);
}

#[test]
fn a_reporter_that_keeps_within_the_timeout_is_waited_for() {
    let delivered = Arc::new(Mutex::new(Vec::new()));
    let sink = delivered.clone();
    let config = Config::builder()
        .reporting(Reporting::On)
        .reporter(move |report: &CrashReport| {
            sink.lock().unwrap().push(report.title.clone());
            Ok(())
        })
        .group_reports(None)
        .build();
    for index in 0..3 {
        config.respond(&boom(index), None);
        // Delivered before the response was returned.
        assert_eq!(delivered.lock().unwrap().len(), index + 1);
    }
}

/// A reporter that is slow but not stuck (it takes each report in turn,
/// within the timeout) delays only the response that found it idle: the
/// responses whose reports queue behind another's do not wait for it.
/// Before, each waited for every report ahead of its own, so that a
/// 100 ms reporter held each of a burst's 5xx about 400 ms.
#[test]
fn responses_behind_a_busy_reporter_do_not_wait() {
    let (config, blocked) = blocked_reporter(Duration::from_secs(60));
    let first = {
        let config = config.clone();
        std::thread::spawn(move || config.respond(&boom(0), None).status())
    };
    // The reporter holds the first report; its response waits.
    blocked.started.recv().unwrap();
    let (done, finished) = mpsc::channel();
    let burst = {
        let config = config.clone();
        std::thread::spawn(move || {
            let waits = timed_out_waits(|| {
                for index in 1..=20 {
                    assert_eq!(config.respond(&boom(index), None).status(), 500);
                }
            });
            done.send(waits).unwrap();
        })
    };
    // A guard, not a timing: the burst returns at once, or after twenty
    // timeouts of a minute.
    let waits = finished
        .recv_timeout(Duration::from_secs(50))
        .expect("the burst waited for the reporter");
    burst.join().unwrap();
    assert_eq!(waits, 0);
    assert!(blocked.delivered.lock().unwrap().is_empty());
    drop(blocked.release);
    assert_eq!(first.join().unwrap(), 500);
}
