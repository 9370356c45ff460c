//! Reports of one failure during an outage, grouped: the first of a window
//! goes out at once, the others are counted and go out as one summary when
//! the window closes. Ten thousand identical 500s make two reports, not ten
//! thousand mails.

use super::time::rfc3339;
use super::CrashReport;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many failures are grouped at once. Failures are few (a code, a
/// route, a place); past this, a report goes out ungrouped.
const MAX_GROUPS: usize = 1024;

/// What makes two reports the same failure.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FailureKey {
    is_fatal: bool,
    /// The error's code and status, or, for a report of no error (a slow
    /// call, a reporter's own fault), its title.
    what: String,
    route: Option<String>,
    /// A panic's location, else the error's type.
    place: String,
}

impl FailureKey {
    fn of(report: &CrashReport) -> Self {
        let (what, place) = match &report.error {
            Some(error) => (
                format!("{} {}", error.status, error.code),
                error
                    .location
                    .clone()
                    .unwrap_or_else(|| error.type_name.clone()),
            ),
            None => (report.title.clone(), String::new()),
        };
        FailureKey {
            is_fatal: report.is_fatal,
            what,
            route: report
                .request
                .as_ref()
                .and_then(|request| request.route.clone()),
            place,
        }
    }
}

/// One failure's window.
struct Group {
    opened: Instant,
    /// When its first report was made.
    since: std::time::SystemTime,
    /// Reports counted since the first, and the last of them.
    more: u64,
    last: Option<CrashReport>,
}

impl Group {
    /// The summary of the reports counted, if any: the last one, titled
    /// `N more since <time>: <its title>`.
    fn summary(self) -> Option<CrashReport> {
        let mut last = self.last?;
        last.title = format!(
            "{} more since {}: {}",
            self.more,
            rfc3339(self.since),
            last.title
        );
        last.start = self.since;
        Some(last)
    }
}

/// A report that goes out now, after the summary of its failure's last
/// window, if that window closed with reports counted and no summary yet.
pub(crate) type Admitted = (CrashReport, Option<CrashReport>);

/// The open windows of a configuration's failures.
pub(crate) struct ReportGroups {
    window: Duration,
    groups: Mutex<HashMap<FailureKey, Group>>,
    /// Reports counted into a summary, ever.
    counted: AtomicU64,
    /// Whether a thread closes windows as they end.
    pub(crate) closing: AtomicBool,
}

impl ReportGroups {
    pub(crate) fn new(window: Duration) -> Self {
        ReportGroups {
            window,
            groups: Mutex::new(HashMap::new()),
            counted: AtomicU64::new(0),
            closing: AtomicBool::new(false),
        }
    }

    /// How many reports were counted into summaries instead of going out.
    pub(crate) fn counted(&self) -> u64 {
        self.counted.load(Ordering::Relaxed)
    }

    /// Sends `report` on, or counts it into its failure's open window
    /// (`None`).
    pub(crate) fn admit(&self, report: CrashReport, now: Instant) -> Option<Admitted> {
        let key = FailureKey::of(&report);
        let mut groups = self
            .groups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(group) = groups.get_mut(&key) {
            if now.duration_since(group.opened) < self.window {
                group.more += 1;
                group.last = Some(report);
                self.counted.fetch_add(1, Ordering::Relaxed);
                return None;
            }
        }
        if groups.len() >= MAX_GROUPS && !groups.contains_key(&key) {
            return Some((report, None));
        }
        let group = Group {
            opened: now,
            since: report.start,
            more: 0,
            last: None,
        };
        let closed = groups.insert(key, group).and_then(Group::summary);
        Some((report, closed))
    }

    /// Closes the windows that have ended by `now`: the summaries of those
    /// that counted reports, and when the next window ends, if one is open
    /// with reports counted.
    pub(crate) fn close_ended(&self, now: Instant) -> (Vec<CrashReport>, Option<Instant>) {
        let mut groups = self
            .groups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ended: Vec<FailureKey> = groups
            .iter()
            .filter(|(_, group)| now.duration_since(group.opened) >= self.window)
            .map(|(key, _)| key.clone())
            .collect();
        let summaries = ended
            .iter()
            .filter_map(|key| groups.remove(key)?.summary())
            .collect();
        (summaries, self.next_end_of(&groups))
    }

    /// When the next window with reports counted ends, if one is open.
    pub(crate) fn next_end(&self) -> Option<Instant> {
        let groups = self
            .groups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.next_end_of(&groups)
    }

    fn next_end_of(&self, groups: &HashMap<FailureKey, Group>) -> Option<Instant> {
        groups
            .values()
            .filter(|group| group.more > 0)
            .map(|group| group.opened + self.window)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::{Admitted, ReportGroups};
    use crate::report::{CrashReport, ReportedError, ReportedRequest, ServerInfo};
    use std::time::{Duration, Instant, SystemTime};

    fn report(code: &str, route: &str, location: Option<&str>) -> CrashReport {
        CrashReport {
            title: format!("FATAL BACKEND ERROR 500 {code}: boom"),
            is_fatal: true,
            error_id: None,
            start: SystemTime::UNIX_EPOCH,
            end: SystemTime::UNIX_EPOCH,
            error: Some(ReportedError {
                code: code.into(),
                status: 500,
                description: "boom".into(),
                user_message: None,
                type_name: "Boom".into(),
                chain: Vec::new(),
                context: Vec::new(),
                location: location.map(str::to_owned),
                backtrace: None,
            }),
            caught: None,
            request: Some(ReportedRequest {
                method: "GET".into(),
                path: "/".into(),
                query: None,
                route: Some(route.into()),
                headers: Vec::new(),
            }),
            call_id: None,
            trace_id: None,
            server: ServerInfo {
                hostname: String::new(),
                pid: 0,
                service: None,
                version: None,
            },
        }
    }

    fn sent(admitted: Option<Admitted>) -> (bool, Option<String>) {
        match admitted {
            Some((_, summary)) => (true, summary.map(|summary| summary.title)),
            None => (false, None),
        }
    }

    #[test]
    fn the_first_of_a_window_goes_out_the_rest_are_summarized() {
        let groups = ReportGroups::new(Duration::from_secs(60));
        let start = Instant::now();
        let at = |seconds| start + Duration::from_secs(seconds);
        let boom = || report("BOOM", "/a", None);
        assert_eq!(sent(groups.admit(boom(), at(0))), (true, None));
        for second in 1..=3 {
            assert_eq!(sent(groups.admit(boom(), at(second))), (false, None));
        }
        // Another code, route or place is another failure.
        assert_eq!(
            sent(groups.admit(report("OTHER", "/a", None), at(4))),
            (true, None)
        );
        assert_eq!(
            sent(groups.admit(report("BOOM", "/b", None), at(4))),
            (true, None)
        );
        assert_eq!(
            sent(groups.admit(report("BOOM", "/a", Some("src/a.rs:1:1")), at(4))),
            (true, None)
        );
        assert_eq!(groups.counted(), 3);

        let (summaries, next) = groups.close_ended(at(59));
        assert!(summaries.is_empty());
        assert_eq!(next, Some(at(60)));
        let (summaries, next) = groups.close_ended(at(60));
        let titles: Vec<_> = summaries.into_iter().map(|summary| summary.title).collect();
        assert_eq!(
            titles,
            ["3 more since 1970-01-01T00:00:00.000000Z: FATAL BACKEND ERROR 500 BOOM: boom"]
        );
        assert_eq!(next, None);
        // A new window.
        assert_eq!(sent(groups.admit(boom(), at(61))), (true, None));
    }

    #[test]
    fn a_window_ended_but_not_yet_closed_is_summarized_by_the_next_report() {
        let groups = ReportGroups::new(Duration::from_secs(60));
        let start = Instant::now();
        let boom = || report("BOOM", "/a", None);
        groups.admit(boom(), start);
        groups.admit(boom(), start);
        let (sent_now, summary) = sent(groups.admit(boom(), start + Duration::from_secs(61)));
        assert!(sent_now);
        assert_eq!(
            summary.as_deref(),
            Some("1 more since 1970-01-01T00:00:00.000000Z: FATAL BACKEND ERROR 500 BOOM: boom")
        );
    }
}
