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
            Piece::Field { field, spec } => Some((*field, FormatTrait::of(spec))),
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
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Field {
                    field,
                    spec: spec.to_owned(),
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
            Piece::Field { field, spec } => {
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
}

impl FormatTrait {
    fn of(spec: &str) -> Self {
        if spec.ends_with('?') {
            return FormatTrait::Debug;
        }
        match spec.chars().last() {
            Some('x') => FormatTrait::LowerHex,
            Some('X') => FormatTrait::UpperHex,
            Some('o') => FormatTrait::Octal,
            Some('b') => FormatTrait::Binary,
            Some('e') => FormatTrait::LowerExp,
            Some('E') => FormatTrait::UpperExp,
            _ => FormatTrait::Display,
        }
    }

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
        }
    }
}
