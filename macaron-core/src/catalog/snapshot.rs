//! Catalog snapshots: the catalog a service committed, checked against the
//! one it builds, so that a release cannot silently break the clients
//! that match on its codes.

use super::EntryJson;
use crate::ErrorInfo;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable that, set to `overwrite`, makes
/// [`check_snapshot`] write the current catalog to the snapshot instead of
/// checking it.
pub const OVERWRITE_VARIABLE: &str = "MACARON_CATALOG";

/// Checks the whole [`catalog`](crate::catalog()) against the snapshot at
/// `path` (relative to the package when run by `cargo test`), a JSON file
/// the service commits. One line in a test:
///
/// ```no_run
/// # fn main() -> Result<(), macaron_core::catalog::SnapshotError> {
/// macaron_core::catalog::check_snapshot("errors.json")?;
/// # Ok(())
/// # }
/// ```
///
/// It fails, listing them, on changes that break a client: a code
/// removed, a code's status changed (said so when it moves to another
/// status class), a data key or header no longer sent. It passes on
/// changes a client cannot notice (a code added, a data key added, a
/// description, user message, doc comment or type changed), printing them
/// on standard error with a reminder to update the snapshot. A missing or
/// unreadable snapshot fails. With `MACARON_CATALOG=overwrite` in the
/// environment it writes the current catalog to `path` instead, and
/// passes.
pub fn check_snapshot(path: impl AsRef<Path>) -> Result<CatalogDiff, SnapshotError> {
    check_snapshot_of(&crate::catalog(), path)
}

/// [`check_snapshot`] for some entries of the catalog only, such as the
/// service's own.
///
/// ```
/// #[derive(Debug, macaron_core::ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// let mine: Vec<_> = macaron_core::catalog()
///     .into_iter()
///     .filter(|entry| entry.type_name == "UnknownUser")
///     .collect();
/// let path = std::env::temp_dir().join("macaron-doc-snapshot.json");
/// std::fs::write(&path, "[]").unwrap();
/// let diff = macaron_core::catalog::check_snapshot_of(&mine, &path).unwrap();
/// assert_eq!(diff.compatible, ["added `UNKNOWN_USER` (404)"]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn check_snapshot_of(
    entries: &[&ErrorInfo],
    path: impl AsRef<Path>,
) -> Result<CatalogDiff, SnapshotError> {
    let path = path.as_ref();
    let current_text = snapshot_text(entries);
    let current: Value = serde_json::from_str(&current_text).expect("the snapshot text is JSON");
    if std::env::var(OVERWRITE_VARIABLE).as_deref() == Ok("overwrite") {
        return overwrite(path, &current, current_text);
    }
    let text = std::fs::read_to_string(path).map_err(|error| SnapshotError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    let snapshot: Value =
        serde_json::from_str(&text).map_err(|error| SnapshotError::Unreadable {
            path: path.to_owned(),
            reason: format!("not JSON: {error}"),
        })?;
    let was = by_code(&snapshot).map_err(|reason| SnapshotError::Unreadable {
        path: path.to_owned(),
        reason,
    })?;
    let now = by_code(&current).expect("the catalog's own JSON is a snapshot");
    let diff = compare(&was, &now);
    if !diff.breaking.is_empty() {
        return Err(SnapshotError::Breaking {
            path: path.to_owned(),
            diff,
        });
    }
    if !diff.compatible.is_empty() {
        eprint!("{}", Listed(path, &diff));
    }
    Ok(diff)
}

/// The entries as the snapshot file holds them: pretty JSON, keys in the
/// same order whatever serde_json's features, so that the file changes
/// only when the catalog does.
fn snapshot_text(entries: &[&ErrorInfo]) -> String {
    let entries: Vec<EntryJson<'_>> = entries.iter().map(|entry| EntryJson(entry)).collect();
    let mut text = serde_json::to_string_pretty(&entries).expect("JSON of strings and numbers");
    text.push('\n');
    text
}

/// Writes the snapshot, when its text changed, and says what changed.
fn overwrite(path: &Path, current: &Value, text: String) -> Result<CatalogDiff, SnapshotError> {
    let previous = std::fs::read_to_string(path).ok();
    let was = previous
        .as_deref()
        .and_then(|previous| serde_json::from_str(previous).ok())
        .and_then(|previous: Value| by_code(&previous).ok())
        .unwrap_or_default();
    let now = by_code(current).expect("the catalog's own JSON is a snapshot");
    let diff = compare(&was, &now);
    if previous.as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).map_err(|error| SnapshotError::Unwritable {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
        eprintln!("macaron: wrote the catalog snapshot {}", path.display());
    }
    Ok(diff)
}

/// What differs between a snapshot and the catalog, one sentence each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogDiff {
    /// Changes that break a client matching on codes, statuses and data.
    pub breaking: Vec<String>,
    /// Changes a client cannot notice, which the snapshot does not have
    /// yet.
    pub compatible: Vec<String>,
}

/// Why [`check_snapshot`] failed.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The catalog breaks the snapshot's clients.
    Breaking {
        /// The snapshot.
        path: PathBuf,
        /// The breaking changes, and the others.
        diff: CatalogDiff,
    },
    /// The snapshot is missing or is not one.
    Unreadable {
        /// The snapshot.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `MACARON_CATALOG=overwrite` could not write the snapshot.
    Unwritable {
        /// The snapshot.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Breaking { path, diff } => {
                write!(formatter, "{}", Listed(path, diff))
            }
            SnapshotError::Unreadable { path, reason } => write!(
                formatter,
                "cannot read the catalog snapshot {}: {reason}\n\
                 {OVERWRITE_VARIABLE}=overwrite writes the current catalog there\n",
                path.display()
            ),
            SnapshotError::Unwritable { path, reason } => writeln!(
                formatter,
                "cannot write the catalog snapshot {}: {reason}",
                path.display()
            ),
        }
    }
}

impl fmt::Debug for SnapshotError {
    /// The same clear list, for `check_snapshot(...).unwrap()` in a test.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, formatter)
    }
}

impl std::error::Error for SnapshotError {}

/// A diff as a reader of a failed test wants it.
struct Listed<'a>(&'a Path, &'a CatalogDiff);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Listed(path, diff) = self;
        if !diff.breaking.is_empty() {
            writeln!(
                formatter,
                "the error catalog breaks clients of {}:",
                path.display()
            )?;
            for change in &diff.breaking {
                writeln!(formatter, "- {change}")?;
            }
        }
        if !diff.compatible.is_empty() {
            writeln!(
                formatter,
                "the error catalog changed compatibly since {}:",
                path.display()
            )?;
            for change in &diff.compatible {
                writeln!(formatter, "- {change}")?;
            }
        }
        writeln!(
            formatter,
            "if intended, update the snapshot: {OVERWRITE_VARIABLE}=overwrite cargo test"
        )
    }
}

/// What a snapshot says of one code, over every error declaring it.
#[derive(Debug, Default, PartialEq, Eq)]
struct CodeEntry {
    statuses: BTreeSet<u16>,
    data: BTreeSet<String>,
    headers: BTreeSet<String>,
    /// The other texts, by key: type, description, user message, doc.
    texts: BTreeMap<&'static str, BTreeSet<String>>,
}

const TEXTS: [(&str, &str); 4] = [
    ("type", "type"),
    ("description", "description"),
    ("user_message", "user message"),
    ("doc", "doc comment"),
];

/// A snapshot's entries by code; an error says which entry is not one.
fn by_code(snapshot: &Value) -> Result<BTreeMap<String, CodeEntry>, String> {
    let entries = snapshot
        .as_array()
        .ok_or("not a JSON array of catalog entries")?;
    let mut codes: BTreeMap<String, CodeEntry> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let field = |key: &str| entry.get(key).filter(|value| !value.is_null());
        let code = field("code").and_then(Value::as_str);
        let status = field("status")
            .and_then(Value::as_u64)
            .and_then(|status| u16::try_from(status).ok());
        let (Some(code), Some(status)) = (code, status) else {
            return Err(format!(
                "entry {index} has no string `code` and numeric `status`"
            ));
        };
        let names = |key: &str| -> Result<Vec<String>, String> {
            match field(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(names)) => names
                    .iter()
                    .map(|name| name.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("entry {index}: `{key}` is not an array of strings")),
                Some(_) => Err(format!("entry {index}: `{key}` is not an array of strings")),
            }
        };
        let code_entry = codes.entry(code.to_owned()).or_default();
        code_entry.statuses.insert(status);
        code_entry.data.extend(names("data")?);
        code_entry.headers.extend(names("headers")?);
        for (key, _) in TEXTS {
            let text = match field(key) {
                None => String::new(),
                Some(Value::String(text)) => text.clone(),
                Some(_) => return Err(format!("entry {index}: `{key}` is not a string")),
            };
            code_entry.texts.entry(key).or_default().insert(text);
        }
    }
    Ok(codes)
}

/// The changes from `was` to `now`, code by code in code order.
fn compare(was: &BTreeMap<String, CodeEntry>, now: &BTreeMap<String, CodeEntry>) -> CatalogDiff {
    let mut diff = CatalogDiff::default();
    for (code, before) in was {
        let Some(after) = now.get(code) else {
            diff.breaking
                .push(format!("removed `{code}` ({})", statuses(&before.statuses)));
            continue;
        };
        if !before.statuses.is_subset(&after.statuses) {
            let classes = |set: &BTreeSet<u16>| {
                set.iter()
                    .map(|status| status / 100)
                    .collect::<BTreeSet<_>>()
            };
            let moved = if classes(&before.statuses) == classes(&after.statuses) {
                ""
            } else {
                ", another status class"
            };
            diff.breaking.push(format!(
                "`{code}`: status {} is now {}{moved}",
                statuses(&before.statuses),
                statuses(&after.statuses)
            ));
        } else if before.statuses != after.statuses {
            diff.compatible.push(format!(
                "`{code}`: status {} is now {}",
                statuses(&before.statuses),
                statuses(&after.statuses)
            ));
        }
        for key in before.data.difference(&after.data) {
            diff.breaking
                .push(format!("`{code}`: no longer sends the data key `{key}`"));
        }
        for header in before.headers.difference(&after.headers) {
            diff.breaking
                .push(format!("`{code}`: no longer sets the header `{header}`"));
        }
        for key in after.data.difference(&before.data) {
            diff.compatible
                .push(format!("`{code}`: sends the data key `{key}`"));
        }
        for header in after.headers.difference(&before.headers) {
            diff.compatible
                .push(format!("`{code}`: sets the header `{header}`"));
        }
        for (key, name) in TEXTS {
            if before.texts.get(key) != after.texts.get(key) {
                diff.compatible.push(format!("`{code}`: {name} changed"));
            }
        }
    }
    for (code, after) in now {
        if !was.contains_key(code) {
            diff.compatible
                .push(format!("added `{code}` ({})", statuses(&after.statuses)));
        }
    }
    diff
}

/// `404`, or `400 or 422` for a code declared with several statuses.
fn statuses(statuses: &BTreeSet<u16>) -> String {
    let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
    statuses.join(" or ")
}
