//! Nothing: the benchmarks are the `[[bench]]` targets.
