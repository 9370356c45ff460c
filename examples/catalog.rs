//! The error reference of the login service, as Markdown (and JSON with
//! `--json`): `cargo run --example catalog`.

// Declared here for their catalog entries only: nothing constructs them.
#[allow(dead_code)]
#[path = "login/errors.rs"]
mod errors;

fn main() {
    macaron_core::catalog::check_unique_codes().expect("unambiguous codes");
    let entries: Vec<_> = macaron_core::catalog()
        .into_iter()
        .filter(|entry| entry.module_path.starts_with(module_path!()))
        .collect();
    if std::env::args().any(|argument| argument == "--json") {
        let json = macaron_core::catalog::to_json(&entries);
        println!("{}", serde_json::to_string_pretty(&json).expect("JSON"));
    } else {
        print!("{}", macaron_core::catalog::to_markdown(&entries));
    }
}
