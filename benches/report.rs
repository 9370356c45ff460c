//! Writes `BENCHMARKS.md` from the last runs: the run times of `ratios`,
//! the loopback figures of `e2e`, the compile times of `compile-time`, and
//! the allocation counts of the `allocations` test (which it runs).
//! `benches/run.sh` runs them all.

use macaron_benches::{median, paired_ratio, repository, results_directory, stdout_of};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn main() {
    let repository = repository();
    let times = run_times();
    let times_of = |id: &str| -> &[f64] {
        times
            .iter()
            .find(|(case, _)| case == id)
            .map_or_else(|| panic!("no times of {id}"), |(_, times)| times)
    };
    let ratio = |a: &str, b: &str| paired_ratio(times_of(a), times_of(b));

    let mut rows: Vec<Row> = Vec::new();
    let bench = "cargo run --release -p macaron-benches --bin ratios";
    rows.push(Row::at_most(
        "derive, static texts, vs the floor (hand-built response, static body)",
        ratio("static/derive", "static/floor"),
        1.3,
        bench,
    ));
    rows.push(Row::at_most(
        "derive, interpolated, vs hand-written (`format!`, serde_json, `Response::builder`)",
        ratio("interpolated/derive", "interpolated/hand_written"),
        0.6,
        bench,
    ));
    rows.push(Row::at_least(
        "axum's `(StatusCode, Json(body)).into_response()` vs derive, interpolated",
        ratio("interpolated/axum_json", "interpolated/derive"),
        2.0,
        bench,
    ));
    rows.push(Row::at_least(
        "http-api-problem's `to_axum_response()` vs derive, interpolated",
        ratio("interpolated/http_api_problem", "interpolated/derive"),
        1.5,
        bench,
    ));
    for group in ["static", "interpolated"] {
        for case in ["define_errors", "Error"] {
            rows.push(Row::at_most(
                &format!("{case}, {group}, vs derive, {group}"),
                ratio(&format!("{group}/{case}"), &format!("{group}/derive")),
                1.2,
                bench,
            ));
        }
    }
    for (path, limit) in [("ok", 1.05), ("error", 1.10)] {
        let without = format!("layer/{path}_without");
        let mut row = Row::at_most(
            &format!("axum router inside `MacaronLayer` vs the router alone, {path} response"),
            ratio(&format!("layer/{path}_around"), &without),
            limit,
            bench,
        );
        row.floor = Some((ratio(&format!("layer/{path}_floor"), &without), "floor"));
        rows.push(row);
    }
    // The redesign of macaron-core promised a layer that costs no more
    // than before it: the ratio its BENCHMARKS.md measured is the limit.
    let before = Before::read(&repository);
    for path in ["ok", "error"] {
        let label =
            format!("axum router inside `MacaronLayer` vs the router alone, {path} response");
        if let Some(limit) = before.measured(&label) {
            rows.push(Row::at_most(
                &format!("{label}, as before the redesign ({BEFORE_REDESIGN})"),
                ratio(
                    &format!("layer/{path}_around"),
                    &format!("layer/{path}_without"),
                ),
                limit,
                bench,
            ));
        }
    }

    let compile = compile_times();
    let command = "cargo run --release -p macaron-benches --bin compile-time";
    for (name, label, limit) in [
        (
            "macaron_derive_enum",
            "1000-variant `#[derive(ApiError)]` enum vs thiserror + hand-written code/status/body",
            1.0,
        ),
        (
            "macaron_define_errors",
            "1000-entry `define_errors!` vs thiserror + hand-written code/status/body",
            1.0,
        ),
        (
            "macaron_define_errors_used",
            "1000-entry `define_errors!`, each entry made an `Error` and rendered, vs thiserror's enum, each variant rendered",
            1.0,
        ),
        (
            "macaron_define_errors_structs_used",
            "the same with `struct` entries vs thiserror's enum, each variant rendered",
            1.0,
        ),
        (
            "anchor_macaron_derive",
            "clean build of macaron-derive and its dependencies vs thiserror-impl's",
            1.1,
        ),
        (
            "new_project_macaron",
            "clean build of a new project on macaron-core (default features) vs on thiserror + serde_json + http, CPU time",
            1.2,
        ),
    ] {
        let mut row = Row::at_most(
            label,
            compile[name]["ratio"].as_f64().unwrap_or(f64::NAN),
            limit,
            command,
        );
        // A type per entry: the least 1000 types cost, used as `?` uses
        // them, whoever writes them.
        if name.ends_with("_used") {
            row.floor = compile["types_by_hand_used"]["ratio"]
                .as_f64()
                .map(|floor| (floor, "types_by_hand_used"));
        }
        rows.push(row);
    }

    let allocations = allocation_counts(&repository);
    let command = "cargo test -p macaron-tests --test allocations -- --nocapture";
    for (kind, limit) in [("static", 1.0), ("interpolated", 2.0)] {
        let counts = || allocations.iter().filter(|(of, _, _)| of == kind);
        let is_floor = |case: &str| case.starts_with("floor");
        let largest = counts()
            .filter(|(_, case, _)| !is_floor(case))
            .map(|&(_, _, count)| count)
            .max();
        let floor = counts()
            .find(|(_, case, _)| is_floor(case))
            .map(|&(_, _, count)| count);
        let mut row = Row::at_most(
            &format!("heap allocations per rendered response, {kind} errors"),
            largest.map_or(f64::NAN, |count| count as f64),
            limit,
            command,
        );
        row.unit = Unit::Count;
        row.floor = floor.map(|count| (count as f64, "floor"));
        rows.push(row);
    }
    let more_than_before = allocations
        .iter()
        .filter(|(_, case, count)| before.allocations(case).is_some_and(|was| *count > was))
        .count();
    let mut row = Row::at_most(
        &format!("cases with more heap allocations than before the redesign ({BEFORE_REDESIGN})"),
        more_than_before as f64,
        0.0,
        command,
    );
    row.unit = Unit::Count;
    rows.push(row);

    // End to end: the goals as the issue of record states them.
    let end_to_end = end_to_end();
    let e2e = "cargo run --release -p macaron-benches --bin e2e";
    let e2e_row = |framework: &str, variant: &str, route: &str, field: &str| -> f64 {
        end_to_end["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|row| {
                row["framework"] == framework && row["variant"] == variant && row["route"] == route
            })
            .and_then(|row| row[field].as_f64())
            .unwrap_or_else(|| panic!("no {field} of {framework} {variant} {route} in e2e.json"))
    };
    let layer_cpu = |framework: &str, route: &str, field: &str| -> f64 {
        end_to_end["layer_cpu"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|row| row["framework"] == framework && row["route"] == route)
            .and_then(|row| row[field].as_f64())
            .unwrap_or_else(|| panic!("no layer CPU of {framework} {route} in e2e.json"))
    };
    for framework in ["axum", "actix-web"] {
        rows.push(Row::at_least(
            &format!("{framework}: a 5xx storm with reports on (a foreign error, default reporter), throughput vs the OK route"),
            e2e_row(framework, "macaron", "/foreign", "throughput_vs_ok"),
            0.5,
            e2e,
        ));
        rows.push(Row::at_least(
            &format!("{framework}: a panic storm, throughput vs the OK route"),
            e2e_row(framework, "macaron", "/panic", "throughput_vs_ok"),
            0.25,
            e2e,
        ));
        for (route, path) in [
            ("/ok", "OK route"),
            ("/declared", "error path (a declared 404)"),
        ] {
            let mut row = Row::at_most(
                &format!("{framework}: server CPU per request with macaron vs without, {path}"),
                layer_cpu(framework, route, "cpu_vs_bare"),
                1.03,
                e2e,
            );
            row.floor = Some((layer_cpu(framework, route, "floor_cpu_vs_bare"), "floor"));
            rows.push(row);
        }
    }
    let mut markdown = String::from(
        "# Benchmarks\n\nWritten by `benches/run.sh` (`cargo run --release -p macaron-benches --bin report`); do not edit by hand.\nRun-time ratios are medians of paired ratios: `ratios` runs the cases in turns, a few milliseconds each, and divides the two times of each turn, with backtraces off (std's default). Compile-time ratios are of medians of builds in turns.\n\n",
    );
    let _ = writeln!(markdown, "Machine: {}.\n", machine());
    markdown.push_str("| Target | Measured | Met | Reproduce |\n|---|---|---|---|\n");
    for row in &rows {
        let _ = writeln!(
            markdown,
            "| {} {} {} | {} | {} | `{}` |",
            row.label,
            if row.at_most { "at most" } else { "at least" },
            row.limit,
            row.unit.show(row.measured),
            row.verdict(),
            row.command
        );
    }
    markdown.push_str("\n## Medians\n\nEach case's median time per call over the turns of `ratios`, and its paired ratio to the first case of its group (in `layer`, of its path).\n\n| Case | Median | Ratio |\n|---|---|---|\n");
    // The first case of each group, or of each path in the layer group.
    let mut first = "";
    for (id, case_times) in &times {
        let series = |id: &str| match id.strip_prefix("layer/") {
            Some(case) => case.split('_').next().map(str::to_owned),
            None => id.split('/').next().map(str::to_owned),
        };
        if first.is_empty() || series(first) != series(id) {
            first = id;
        }
        let _ = writeln!(
            markdown,
            "| `{id}` | {:.0} ns | {:.2}x |",
            median(case_times),
            ratio(id, first)
        );
    }
    markdown.push_str("\nIn the `layer` group, `identity` is a layer that does nothing, added with `Router::layer` as `with` adds `MacaronLayer`: axum boxes every route it layers again, so that any layer added there costs what `identity` shows. `around` is `MacaronLayer` around the whole router (`tower::ServiceBuilder`), where axum charges nothing. `wrap`, around the router too, is a layer whose future only wraps the router's: what seeing the response costs in itself. `copy` is `wrap` keeping a copy of the request's method, URI and headers until the response is ready: what any layer must do whose crash reports and decorator see the request (the handler takes the request itself). `floor` is `copy` that also times the call on the clock `MacaronLayer` reads (twice per request, the least a duration takes) and gives its future a share of the configuration, which the future needs after the service is gone (axum drops a service once called): the least any layer with `MacaronLayer`'s duties does, so the floor of `around`. Where `floor` alone is above a target's limit, no such layer can meet it on this machine.\n");
    markdown.push_str("\nIn the `grpc` group, `by_hand` is the `tonic::Status` a service builds without macaron for the same error with the same rich details (`ErrorInfo` and `LocalizedMessage`, encoded), `by_hand_plain` is `Status::not_found` with the message alone, and `derive` is `Status::from` of the derived error under a configuration in scope, as in a handler under `MacaronGrpcLayer`. The conversion decides the error's answer as over HTTP (every policy, a new `error_id`) and builds the status from that body and its headers, and its `ErrorInfo` carries the `error_id` and the HTTP status besides: one body path for both protocols. No goal is set for it.\n");
    let _ = write!(
        markdown,
        "\n## End to end\n\nThe same service on axum and on actix-web, without macaron (`bare`: hand-written error bodies, a `tracing` event for a failure, a panic caught) and with it as the README shows (the default reporter, and `NonBlocking`; with the `tracing` feature, as the bare service traces its failures), each in a process of its own pinned to one core, warmed up for a second, then loaded over loopback by `wrk` (one thread, {} connections) pinned to the other, in {} rounds of {} s per route that alternate the services' order; `RUST_BACKTRACE` unset, but in the `-backtraces` services. Medians over rounds; ratios paired within a round. Each service installs a `tracing` subscriber that formats into a sink. `cargo run --release -p macaron-benches --bin e2e`.\n\n| Framework | Service | Route | Requests/s | p50 | p99 | CPU per request | Throughput vs bare | CPU vs bare | Throughput vs `/ok` |\n|---|---|---|---|---|---|---|---|---|---|\n",
        end_to_end["connections"],
        end_to_end["rounds"],
        end_to_end["seconds"],
    );
    for row in end_to_end["rows"].as_array().into_iter().flatten() {
        let number = |field: &str| row[field].as_f64().unwrap_or_default();
        let _ = writeln!(
            markdown,
            "| {} | {} | `{}` | {:.0} | {:.2} ms | {:.2} ms | {:.1} µs | {:.2}x | {:.2}x | {:.2}x |",
            row["framework"].as_str().unwrap_or_default(),
            row["variant"].as_str().unwrap_or_default(),
            row["route"].as_str().unwrap_or_default(),
            number("requests_per_second"),
            number("p50_ms"),
            number("p99_ms"),
            number("cpu_us_per_request"),
            number("throughput_vs_bare"),
            number("cpu_vs_bare"),
            number("throughput_vs_ok"),
        );
    }
    // Per framework and route: an A/A check (on these routes every service
    // with macaron runs the same code), and the floor.
    let (spread, floors): (Vec<String>, Vec<String>) = ["axum", "actix-web"]
        .iter()
        .flat_map(|framework| ["/ok", "/declared"].map(|route| (framework, route)))
        .map(|(framework, route)| {
            let at = format!("on {framework} `{route}`");
            let of = |field: &str| layer_cpu(framework, route, field);
            (
                format!(
                    "{:.2}x to {:.2}x {at}",
                    of("least_of_services"),
                    of("most_of_services")
                ),
                format!("{:.2}x {at}", of("floor_cpu_vs_bare")),
            )
        })
        .unzip();
    let _ = writeln!(
        markdown,
        "\nOn `/ok` and `/declared` no report is made (a declared 4xx is not reported), so the four services with macaron run the same code there, each in a process of its own. The CPU goals are judged on the median of their {} paired ratios per route, not on one process: the services' own medians of CPU against the bare service range from {}, the spread between processes that run the same code, against which a limit of a few percent is judged.\n\n`floor` is the bare service inside the least a layer or middleware with macaron's duties does, whoever writes it: it keeps a copy of each request with its arrival (crash reports and decorators see the request, which the handler takes; actix-web's router needs the request itself, and its headers are `http` 0.2's, so they are converted), a share of a configuration, and reads the clock once the response is ready (slow calls are reported). On axum it is in the one layer the bare service adds (its panic catcher), so that axum boxes each route no more often; on actix-web it is a middleware with a future of its own, not boxed. Its CPU against the bare service: {}. Where it is above a CPU goal's limit, no layer with these duties meets the goal on this machine.",
        end_to_end["layer_cpu"][0]["pairs"],
        spread.join(", "),
        floors.join(", ")
    );
    let _ = writeln!(
        markdown,
        "\nThe `-backtraces` services run with `RUST_BACKTRACE=1`, as many services do in production: every unhandled error and panic captures a backtrace. A report's backtrace is symbolized only when the report goes out to a reporter that shows it, so `NonBlocking`, which groups a failure's reports, symbolizes one per failure and minute; the default reporter here, `TracingReporter`, whose events show the backtrace, writes every report and symbolizes one per request."
    );
    markdown.push_str("\n## Compile times\n\nMedian wall time of non-incremental dev builds: the generated crate alone (its dependencies built), the proc-macro crate with its dependencies from clean, or a new project from clean. Ratios are to `thiserror_by_hand` (and, for a crate ending in `_used`, to `thiserror_by_hand_used`), to `anchor_thiserror_impl`, and to `new_project_thiserror`; a new project's ratio is of CPU time, which two cores running in parallel hide from wall time. A `_used` crate renders each of its 1000 errors once: thiserror's enum through the one function that renders it, macaron's types each made into a `macaron_core::Error` (as `?` does in a handler) and rendered. `_structs` crates write every entry with `struct`. `types_by_hand` is 1000 hand-written unit structs with `Debug`, `Display` and `Error` only, and `types_by_hand_used` boxes each into one error type as `?` does, and reads its text: the least a type per error costs, whoever writes it. A new project depends on macaron-core (`new_project_macaron`), or on thiserror, serde_json and http (`new_project_thiserror`), and holds no code.\n\n| Crate | Median | Ratio | Expanded bytes per variant | CPU | Crates built |\n|---|---|---|---|---|---|\n");
    for row in compile["rows"].as_array().into_iter().flatten() {
        let _ = writeln!(
            markdown,
            "| `{}` | {:.2} s | {:.2}x | {} | {} | {} |",
            row["crate"].as_str().unwrap_or_default(),
            row["seconds"].as_f64().unwrap_or_default(),
            row["ratio"].as_f64().unwrap_or_default(),
            row.get("expanded_bytes_per_variant")
                .map_or(String::new(), Value::to_string),
            row.get("cpu_seconds")
                .and_then(Value::as_f64)
                .map_or(String::new(), |cpu| format!("{cpu:.2} s")),
            row.get("crates").map_or(String::new(), Value::to_string),
        );
    }
    write_crate_cpu(&mut markdown, &compile);
    let _ = write!(markdown, "\n## Allocations per response\n\nCounted by a global allocator in `tests/tests/allocations.rs` (`cargo test -p macaron-tests --test allocations -- --nocapture`). http's `HeaderMap` allocates twice for its first header, so every response with a `content-type` starts at 2: the static floor. A body formatted at run time needs one allocation more, however it is written: the interpolated floor formats it on the stack and copies it into one allocation of its size. An `Error` boxes the error it holds, unless it is zero-sized. Before: the count in BENCHMARKS.md at {BEFORE_REDESIGN}, before the redesign of macaron-core.\n\n| Case | Allocations | Before |\n|---|---|---|\n");
    for (_, case, count) in &allocations {
        let was = before
            .allocations(case)
            .map_or_else(|| "(new case)".to_owned(), |was| was.to_string());
        let _ = writeln!(markdown, "| {case} | {count} | {was} |");
    }
    std::fs::write(repository.join("BENCHMARKS.md"), &markdown).expect("BENCHMARKS.md is written");
    print!("{markdown}");
}

/// The last commit before the redesign of macaron-core, whose
/// BENCHMARKS.md the redesign's guard compares with.
const BEFORE_REDESIGN: &str = "aef7468";

/// BENCHMARKS.md as it was at [`BEFORE_REDESIGN`].
struct Before(String);

impl Before {
    fn read(repository: &Path) -> Self {
        let text = stdout_of(
            Command::new("git")
                .args(["show", &format!("{BEFORE_REDESIGN}:BENCHMARKS.md")])
                .current_dir(repository),
        );
        Before(String::from_utf8_lossy(&text).into_owned())
    }

    /// The second cell of the first table row whose first cell `first`
    /// accepts.
    fn cell(&self, first: impl Fn(&str) -> bool) -> Option<&str> {
        self.0.lines().find_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.len() > 2 && first(cells[1])).then(|| cells[2])
        })
    }

    /// What a target's row, whose label starts with `label`, measured.
    fn measured(&self, label: &str) -> Option<f64> {
        let cell = self.cell(|first| first.starts_with(label))?;
        cell.trim_end_matches('x').parse().ok()
    }

    /// A case's allocation count.
    fn allocations(&self, case: &str) -> Option<usize> {
        self.cell(|first| first == case)?.parse().ok()
    }
}

struct Row {
    label: String,
    measured: f64,
    limit: f64,
    at_most: bool,
    command: &'static str,
    /// What the least an implementation must do measures, in the same
    /// run, when the bench has such a case: the measure and the case.
    floor: Option<(f64, &'static str)>,
    unit: Unit,
}

enum Unit {
    Ratio,
    Count,
}

impl Unit {
    fn show(&self, value: f64) -> String {
        match self {
            Unit::Ratio => format!("{value:.2}x"),
            Unit::Count => format!("{value:.0}"),
        }
    }
}

impl Row {
    fn at_most(label: &str, measured: f64, limit: f64, command: &'static str) -> Row {
        Row {
            label: label.to_owned(),
            measured,
            limit,
            at_most: true,
            command,
            floor: None,
            unit: Unit::Ratio,
        }
    }

    fn at_least(label: &str, measured: f64, limit: f64, command: &'static str) -> Row {
        Row {
            label: label.to_owned(),
            measured,
            limit,
            at_most: false,
            command,
            floor: None,
            unit: Unit::Ratio,
        }
    }

    /// Whether `value` is within the limit.
    fn meets(&self, value: f64) -> bool {
        if self.at_most {
            value <= self.limit
        } else {
            value >= self.limit
        }
    }

    fn verdict(&self) -> String {
        match self.floor {
            _ if self.meets(self.measured) => "yes".to_owned(),
            Some((floor, case)) if !self.meets(floor) => {
                let floor = self.unit.show(floor);
                format!("**no**: impossible, `{case}` measures {floor}")
            }
            _ => "**no**".to_owned(),
        }
    }
}

/// The last run of `e2e`.
fn end_to_end() -> Value {
    let path = results_directory().join("e2e.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}: run the e2e binary first", path.display()));
    serde_json::from_str(&text).expect("the results' JSON")
}

/// Every case's per-call times, one per turn, from the last run of
/// `ratios`, in the order it ran them.
fn run_times() -> Vec<(String, Vec<f64>)> {
    let path = results_directory().join("ratios.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}: run the ratios binary first", path.display()));
    let results: Vec<Value> = serde_json::from_str(&text).expect("the results' JSON");
    results
        .iter()
        .map(|result| {
            let times = result["times"].as_array().into_iter().flatten();
            (
                result["case"].as_str().unwrap_or_default().to_owned(),
                times.filter_map(Value::as_f64).collect(),
            )
        })
        .collect()
}

fn compile_times() -> Value {
    let path = results_directory().join("compile-time.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}: run the compile-time binary first", path.display()));
    let results: Value = serde_json::from_str(&text).expect("the results' JSON");
    let mut by_crate = serde_json::Map::new();
    for row in results["rows"].as_array().into_iter().flatten() {
        by_crate.insert(
            row["crate"].as_str().unwrap_or_default().to_owned(),
            row.clone(),
        );
    }
    by_crate.insert("rows".to_owned(), results["rows"].clone());
    Value::Object(by_crate)
}

/// Every case of the `allocations` test: its kind, its name, its count.
fn allocation_counts(repository: &Path) -> Vec<(String, String, usize)> {
    let output = stdout_of(
        Command::new(env!("CARGO"))
            .args([
                "test",
                "--quiet",
                "-p",
                "macaron-tests",
                "--test",
                "allocations",
                "--",
                "--nocapture",
            ])
            .current_dir(repository),
    );
    String::from_utf8_lossy(&output)
        .lines()
        .filter_map(|line| {
            let mut fields = line.strip_prefix("ALLOCATIONS\t")?.split('\t');
            Some((
                fields.next()?.to_owned(),
                fields.next()?.to_owned(),
                fields.next()?.parse().ok()?,
            ))
        })
        .collect()
}

/// The CPU, its cores and the compiler.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map_or("unknown CPU", |name| {
            name.trim_start_matches([' ', '\t', ':'])
        });
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {rustc}, Linux")
}

/// The clean builds of the two new projects, crate by crate: where the
/// CPU time goes, and what the build-weight goal leaves macaron's own
/// crates.
fn write_crate_cpu(markdown: &mut String, compile: &Value) {
    let row_of = |name: &str| {
        compile["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|row| row["crate"] == name)
            .unwrap_or_else(|| panic!("no {name} in compile-time.json"))
    };
    let (macaron, thiserror) = (
        row_of("new_project_macaron"),
        row_of("new_project_thiserror"),
    );
    let crate_cpu = |row: &Value, name: &str| row["crate_cpu"][name].as_f64();
    let mut names: Vec<&String> = [macaron, thiserror]
        .iter()
        .filter_map(|row| row["crate_cpu"].as_object())
        .flat_map(|crates| crates.keys())
        .collect();
    names.sort_by(|a, b| {
        let most = |name: &str| {
            crate_cpu(macaron, name)
                .unwrap_or_default()
                .max(crate_cpu(thiserror, name).unwrap_or_default())
        };
        most(b).total_cmp(&most(a)).then(a.cmp(b))
    });
    names.dedup();
    markdown.push_str("\n### A new project's clean build, crate by crate\n\nThe CPU time of each crate's compilations (rustc run under `compile-time` as cargo's `RUSTC_WRAPPER`; every build script compiles as `build-script-build`), median over the builds. Running build scripts and cargo itself make the rest of the totals above.\n\n| Crate | On macaron-core | On thiserror, serde_json and http |\n|---|---|---|\n");
    let show =
        |seconds: Option<f64>| seconds.map_or_else(|| "-".to_owned(), |s| format!("{s:.2} s"));
    for name in &names {
        let _ = writeln!(
            markdown,
            "| `{name}` | {} | {} |",
            show(crate_cpu(macaron, name)),
            show(crate_cpu(thiserror, name)),
        );
    }
    let sum = |row: &Value, own: &[&str]| -> (f64, f64) {
        let crates = row["crate_cpu"].as_object().into_iter().flatten();
        crates.fold((0.0, 0.0), |(mine, rest), (name, seconds)| {
            let seconds = seconds.as_f64().unwrap_or_default();
            if own.contains(&name.as_str()) {
                (mine + seconds, rest)
            } else {
                (mine, rest + seconds)
            }
        })
    };
    let (macaron_own, macaron_rest) = sum(macaron, &["macaron-core", "macaron-derive"]);
    let (thiserror_own, thiserror_rest) = sum(thiserror, &["thiserror", "thiserror-impl"]);
    let cpu = |row: &Value| row["cpu_seconds"].as_f64().unwrap_or_default();
    let allowed = 1.2 * cpu(thiserror) - (cpu(macaron) - macaron_own);
    let _ = writeln!(
        markdown,
        "\nmacaron-core and macaron-derive take {macaron_own:.2} s, thiserror and thiserror-impl {thiserror_own:.2} s; every other crate {macaron_rest:.2} s and {thiserror_rest:.2} s. With all else as measured, a clean build within 1.2x of thiserror's leaves macaron's two crates {allowed:.2} s."
    );
}
