//! macaron-core's modules stay in the layers its `lib.rs` declares: no
//! module uses one of a later layer, and no two modules use each other,
//! directly or around a longer cycle. Read from the sources, so that a
//! new `use` that breaks the layering fails here, not in a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../macaron-core/src")
}

/// Each module's layer, from the `// N. Name` lines that head the groups
/// of `mod` declarations in `lib.rs`.
fn layers(lib: &str) -> BTreeMap<String, u32> {
    let mut layers = BTreeMap::new();
    let mut layer = None;
    for line in lib.lines().map(str::trim) {
        if let Some(heading) = line.strip_prefix("// ") {
            if let Some((number, name)) = heading.split_once(". ") {
                if !name.contains(':') {
                    layer = number.parse::<u32>().ok().or(layer);
                }
            }
        }
        let declared = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        // `__private` only re-exports, for generated code.
        if let (Some(module), Some(layer)) = (declared, layer) {
            if !module.starts_with("__") {
                layers.insert(module.to_owned(), layer);
            }
        }
    }
    layers
}

/// The module each name the crate root re-exports comes from.
fn root_names(lib: &str, layers: &BTreeMap<String, u32>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(used) = statement.trim().rsplit("pub use ").next() else {
            continue;
        };
        let Some((module, items)) = used.split_once("::") else {
            continue;
        };
        if !layers.contains_key(module) {
            continue;
        }
        for name in identifiers(items) {
            names.insert(name, module.to_owned());
        }
    }
    names
}

fn identifiers(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The code of a module, without comments: its file, or every file of its
/// directory.
fn code_of(module: &str) -> String {
    let directory = source_directory();
    let file = directory.join(format!("{module}.rs"));
    let files: Vec<PathBuf> = if file.exists() {
        vec![file]
    } else {
        std::fs::read_dir(directory.join(module))
            .unwrap_or_else(|error| panic!("no source for module {module}: {error}"))
            .map(|entry| entry.unwrap().path())
            .collect()
    };
    files
        .iter()
        .flat_map(|file| {
            std::fs::read_to_string(file)
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(|line| format!("{line}\n"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The modules `code` uses: through `crate::module`, or through a name the
/// crate root re-exports (`crate::Config`, `use crate::{Config, ...}`).
fn uses(
    code: &str,
    layers: &BTreeMap<String, u32>,
    names: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (start, _) in code.match_indices("crate::") {
        let rest = &code[start + "crate::".len()..];
        let named = if let Some(group) = rest.strip_prefix('{') {
            identifiers(&group[..group.find(';').unwrap_or(group.len())])
        } else {
            identifiers(rest).into_iter().take(1).collect()
        };
        for name in named {
            if layers.contains_key(&name) {
                used.insert(name);
            } else if let Some(module) = names.get(&name) {
                used.insert(module.clone());
            }
        }
    }
    used
}

#[test]
fn no_module_uses_a_later_layer_or_a_module_that_uses_it_back() {
    let lib = std::fs::read_to_string(source_directory().join("lib.rs")).unwrap();
    let layers = layers(&lib);
    assert!(layers.len() > 30, "the layers of lib.rs: {layers:?}");
    let names = root_names(&lib, &layers);
    assert_eq!(names.get("Config").map(String::as_str), Some("config"));

    let graph: BTreeMap<&str, BTreeSet<String>> = layers
        .keys()
        .map(|module| {
            let mut used = uses(&code_of(module), &layers, &names);
            used.remove(module);
            (module.as_str(), used)
        })
        .collect();

    let mut upward = Vec::new();
    for (module, used) in &graph {
        for other in used {
            if layers[other] > layers[*module] {
                upward.push(format!(
                    "{module} (layer {}) uses {other} (layer {})",
                    layers[*module], layers[other]
                ));
            }
        }
    }
    assert_eq!(upward, Vec::<String>::new());

    // A cycle inside a layer: a module reaches itself again.
    let mut cycles = Vec::new();
    for &start in graph.keys() {
        let mut stack = vec![(start, vec![start])];
        let mut seen = BTreeSet::new();
        while let Some((module, path)) = stack.pop() {
            for next in &graph[module] {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.as_str()) {
                    let mut path = path.clone();
                    path.push(next);
                    stack.push((next, path));
                }
            }
        }
    }
    assert_eq!(cycles, Vec::<String>::new());
}

#[test]
fn the_reading_of_uses_sees_each_form() {
    let layers: BTreeMap<String, u32> = [("config", 4), ("report", 3), ("error", 2)]
        .into_iter()
        .map(|(module, layer)| (module.to_owned(), layer))
        .collect();
    let names: BTreeMap<String, String> = [("Config", "config"), ("Error", "error")]
        .into_iter()
        .map(|(name, module)| (name.to_owned(), module.to_owned()))
        .collect();
    let code = "use crate::{Config, report::{Caught, Reporter}};\nfn f() { crate::Error::msg(1); }";
    assert_eq!(
        uses(code, &layers, &names),
        ["config", "error", "report"]
            .into_iter()
            .map(str::to_owned)
            .collect()
    );
    let lib = "// 1. Bodies: `json`, `body`\n// 1. Bodies\nmod json;\n// 2. The model\npub mod catalog;\n";
    assert_eq!(
        layers_of(lib),
        [("catalog".to_owned(), 2), ("json".to_owned(), 1)]
    );
}

fn layers_of(lib: &str) -> Vec<(String, u32)> {
    layers(lib).into_iter().collect()
}
