//! `check_unique_codes` lists every code declared with different statuses.
//! A binary of its own: its conflicts must not fail the other tests.

use macaron_core::ApiError;

#[derive(Debug, ApiError)]
#[error("no such user", code = "USER_PROBLEM", status = 404)]
pub struct Missing;

#[derive(Debug, ApiError)]
pub enum Account {
    #[error("locked", code = "USER_PROBLEM", status = 423)]
    Locked,
    #[error("also missing", code = "NOT_FOUND", status = 404)]
    Gone,
}

#[test]
fn conflicts_are_listed_clearly() {
    let conflicts = macaron_core::catalog::check_unique_codes().unwrap_err();
    assert_eq!(
        conflicts.to_string(),
        "error codes declared with different statuses:\n\
         - USER_PROBLEM: catalog_conflicts::Account::Locked (423), catalog_conflicts::Missing (404),\n"
    );
    assert_eq!(format!("{conflicts:?}"), conflicts.to_string());
}
