//! Serving over loopback, end to end: the same service on axum and on
//! actix-web, without and with macaron (`macaron_benches::services`), each
//! in a process of its own on one core, driven by `wrk` on the other; the
//! services with macaron also with backtraces on, and the floor of any
//! layer with macaron's duties. Each round starts the
//! services in turn (in the opposite order every other round) and loads
//! each route for a few seconds; the figures are medians over rounds of
//! requests per second, latency (p50, p99) and the server's CPU time per
//! request, and ratios paired within a round: against the service without
//! macaron, and against the OK route. Writes
//! `target/macaron-bench/e2e.json` for the report.
//!
//! `cargo run --release -p macaron-benches --bin e2e [-- --seconds S --rounds R --connections C]`
//! (`wrk` from Debian; `benches/run.sh` installs it). `e2e serve
//! <framework> <variant>` is the server process.

use macaron_benches::services::{
    actix_floor, actix_middleware, actix_routes, app, quiet_service_process, Variant, FRAMEWORKS,
    ROUTES,
};
use macaron_benches::{
    cpu_ticks, median, number_argument, results_directory, stdout_of, ticks_per_second,
};
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if arguments.get(1).map(String::as_str) == Some("serve") {
        let usage = "e2e serve <axum|actix-web> <bare|macaron|macaron-nonblocking>";
        let framework = arguments.get(2).expect(usage);
        let variant = arguments
            .get(3)
            .and_then(|name| Variant::from_name(name))
            .expect(usage);
        quiet_service_process();
        return match framework.as_str() {
            "axum" => serve_axum(variant),
            "actix-web" => serve_actix(variant),
            _ => panic!("{usage}"),
        };
    }
    let seconds = number_argument("--seconds", 5);
    let rounds = number_argument("--rounds", 5);
    let connections = number_argument("--connections", 64);
    let pinned = Command::new("taskset").arg("--version").output().is_ok();
    let ticks_per_second = ticks_per_second();

    let mut rows = Vec::new();
    let mut layer_cpu = Vec::new();
    for framework in FRAMEWORKS {
        let measures = measure(
            framework,
            rounds,
            seconds,
            connections,
            pinned,
            ticks_per_second,
        );
        rows.extend(summarize(framework, &measures));
        layer_cpu.extend(layer_cpu_of(framework, &measures));
    }
    let results = serde_json::json!({
        "seconds": seconds,
        "rounds": rounds,
        "connections": connections,
        "pinned": pinned,
        "rows": rows,
        "layer_cpu": layer_cpu,
    });
    print_table(&results);
    let directory = results_directory();
    std::fs::create_dir_all(&directory).expect("the results directory");
    std::fs::write(
        directory.join("e2e.json"),
        serde_json::to_vec_pretty(&results).expect("JSON"),
    )
    .expect("the results file");
}

/// Per service and route, one measure per round.
type Measures = Vec<Vec<Vec<Measure>>>;

/// Every route of every service on `framework`, in alternating rounds.
fn measure(
    framework: &str,
    rounds: usize,
    seconds: usize,
    connections: usize,
    pinned: bool,
    ticks_per_second: f64,
) -> Measures {
    let mut measures: Measures = vec![vec![Vec::new(); ROUTES.len()]; SERVICES.len()];
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..SERVICES.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for index in order {
            let service = SERVICES[index];
            let server = Server::start(framework, service, pinned);
            // Unmeasured: the first second of a server (its threads, its
            // allocator's pools) would fall on the first route alone.
            wrk(&server.url(ROUTES[0]), 1, connections, pinned);
            for (route_index, route) in ROUTES.iter().enumerate() {
                let cpu_before = server.cpu_ticks();
                let output = wrk(&server.url(route), seconds, connections, pinned);
                let cpu = (server.cpu_ticks() - cpu_before) as f64 / ticks_per_second;
                let measure = Measure::parse(&output, cpu);
                eprintln!(
                    "round {round} {framework} {} {route}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {:.1} µs CPU per request",
                    service.name(),
                    measure.per_second,
                    measure.p50_ms,
                    measure.p99_ms,
                    measure.cpu_us
                );
                measures[index][route_index].push(measure);
            }
        }
    }
    measures
}

/// The rows of `framework`: medians, and ratios paired within a round.
fn summarize(framework: &str, measures: &Measures) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    for (index, service) in SERVICES.iter().enumerate() {
        for (route_index, route) in ROUTES.iter().enumerate() {
            let of = |field: fn(&Measure) -> f64| {
                median(
                    &measures[index][route_index]
                        .iter()
                        .map(field)
                        .collect::<Vec<_>>(),
                )
            };
            // Paired within a round: the same round's bare service, and
            // the same round's OK route.
            let paired = |other: &[Measure], field: fn(&Measure) -> f64| {
                median(
                    &measures[index][route_index]
                        .iter()
                        .zip(other)
                        .map(|(this, other)| field(this) / field(other))
                        .collect::<Vec<_>>(),
                )
            };
            rows.push(serde_json::json!({
                "framework": framework,
                "variant": service.name(),
                "route": route,
                "requests_per_second": of(|m| m.per_second),
                "p50_ms": of(|m| m.p50_ms),
                "p99_ms": of(|m| m.p99_ms),
                "cpu_us_per_request": of(|m| m.cpu_us),
                "throughput_vs_bare": paired(&measures[0][route_index], |m| m.per_second),
                "cpu_vs_bare": paired(&measures[0][route_index], |m| m.cpu_us),
                "throughput_vs_ok": paired(&measures[index][0], |m| m.per_second),
            }));
        }
    }
    rows
}

/// The routes on which every service with macaron runs the same code: no
/// report is made on them (a declared 4xx is not reported), so that
/// backtraces and the reporter make no difference there.
const SAME_CODE_ROUTES: [&str; 2] = ["/ok", "/declared"];

/// The layer's cost on each route of `SAME_CODE_ROUTES`: the server CPU
/// per request with macaron against the bare service's, paired within a
/// round, over every service with macaron (they run the same code there,
/// each in a process of its own): more pairs than one service has, so
/// that a limit of a few percent is judged on more than one process.
/// Also the least and the most of the services' own medians: how far
/// processes running the same code stand apart; and the floor's.
fn layer_cpu_of(framework: &str, measures: &Measures) -> Vec<serde_json::Value> {
    SAME_CODE_ROUTES
        .iter()
        .map(|route| {
            let route_index = ROUTES
                .iter()
                .position(|each| each == route)
                .expect("a route");
            let bare = &measures[0][route_index];
            let ratios_of = |index: usize| -> Vec<f64> {
                measures[index][route_index]
                    .iter()
                    .zip(bare)
                    .map(|(this, bare)| this.cpu_us / bare.cpu_us)
                    .collect()
            };
            let with_macaron: Vec<usize> = (0..SERVICES.len())
                .filter(|&index| SERVICES[index].variant.has_macaron())
                .collect();
            let pooled: Vec<f64> = with_macaron
                .iter()
                .flat_map(|&index| ratios_of(index))
                .collect();
            let medians: Vec<f64> = with_macaron
                .iter()
                .map(|&index| median(&ratios_of(index)))
                .collect();
            let floor = SERVICES
                .iter()
                .position(|service| service.variant == Variant::Floor)
                .expect("the floor");
            serde_json::json!({
                "framework": framework,
                "route": route,
                "pairs": pooled.len(),
                "cpu_vs_bare": median(&pooled),
                "least_of_services": medians.iter().copied().fold(f64::INFINITY, f64::min),
                "most_of_services": medians.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "floor_cpu_vs_bare": median(&ratios_of(floor)),
            })
        })
        .collect()
}

/// The axum server process: listens on a loopback port, prints it, serves
/// until its standard input closes.
fn serve_axum(variant: Variant) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        println!("{}", listener.local_addr().expect("an address").port());
        tokio::spawn(async move { axum::serve(listener, app(variant)).await });
        tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_line(&mut String::new());
        })
        .await
        .expect("standard input");
    });
}

/// The actix-web server process, likewise, with one worker.
fn serve_actix(variant: Variant) {
    let routes = actix_routes(variant);
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .wrap(actix_middleware(variant))
            .wrap(actix_floor(variant))
            .configure(routes.clone())
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("a port");
    println!("{}", server.addrs()[0].port());
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_line(&mut String::new());
        std::process::exit(0);
    });
    actix_web::rt::System::new()
        .block_on(server.run())
        .expect("the server runs");
}

/// A service as measured: a variant, with backtraces off (std's default)
/// or on (`RUST_BACKTRACE=1`, as many services run in production).
#[derive(Debug, Clone, Copy)]
struct Service {
    variant: Variant,
    backtraces: bool,
}

impl Service {
    fn name(self) -> String {
        let name = self.variant.name();
        if self.backtraces {
            format!("{name}-backtraces")
        } else {
            name.to_owned()
        }
    }
}

/// The services measured; the first, without macaron, is the one others
/// are paired with. With backtraces on, only macaron's services differ:
/// the bare one captures none.
const SERVICES: [Service; 6] = [
    Service {
        variant: Variant::Bare,
        backtraces: false,
    },
    Service {
        variant: Variant::Macaron,
        backtraces: false,
    },
    Service {
        variant: Variant::MacaronNonBlocking,
        backtraces: false,
    },
    Service {
        variant: Variant::Macaron,
        backtraces: true,
    },
    Service {
        variant: Variant::MacaronNonBlocking,
        backtraces: true,
    },
    Service {
        variant: Variant::Floor,
        backtraces: false,
    },
];

/// A server process, on core 0 when it can be pinned.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(framework: &str, service: Service, pinned: bool) -> Self {
        let executable = std::env::current_exe().expect("this program");
        let mut command = if pinned {
            let mut command = Command::new("taskset");
            command.arg("-c").arg("0").arg(executable);
            command
        } else {
            Command::new(executable)
        };
        // Backtraces as the service asks, whatever this process was given.
        command
            .env_remove("RUST_LIB_BACKTRACE")
            .env_remove("RUST_BACKTRACE");
        if service.backtraces {
            command.env("RUST_BACKTRACE", "1");
        }
        let mut child = command
            .args(["serve", framework, service.variant.name()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut line)
            .expect("its port");
        let port = line.trim().parse().expect("a port");
        Server { child, port }
    }

    fn url(&self, route: &str) -> String {
        format!("http://127.0.0.1:{}{route}", self.port)
    }

    /// User and system time of the process, in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        cpu_ticks(&self.child.id().to_string(), false)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// `wrk`'s report of loading `url`, on core 1 when it can be pinned.
fn wrk(url: &str, seconds: usize, connections: usize, pinned: bool) -> String {
    let mut command = if pinned {
        let mut command = Command::new("taskset");
        command.args(["-c", "1", "wrk"]);
        command
    } else {
        Command::new("wrk")
    };
    let output = stdout_of(command.args([
        "-t1",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
        url,
    ]));
    String::from_utf8(output).expect("wrk's report")
}

#[derive(Debug, Clone)]
struct Measure {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_us: f64,
}

impl Measure {
    /// From `wrk`'s report and the server's CPU time, in seconds.
    fn parse(report: &str, cpu_seconds: f64) -> Self {
        let after = |label: &str| -> &str {
            report
                .lines()
                .find_map(|line| line.trim().strip_prefix(label))
                .unwrap_or_else(|| panic!("no `{label}` in wrk's report:\n{report}"))
                .trim()
        };
        let requests: f64 = report
            .lines()
            .find(|line| line.contains(" requests in "))
            .and_then(|line| line.split_whitespace().next())
            .and_then(|count| count.parse().ok())
            .unwrap_or_else(|| panic!("no request count in wrk's report:\n{report}"));
        Measure {
            per_second: after("Requests/sec:").parse().expect("a rate"),
            p50_ms: milliseconds(after("50%")),
            p99_ms: milliseconds(after("99%")),
            cpu_us: cpu_seconds * 1e6 / requests,
        }
    }
}

/// `wrk`'s duration (`812.00us`, `1.23ms`, `2.01s`) in milliseconds.
fn milliseconds(text: &str) -> f64 {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .expect("a unit");
    let value: f64 = text[..split].parse().expect("a number");
    match &text[split..] {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        unit => panic!("unknown unit {unit}"),
    }
}

fn print_table(results: &serde_json::Value) {
    println!("| framework | service | route | requests/s | p50 ms | p99 ms | CPU µs/request | throughput vs bare | CPU vs bare | throughput vs /ok |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for row in results["rows"].as_array().expect("rows") {
        println!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {:.2}x | {:.2}x | {:.2}x |",
            row["framework"].as_str().unwrap_or_default(),
            row["variant"].as_str().unwrap_or_default(),
            row["route"].as_str().unwrap_or_default(),
            row["requests_per_second"].as_f64().unwrap_or_default(),
            row["p50_ms"].as_f64().unwrap_or_default(),
            row["p99_ms"].as_f64().unwrap_or_default(),
            row["cpu_us_per_request"].as_f64().unwrap_or_default(),
            row["throughput_vs_bare"].as_f64().unwrap_or_default(),
            row["cpu_vs_bare"].as_f64().unwrap_or_default(),
            row["throughput_vs_ok"].as_f64().unwrap_or_default(),
        );
    }
}
