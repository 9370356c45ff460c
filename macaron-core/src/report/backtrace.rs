//! Backtraces as reports carry them: from the first frame outside macaron
//! and the standard library (the frames above it are the same in every
//! report), and at most so many frames and bytes.

use std::backtrace::{Backtrace, BacktraceStatus};

/// The most frames a report's backtrace keeps.
const MAX_FRAMES: usize = 64;
/// The most bytes a report's backtrace keeps, its last line aside.
const MAX_BYTES: usize = 16 * 1024;

/// The backtrace's text for a report, when one was captured.
pub(crate) fn text(backtrace: Option<&Backtrace>) -> Option<String> {
    let backtrace = backtrace?;
    (backtrace.status() == BacktraceStatus::Captured).then(|| trim(&backtrace.to_string()))
}

/// `text` (std's rendering of a backtrace: `  N: symbol` lines, each
/// followed by `at file:line` lines) from its first frame of the
/// program's own, cut after [`MAX_FRAMES`] frames or [`MAX_BYTES`] bytes.
fn trim(text: &str) -> String {
    // Where each frame starts, its symbol, and its first `at` line.
    let mut frames: Vec<(usize, &str, Option<&str>)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let number = trimmed.split(':').next().unwrap_or("");
        if !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit()) {
            let symbol = trimmed[number.len() + 1..].trim();
            frames.push((offset, symbol, None));
        } else if let (Some(at), Some((_, _, location @ None))) =
            (trimmed.strip_prefix("at "), frames.last_mut())
        {
            *location = Some(at.trim_end());
        }
        offset += line.len();
    }
    let first = frames
        .iter()
        .position(|&(_, symbol, location)| !is_plumbing(symbol, location))
        .unwrap_or(0);
    let frames = &frames[first.min(frames.len())..];
    let Some(&(start, ..)) = frames.first() else {
        return text.to_owned();
    };
    let kept = frames
        .iter()
        .take(MAX_FRAMES + 1)
        .take_while(|&&(offset, ..)| offset - start <= MAX_BYTES)
        .count()
        .min(MAX_FRAMES);
    match frames.get(kept) {
        Some(&(end, ..)) => format!(
            "{}      … {} more frames\n",
            &text[start..end],
            frames.len() - kept
        ),
        None => text[start..].to_owned(),
    }
}

/// Whether a frame is of macaron or the standard library: by its symbol's
/// path, or, for a function inlined into its caller (named without its
/// path), by the file it is in.
fn is_plumbing(symbol: &str, location: Option<&str>) -> bool {
    let symbol = symbol.trim_start_matches('<');
    let by_symbol = [
        "std::",
        "core::",
        "alloc::",
        "macaron_core::",
        "__rust",
        "rust_begin_unwind",
    ]
    .iter()
    .any(|prefix| symbol.starts_with(prefix));
    by_symbol || location.is_some_and(is_plumbing_source)
}

/// Whether `location` (`file:line:column`) is in the standard library's
/// sources (`/rustc/<commit>/library/...`) or macaron-core's: its own
/// directory in a workspace, `macaron-core-<version>` from a registry.
fn is_plumbing_source(location: &str) -> bool {
    if location.starts_with("/rustc/") {
        return true;
    }
    let components: Vec<&str> = location.split(['/', '\\']).collect();
    components.windows(2).any(|pair| {
        let from_registry = pair[0]
            .strip_prefix("macaron-core-")
            .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()));
        (pair[0] == "macaron-core" || from_registry) && pair[1] == "src"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(symbols: &[&str]) -> String {
        symbols
            .iter()
            .enumerate()
            .map(|(index, symbol)| {
                format!("{index:4}: {symbol}\n             at src/x.rs:{index}:5\n")
            })
            .collect()
    }

    #[test]
    fn starts_at_the_first_frame_of_the_program() {
        let text = frames(&[
            "std::backtrace::Backtrace::capture",
            "<macaron_core::error::Error as core::convert::From<E>>::from",
            "service::handlers::login",
            "core::ops::function::FnOnce::call_once",
        ]);
        let trimmed = trim(&text);
        assert_eq!(
            trimmed,
            "   2: service::handlers::login\n             at src/x.rs:2:5\n   3: core::ops::function::FnOnce::call_once\n             at src/x.rs:3:5\n"
        );
        assert!(text.ends_with(&trimmed));
    }

    #[test]
    fn keeps_at_most_so_many_frames() {
        let symbols: Vec<String> = (0..100).map(|index| format!("service::f{index}")).collect();
        let symbols: Vec<&str> = symbols.iter().map(String::as_str).collect();
        let trimmed = trim(&frames(&symbols));
        assert_eq!(trimmed.matches("service::f").count(), MAX_FRAMES);
        assert!(trimmed.ends_with("      … 36 more frames\n"), "{trimmed}");
        assert!(trimmed.len() <= MAX_BYTES + 64);
    }

    /// Inlined into their callers, functions are named without their
    /// path: macaron's and std's are told by their files.
    #[test]
    fn starts_after_inlined_frames_of_macaron_and_std() {
        let text = concat!(
            "   0: from_boxed\n",
            "             at /home/u/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/macaron-core-0.1.0/src/convert.rs:101:5\n",
            "   1: from_boxed\n",
            "             at /work/macaron/macaron-core/src/convert.rs:101:5\n",
            "   2: call_once\n",
            "             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops/function.rs:250:5\n",
            "   3: login\n",
            "             at ./src/handlers.rs:12:9\n",
            "   4: macaron_core_extras::wrap\n",
            "             at /work/macaron-core-extras/src/lib.rs:3:1\n",
        );
        assert_eq!(
            trim(text),
            concat!(
                "   3: login\n",
                "             at ./src/handlers.rs:12:9\n",
                "   4: macaron_core_extras::wrap\n",
                "             at /work/macaron-core-extras/src/lib.rs:3:1\n",
            )
        );
    }

    #[test]
    fn a_backtrace_of_plumbing_only_is_kept_whole() {
        let text = frames(&[
            "std::rt::lang_start",
            "core::ops::function::FnOnce::call_once",
        ]);
        assert_eq!(trim(&text), text);
    }
}
