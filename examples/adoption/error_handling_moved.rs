//! Step 2 of the walkthrough on axum's `examples/error-handling`: the
//! errors moved to macaron. The error type, its `IntoResponse`, the JSON
//! extractor wrapping rejections and the logging middleware are gone: the
//! layer translates axum's rejections, a failure of the time library is
//! the unhandled 500 (its text stays in the crash report), and crash
//! reports replace the logging middleware.

use super::time_library::Timestamp;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use macaron_core::{Config, Error, MacaronLayer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub fn app(config: Config) -> Router {
    Router::new()
        .route("/users", post(users_create))
        .with_state(AppState::default())
        .layer(MacaronLayer::new(config))
}

#[derive(Default, Clone)]
struct AppState {
    next_id: Arc<AtomicU64>,
    users: Arc<Mutex<HashMap<u64, User>>>,
}

#[derive(Deserialize)]
struct UserParams {
    name: String,
}

#[derive(Serialize, Clone)]
struct User {
    id: u64,
    name: String,
    created_at: Timestamp,
}

async fn users_create(
    State(state): State<AppState>,
    Json(params): Json<UserParams>,
) -> Result<Json<User>, Error> {
    let id = state.next_id.fetch_add(1, Ordering::SeqCst);
    let created_at = Timestamp::now()?;
    let user = User {
        id,
        name: params.name,
        created_at,
    };
    state.users.lock().unwrap().insert(id, user.clone());
    Ok(Json(user))
}
