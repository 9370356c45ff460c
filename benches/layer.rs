//! What `MacaronLayer` adds to a minimal axum service, in-process: the
//! same router with and without the layer, a success and an error.
//! `cargo bench -p macaron-benches --bench layer`.

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion};
use http::Request;
use macaron_core::{ApiError, Config, MacaronLayer, Reporting};
use tower::ServiceExt as _;

#[derive(Debug, ApiError)]
#[error("no user with id {id}", code = "UNKNOWN_USER", status = 404)]
struct UnknownUser {
    id: u64,
}

fn router() -> Router {
    Router::new().route("/ok", get(|| async { "ok" })).route(
        "/error",
        get(|| async { Err::<&str, _>(UnknownUser { id: 42 }) }),
    )
}

fn layer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let config = Config::builder().reporting(Reporting::Off).build();
    let without = router();
    let with = router().layer(MacaronLayer::new(config));
    let mut group = c.benchmark_group("layer");
    for path in ["/ok", "/error"] {
        for (name, router) in [("without", &without), ("with", &with)] {
            group.bench_function(format!("{}_{name}", &path[1..]), |b| {
                b.to_async(&runtime).iter(|| async {
                    let request = Request::get(path).body(Body::empty()).expect("a request");
                    router.clone().oneshot(request).await.expect("a response")
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, layer);
criterion_main!(benches);
