//! `MACARON_CATALOG=overwrite` writes the catalog to the snapshot. Alone in
//! its test binary: it sets an environment variable, which other tests
//! running at the same time would see.

use macaron_core::catalog::{check_snapshot_of, CatalogDiff};
use macaron_core::define_errors;

define_errors! {
    /// The token is not one we issued.
    pub TokenInvalid(status = 401, user_message = "Please log in again");
}

#[test]
fn overwrite_writes_the_snapshot_and_says_what_changed() {
    let entries: Vec<_> = macaron_core::catalog()
        .into_iter()
        .filter(|entry| entry.module_path == "catalog_snapshot_overwrite")
        .collect();
    let path = std::env::temp_dir().join(format!(
        "macaron-snapshot-{}-overwrite.json",
        std::process::id()
    ));
    std::fs::write(&path, r#"[{"code": "GONE", "status": 410}]"#).unwrap();

    std::env::set_var("MACARON_CATALOG", "overwrite");
    let diff = check_snapshot_of(&entries, &path).unwrap();
    std::env::remove_var("MACARON_CATALOG");

    assert_eq!(diff.breaking, ["removed `GONE` (410)"]);
    assert_eq!(diff.compatible, ["added `TOKEN_INVALID` (401)"]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        r#"[
  {
    "code": "TOKEN_INVALID",
    "status": 401,
    "type": "catalog_snapshot_overwrite::TokenInvalid",
    "description": "Unauthorized",
    "user_message": "Please log in again",
    "doc": "The token is not one we issued.",
    "headers": [],
    "data": []
  }
]
"#
    );
    assert_eq!(
        check_snapshot_of(&entries, &path),
        Ok(CatalogDiff::default())
    );
    std::fs::remove_file(path).unwrap();
}
