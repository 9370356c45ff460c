#!/usr/bin/env bash
# Every measurement of BENCHMARKS.md, then BENCHMARKS.md itself. Takes about
# twenty-five minutes on two cores; `--runs N` sets the compile-time repetitions.
# (`cargo bench -p macaron-benches` gives criterion's statistics of the same
# run-time cases.)
set -euo pipefail
cd "$(dirname "$0")/.."
# The end-to-end benchmark's load generator, from Debian.
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk; else sudo apt-get install -y -q wrk; fi
fi
cargo run --release -p macaron-benches --bin ratios
cargo run --release -p macaron-benches --bin e2e
cargo run --release -p macaron-benches --bin compile-time -- "$@"
cargo run --release -p macaron-benches --bin report
