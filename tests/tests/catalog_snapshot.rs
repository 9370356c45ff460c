//! A committed catalog snapshot guards clients across releases: the login
//! service's is checked as a service would, and the checker itself on
//! snapshots that a release breaks.

#[allow(dead_code)]
#[path = "../../examples/login/errors.rs"]
mod errors;

use macaron_core::catalog::{check_snapshot_of, CatalogDiff, SnapshotError};
use macaron_core::ErrorInfo;
use serde_json::{json, Value};
use std::path::PathBuf;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/login_catalog.json");

fn login() -> Vec<&'static ErrorInfo> {
    macaron_core::catalog()
        .into_iter()
        .filter(|entry| entry.module_path == "catalog_snapshot::errors")
        .collect()
}

/// The committed snapshot, changed by `edit`, written where no other test
/// writes.
fn snapshot_edited(name: &str, edit: impl FnOnce(&mut Vec<Value>)) -> PathBuf {
    let text = std::fs::read_to_string(SNAPSHOT).unwrap();
    let Value::Array(mut entries) = serde_json::from_str(&text).unwrap() else {
        panic!("the snapshot is an array");
    };
    edit(&mut entries);
    let path = std::env::temp_dir().join(format!(
        "macaron-snapshot-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, serde_json::to_string(&entries).unwrap()).unwrap();
    path
}

fn entry<'a>(entries: &'a mut [Value], code: &str) -> &'a mut Value {
    entries
        .iter_mut()
        .find(|entry| entry["code"] == code)
        .unwrap()
}

#[test]
fn the_login_service_keeps_its_catalog() {
    assert_eq!(
        check_snapshot_of(&login(), SNAPSHOT),
        Ok(CatalogDiff::default())
    );
}

#[test]
fn the_snapshot_is_the_catalog_as_json() {
    let text = std::fs::read_to_string(SNAPSHOT).unwrap();
    let snapshot: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        snapshot[0],
        json!({
            "code": "AUTHORIZATION_HEADER_MISSING",
            "status": 401,
            "type": "catalog_snapshot::errors::AuthorizationHeaderMissing",
            "description": "the Authorization header is missing",
            "user_message": null,
            "doc": "No `Authorization` header.",
            "headers": [],
            "data": [],
        })
    );
    let codes: Vec<&str> = snapshot
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "AUTHORIZATION_HEADER_MISSING",
            "INVALID_USER",
            "PAYMENT_REQUIRED",
            "RATE_LIMITED",
            "TOKEN_INVALID",
            "UNKNOWN_USER",
        ]
    );
}

#[test]
fn a_removed_code_fails_with_the_list_of_breaking_changes() {
    let path = snapshot_edited("removed", |entries| {
        entries.push(json!({"code": "ACCOUNT_LOCKED", "status": 423, "type": "errors::Locked"}));
        entry(entries, "INVALID_USER")["status"] = json!(403);
        entry(entries, "TOKEN_INVALID")["status"] = json!(500);
        let rate_limited = entry(entries, "RATE_LIMITED");
        rate_limited["data"] = json!(["attempts", "limit"]);
        rate_limited["headers"] = json!(["retry-after", "x-rate-limit"]);
        entry(entries, "UNKNOWN_USER")["doc"] = json!("Nobody has this id.");
        entries.retain(|entry| entry["code"] != "PAYMENT_REQUIRED");
    });
    let error = check_snapshot_of(&login(), &path).unwrap_err();
    let SnapshotError::Breaking { diff, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(
        diff.breaking,
        [
            "removed `ACCOUNT_LOCKED` (423)",
            "`INVALID_USER`: status 403 is now 401",
            "`RATE_LIMITED`: no longer sends the data key `limit`",
            "`RATE_LIMITED`: no longer sets the header `x-rate-limit`",
            "`TOKEN_INVALID`: status 500 is now 401, another status class",
        ]
    );
    assert_eq!(
        diff.compatible,
        [
            "`UNKNOWN_USER`: doc comment changed",
            "added `PAYMENT_REQUIRED` (402)",
        ]
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the error catalog breaks clients of {path}:
- removed `ACCOUNT_LOCKED` (423)
- `INVALID_USER`: status 403 is now 401
- `RATE_LIMITED`: no longer sends the data key `limit`
- `RATE_LIMITED`: no longer sets the header `x-rate-limit`
- `TOKEN_INVALID`: status 500 is now 401, another status class
the error catalog changed compatibly since {path}:
- `UNKNOWN_USER`: doc comment changed
- added `PAYMENT_REQUIRED` (402)
if intended, update the snapshot: MACARON_CATALOG=overwrite cargo test
",
            path = path.display()
        )
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn additions_and_new_texts_pass_and_are_listed() {
    let path = snapshot_edited("additions", |entries| {
        entries.retain(|entry| entry["code"] != "PAYMENT_REQUIRED");
        let rate_limited = entry(entries, "RATE_LIMITED");
        rate_limited["data"] = json!([]);
        rate_limited["user_message"] = json!("Wait a little");
        rate_limited["type"] = json!("errors::Throttled");
        entry(entries, "UNKNOWN_USER")["description"] = json!("unknown user");
    });
    let diff = check_snapshot_of(&login(), &path).unwrap();
    assert_eq!(diff.breaking, Vec::<String>::new());
    assert_eq!(
        diff.compatible,
        [
            "`RATE_LIMITED`: sends the data key `attempts`",
            "`RATE_LIMITED`: type changed",
            "`RATE_LIMITED`: user message changed",
            "`UNKNOWN_USER`: description changed",
            "added `PAYMENT_REQUIRED` (402)",
        ]
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_code_that_gains_a_status_keeps_its_clients() {
    let path = snapshot_edited("gains", |entries| {
        let mut second = entry(entries, "TOKEN_INVALID").clone();
        second["status"] = json!(403);
        entries.push(second);
    });
    let error = check_snapshot_of(&login(), &path).unwrap_err();
    let SnapshotError::Breaking { diff, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(
        diff.breaking,
        ["`TOKEN_INVALID`: status 401 or 403 is now 401"]
    );
    std::fs::remove_file(&path).unwrap();

    let path = snapshot_edited("gained", |entries| {
        entries.retain(|entry| entry["code"] != "TOKEN_INVALID");
        entries.push(json!({"code": "TOKEN_INVALID", "status": 401}));
        entries.push(json!({"code": "TOKEN_INVALID", "status": 401, "doc": "old"}));
    });
    assert_eq!(
        check_snapshot_of(&login(), &path).unwrap().breaking,
        Vec::<String>::new()
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_missing_or_malformed_snapshot_fails_with_its_reason() {
    let missing = std::env::temp_dir().join("macaron-snapshot-that-does-not-exist.json");
    let error = check_snapshot_of(&login(), &missing).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot read the catalog snapshot {}: No such file or directory (os error 2)\n\
             MACARON_CATALOG=overwrite writes the current catalog there\n",
            missing.display()
        )
    );

    for (name, text, reason) in [
        (
            "not-json",
            "[{",
            "not JSON: EOF while parsing an object at line 1 column 2",
        ),
        ("object", "{}", "not a JSON array of catalog entries"),
        (
            "no-status",
            r#"[{"code": "A"}]"#,
            "entry 0 has no string `code` and numeric `status`",
        ),
        (
            "big-status",
            r#"[{"code": "A", "status": 65536}]"#,
            "entry 0 has no string `code` and numeric `status`",
        ),
        (
            "data",
            r#"[{"code": "A", "status": 400, "data": "limit"}]"#,
            "entry 0: `data` is not an array of strings",
        ),
        (
            "doc",
            r#"[{"code": "A", "status": 400, "doc": 7}]"#,
            "entry 0: `doc` is not a string",
        ),
    ] {
        let path = std::env::temp_dir().join(format!(
            "macaron-snapshot-{}-{name}.json",
            std::process::id()
        ));
        std::fs::write(&path, text).unwrap();
        assert_eq!(
            check_snapshot_of(&login(), &path),
            Err(SnapshotError::Unreadable {
                path: path.clone(),
                reason: reason.into(),
            }),
            "{name}"
        );
        std::fs::remove_file(path).unwrap();
    }
}
