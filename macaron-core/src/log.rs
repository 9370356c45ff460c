//! Where macaron writes its own failures (a reporter that failed, a thread
//! that did not start, a notice with no reporter installed): a `tracing`
//! event of target `macaron` with the `tracing` feature, else a line on
//! standard error. Never silent, never in a response.

use std::fmt;

/// An error-level line.
pub(crate) fn error(message: fmt::Arguments<'_>) {
    #[cfg(feature = "tracing")]
    tracing::error!(target: "macaron", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("macaron: {}", escape_controls(&message.to_string()));
}

/// A warning-level line.
pub(crate) fn warn(message: fmt::Arguments<'_>) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "macaron", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("macaron: {}", escape_controls(&message.to_string()));
}

/// `text` with its control characters escaped, so that a text from a
/// request cannot forge a line of its own.
pub(crate) fn escape_controls(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_control() {
            escaped.extend(character.escape_debug());
        } else {
            escaped.push(character);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(
            super::escape_controls("a\nb\u{1b}[31mé\t"),
            "a\\nb\\u{1b}[31mé\\t"
        );
    }
}
