//! The cases the benchmarks measure, shared by the criterion benches (for
//! their statistics) and by `ratios` (which runs them in turns, for ratios
//! that drift on a busy machine cannot skew).

pub mod fixtures;
pub mod grpc;
pub mod layer;
pub mod render;
pub mod services;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The repository's root.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .to_owned()
}

/// Where the scripts keep what they measured, for `report`.
pub fn results_directory() -> PathBuf {
    repository().join("target/macaron-bench")
}

/// What `command` prints; panics with what it said on failure.
pub fn stdout_of(command: &mut Command) -> Vec<u8> {
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The clock ticks per second of `/proc`'s CPU times.
pub fn ticks_per_second() -> f64 {
    String::from_utf8(stdout_of(Command::new("getconf").arg("CLK_TCK")))
        .expect("a number")
        .trim()
        .parse()
        .expect("a number")
}

/// The CPU time a process has spent, in clock ticks, from
/// `/proc/<process>/stat`: its own user and system time, or with
/// `children` that of its children it has waited for.
pub fn cpu_ticks(process: &str, children: bool) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{process}/stat"))
        .unwrap_or_else(|error| panic!("/proc/{process}/stat: {error}"));
    // The fields after the command name, which may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("a command name") + 2..]
        .split(' ')
        .collect();
    let field = |index: usize| fields[index].parse::<u64>().expect("a number");
    // utime and stime are fields 14 and 15 of the line, cutime and cstime
    // 16 and 17; the split starts at field 3.
    let first = if children { 13 } else { 11 };
    field(first) + field(first + 1)
}

/// The number after `--name` on the command line, or `default`.
pub fn number_argument(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|arg| arg != name)
        .nth(1)
        .map_or(default, |number| {
            number
                .parse()
                .unwrap_or_else(|_| panic!("{name} takes a number"))
        })
}

/// A measured case: its name and a run of `n` calls.
pub type Case<'a> = (&'static str, Box<dyn FnMut(u64) + 'a>);

/// The per-call time, in ns, of each case in each of `turns` turns. Every
/// turn runs every case for about `turn_ms` milliseconds, starting with a
/// different case each time, so that a slower stretch of the machine
/// slows all of a turn's cases alike.
pub fn interleave(cases: &mut [Case<'_>], turns: usize, turn_ms: f64) -> Vec<Vec<f64>> {
    let calls: Vec<u64> = cases
        .iter_mut()
        .map(|(_, run)| calls_in(run, turn_ms))
        .collect();
    let mut times = vec![Vec::with_capacity(turns); cases.len()];
    for turn in 0..turns {
        for offset in 0..cases.len() {
            let index = (turn + offset) % cases.len();
            let started = Instant::now();
            (cases[index].1)(calls[index]);
            times[index].push(started.elapsed().as_nanos() as f64 / calls[index] as f64);
        }
    }
    times
}

/// How many calls of `run` take about `ms` milliseconds, warming it up.
fn calls_in(run: &mut Box<dyn FnMut(u64) + '_>, ms: f64) -> u64 {
    let mut calls = 1;
    loop {
        let started = Instant::now();
        run(calls);
        let elapsed = started.elapsed().as_secs_f64() * 1e3;
        if elapsed >= ms / 4.0 {
            return ((calls as f64 * ms / elapsed) as u64).max(1);
        }
        calls *= 2;
    }
}

/// The median of `values`.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    }
}

/// The median over turns of `a`'s time divided by `b`'s in the same turn.
pub fn paired_ratio(a: &[f64], b: &[f64]) -> f64 {
    let ratios: Vec<f64> = a.iter().zip(b).map(|(a, b)| a / b).collect();
    median(&ratios)
}
