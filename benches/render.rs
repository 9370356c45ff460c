//! The render cases of `macaron_benches::render`, and the gRPC ones of
//! `macaron_benches::grpc`, in criterion groups.
//! `cargo bench -p macaron-benches --bench render`.

use criterion::{criterion_group, criterion_main, Criterion};
use macaron_benches::grpc::GRPC;
use macaron_benches::render::{INTERPOLATED, STATIC};

fn render(c: &mut Criterion) {
    for (group, cases) in [
        ("static", STATIC),
        ("interpolated", INTERPOLATED),
        ("grpc", GRPC),
    ] {
        let mut group = c.benchmark_group(group);
        for &(name, case) in cases {
            group.bench_function(name, |b| b.iter(|| case(42)));
        }
        group.finish();
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
