//! Writes `BENCHMARKS.md` from the last runs: criterion's medians, the
//! compile times of `compile-time`, and the allocation counts of the
//! `allocations` test (which it runs). `benches/run.sh` runs all three.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .to_owned();
    let target = repository.join("target");
    let median = |id: &str| criterion_median(&target, id);
    let ratio = |a: &str, b: &str| median(a) / median(b);

    let mut rows: Vec<Row> = Vec::new();
    let bench = "cargo bench -p macaron-benches --bench render";
    rows.push(Row::at_most(
        "derive, static texts, vs the floor (hand-built response, static body)",
        ratio("static/derive", "static/floor"),
        1.3,
        bench,
    ));
    rows.push(Row::at_most(
        "derive, interpolated, vs hand-written (`format!`, serde_json, `Response::builder`)",
        ratio("interpolated/derive", "interpolated/hand_written"),
        0.8,
        bench,
    ));
    rows.push(Row::at_least(
        "axum's `(StatusCode, Json(body)).into_response()` vs derive, interpolated",
        ratio("interpolated/axum_json", "interpolated/derive"),
        1.5,
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
    let bench = "cargo bench -p macaron-benches --bench layer";
    for (path, limit) in [("ok", 1.05), ("error", 1.10)] {
        rows.push(Row::at_most(
            &format!("axum request through `MacaronLayer` vs without, {path} response"),
            ratio(
                &format!("layer/{path}_with"),
                &format!("layer/{path}_without"),
            ),
            limit,
            bench,
        ));
    }

    let compile = compile_times(&target);
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
            "anchor_macaron_derive",
            "clean build of macaron-derive and its dependencies vs thiserror-impl's",
            1.1,
        ),
    ] {
        rows.push(Row::at_most(
            label,
            compile[name]["ratio"].as_f64().unwrap_or(f64::NAN),
            limit,
            command,
        ));
    }

    let allocations = allocation_counts(&repository);
    let mut markdown = String::from(
        "# Benchmarks\n\nWritten by `benches/run.sh` (`cargo run --release -p macaron-benches --bin report`); do not edit by hand.\nRatios are of medians measured side by side in one run.\n\n",
    );
    let _ = writeln!(markdown, "Machine: {}.\n", machine());
    markdown.push_str("| Target | Measured | Met | Reproduce |\n|---|---|---|---|\n");
    for row in &rows {
        let _ = writeln!(
            markdown,
            "| {} {} {} | {:.2}x | {} | `{}` |",
            row.label,
            if row.at_most { "at most" } else { "at least" },
            row.limit,
            row.measured,
            if row.met() { "yes" } else { "**no**" },
            row.command
        );
    }
    markdown.push_str("\n## Medians\n\n| Case | Median |\n|---|---|\n");
    for id in [
        "static/floor",
        "static/derive",
        "static/define_errors",
        "static/Error",
        "interpolated/hand_written",
        "interpolated/axum_json",
        "interpolated/http_api_problem",
        "interpolated/derive",
        "interpolated/define_errors",
        "interpolated/Error",
        "layer/ok_without",
        "layer/ok_with",
        "layer/error_without",
        "layer/error_with",
    ] {
        let _ = writeln!(markdown, "| `{id}` | {:.0} ns |", median(id));
    }
    markdown.push_str("\n## Compile times\n\nMedian wall time of non-incremental dev builds: the generated crate alone (its dependencies built), or the proc-macro crate with its dependencies from clean.\n\n| Crate | Median | Ratio | Expanded bytes per variant |\n|---|---|---|---|\n");
    for row in compile["rows"].as_array().into_iter().flatten() {
        let _ = writeln!(
            markdown,
            "| `{}` | {:.2} s | {:.2}x | {} |",
            row["crate"].as_str().unwrap_or_default(),
            row["seconds"].as_f64().unwrap_or_default(),
            row["ratio"].as_f64().unwrap_or_default(),
            row.get("expanded_bytes_per_variant")
                .map_or(String::new(), Value::to_string),
        );
    }
    markdown.push_str("\n## Allocations per response\n\nCounted by a global allocator in `tests/tests/allocations.rs` (`cargo test -p macaron-tests --test allocations -- --nocapture`). http's `HeaderMap` allocates twice for its first header, so every response with a `content-type` starts at 2: the floor.\n\n| Case | Allocations |\n|---|---|\n");
    for (case, count) in &allocations {
        let _ = writeln!(markdown, "| {case} | {count} |");
    }
    std::fs::write(repository.join("BENCHMARKS.md"), &markdown).expect("BENCHMARKS.md is written");
    print!("{markdown}");
}

struct Row {
    label: String,
    measured: f64,
    limit: f64,
    at_most: bool,
    command: &'static str,
}

impl Row {
    fn at_most(label: &str, measured: f64, limit: f64, command: &'static str) -> Row {
        Row {
            label: label.to_owned(),
            measured,
            limit,
            at_most: true,
            command,
        }
    }

    fn at_least(label: &str, measured: f64, limit: f64, command: &'static str) -> Row {
        Row {
            label: label.to_owned(),
            measured,
            limit,
            at_most: false,
            command,
        }
    }

    fn met(&self) -> bool {
        if self.at_most {
            self.measured <= self.limit
        } else {
            self.measured >= self.limit
        }
    }
}

/// The median criterion estimated in its last run of `id`, in ns.
fn criterion_median(target: &Path, id: &str) -> f64 {
    let path: PathBuf = target.join("criterion").join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no {}: run `cargo bench -p macaron-benches` first",
            path.display()
        )
    });
    let estimates: Value = serde_json::from_str(&text).expect("criterion's JSON");
    estimates["median"]["point_estimate"]
        .as_f64()
        .expect("a median")
}

fn compile_times(target: &Path) -> Value {
    let path = target.join("macaron-bench/compile-time.json");
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

fn allocation_counts(repository: &Path) -> Vec<(String, String)> {
    let output = Command::new(env!("CARGO"))
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
        .current_dir(repository)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut fields = line.strip_prefix("ALLOCATIONS\t")?.split('\t');
            Some((fields.next()?.to_owned(), fields.next()?.to_owned()))
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
