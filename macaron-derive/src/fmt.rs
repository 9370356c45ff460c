//! A description or user message of a variant: its format string and
//! arguments (`"no user with id {id}"`, `"{}", .0.len()`,
//! `"{thing}", thing = .name.to_uppercase()`), checked against the
//! variant's fields, so that the macro can report names that are wrong,
//! derive trait bounds, and hand `format_args!` a string whose every field
//! placeholder is an explicit named argument (which keeps it hygienic
//! inside `macro_rules!`).

use crate::args::{mark, shorthand};
use crate::ast::{Style, Variant};
use crate::attr::{FormatArgs, KEYS};
use crate::ctxt::Ctxt;
use crate::format_string::{parse, parse_spec, unescaped, Arg, FormatTrait, Piece};
use crate::names::did_you_mean;
use crate::types::is_path;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};
use syn::LitStr;

/// What a description or user message renders from.
pub(crate) enum Text {
    /// No placeholders and no arguments: the text itself, braces unescaped.
    Static(String),
    Format(Format),
}

/// A format string ready for `format_args!`.
pub(crate) struct Format {
    /// The string, each field placeholder renamed to its argument below.
    pub lit: LitStr,
    /// `, arguments...`: the user's, shorthand rewritten, then one per
    /// field placeholder.
    pub args: TokenStream,
    /// Each field placeholder's field and the trait it is formatted with.
    pub uses: Vec<(usize, FormatTrait)>,
    /// Every field the arguments read, in order: what a match arm binds.
    pub fields: Vec<usize>,
    /// `{self}`: the error's own `Display`, which in a description recurses.
    pub shows_self: bool,
}

impl Format {
    /// `format_args!(...)` of this text, with the fields bound.
    pub(crate) fn format_args(&self) -> TokenStream {
        let Format { lit, args, .. } = self;
        quote!(::core::format_args!(#lit #args))
    }
}

impl Text {
    /// The fields this text interpolates, with the trait each one needs.
    pub(crate) fn uses(&self) -> &[(usize, FormatTrait)] {
        match self {
            Text::Static(_) => &[],
            Text::Format(format) => &format.uses,
        }
    }
}

/// The text of a `define_errors!` description, which has no fields to show.
/// On a mistake (reported), the text as written.
pub(crate) fn static_text(lit: &LitStr, entry: &Ident, cx: &Ctxt) -> String {
    let source = lit.value();
    let message = match parse(&source) {
        Err(message) => message,
        Ok(pieces) => match pieces.iter().find_map(|piece| match piece {
            Piece::Placeholder { written, .. } => Some(*written),
            Piece::Text(_) => None,
        }) {
            Some(written) => format!(
                "`{{{written}}}` in the format string does not name a field; `{entry}` has no \
                 fields"
            ),
            None => return unescaped(pieces),
        },
    };
    cx.error_spanned_by(lit, message);
    source
}

/// A description or user message of `variant`, with its format arguments:
/// checked, with fields resolved. On a mistake (reported), the text as
/// written.
pub(crate) fn text(lit: &LitStr, args: &FormatArgs, variant: &Variant, cx: &Ctxt) -> Text {
    let source = lit.value();
    let pieces = match parse(&source) {
        Ok(pieces) => pieces,
        Err(message) => {
            cx.error_spanned_by(lit, message);
            return Text::Static(source);
        }
    };
    if args.is_empty() && pieces.iter().all(|piece| matches!(piece, Piece::Text(_))) {
        return Text::Static(unescaped(pieces));
    }
    let mut resolver = Resolver {
        lit,
        args,
        variant,
        cx,
        out: String::new(),
        extra: TokenStream::new(),
        uses: Vec::new(),
        fields: Vec::new(),
        defined: Vec::new(),
        shows_self: false,
    };
    for piece in &pieces {
        match piece {
            Piece::Text(text) => resolver
                .out
                .push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Placeholder { arg, spec, written } => {
                resolver.placeholder(arg, spec, written);
            }
        }
    }
    let mut all_args = TokenStream::new();
    for positional in &args.positional {
        let value = shorthand(positional.clone(), variant, &mut resolver.fields, cx);
        all_args.extend(quote!(, #value));
    }
    for (name, value) in &args.named {
        let value = shorthand(value.clone(), variant, &mut resolver.fields, cx);
        all_args.extend(quote!(, #name = #value));
    }
    all_args.extend(resolver.extra);
    resolver.fields.sort_unstable();
    Text::Format(Format {
        lit: LitStr::new(&resolver.out, lit.span()),
        args: all_args,
        uses: resolver.uses,
        fields: resolver.fields,
        shows_self: resolver.shows_self,
    })
}

/// Rewrites placeholders one at a time.
struct Resolver<'a> {
    lit: &'a LitStr,
    args: &'a FormatArgs,
    variant: &'a Variant<'a>,
    cx: &'a Ctxt,
    /// The rewritten format string.
    out: String,
    /// `, __field_x = x` for each field placeholder.
    extra: TokenStream,
    uses: Vec<(usize, FormatTrait)>,
    fields: Vec<usize>,
    /// The argument names already added to `extra`.
    defined: Vec<String>,
    shows_self: bool,
}

impl Resolver<'_> {
    fn placeholder(&mut self, arg: &Arg<'_>, spec: &str, written: &str) {
        let Some(parsed) = parse_spec(spec) else {
            self.error(format!(
                "invalid format spec in `{{{written}}}`: expected \
                 [[fill]align][sign]['#']['0'][width]['.' precision][type], and a type among ?, \
                 x?, X?, x, X, o, b, e, E, p"
            ));
            return;
        };
        let variant = self.variant;
        let tuple = variant.style == Style::Tuple;
        let field = match *arg {
            Arg::Next if self.args.positional.is_empty() => {
                self.error(
                    "`{}` does not say which field to show: name it, as in `{0}` or `{field}`"
                        .to_owned(),
                );
                return;
            }
            Arg::Next => None,
            Arg::Index(index) if tuple => {
                if !self.args.positional.is_empty() {
                    self.error(format!(
                        "`{{{index}}}` could be field {index} or positional argument {index}: in \
                         a tuple struct or variant, give the argument a name"
                    ));
                    return;
                }
                if index >= variant.fields.len() {
                    self.error(format!(
                        "`{{{written}}}` in the format string does not name a field; `{}` has {} \
                         field{}",
                        variant.ident,
                        variant.fields.len(),
                        if variant.fields.len() == 1 { "" } else { "s" }
                    ));
                    return;
                }
                Some(index)
            }
            Arg::Index(index) => {
                if index >= self.args.positional.len() {
                    self.error(format!(
                        "`{{{written}}}` in the format string does not name a field: `{}` has \
                         named fields, shown as `{{name}}`",
                        variant.ident
                    ));
                    return;
                }
                None
            }
            Arg::Name(name) if self.args.names(name) => None,
            Arg::Name(name) => match variant.fields.iter().position(|field| field.name == name) {
                Some(index) => Some(index),
                None => {
                    if !self.scope_name(name) {
                        return;
                    }
                    self.shows_self |= name == "self" && parsed.format == FormatTrait::Display;
                    None
                }
            },
        };
        match field {
            Some(index) => {
                let name = self.field_argument(index, parsed.format, spec.is_empty());
                self.out.push('{');
                self.out.push_str(&name);
                if !spec.is_empty() {
                    self.out.push(':');
                    self.out.push_str(spec);
                }
                self.out.push('}');
                self.uses.push((index, parsed.format));
            }
            None => {
                self.out.push('{');
                self.out.push_str(written);
                self.out.push('}');
            }
        }
    }

    /// A name that is no field and no argument: a constant, a static or
    /// `self`, captured from the scope, unless it is a key of the
    /// attribute or a field's name misspelt (reported; `false`).
    fn scope_name(&self, name: &str) -> bool {
        let variant = self.variant;
        if KEYS.contains(&name) {
            self.error(format!(
                "`{{{name}}}` in the format string does not name a field: `{name} = ...` is a key \
                 of #[error(...)], not a format argument; to show a value, give the argument \
                 another name"
            ));
            return false;
        }
        let names: Vec<&str> = variant
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        let suggestion = did_you_mean(name, &names);
        let lowercase = name.starts_with(|c: char| c.is_lowercase());
        if lowercase && !suggestion.is_empty() {
            self.error(format!(
                "`{{{name}}}` in the format string does not name a field; the fields of `{}` are: \
                 {}{suggestion}",
                variant.ident,
                names.join(", ")
            ));
            return false;
        }
        true
    }

    /// The named argument that shows field `index`: added on first use.
    fn field_argument(&mut self, index: usize, format: FormatTrait, bare: bool) -> String {
        let field = &self.variant.fields[index];
        let binding = &field.binding;
        let (prefix, value) = if format == FormatTrait::Pointer {
            // The pointer the field holds, not the address of the binding.
            ("__pointer_", quote!(*#binding))
        } else if bare && is_path(field.ty) {
            ("__display_", quote!(#binding.display()))
        } else {
            ("__field_", binding.to_token_stream())
        };
        let name = format!("{prefix}{}", field.name);
        if !self.defined.contains(&name) {
            let ident = Ident::new(&name, Span::call_site());
            self.extra.extend(quote!(, #ident = #value));
            self.defined.push(name.clone());
        }
        mark(&mut self.fields, index);
        name
    }

    fn error(&self, message: String) {
        self.cx.error_spanned_by(self.lit, message);
    }
}
