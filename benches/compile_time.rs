//! Compile times: generates crates declaring 1000 errors with macaron and
//! with thiserror plus the code a user writes around it, declared only and
//! used (every error rendered once, as in a service), builds each several
//! times, and prints medians and ratios; also the clean build of
//! macaron-derive against thiserror-impl, the clean build of a new project
//! depending on macaron-core against one depending on thiserror,
//! serde_json and http, and the expanded size per variant. `types_by_hand`
//! is 1000 hand-written minimal error types: the least a type of its own
//! per error costs. Writes `target/macaron-bench/compile-time.json` for the
//! report.
//!
//! `cargo run --release -p macaron-benches --bin compile-time [-- --runs N]`

use macaron_benches::{
    cpu_ticks, median, number_argument, repository, results_directory, stdout_of, ticks_per_second,
};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const VARIANTS: usize = 1000;

/// Set for this program when cargo runs it as its `RUSTC_WRAPPER`: the
/// file where each compilation's crate and CPU time go.
const CPU_LOG: &str = "MACARON_BENCH_CPU_LOG";

fn main() {
    if let Some(log) = std::env::var_os(CPU_LOG) {
        wrap_rustc(Path::new(&log));
    }
    let runs = number_argument("--runs", 5);
    let repository = repository();
    let root = results_directory().join("compile-time");
    generate(&root, &repository);

    // Dependencies built once; then each crate alone, in turns, so that a
    // change in the machine's speed touches every crate alike.
    let crates = [
        "macaron_derive_enum",
        "macaron_define_errors",
        "thiserror_by_hand",
        "types_by_hand",
        "macaron_define_errors_used",
        "macaron_define_errors_structs",
        "macaron_define_errors_structs_used",
        "types_by_hand_used",
        "thiserror_by_hand_used",
    ];
    for name in crates {
        cargo(&root, &["build", "-p", name], None);
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); crates.len()];
    for _ in 0..runs {
        for (index, name) in crates.iter().enumerate() {
            touch(&root.join(name).join("src/lib.rs"));
            times[index].push(cargo(&root, &["build", "-p", name], None));
        }
    }

    let proc_macros = ["anchor_macaron_derive", "anchor_thiserror_impl"];
    let mut clean: Vec<Vec<f64>> = vec![Vec::new(); proc_macros.len()];
    for _ in 0..runs {
        for (index, name) in proc_macros.iter().enumerate() {
            let target = root.join("clean").join(name);
            let _ = std::fs::remove_dir_all(&target);
            clean[index].push(cargo(&root, &["build", "-p", name], Some(&target)));
        }
    }

    // A new project's first build: every dependency from source.
    let projects = ["new_project_macaron", "new_project_thiserror"];
    let mut builds: Vec<Vec<CleanBuild>> = vec![Vec::new(); projects.len()];
    for _ in 0..runs {
        for (index, name) in projects.iter().enumerate() {
            builds[index].push(clean_build(&root, name));
        }
    }

    let sizes: Vec<usize> = crates
        .iter()
        .map(|name| expanded_size(&root, name) / VARIANTS)
        .collect();

    // Each crate against thiserror's, declared only or used alike.
    let median_of = |name: &str| {
        let index = crates
            .iter()
            .position(|each| *each == name)
            .expect("a crate");
        median(&times[index])
    };
    let mut rows = Vec::new();
    for (index, name) in crates.iter().enumerate() {
        let anchor = if name.ends_with("_used") {
            median_of("thiserror_by_hand_used")
        } else {
            median_of("thiserror_by_hand")
        };
        let seconds = median(&times[index]);
        rows.push(serde_json::json!({
            "crate": name, "seconds": seconds, "ratio": seconds / anchor,
            "expanded_bytes_per_variant": sizes[index],
        }));
    }
    let anchor = median(&clean[1]);
    for (index, name) in proc_macros.iter().enumerate() {
        let seconds = median(&clean[index]);
        rows.push(
            serde_json::json!({"crate": name, "seconds": seconds, "ratio": seconds / anchor}),
        );
    }
    // A clean build's ratio is of CPU time: on two cores its wall time
    // hides how much of it ran in parallel.
    let cpu_anchor = median(
        &builds[1]
            .iter()
            .map(|build| build.cpu_seconds)
            .collect::<Vec<_>>(),
    );
    for (index, name) in projects.iter().enumerate() {
        let of = |measure: fn(&CleanBuild) -> f64| {
            median(&builds[index].iter().map(measure).collect::<Vec<_>>())
        };
        let cpu_seconds = of(|build| build.cpu_seconds);
        // Each crate's median over the builds.
        let crate_cpu: BTreeMap<&String, f64> = builds[index][0]
            .crate_cpu
            .keys()
            .map(|crate_name| {
                let seconds: Vec<f64> = builds[index]
                    .iter()
                    .map(|build| build.crate_cpu.get(crate_name).copied().unwrap_or_default())
                    .collect();
                (crate_name, median(&seconds))
            })
            .collect();
        rows.push(serde_json::json!({
            "crate": name, "seconds": of(|build| build.seconds), "cpu_seconds": cpu_seconds,
            "ratio": cpu_seconds / cpu_anchor, "crates": builds[index][0].crates,
            "crate_cpu": crate_cpu,
        }));
    }
    println!("median of {runs} dev builds: {VARIANTS} errors (the crate alone), the clean proc-macro crates and new projects");
    for row in &rows {
        println!(
            "{:<28} {:>7.2} s {:>6.2}x {}{}",
            row["crate"].as_str().unwrap_or_default(),
            row["seconds"].as_f64().unwrap_or_default(),
            row["ratio"].as_f64().unwrap_or_default(),
            row.get("expanded_bytes_per_variant")
                .map_or(String::new(), |bytes| format!(
                    "{bytes} B expanded per variant"
                )),
            row.get("cpu_seconds").map_or(String::new(), |cpu| format!(
                "{cpu:.2} s CPU, {} crates",
                row["crates"]
            )),
        );
    }
    let results = serde_json::json!({"runs": runs, "variants": VARIANTS, "rows": rows});
    std::fs::write(
        results_directory().join("compile-time.json"),
        serde_json::to_string_pretty(&results).expect("JSON"),
    )
    .expect("the results are written");
}

/// Runs cargo in the generated workspace; returns the wall time.
fn cargo(root: &Path, args: &[&str], target: Option<&Path>) -> f64 {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .arg("--quiet")
        .current_dir(root)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS");
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let start = Instant::now();
    let status = command.status().expect("cargo runs");
    let seconds = start.elapsed().as_secs_f64();
    assert!(status.success(), "{command:?} failed");
    seconds
}

/// A new project's first build.
#[derive(Clone)]
struct CleanBuild {
    seconds: f64,
    cpu_seconds: f64,
    /// The packages compiled, the project's own included.
    crates: usize,
    /// The CPU time of each crate's compilations (its build script's
    /// included), in seconds.
    crate_cpu: BTreeMap<String, f64>,
}

/// Runs rustc as cargo asked (`<rustc> <arguments>`), then notes the
/// crate it compiled and the CPU time it took in the log; exits as rustc
/// did.
fn wrap_rustc(log: &Path) -> ! {
    let mut arguments = std::env::args_os().skip(1);
    let rustc = arguments.next().expect("cargo names rustc");
    let arguments: Vec<_> = arguments.collect();
    let before = cpu_ticks("self", true);
    let status = Command::new(rustc)
        .args(&arguments)
        .status()
        .expect("rustc runs");
    let ticks = cpu_ticks("self", true) - before;
    // `___` is cargo asking rustc what it would name files.
    let crate_name = arguments
        .windows(2)
        .find(|pair| pair[0] == "--crate-name")
        .map(|pair| pair[1].to_string_lossy().into_owned())
        .filter(|name| name != "___");
    if let Some(crate_name) = crate_name {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("the CPU log");
        writeln!(file, "{crate_name} {ticks}").expect("the CPU log is written");
    }
    std::process::exit(status.code().unwrap_or(1));
}

/// The CPU log's seconds per crate, named as packages are. Every build
/// script compiles as `build_script_build`: they are added up as one.
fn read_cpu_log(log: &Path) -> BTreeMap<String, f64> {
    let mut seconds = BTreeMap::new();
    for line in std::fs::read_to_string(log).unwrap_or_default().lines() {
        if let Some((name, ticks)) = line.split_once(' ') {
            let ticks: f64 = ticks.parse().expect("ticks");
            *seconds.entry(name.replace('_', "-")).or_default() += ticks / ticks_per_second();
        }
    }
    seconds
}

/// Builds package `name` from clean, in a target directory of its own.
fn clean_build(root: &Path, name: &str) -> CleanBuild {
    let target = root.join("clean").join(name);
    let _ = std::fs::remove_dir_all(&target);
    let log = root.join("clean").join(format!("{name}.cpu"));
    let _ = std::fs::remove_file(&log);
    let cpu_before = cpu_ticks("self", true);
    let start = Instant::now();
    let messages = stdout_of(
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--message-format=json", "-p", name])
            .current_dir(root)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TARGET_DIR", &target)
            .env(
                "RUSTC_WRAPPER",
                std::env::current_exe().expect("this program"),
            )
            .env(CPU_LOG, &log)
            .env_remove("RUSTFLAGS"),
    );
    let seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = (cpu_ticks("self", true) - cpu_before) as f64 / ticks_per_second();
    let mut packages: Vec<String> = String::from_utf8_lossy(&messages)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| message["package_id"].as_str().map(str::to_owned))
        .collect();
    packages.sort();
    packages.dedup();
    CleanBuild {
        seconds,
        cpu_seconds,
        crates: packages.len(),
        crate_cpu: read_cpu_log(&log),
    }
}

/// The size of a crate's macro expansion, in bytes.
fn expanded_size(root: &Path, name: &str) -> usize {
    stdout_of(
        Command::new(env!("CARGO"))
            .args(["rustc", "--quiet", "-p", name, "--", "-Zunpretty=expanded"])
            .current_dir(root)
            // Lets the stable compiler print its expansion.
            .env("RUSTC_BOOTSTRAP", "1"),
    )
    .len()
}

fn touch(path: &Path) {
    let text = std::fs::read(path).expect("the source");
    std::fs::write(path, text).expect("the source is written");
}

fn status(index: usize) -> usize {
    400 + index % 200
}

/// `line(index)` for each variant.
fn each_variant(line: impl Fn(usize) -> String) -> String {
    (0..VARIANTS).map(line).collect()
}

fn generate(root: &Path, repository: &Path) {
    let path_to = |name: &str| format!("{:?}", repository.join(name).display().to_string());
    let macaron = format!("macaron-core = {{ path = {} }}\n", path_to("macaron-core"));
    // Aliases, or with `struct` structs of their own.
    let define_errors = |kind: &str| {
        format!(
            "macaron_core::define_errors! {{\n{}}}\n",
            each_variant(|index| {
                format!(
                "    pub {kind}Case{index}(\"no user in shard {index}\", code = \"CASE_{index}\", status = {});\n",
                status(index)
            )
            }),
        )
    };
    let thiserror_dependencies =
        "thiserror = \"2\"\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n";
    let thiserror = format!(
        "#[derive(Debug, thiserror::Error)]\npub enum Errors {{\n{}}}\n\n\
         #[derive(serde::Serialize)]\npub struct Body {{\n    pub error: &'static str,\n    pub error_description: String,\n    pub status: u16,\n}}\n\n\
         impl Errors {{\n    pub fn code(&self) -> &'static str {{\n        match self {{\n{}        }}\n    }}\n\n\
         \x20   pub fn status(&self) -> u16 {{\n        match self {{\n{}        }}\n    }}\n\n\
         \x20   pub fn body(&self) -> Vec<u8> {{\n        let body = Body {{ error: self.code(), error_description: self.to_string(), status: self.status() }};\n        serde_json::to_vec(&body).unwrap_or_default()\n    }}\n}}\n",
        each_variant(|index| format!(
            "    #[error(\"no user with id {{id}} in shard {index}\")]\n    Case{index} {{ id: u64 }},\n"
        )),
        each_variant(|index| format!("            Self::Case{index} {{ .. }} => \"CASE_{index}\",\n")),
        each_variant(|index| format!("            Self::Case{index} {{ .. }} => {},\n", status(index))),
    );
    // Used: a function that renders every error once, as a service's
    // handlers do between them: thiserror's enum by the one function that
    // renders it, macaron's types made into a `macaron_core::Error`, as `?`
    // does in the README's handlers.
    let render_all = |render: &dyn Fn(usize) -> String| {
        format!(
            "\npub fn render_all() -> usize {{\n    let mut bytes = 0;\n{}    bytes\n}}\n",
            each_variant(|index| format!("    bytes += {};\n", render(index)))
        )
    };
    let types_by_hand = each_variant(|index| {
        format!(
            "#[derive(Debug)]\npub struct Case{index};\n\n\
             impl std::fmt::Display for Case{index} {{\n    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        formatter.write_str(\"no user in shard {index}\")\n    }}\n}}\n\n\
             impl std::error::Error for Case{index} {{}}\n\n"
        )
    });
    let render_macaron = || {
        render_all(&|index| {
            format!("macaron_core::Error::from(Case{index}::default()).to_response().body().len()")
        })
    };
    let packages = [
        (
            "macaron_derive_enum",
            macaron.clone(),
            format!(
                "use macaron_core::ApiError;\n\n#[derive(Debug, ApiError)]\npub enum Errors {{\n{}}}\n",
                each_variant(|index| format!(
                    "    #[error(\"no user with id {{id}} in shard {index}\", code = \"CASE_{index}\", status = {})]\n    Case{index} {{ id: u64 }},\n",
                    status(index)
                )),
            ),
        ),
        ("macaron_define_errors", macaron.clone(), define_errors("")),
        ("macaron_define_errors_structs", macaron.clone(), define_errors("struct ")),
        ("thiserror_by_hand", thiserror_dependencies.to_owned(), thiserror.clone()),
        (
            "macaron_define_errors_used",
            macaron.clone(),
            format!("{}{}", define_errors(""), render_macaron()),
        ),
        (
            "macaron_define_errors_structs_used",
            macaron.clone(),
            format!("{}{}", define_errors("struct "), render_macaron()),
        ),
        (
            "thiserror_by_hand_used",
            thiserror_dependencies.to_owned(),
            format!(
                "{thiserror}{}",
                render_all(&|index| format!("Errors::Case{index} {{ id: {index} }}.body().len()"))
            ),
        ),
        // A new project's first build, whose code does not matter.
        ("new_project_macaron", macaron, String::new()),
        (
            "new_project_thiserror",
            "thiserror = \"2\"\nserde_json = \"1\"\nhttp = \"1\"\n".to_owned(),
            String::new(),
        ),
        (
            "anchor_macaron_derive",
            format!("macaron-derive = {{ path = {} }}\n", path_to("macaron-derive")),
            String::new(),
        ),
        ("anchor_thiserror_impl", "thiserror-impl = \"2\"\n".to_owned(), String::new()),
        // The least a type per error costs, whoever writes it: a unit
        // struct with `Debug`, `Display` and `Error`, nothing of the model;
        // used, each boxed as `?` boxes it into one error type (anyhow's,
        // macaron's) and its text read.
        ("types_by_hand", String::new(), types_by_hand.clone()),
        (
            "types_by_hand_used",
            String::new(),
            format!(
                "{types_by_hand}{}",
                render_all(&|index| format!(
                    "Box::<dyn std::error::Error + Send + Sync>::from(Case{index}).to_string().len()"
                ))
            ),
        ),
    ];
    let members: Vec<String> = packages
        .iter()
        .map(|(name, ..)| format!("{name:?}"))
        .collect();
    write(
        root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    for (name, dependencies, source) in &packages {
        package(root, name, dependencies, source);
    }
}

fn package(root: &Path, name: &str, dependencies: &str, source: &str) {
    let directory: PathBuf = root.join(name);
    write(
        directory.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependencies}"),
    );
    write(directory.join("src/lib.rs"), source);
}

fn write(path: PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
    // Rewritten only when it changes, so that cargo keeps what it built.
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).expect("the file is written");
    }
}
