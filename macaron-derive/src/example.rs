//! A description or user message as documentation shows it: its template
//! with a sample value of each field's type in each placeholder, so that
//! an OpenAPI example reads `no user with id 42`, not `no user with id
//! {id}`.

use crate::ast::Variant;
use crate::format_string::{self, Arg, Piece};
use crate::types::{option_inner, pointee};
use syn::Type;

/// `template` with its placeholders filled, or `None` when it has none.
pub(crate) fn example(template: &str, variant: &Variant) -> Option<String> {
    let pieces = format_string::parse(template).ok()?;
    if !pieces
        .iter()
        .any(|piece| matches!(piece, Piece::Placeholder { .. }))
    {
        return None;
    }
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(literal) => text.push_str(&literal),
            Piece::Placeholder { arg, spec, .. } => {
                let field = match arg {
                    Arg::Name(name) => variant.fields.iter().find(|field| field.name == name),
                    Arg::Index(index) => variant
                        .fields
                        .iter()
                        .find(|field| field.name == index.to_string()),
                    // A positional argument of the user's: an expression.
                    Arg::Next => None,
                };
                let sample = field.map_or(Sample::Other, |field| Sample::of(field.ty));
                text.push_str(&sample.written(spec.ends_with('?')));
            }
        }
    }
    Some(text)
}

/// A sample value, by the kind of type a field is written as.
enum Sample {
    Integer,
    Float,
    Bool,
    Char,
    Text,
    /// A type of the user's, or an expression: no sample.
    Other,
}

impl Sample {
    fn of(ty: &Type) -> Self {
        let ty = option_inner(ty).unwrap_or(ty);
        let ty = pointee(ty).unwrap_or(ty);
        let ty = match ty {
            Type::Reference(reference) => &*reference.elem,
            ty => ty,
        };
        let Type::Path(path) = ty else {
            return Sample::Other;
        };
        let Some(last) = path.path.segments.last() else {
            return Sample::Other;
        };
        match last.ident.to_string().as_str() {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
            | "i128" | "isize" => Sample::Integer,
            name if name.starts_with("NonZero") => Sample::Integer,
            "f32" | "f64" => Sample::Float,
            "bool" => Sample::Bool,
            "char" => Sample::Char,
            "String" | "str" | "Cow" => Sample::Text,
            _ => Sample::Other,
        }
    }

    /// As `{}` writes it, or `{:?}` when `debug`.
    fn written(&self, debug: bool) -> String {
        let (display, quoted) = match self {
            Sample::Integer => ("42", false),
            Sample::Float => ("1.5", false),
            Sample::Bool => ("true", false),
            Sample::Char => ("x", true),
            Sample::Text => ("example", true),
            Sample::Other => ("…", false),
        };
        match (debug, quoted, self) {
            (true, true, Sample::Char) => format!("'{display}'"),
            (true, true, _) => format!("\"{display}\""),
            _ => display.to_owned(),
        }
    }
}
