#!/usr/bin/env bash
# Every measurement of BENCHMARKS.md, then BENCHMARKS.md itself. Takes about
# five minutes on two cores; `--runs N` sets the compile-time repetitions.
# (`cargo bench -p macaron-benches` gives criterion's statistics of the same
# run-time cases.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -p macaron-benches --bin ratios
cargo run --release -p macaron-benches --bin compile-time -- "$@"
cargo run --release -p macaron-benches --bin report
