//! `format!`'s grammar: a format string's pieces and placeholders, and
//! the specs after a `:`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One piece of a parsed format string.
pub(crate) enum Piece<'s> {
    /// Literal text, braces unescaped.
    Text(String),
    Placeholder {
        arg: Arg<'s>,
        spec: &'s str,
        /// `{arg:spec}` as written, for messages.
        written: &'s str,
    },
}

pub(crate) enum Arg<'s> {
    /// `{}`: the next positional argument.
    Next,
    Index(usize),
    Name(&'s str),
}

/// `format!`-style parsing: `{{` and `}}` are literal braces, `{}`, `{0}`,
/// `{name}` and `{name:spec}` are placeholders.
pub(crate) fn parse(source: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = source;
    while let Some(at) = rest.find(['{', '}']) {
        text.push_str(&rest[..at]);
        let brace = rest.as_bytes()[at];
        let after = &rest[at + 1..];
        if after.as_bytes().first() == Some(&brace) {
            text.push(char::from(brace));
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err(
                "unmatched `}` in the format string: write `}}` for a literal brace".into(),
            );
        }
        let Some(end) = after.find('}') else {
            return Err("unclosed `{` in the format string: write `{{` for a literal brace".into());
        };
        let written = &after[..end];
        let (arg, spec) = written.split_once(':').unwrap_or((written, ""));
        let arg = if arg.is_empty() {
            Arg::Next
        } else if arg.bytes().all(|byte| byte.is_ascii_digit()) {
            Arg::Index(
                arg.parse()
                    .map_err(|_| format!("`{{{arg}}}` is out of range"))?,
            )
        } else if is_identifier(arg) {
            Arg::Name(arg)
        } else {
            return Err(format!(
                "invalid placeholder `{{{written}}}`: expected `{{}}`, `{{0}}` or `{{name}}`, \
                 then `:` and a format spec"
            ));
        };
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Placeholder { arg, spec, written });
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The names a format string refers to: in placeholders, and as `name$`
/// widths and precisions. (Which `name = value` items are format
/// arguments.)
pub(crate) fn names_used(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for piece in parse(source).unwrap_or_default() {
        if let Piece::Placeholder { arg, spec, .. } = piece {
            if let Arg::Name(name) = arg {
                names.push(name.to_owned());
            }
            if let Some(spec) = parse_spec(spec) {
                names.extend(spec.counts.into_iter().filter_map(|count| match count {
                    Count::Name(name) => Some(name.to_owned()),
                    Count::Index => None,
                }));
            }
        }
    }
    names
}

pub(crate) fn unescaped(pieces: Vec<Piece<'_>>) -> String {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text,
            Piece::Placeholder { .. } => String::new(),
        })
        .collect()
}

/// The formatting trait a spec asks of its value (for generic bounds).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum FormatTrait {
    Display,
    Debug,
    LowerHex,
    UpperHex,
    Octal,
    Binary,
    LowerExp,
    UpperExp,
    Pointer,
}

impl FormatTrait {
    pub(crate) fn path(self) -> TokenStream {
        let name = match self {
            FormatTrait::Display => "Display",
            FormatTrait::Debug => "Debug",
            FormatTrait::LowerHex => "LowerHex",
            FormatTrait::UpperHex => "UpperHex",
            FormatTrait::Octal => "Octal",
            FormatTrait::Binary => "Binary",
            FormatTrait::LowerExp => "LowerExp",
            FormatTrait::UpperExp => "UpperExp",
            FormatTrait::Pointer => "Pointer",
        };
        let name = format_ident!("{}", name);
        quote!(::core::fmt::#name)
    }
}

/// A parsed spec: its trait, and the arguments its width and precision
/// take (`width$`, `1$`).
pub(crate) struct Spec<'s> {
    pub format: FormatTrait,
    counts: Vec<Count<'s>>,
}

enum Count<'s> {
    Name(&'s str),
    Index,
}

/// Checks `spec` against `format!`'s grammar.
pub(crate) fn parse_spec(spec: &str) -> Option<Spec<'_>> {
    let is_align = |c: char| matches!(c, '<' | '^' | '>');
    let mut rest = spec;
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(fill), Some(align)) if is_align(align) => rest = &rest[fill.len_utf8() + 1..],
        (Some(align), _) if is_align(align) => rest = &rest[1..],
        _ => {}
    }
    for flag in ['+', '-', '#', '0'] {
        rest = rest.strip_prefix(flag).unwrap_or(rest);
    }
    let mut counts = Vec::new();
    rest = count(rest, &mut counts)?;
    if let Some(precision) = rest.strip_prefix('.') {
        rest = match precision.strip_prefix('*') {
            Some(after) => after,
            None => {
                let after = count(precision, &mut counts)?;
                if after.len() == precision.len() {
                    return None;
                }
                after
            }
        };
    }
    let format = match rest {
        "" => FormatTrait::Display,
        "?" | "x?" | "X?" => FormatTrait::Debug,
        "x" => FormatTrait::LowerHex,
        "X" => FormatTrait::UpperHex,
        "o" => FormatTrait::Octal,
        "b" => FormatTrait::Binary,
        "e" => FormatTrait::LowerExp,
        "E" => FormatTrait::UpperExp,
        "p" => FormatTrait::Pointer,
        _ => return None,
    };
    Some(Spec { format, counts })
}

/// A width or precision: digits, or an argument followed by `$`. Returns
/// what follows it (all of `text` when there is none).
fn count<'s>(text: &'s str, counts: &mut Vec<Count<'s>>) -> Option<&'s str> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let name = text.len()
        - text
            .trim_start_matches(|c: char| c == '_' || c.is_alphanumeric())
            .len();
    if name > 0 && text[name..].starts_with('$') {
        let argument = &text[..name];
        counts.push(if digits == name {
            Count::Index
        } else if is_identifier(argument) {
            Count::Name(argument)
        } else {
            return None;
        });
        return Some(&text[name + 1..]);
    }
    Some(&text[digits..])
}

#[cfg(test)]
mod tests {
    use super::{parse_spec, FormatTrait};

    #[test]
    fn format_specs() {
        for (spec, expected) in [
            ("", Some(FormatTrait::Display)),
            (">4", Some(FormatTrait::Display)),
            ("*^+#010.3", Some(FormatTrait::Display)),
            (".1", Some(FormatTrait::Display)),
            ("#?", Some(FormatTrait::Debug)),
            ("x?", Some(FormatTrait::Debug)),
            ("08x", Some(FormatTrait::LowerHex)),
            ("é<5E", Some(FormatTrait::UpperExp)),
            ("width$", Some(FormatTrait::Display)),
            (">1$.prec$?", Some(FormatTrait::Debug)),
            (".*", Some(FormatTrait::Display)),
            ("Z", None),
            ("5.", None),
            ("wid th$", None),
        ] {
            assert_eq!(
                parse_spec(spec).map(|spec| spec.format),
                expected,
                "{spec:?}"
            );
        }
    }
}
