//! Runs the render, gRPC and layer cases in turns (see
//! `macaron_benches::interleave`) and writes every case's per-call time of
//! every turn to `target/macaron-bench/ratios.json`, from which `report`
//! takes its run-time ratios. `--turns N` (default 101). Backtraces are
//! off, as std has them by default.

use macaron_benches::grpc::GRPC;
use macaron_benches::layer::{request, subjects, PATHS};
use macaron_benches::render::{INTERPOLATED, STATIC};
use macaron_benches::{interleave, median, number_argument, results_directory, Case};
use serde_json::{json, Value};

/// How long each case runs in each turn.
const TURN_MS: f64 = 4.0;

fn main() {
    // std's default, whatever the shell says: with backtraces on, making an
    // `Error` also asks whether it is a client error, which skips the
    // capture.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");
    let turns = number_argument("--turns", 101);
    let mut results = Vec::new();
    for (group, cases) in [
        ("static", STATIC),
        ("interpolated", INTERPOLATED),
        ("grpc", GRPC),
    ] {
        let mut cases: Vec<Case<'_>> = cases
            .iter()
            .map(|&(name, case)| -> Case<'_> {
                (
                    name,
                    Box::new(move |calls| (0..calls).for_each(|_| case(42))),
                )
            })
            .collect();
        record(&mut results, group, &mut cases, turns);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let subjects = subjects();
    let mut cases: Vec<Case<'_>> = Vec::new();
    for path in PATHS {
        for (name, subject) in &subjects {
            let name: &'static str = Box::leak(format!("{}_{name}", &path[1..]).into_boxed_str());
            let runtime = &runtime;
            cases.push((
                name,
                Box::new(move |calls| {
                    runtime.block_on(async {
                        for _ in 0..calls {
                            request(subject, path).await;
                        }
                    })
                }),
            ));
        }
    }
    record(&mut results, "layer", &mut cases, turns);

    let directory = results_directory();
    std::fs::create_dir_all(&directory).expect("the results directory");
    let json = serde_json::to_string_pretty(&Value::from(results)).expect("JSON");
    std::fs::write(directory.join("ratios.json"), json).expect("ratios.json is written");
}

/// Runs `cases` in turns and keeps their times under `group/name`.
fn record(results: &mut Vec<Value>, group: &str, cases: &mut [Case<'_>], turns: usize) {
    let times = interleave(cases, turns, TURN_MS);
    for ((name, _), times) in cases.iter().zip(times) {
        println!("{group}/{name}: median {:.0} ns", median(&times));
        results.push(json!({ "case": format!("{group}/{name}"), "times": times }));
    }
}
