//! Getting reports to their reporter: on the request's thread for a
//! reporter that returns at once, else through a bounded queue to a thread
//! of its own; a failing or panicking reporter is counted, never passed on.

use super::{CrashReport, Reporter};
use crate::BoxError;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

/// Hands reports to a background thread through a bounded queue, so that
/// a slow reporter never delays a response. When the queue is full the
/// report is dropped and counted ([`dropped`](Self::dropped)): requests
/// never wait.
///
/// ```
/// use macaron_core::{CrashReport, NonBlocking};
///
/// let reporter = NonBlocking::new(|report: &CrashReport| {
///     // Send it to a slow service...
///     Ok(())
/// }, 1024);
/// let config = macaron_core::Config::builder().reporter(reporter.clone()).build();
/// assert_eq!(reporter.dropped(), 0);
/// ```
#[derive(Clone)]
pub struct NonBlocking {
    queue: ReportQueue,
    /// The reporter's own [`Reporter::reads_backtraces`].
    reads_backtraces: bool,
}

impl NonBlocking {
    /// Starts the thread that drains a queue of `capacity` reports into
    /// `reporter`. The thread ends when every clone of this value is gone.
    pub fn new(reporter: impl Reporter, capacity: usize) -> Self {
        NonBlocking {
            reads_backtraces: reporter.reads_backtraces(),
            queue: ReportQueue::start(Arc::new(reporter), capacity),
        }
    }

    /// How many reports were dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.queue.dropped()
    }
}

impl Reporter for NonBlocking {
    fn report(&self, report: &CrashReport) -> Result<(), BoxError> {
        self.queue.push(report.clone())
    }

    fn is_non_blocking(&self) -> bool {
        true
    }

    fn reads_backtraces(&self) -> bool {
        self.reads_backtraces
    }
}

/// A thread that runs a reporter, and the bounded queue of reports to it.
#[derive(Clone)]
pub(crate) struct ReportQueue {
    sender: SyncSender<QueuedReport>,
    dropped: Arc<AtomicU64>,
    /// Set when a wait for the thread ran out, cleared when it has
    /// delivered: while it lags behind, reports are queued without waiting,
    /// so that a stuck reporter costs one request one wait, not every
    /// request.
    lagging: Arc<AtomicBool>,
    /// Reports queued or being delivered. A response waits for its report
    /// only when there are none: behind others, a slow reporter would make
    /// each response wait for every report ahead of its own.
    pending: Arc<AtomicUsize>,
}

struct QueuedReport {
    report: CrashReport,
    /// Where the id the reporter gave the report goes, when someone waits.
    reply: Option<SyncSender<Option<String>>>,
}

impl ReportQueue {
    /// Starts the thread that drains a queue of `capacity` reports into
    /// `reporter`; it ends when every clone of the queue is gone.
    pub(crate) fn start(reporter: Arc<dyn Reporter>, capacity: usize) -> Self {
        let (sender, receiver) = mpsc::sync_channel::<QueuedReport>(capacity);
        let lagging = Arc::new(AtomicBool::new(false));
        let pending = Arc::new(AtomicUsize::new(0));
        let (lagging_thread, pending_thread) = (lagging.clone(), pending.clone());
        let spawned = std::thread::Builder::new()
            .name("macaron-reporter".into())
            .spawn(move || {
                for queued in receiver {
                    let id = deliver(&*reporter, &queued.report);
                    // Uncounted before the answer, so that the response
                    // that waited for it finds the reporter idle again.
                    pending_thread.fetch_sub(1, Ordering::AcqRel);
                    lagging_thread.store(false, Ordering::Relaxed);
                    if let Some(reply) = queued.reply {
                        let _ = reply.try_send(id);
                    }
                }
            });
        if let Err(error) = spawned {
            crate::log::error(format_args!("cannot start the reporter thread: {error}"));
        }
        ReportQueue {
            sender,
            dropped: Arc::new(AtomicU64::new(0)),
            lagging,
            pending,
        }
    }

    /// How many reports were dropped because the queue was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Queues the report, or drops and counts it when the queue is full.
    fn push(&self, report: CrashReport) -> Result<(), BoxError> {
        self.pending.fetch_add(1, Ordering::AcqRel);
        self.push_counted(report, None)
    }

    /// [`push`](Self::push) for a report already counted in `pending`:
    /// counted before it is sent, so that the thread, which uncounts it
    /// once delivered, never sees fewer than it has.
    fn push_counted(
        &self,
        report: CrashReport,
        reply: Option<SyncSender<Option<String>>>,
    ) -> Result<(), BoxError> {
        let sent = self.sender.try_send(QueuedReport { report, reply });
        if sent.is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
        }
        match sent {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err(TrySendError::Disconnected(_)) => Err("the reporter thread has stopped".into()),
        }
    }

    /// Queues the report and waits at most `timeout` for the id its
    /// reporter gives it, when it is next in line: not behind other
    /// reports, nor while the thread lags behind. A slow reporter delays
    /// the response that finds it idle, never those that find it busy.
    pub(crate) fn deliver_within(&self, report: CrashReport, timeout: Duration) -> Option<String> {
        // One atomic step counts the report and tells whether any is ahead.
        let ahead = self.pending.fetch_add(1, Ordering::AcqRel);
        let waits = ahead == 0 && !timeout.is_zero() && !self.lagging.load(Ordering::Relaxed);
        // A channel for the answer only when someone waits for it.
        let (reply, answer) = if waits {
            let (reply, answer) = mpsc::sync_channel(1);
            (Some(reply), Some(answer))
        } else {
            (None, None)
        };
        if let Err(error) = self.push_counted(report, reply) {
            FAILED_REPORTS.fetch_add(1, Ordering::Relaxed);
            crate::log::error(format_args!("{error}"));
            return None;
        }
        match answer?.recv_timeout(timeout) {
            Ok(id) => id,
            Err(RecvTimeoutError::Timeout) => {
                self.lagging.store(true, Ordering::Relaxed);
                crate::log::warn(format_args!(
                    "the crash reporter took more than {timeout:?}: responses do not wait for it until it has caught up"
                ));
                None
            }
            // Dropped from a full queue, or the thread stopped.
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }
}

/// Counts reporter failures and panics, process-wide.
static FAILED_REPORTS: AtomicU64 = AtomicU64::new(0);

/// How many reports, process-wide, a reporter failed to take (it returned
/// an error or panicked).
pub fn failed_reports() -> u64 {
    FAILED_REPORTS.load(Ordering::Relaxed)
}

/// Runs the reporter, and returns the id it gave the report, if any; a
/// failure or a panic is logged and counted, never passed on.
pub(crate) fn deliver(reporter: &dyn Reporter, report: &CrashReport) -> Option<String> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| reporter.report_and_identify(report)));
    let failure = match outcome {
        Ok(Ok(id)) => return id,
        Ok(Err(error)) => format!("the crash reporter failed: {error}"),
        Err(panic) => format!("the crash reporter panicked: {}", panic_message(&*panic)),
    };
    FAILED_REPORTS.fetch_add(1, Ordering::Relaxed);
    crate::log::error(format_args!("{failure} (report: {})", report.title));
    None
}

/// The text of a panic payload (`&str` or `String`, as `panic!` makes).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}
