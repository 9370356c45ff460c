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
    // Where each frame starts, and its symbol.
    let mut frames = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let number = trimmed.split(':').next().unwrap_or("");
        if !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit()) {
            let symbol = trimmed[number.len() + 1..].trim();
            frames.push((offset, symbol));
        }
        offset += line.len();
    }
    let first = frames
        .iter()
        .position(|(_, symbol)| !is_plumbing(symbol))
        .unwrap_or(0);
    let frames = &frames[first.min(frames.len())..];
    let Some(&(start, _)) = frames.first() else {
        return text.to_owned();
    };
    let kept = frames
        .iter()
        .take(MAX_FRAMES + 1)
        .take_while(|&&(offset, _)| offset - start <= MAX_BYTES)
        .count()
        .min(MAX_FRAMES);
    match frames.get(kept) {
        Some(&(end, _)) => format!(
            "{}      … {} more frames\n",
            &text[start..end],
            frames.len() - kept
        ),
        None => text[start..].to_owned(),
    }
}

/// Whether a frame is of macaron or the standard library.
fn is_plumbing(symbol: &str) -> bool {
    let symbol = symbol.trim_start_matches('<');
    [
        "std::",
        "core::",
        "alloc::",
        "macaron_core::",
        "__rust",
        "rust_begin_unwind",
    ]
    .iter()
    .any(|prefix| symbol.starts_with(prefix))
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

    #[test]
    fn a_backtrace_of_plumbing_only_is_kept_whole() {
        let text = frames(&[
            "std::rt::lang_start",
            "core::ops::function::FnOnce::call_once",
        ]);
        assert_eq!(trim(&text), text);
    }
}
