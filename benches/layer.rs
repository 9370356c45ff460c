//! The layer cases of `macaron_benches::layer` in a criterion group.
//! `cargo bench -p macaron-benches --bench layer`.

use criterion::{criterion_group, criterion_main, Criterion};
use macaron_benches::layer::{request, subjects, PATHS};

fn layer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let subjects = subjects();
    let mut group = c.benchmark_group("layer");
    for path in PATHS {
        for (name, subject) in &subjects {
            group.bench_function(format!("{}_{name}", &path[1..]), |b| {
                b.to_async(&runtime).iter(|| request(subject, path))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, layer);
criterion_main!(benches);
