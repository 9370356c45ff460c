//! Load: the login services of the examples (axum and actix-web), each with
//! one more route whose handler panics, each in a process of its own,
//! driven over loopback by many connections for a fixed time with a mix of
//! successes, declared errors, framework-made errors, errors nobody
//! declared and panics. Every response is checked byte for byte against
//! the model; every 5xx must have its fatal report, with the same
//! `error_id`; the server's memory is sampled before, halfway and after.
//! A third run gives the axum server a reporter that never returns, behind
//! `NonBlocking`: no request may wait for it, and what it cannot take must
//! be counted as dropped, in bounded memory.
//!
//! `cargo test` runs a short version. The long one:
//! `cargo test --release -p macaron-tests --test load -- --seconds 60 --connections 64`.
//!
//! This binary is also the server: run with `MACARON_LOAD_SERVER` set to a
//! framework, it serves and reports on standard output (see [`server`]).

#[path = "../../examples/login/actix_app.rs"]
mod actix_app;
#[path = "../../examples/login/axum_app.rs"]
mod axum_app;
#[path = "../../examples/login/errors.rs"]
mod errors;

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const SERVER: &str = "MACARON_LOAD_SERVER";
/// Set (to anything) for a server whose reporter never returns.
const STUCK_REPORTER: &str = "MACARON_LOAD_STUCK_REPORTER";
/// The queue of the stuck reporter: small, so that it fills, and reports are
/// dropped, within the short run on any machine.
const STUCK_QUEUE: usize = 64;
/// The runs: a framework, and whether its reporter is stuck.
const RUNS: [(&str, bool); 3] = [("axum", false), ("actix-web", false), ("axum", true)];
const BUG: &str = "the handler has a bug";

fn main() {
    match std::env::var(SERVER) {
        Ok(framework) => server::serve(&framework, std::env::var_os(STUCK_REPORTER).is_some()),
        Err(_) => {
            let options = Options::from_args();
            let backtraces = macaron_tests::backtraces_enabled();
            // Capturing and printing backtraces costs the server time and
            // memory: the figures depend on it.
            println!("backtraces: {}", if backtraces { "on" } else { "off" });
            let mut failed = false;
            for (framework, stuck) in RUNS {
                let outcome = drive(framework, stuck, &options);
                println!("{outcome}");
                failed |= !outcome.passed();
            }
            if failed {
                std::process::exit(1);
            }
        }
    }
}

struct Options {
    duration: Duration,
    connections: usize,
}

impl Options {
    /// `--seconds N --connections N`; other arguments (the test harness's)
    /// are ignored.
    fn from_args() -> Self {
        let arguments: Vec<String> = std::env::args().collect();
        let value = |name: &str, default: u64| {
            arguments
                .iter()
                .position(|argument| argument == name)
                .and_then(|at| arguments.get(at + 1))
                .map(|value| value.parse().unwrap_or_else(|_| panic!("{name} {value}")))
                .unwrap_or(default)
        };
        Options {
            duration: Duration::from_secs(value("--seconds", 2)),
            connections: value("--connections", 16) as usize,
        }
    }
}

/// The server side: the example's routes plus `/bug`, a counting reporter,
/// and a line protocol on standard input and output.
mod server {
    use super::{actix_app, axum_app, IdDigest, BUG, STUCK_QUEUE};
    use macaron_core::{BoxError, Config, CrashReport, NonBlocking, Reporting};
    use std::io::BufRead as _;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// What the reporter received: in constant memory, so that the
    /// server's memory is the server's.
    #[derive(Default)]
    struct Received {
        fatal: IdDigest,
        other: u64,
    }

    /// Prints `listening <address>`, serves, and when standard input
    /// says `expect <n>` waits (a few seconds at most) for `n` fatal
    /// reports, then prints `reports <dropped> <other> <digest of the fatal
    /// reports' ids>` and exits. With `stuck`, the reporter never returns,
    /// behind a `NonBlocking` queue.
    pub fn serve(framework: &str, stuck: bool) {
        // Thousands of panics are expected: the default hook would print
        // each. The layer's own hook, chained to this one, still runs.
        std::panic::set_hook(Box::new(|_| {}));
        let received = Arc::new(Mutex::new(Received::default()));
        let sink = received.clone();
        let counting = move |report: &CrashReport| -> Result<(), BoxError> {
            let mut received = sink.lock().unwrap();
            match (&report.error_id, report.is_fatal) {
                (Some(id), true) => received.fatal.add(id),
                _ => received.other += 1,
            }
            Ok(())
        };
        let stuck_reporter = stuck.then(|| {
            let never_returns = |_: &CrashReport| -> Result<(), BoxError> {
                loop {
                    std::thread::park();
                }
            };
            NonBlocking::new(never_returns, STUCK_QUEUE)
        });
        // Slow-call reports are counted, not checked: under load on a small
        // machine, some calls may be slow. Each 5xx's report is matched by
        // its id, so none is grouped into a summary.
        let builder = Config::builder()
            .reporting(Reporting::On)
            .group_reports(None);
        let config = match &stuck_reporter {
            Some(stuck) => builder.reporter(stuck.clone()).build(),
            None => builder.reporter(counting).build(),
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        println!("listening {}", listener.local_addr().expect("an address"));
        let reporting = config.clone();
        std::thread::spawn(move || {
            let dropped = || {
                reporting.dropped_reports()
                    + stuck_reporter.as_ref().map_or(0, NonBlocking::dropped)
            };
            answer_when_asked(dropped, &received)
        });
        match framework {
            "axum" => serve_axum(config, listener),
            "actix-web" => serve_actix(config, listener),
            other => panic!("no framework {other}"),
        }
    }

    fn answer_when_asked(dropped: impl Fn() -> u64, received: &Mutex<Received>) {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        let expected: u64 = line
            .strip_prefix("expect ")
            .and_then(|count| count.trim().parse().ok())
            .unwrap_or(0);
        // Reports a response did not wait for arrive a little later.
        let deadline = Instant::now() + Duration::from_secs(5);
        while received.lock().unwrap().fatal.count < expected && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let received = received.lock().unwrap();
        println!(
            "reports {} {} {}",
            dropped(),
            received.other,
            received.fatal
        );
        std::process::exit(0);
    }

    fn serve_axum(config: Config, listener: std::net::TcpListener) {
        async fn bug() -> &'static str {
            panic!("{BUG}")
        }
        let app = axum::Router::new()
            .route("/bug", axum::routing::get(bug))
            .layer(macaron_core::MacaronLayer::new(config.clone()))
            .merge(axum_app::app(config));
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        runtime.block_on(async move {
            listener
                .set_nonblocking(true)
                .expect("a non-blocking socket");
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            axum::serve(listener, app).await.expect("the server runs");
        });
    }

    fn serve_actix(config: Config, listener: std::net::TcpListener) {
        async fn bug() -> &'static str {
            panic!("{BUG}")
        }
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(move || {
                actix_web::App::new()
                    .wrap(macaron_core::Macaron::new(config.clone()))
                    .configure(actix_app::routes)
                    .route("/bug", actix_web::web::get().to(bug))
            })
            .workers(2)
            .disable_signals()
            .listen(listener)
            .expect("a listener")
            .run()
            .await
            .expect("the server runs");
        });
    }
}

/// A server process.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    address: String,
}

impl Server {
    fn start(framework: &str, stuck: bool) -> Self {
        let mut command = Command::new(std::env::current_exe().expect("this binary"));
        command.env(SERVER, framework);
        if stuck {
            command.env(STUCK_REPORTER, "1");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("its output"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("its address");
        let address = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("not an address: {line:?}"))
            .to_owned();
        Server {
            child,
            stdin,
            stdout,
            address,
        }
    }

    /// Resident memory, in KiB: now and at its peak.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|value| value.trim().trim_end_matches(" kB").parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Asks for the fatal reports, once `expected` have arrived; returns
    /// the dropped count, the non-fatal count and the fatal reports' ids.
    fn reports(mut self, expected: u64) -> (u64, u64, IdDigest) {
        let mut stdin = self.stdin.take().expect("its input");
        writeln!(stdin, "expect {expected}").expect("the server listens");
        drop(stdin);
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("its reports");
        let fields: Vec<&str> = line
            .trim()
            .strip_prefix("reports ")
            .unwrap_or_else(|| panic!("not reports: {line:?}"))
            .split(' ')
            .collect();
        let [dropped, other, count, sum] = fields[..] else {
            panic!("not reports: {line:?}")
        };
        let _ = self.child.wait();
        let number = |field: &str| field.parse().expect("a count");
        let fatal = IdDigest {
            count: number(count),
            sum: u128::from_str_radix(sum, 16).expect("a sum"),
        };
        (number(dropped), number(other), fatal)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request of the mix and what must come back: the status, the body
/// without its `error_id` (every error body has one, last), and one header.
struct Case {
    method: &'static str,
    path: String,
    body: Option<&'static str>,
    status: u16,
    expected: String,
    header: Option<(&'static str, &'static str)>,
}

const UNHANDLED: &str = r#"{"error":"UNHANDLED_SERVER_ERROR","error_description":"The server encountered an internal error","status":500}"#;

/// The `index`th request of the mix: a success, six declared or
/// framework-made errors, an error nobody declared and a panic.
fn case(index: u64) -> Case {
    let json = |method, path: &str, body, status, expected: &str| Case {
        method,
        path: path.to_owned(),
        body,
        status,
        expected: expected.to_owned(),
        header: None,
    };
    match index % 9 {
        0 => json(
            "GET",
            "/users/1",
            None,
            200,
            r#"{"email":"ada@example.com","id":1}"#,
        ),
        1 => {
            let id = 2 + index;
            json(
                "GET",
                &format!("/users/{id}"),
                None,
                404,
                &format!(
                    r#"{{"error":"UNKNOWN_USER","error_description":"no user with id {id}","status":404}}"#
                ),
            )
        }
        2 => Case {
            header: Some(("retry-after", "30")),
            ..json(
                "POST",
                "/login",
                Some(r#"{"email":"flood@example.com","password":"x"}"#),
                429,
                r#"{"error":"RATE_LIMITED","error_description":"too many login attempts","user_message":"Try again in 30 s","status":429,"attempts":12}"#,
            )
        },
        3 => json(
            "POST",
            "/login",
            Some(r#"{"email":"bob@example.com","password":"x"}"#),
            401,
            r#"{"error":"INVALID_USER","error_description":"DB entry not found","user_message":"Sorry, we don't know you","status":401}"#,
        ),
        4 => json(
            "GET",
            "/me",
            None,
            401,
            r#"{"error":"AUTHORIZATION_HEADER_MISSING","error_description":"the Authorization header is missing","status":401}"#,
        ),
        5 => json(
            "POST",
            "/payments",
            None,
            402,
            r#"{"error":"PAYMENT_REQUIRED","error_description":"balance too low for this plan","user_message":"Please top up your account","status":402,"balance":-3}"#,
        ),
        6 => json(
            "GET",
            "/nowhere",
            None,
            404,
            r#"{"error":"NOT_FOUND","error_description":"Not Found","status":404}"#,
        ),
        7 => json("GET", "/export", None, 500, UNHANDLED),
        _ => json("GET", "/bug", None, 500, UNHANDLED),
    }
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    requests: u64,
    error_responses: u64,
    malformed: Vec<String>,
    transport_errors: u64,
    latencies_us: Vec<u32>,
    fatal: IdDigest,
    error_ids: Vec<u128>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.requests += other.requests;
        self.error_responses += other.error_responses;
        self.malformed.extend(other.malformed);
        self.transport_errors += other.transport_errors;
        self.latencies_us.extend(other.latencies_us);
        self.fatal.merge(other.fatal);
        self.error_ids.extend(other.error_ids);
    }

    /// Checks one response against its case.
    fn check(
        &mut self,
        case: &Case,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &str,
    ) {
        let problem = check_response(case, status, headers, body);
        match problem {
            Err(problem) => self.malformed.push(format!(
                "{} {}: {problem}: {status} {body}",
                case.method, case.path
            )),
            Ok(Some(id)) => {
                self.error_responses += 1;
                if status >= 500 {
                    self.fatal.add(id);
                }
                self.error_ids.push(id_value(id));
            }
            Ok(None) => {}
        }
    }
}

/// The response's error id, if it is an error; why it is not what the
/// case expects, otherwise.
fn check_response<'a>(
    case: &Case,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &'a str,
) -> Result<Option<&'a str>, &'static str> {
    if status != case.status {
        return Err("status");
    }
    if let Some((name, value)) = case.header {
        if headers.get(name).map_or(true, |sent| sent != value) {
            return Err("header");
        }
    }
    if status < 400 {
        return if body == case.expected {
            Ok(None)
        } else {
            Err("body")
        };
    }
    if headers
        .get("content-type")
        .map_or(true, |sent| sent != "application/json")
    {
        return Err("content type");
    }
    // Every expected body is ASCII: what follows slices it by bytes.
    if !body.is_ascii() {
        return Err("not ASCII");
    }
    // `...,"error_id":"<36 characters>"}`
    const ID_KEY: &str = r#","error_id":""#;
    let Some(head_end) = body.len().checked_sub(ID_KEY.len() + 36 + 2) else {
        return Err("too short");
    };
    let (head, tail) = body.split_at(head_end);
    let id = &tail[ID_KEY.len()..tail.len() - 2];
    let well_formed_id = id.len() == 36
        && id.as_bytes()[14] == b'4'
        && id
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    if !tail.starts_with(ID_KEY) || !tail.ends_with("\"}") || !well_formed_id {
        return Err("error id");
    }
    if case.expected.strip_suffix('}') != Some(head) {
        return Err("body");
    }
    Ok(Some(id))
}

/// Drives one connection until `until`.
async fn connection(address: String, first: u64, until: Instant) -> Tally {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("a client");
    let mut tally = Tally::default();
    let mut index = first;
    while Instant::now() < until {
        let case = case(index);
        index += 1;
        let method = case.method.parse().expect("a method");
        let mut request = client.request(method, format!("http://{address}{}", case.path));
        if let Some(body) = case.body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let started = Instant::now();
        let response = match request.send().await {
            Ok(response) => response,
            Err(_) => {
                tally.transport_errors += 1;
                continue;
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let Ok(body) = response.text().await else {
            tally.transport_errors += 1;
            continue;
        };
        tally
            .latencies_us
            .push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
        tally.requests += 1;
        tally.check(&case, status, &headers, &body);
    }
    tally
}

/// What one framework's run gave.
struct Outcome {
    framework: &'static str,
    stuck: bool,
    elapsed: Duration,
    connections: usize,
    tally: Tally,
    duplicate_ids: usize,
    /// What the reporter received.
    reported: IdDigest,
    dropped_reports: u64,
    other_reports: u64,
    memory_before: (u64, u64),
    memory_halfway: (u64, u64),
    memory_after: (u64, u64),
}

impl Outcome {
    fn passed(&self) -> bool {
        let reports_accounted_for = if self.stuck {
            // Nothing reaches the stuck reporter's sink. Every report is
            // held (the one the reporter is stuck on, and those queued) or
            // dropped and counted; reports are dropped only once the queue
            // is full, and it never empties.
            let held = self.tally.fatal.count.checked_sub(self.dropped_reports);
            let capacity = STUCK_QUEUE as u64;
            self.reported == IdDigest::default()
                && held.is_some_and(|held| {
                    held <= capacity + 1 && (self.dropped_reports == 0 || held >= capacity)
                })
        } else {
            self.reported == self.tally.fatal && self.dropped_reports == 0
        };
        self.tally.requests > 0
            && self.tally.malformed.is_empty()
            && self.tally.transport_errors == 0
            && self.duplicate_ids == 0
            && reports_accounted_for
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tally = &self.tally;
        let mut latencies = tally.latencies_us.clone();
        latencies.sort_unstable();
        let percentile = |p: usize| {
            latencies
                .get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
                .map_or(0.0, |us| f64::from(*us) / 1000.0)
        };
        let mib = |kib: u64| kib as f64 / 1024.0;
        writeln!(
            formatter,
            "{}{}: {:.1} s, {} connections: {} requests ({:.0}/s), {} error responses ({} of them 5xx)",
            self.framework,
            if self.stuck { ", stuck reporter" } else { "" },
            self.elapsed.as_secs_f64(),
            self.connections,
            tally.requests,
            tally.requests as f64 / self.elapsed.as_secs_f64(),
            tally.error_responses,
            tally.fatal.count
        )?;
        writeln!(
            formatter,
            "  malformed responses {}, transport errors {}, duplicate error ids {}",
            tally.malformed.len(),
            tally.transport_errors,
            self.duplicate_ids
        )?;
        let sent = tally.fatal.count;
        writeln!(
            formatter,
            "  fatal reports received {} ({} lost; their ids {} those of the 5xx), dropped reports {}, slow-call and other reports {}",
            self.reported.count,
            sent.saturating_sub(self.reported.count),
            if self.reported == tally.fatal { "are" } else { "are not" },
            self.dropped_reports,
            self.other_reports
        )?;
        if self.stuck {
            let held = sent.saturating_sub(self.dropped_reports);
            writeln!(
                formatter,
                "  (the reporter is stuck: of the lost reports, {} were dropped and counted, {held} queued or held)",
                self.dropped_reports
            )?;
        }
        writeln!(
            formatter,
            "  latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(50),
            percentile(99),
            percentile(100)
        )?;
        write!(
            formatter,
            "  server RSS {:.1} MiB before, {:.1} MiB halfway, {:.1} MiB after ({:+.1} MiB), peak {:.1} MiB",
            mib(self.memory_before.0),
            mib(self.memory_halfway.0),
            mib(self.memory_after.0),
            mib(self.memory_after.0) - mib(self.memory_before.0),
            mib(self.memory_after.1)
        )?;
        for malformed in tally.malformed.iter().take(5) {
            write!(formatter, "\n  malformed: {malformed}")?;
        }
        Ok(())
    }
}

fn drive(framework: &'static str, stuck: bool, options: &Options) -> Outcome {
    let server = Server::start(framework, stuck);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let run = |duration: Duration| {
        let until = Instant::now() + duration;
        runtime.block_on(async {
            let connections: Vec<_> = (0..options.connections)
                .map(|connection| {
                    let first = connection as u64 * 7;
                    tokio::spawn(self::connection(server.address.clone(), first, until))
                })
                .collect();
            let mut tally = Tally::default();
            for connection in connections {
                tally.merge(connection.await.expect("a connection"));
            }
            tally
        })
    };
    // A warm-up, so that the first sample is of a server that has served.
    let started = Instant::now();
    let mut tally = run(Duration::from_millis(300));
    let memory_before = server.memory();
    tally.merge(run(options.duration / 2));
    let memory_halfway = server.memory();
    tally.merge(run(options.duration / 2));
    let memory_after = server.memory();
    let elapsed = started.elapsed();

    let (dropped_reports, other_reports, reported) = server.reports(tally.fatal.count);
    let mut error_ids = tally.error_ids.clone();
    error_ids.sort_unstable();
    error_ids.dedup();
    Outcome {
        framework,
        stuck,
        elapsed,
        connections: options.connections,
        duplicate_ids: tally.error_ids.len() - error_ids.len(),
        reported,
        dropped_reports,
        other_reports,
        memory_before,
        memory_halfway,
        memory_after,
        tally,
    }
}

/// How many error ids, and their sum as 128-bit numbers: in constant
/// memory, two sides that count the same ids with the same sum have seen
/// the same ids, but for odds of one in 2^128.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct IdDigest {
    count: u64,
    sum: u128,
}

impl IdDigest {
    fn add(&mut self, id: &str) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(id_value(id));
    }

    fn merge(&mut self, other: IdDigest) {
        self.count += other.count;
        self.sum = self.sum.wrapping_add(other.sum);
    }
}

/// `<count> <sum in hex>`, as the server prints it.
impl std::fmt::Display for IdDigest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {:x}", self.count, self.sum)
    }
}

/// A UUID as the number its hex digits spell.
fn id_value(id: &str) -> u128 {
    u128::from_str_radix(&id.replace('-', ""), 16).unwrap_or(0)
}
