#!/usr/bin/env bash
# Every measurement of BENCHMARKS.md, then BENCHMARKS.md itself. Takes about
# ten minutes on two cores; `--runs N` sets the compile-time repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p macaron-benches
cargo run --release -p macaron-benches --bin compile-time -- "$@"
cargo run --release -p macaron-benches --bin report
