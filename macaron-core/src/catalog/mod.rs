//! Every error type of the program, found at run time: for documentation,
//! tools, and a test that codes are unambiguous.
//!
//! `snapshot` checks the catalog against the one a service committed;
//! `reference` renders the page documentation URLs point into.

mod reference;
mod snapshot;

pub use reference::{reference_html, reference_markdown};
pub use snapshot::{
    check_snapshot, check_snapshot_of, CatalogDiff, SnapshotError, OVERWRITE_VARIABLE,
};

use crate::registry::registrations;
use crate::unhandled::UNHANDLED_INFO;
use crate::ErrorInfo;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Every declared error of the program: one entry per struct, enum variant
/// and `define_errors!` type of every non-generic type that derives
/// `ApiError` (macaron's own ready-made errors included, and the 500
/// `UNHANDLED_SERVER_ERROR` of errors nobody declared), sorted by code,
/// then type. No list to keep by hand: types register themselves when
/// they are linked in.
///
/// ```
/// #[derive(Debug, macaron_core::ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// let catalog = macaron_core::catalog();
/// let entry = catalog.iter().find(|info| info.type_name == "UnknownUser").unwrap();
/// assert_eq!((entry.code, entry.status.as_u16()), ("UNKNOWN_USER", 404));
/// assert!(catalog.iter().any(|info| info.code == "NOT_FOUND"));
/// ```
pub fn catalog() -> Vec<&'static ErrorInfo> {
    // Registrations are fixed once the program is linked: sorted once.
    static ENTRIES: std::sync::OnceLock<Vec<&'static ErrorInfo>> = std::sync::OnceLock::new();
    ENTRIES.get_or_init(collect).clone()
}

fn collect() -> Vec<&'static ErrorInfo> {
    let mut entries: Vec<&'static ErrorInfo> = registrations()
        .flat_map(|registration| registration.catalog.entries())
        .chain([&UNHANDLED_INFO])
        .collect();
    // A transparent variant lists the wrapped type's entries again.
    entries.sort_by(|a, b| {
        (a.code, a.module_path, a.type_name, a.variant).cmp(&(
            b.code,
            b.module_path,
            b.type_name,
            b.variant,
        ))
    });
    entries.dedup_by(|a, b| std::ptr::eq(*a, *b));
    entries
}

/// Two or more declared errors sharing a code with different statuses:
/// a client that matches on the code cannot know what it means.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeConflicts(Vec<(&'static str, Vec<&'static ErrorInfo>)>);

impl CodeConflicts {
    /// Each ambiguous code, with the errors declaring it.
    pub fn conflicts(&self) -> &[(&'static str, Vec<&'static ErrorInfo>)] {
        &self.0
    }
}

impl fmt::Display for CodeConflicts {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(formatter, "error codes declared with different statuses:")?;
        for (code, errors) in &self.0 {
            write!(formatter, "- {code}:")?;
            for error in errors {
                write!(
                    formatter,
                    " {} ({}),",
                    declared_at(error),
                    error.status.as_u16()
                )?;
            }
            writeln!(formatter)?;
        }
        Ok(())
    }
}

impl fmt::Debug for CodeConflicts {
    /// The same clear list, for `check_unique_codes().unwrap()` in a test.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, formatter)
    }
}

impl std::error::Error for CodeConflicts {}

/// `module::Type::Variant`.
fn declared_at(error: &ErrorInfo) -> String {
    match error.variant {
        Some(variant) => format!("{}::{}::{variant}", error.module_path, error.type_name),
        None => format!("{}::{}", error.module_path, error.type_name),
    }
}

/// Fails, listing them, when two errors of the program share a code with
/// different statuses. One line in a test:
///
/// ```
/// macaron_core::catalog::check_unique_codes().unwrap();
/// ```
pub fn check_unique_codes() -> Result<(), CodeConflicts> {
    let mut by_code: BTreeMap<&'static str, Vec<&'static ErrorInfo>> = BTreeMap::new();
    for entry in super::catalog() {
        by_code.entry(entry.code).or_default().push(entry);
    }
    let conflicts: Vec<_> = by_code
        .into_iter()
        .filter(|(_, errors)| errors.iter().any(|error| error.status != errors[0].status))
        .collect();
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(CodeConflicts(conflicts))
    }
}

/// The entries as a JSON array, for publishing an error reference: per
/// entry `code`, `status`, `type`, `description`, `user_message`, `doc`,
/// `headers` and `data`.
pub fn to_json(entries: &[&ErrorInfo]) -> Value {
    let entries: Vec<EntryJson<'_>> = entries.iter().map(|entry| EntryJson(entry)).collect();
    serde_json::to_value(entries).unwrap_or(Value::Null)
}

/// An entry as JSON, keys in the same order whatever serde_json's
/// features, so that a snapshot file changes only when the catalog does.
struct EntryJson<'a>(&'a ErrorInfo);

impl Serialize for EntryJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let EntryJson(entry) = self;
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("code", entry.code)?;
        map.serialize_entry("status", &entry.status.as_u16())?;
        map.serialize_entry("type", &declared_at(entry))?;
        map.serialize_entry("description", entry.description)?;
        map.serialize_entry("user_message", &entry.user_message)?;
        map.serialize_entry("doc", entry.doc)?;
        map.serialize_entry("headers", entry.headers)?;
        map.serialize_entry("data", entry.data)?;
        map.end()
    }
}

/// The entries as a Markdown table: code, status, description, user
/// message, documentation.
pub fn to_markdown(entries: &[&ErrorInfo]) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let mut table = String::from(
        "| Code | Status | Description | User message | Documentation |\n|---|---|---|---|---|\n",
    );
    for entry in entries {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            entry.code,
            entry.status.as_u16(),
            cell(entry.description),
            cell(entry.user_message.unwrap_or("")),
            cell(entry.doc),
        ));
    }
    table
}
