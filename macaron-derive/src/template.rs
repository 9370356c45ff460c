//! Format strings (`"no user with id {id}"`), parsed once so that the
//! macro can check field names, derive trait bounds, and precompute the
//! literal parts of the JSON body.

use crate::ast::ErrorDef;
use crate::names::did_you_mean;
use syn::{LitStr, Member};

pub(crate) struct Template {
    /// The literal as written, or rewritten (`{0}` -> `{__0}`) with the
    /// original span, for `write!` in `Display`.
    pub display: LitStr,
    pub pieces: Vec<Piece>,
}

pub(crate) enum Piece {
    Text(String),
    /// `{field:spec}`: the index of the field in its `ErrorDef`.
    Field {
        field: usize,
        spec: String,
        format: FormatTrait,
    },
}

/// What a description or user message renders from.
pub(crate) enum Text {
    /// No interpolation: the text itself, braces unescaped.
    Static(String),
    Template(Template),
}

impl Text {
    pub(crate) fn parse(lit: &LitStr, def: &ErrorDef) -> Result<Text, String> {
        let source = lit.value();
        let pieces = parse_pieces(&source, def)?;
        if pieces.iter().all(|piece| matches!(piece, Piece::Text(_))) {
            let text = pieces
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text,
                    Piece::Field { .. } => unreachable!(),
                })
                .collect();
            return Ok(Text::Static(text));
        }
        let positional = pieces.iter().any(|piece| match piece {
            Piece::Field { field, .. } => matches!(def.fields[*field].member, Member::Unnamed(_)),
            Piece::Text(_) => false,
        });
        // Named fields are captured by name from the original literal, so
        // rustc reports format errors inside it; positional ones need their
        // bindings' names written in.
        let display = if positional {
            LitStr::new(&rewrite(&pieces, def), lit.span())
        } else {
            lit.clone()
        };
        Ok(Text::Template(Template { display, pieces }))
    }

    /// The fields this text interpolates, with the trait each one needs.
    pub(crate) fn uses(&self) -> impl Iterator<Item = (usize, FormatTrait)> + '_ {
        let pieces = match self {
            Text::Static(_) => &[][..],
            Text::Template(template) => &template.pieces[..],
        };
        pieces.iter().filter_map(|piece| match piece {
            Piece::Field { field, format, .. } => Some((*field, *format)),
            Piece::Text(_) => None,
        })
    }
}

/// `format!`-style parsing: `{{` and `}}` are literal braces, `{name}`,
/// `{0}` and `{name:spec}` interpolate fields.
fn parse_pieces(source: &str, def: &ErrorDef) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = source.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                text.push('}');
            }
            '}' => {
                return Err(
                    "unmatched `}` in the format string: write `}}` for a literal brace".into(),
                )
            }
            '{' => {
                let Some(length) = source[start + 1..].find('}') else {
                    return Err(
                        "unclosed `{` in the format string: write `{{` for a literal brace".into(),
                    );
                };
                let inner = &source[start + 1..start + 1 + length];
                for _ in 0..inner.chars().count() + 1 {
                    chars.next();
                }
                let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
                let field = resolve(name, def)?;
                let format = parse_spec(spec).ok_or_else(|| {
                    format!(
                        "invalid format spec in `{{{inner}}}`: expected \
                         [[fill]align][sign]['#']['0'][width]['.' precision][type] with a literal \
                         width and precision, and a type among ?, x?, X?, x, X, o, b, e, E, p"
                    )
                })?;
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Field {
                    field,
                    spec: spec.to_owned(),
                    format,
                });
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn resolve(name: &str, def: &ErrorDef) -> Result<usize, String> {
    if let Some(index) = def
        .fields
        .iter()
        .position(|f| ErrorDef::field_name(f) == name)
    {
        return Ok(index);
    }
    if name.is_empty() {
        return Err(
            "`{}` does not say which field to show: name it, as in `{0}` or `{field}`".into(),
        );
    }
    let names: Vec<String> = def.fields.iter().map(ErrorDef::field_name).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let known = if names.is_empty() {
        format!("`{}` has no fields", def.ident)
    } else {
        format!("the fields of `{}` are: {}", def.ident, names.join(", "))
    };
    Err(format!(
        "`{{{name}}}` in the format string does not name a field; {known}{}",
        did_you_mean(name, &names)
    ))
}

/// The format string with every field written as its binding.
fn rewrite(pieces: &[Piece], def: &ErrorDef) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Field { field, spec, .. } => {
                out.push('{');
                out.push_str(&def.fields[*field].binding.to_string());
                if !spec.is_empty() {
                    out.push(':');
                    out.push_str(spec);
                }
                out.push('}');
            }
        }
    }
    out
}

/// The formatting trait a spec asks of its field (for generic bounds).
#[derive(Clone, Copy, PartialEq)]
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

/// Checks `spec` against `format!`'s grammar and returns the trait it asks
/// for. Widths and precisions taken from arguments (`width$`, `.*`) are
/// refused: fields are bound by reference and `format!` wants a `usize`.
fn parse_spec(spec: &str) -> Option<FormatTrait> {
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
    let digits =
        |text: &str| text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    rest = &rest[digits(rest)..];
    if let Some(precision) = rest.strip_prefix('.') {
        let count = digits(precision);
        if count == 0 {
            return None;
        }
        rest = &precision[count..];
    }
    Some(match rest {
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
    })
}

impl FormatTrait {
    pub(crate) fn name(self) -> &'static str {
        match self {
            FormatTrait::Display => "Display",
            FormatTrait::Debug => "Debug",
            FormatTrait::LowerHex => "LowerHex",
            FormatTrait::UpperHex => "UpperHex",
            FormatTrait::Octal => "Octal",
            FormatTrait::Binary => "Binary",
            FormatTrait::LowerExp => "LowerExp",
            FormatTrait::UpperExp => "UpperExp",
            FormatTrait::Pointer => "Pointer",
        }
    }
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
            ("Z", None),
            ("width$", None),
            (".*", None),
            ("1$", None),
            ("5.", None),
        ] {
            assert!(parse_spec(spec) == expected, "{spec:?}");
        }
    }
}
