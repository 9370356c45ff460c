//! An error to an HTTP response: macaron's derive, `define_errors!` and
//! `Error`, beside the code a service would write without macaron, in the
//! same groups. `cargo bench -p macaron-benches --bench render`.

use axum::response::IntoResponse;
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use http::header::CONTENT_TYPE;
use http::{Response, StatusCode};
use http_api_problem::HttpApiProblem;
use macaron_core::{ApiError, Error};
use std::hint::black_box;

#[path = "fixtures.rs"]
mod fixtures;
use fixtures::{floor, InvalidUser, InvalidUserBatch, UnknownUser, UnknownUserBatch};

/// The body a service writes by hand.
#[derive(serde::Serialize)]
struct HandWrittenBody {
    error: &'static str,
    error_description: String,
    user_message: &'static str,
    status: u16,
}

fn hand_written_body(id: u64) -> HandWrittenBody {
    HandWrittenBody {
        error: "UNKNOWN_USER",
        error_description: format!("no user with id {id}"),
        user_message: "Sorry, we don't know you",
        status: 404,
    }
}

/// The usual hand-written code: `format!`, `serde_json::to_vec`,
/// `Response::builder()`.
fn hand_written(id: u64) -> Response<Bytes> {
    let body = serde_json::to_vec(&hand_written_body(id)).expect("a body");
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(CONTENT_TYPE, "application/json")
        .body(Bytes::from(body))
        .expect("a response")
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("static");
    group.bench_function("floor", |b| b.iter(floor));
    group.bench_function("derive", |b| {
        b.iter(|| black_box(InvalidUser).to_response())
    });
    group.bench_function("define_errors", |b| {
        b.iter(|| black_box(InvalidUserBatch::default()).to_response())
    });
    group.bench_function("Error", |b| {
        b.iter(|| Error::from(black_box(InvalidUser)).to_response())
    });
    group.finish();

    let id = 42;
    let mut group = c.benchmark_group("interpolated");
    group.bench_function("hand_written", |b| b.iter(|| hand_written(black_box(id))));
    group.bench_function("axum_json", |b| {
        b.iter(|| {
            (
                StatusCode::NOT_FOUND,
                axum::Json(hand_written_body(black_box(id))),
            )
                .into_response()
        })
    });
    group.bench_function("http_api_problem", |b| {
        b.iter(|| {
            HttpApiProblem::with_title(StatusCode::NOT_FOUND)
                .detail(format!("no user with id {}", black_box(id)))
                .value("code", &"UNKNOWN_USER")
                .value("user_message", &"Sorry, we don't know you")
                .to_axum_response()
        })
    });
    group.bench_function("derive", |b| {
        b.iter(|| UnknownUser { id: black_box(id) }.to_response())
    });
    group.bench_function("define_errors", |b| {
        b.iter(|| UnknownUserBatch::new(format!("no user with id {}", black_box(id))).to_response())
    });
    group.bench_function("Error", |b| {
        b.iter(|| Error::from(UnknownUser { id: black_box(id) }).to_response())
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
