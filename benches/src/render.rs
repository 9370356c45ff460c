//! An error to an HTTP response: macaron's derive, `define_errors!` and
//! `Error`, beside the code a service would write without macaron. Each
//! case takes the interpolated id and hides its response from the
//! optimizer, by reference: moved into `black_box`, the response of the
//! `Error` cases was copied once more (144 bytes, whose reads stall on the
//! stores that just wrote them), a copy that a handler returning the
//! response does not make.

use crate::fixtures::{floor, InvalidUser, InvalidUserBatch, UnknownUser, UnknownUserBatch};
use axum::response::IntoResponse;
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{Response, StatusCode};
use http_api_problem::HttpApiProblem;
use macaron_core::{ApiError, Error};
use std::hint::black_box;

/// A group of cases: a name and a function of the id.
pub type Cases = [(&'static str, fn(u64))];

/// Static texts: the floor and macaron's three ways.
pub const STATIC: &Cases = &[
    ("floor", |_| {
        black_box(&floor());
    }),
    ("derive", |_| {
        black_box(&black_box(InvalidUser).to_response());
    }),
    ("define_errors", |_| {
        black_box(&black_box(InvalidUserBatch::default()).to_response());
    }),
    ("Error", |_| {
        black_box(&Error::from(black_box(InvalidUser)).to_response());
    }),
];

/// An interpolated description: the usual code without macaron, axum's
/// `Json`, http-api-problem, and macaron's three ways.
pub const INTERPOLATED: &Cases = &[
    ("hand_written", |id| {
        black_box(&hand_written(black_box(id)));
    }),
    ("axum_json", |id| {
        black_box(
            &(
                StatusCode::NOT_FOUND,
                axum::Json(hand_written_body(black_box(id))),
            )
                .into_response(),
        );
    }),
    ("http_api_problem", |id| {
        black_box(
            &HttpApiProblem::with_title(StatusCode::NOT_FOUND)
                .detail(format!("no user with id {}", black_box(id)))
                .value("code", &"UNKNOWN_USER")
                .value("user_message", &"Sorry, we don't know you")
                .to_axum_response(),
        );
    }),
    ("derive", |id| {
        black_box(&UnknownUser { id: black_box(id) }.to_response());
    }),
    ("define_errors", |id| {
        black_box(
            &UnknownUserBatch::new(format!("no user with id {}", black_box(id))).to_response(),
        );
    }),
    ("Error", |id| {
        black_box(&Error::from(UnknownUser { id: black_box(id) }).to_response());
    }),
];

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
