//! `#[error(...)]`, whose arguments are also the grammar of a
//! `define_errors!` entry: a description (with format arguments), `fmt`
//! or `transparent`, then `code`, `status` and `user_message`.

use crate::args::split_items;
use crate::ctxt::Ctxt;
use crate::format_string::names_used;
use crate::names::{did_you_mean, nearest};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::{Attribute, Ident, Lit, LitStr, Meta};

/// The keys `#[error(...)]` takes after its leading description.
pub(crate) const KEYS: &[&str] = &["code", "status", "user_message"];

/// The parsed arguments of one `#[error(...)]`, or of one
/// `define_errors!` entry's parentheses.
pub(crate) struct ErrorAttr {
    /// Where errors about the attribute as a whole point.
    pub whole: TokenStream,
    /// What the `Display` text is, when the attribute says.
    pub display: Option<DisplayAttr>,
    pub code: Option<LitStr>,
    /// The status and its tokens (for errors that point at it).
    pub status: Option<(u16, TokenStream)>,
    /// `status` was written, even if wrongly (already reported): no
    /// "missing status" on top.
    pub status_attempted: bool,
    pub user_message: Option<LitStr>,
    /// Not a list (`#[error]`): reported, and nothing could be read.
    pub malformed: bool,
}

/// The first item of `#[error(...)]`: what the error displays.
pub(crate) enum DisplayAttr {
    /// `"text {field}", extra format arguments...`
    Format { lit: LitStr, args: FormatArgs },
    /// `fmt = path::to::function`, called with the fields and the formatter.
    Fmt { key: Ident, path: syn::ExprPath },
    /// `transparent`: everything comes from the one field.
    Transparent(Ident),
}

/// The format arguments written after a description, as `format!` takes
/// them (`.field` shorthand not yet rewritten).
#[derive(Default)]
pub(crate) struct FormatArgs {
    pub positional: Vec<TokenStream>,
    /// `name = expression`, for the names the format string uses.
    pub named: Vec<(Ident, TokenStream)>,
}

impl FormatArgs {
    pub(crate) fn is_empty(&self) -> bool {
        self.positional.is_empty() && self.named.is_empty()
    }

    /// Whether `name` (unraw) is one of the named arguments.
    pub(crate) fn names(&self, name: &str) -> bool {
        self.named.iter().any(|(ident, _)| ident.unraw() == name)
    }
}

/// A `name = value` item whose name is not a key: a named format argument
/// if the format string uses the name, else a misspelt key.
struct Candidate {
    name: Ident,
    value: TokenStream,
}

/// What items leave for after the last one: the arguments, which only the
/// whole attribute tells apart from mistakes.
#[derive(Default)]
struct Pending {
    candidates: Vec<Candidate>,
    positional: Vec<TokenStream>,
    /// A `name = value` came: positional arguments are too late.
    after_named: bool,
}

/// Whether `name` is `status`, or a misspelling of it: no "missing
/// status" on top of the error about it.
fn attempts_status(name: &str) -> bool {
    name == "status" || nearest(name, KEYS) == Some("status")
}

impl ErrorAttr {
    pub(crate) fn parse(tokens: TokenStream, whole: TokenStream, cx: &Ctxt) -> Self {
        let mut attr = ErrorAttr {
            whole,
            display: None,
            code: None,
            status: None,
            status_attempted: false,
            user_message: None,
            malformed: false,
        };
        let mut pending = Pending::default();
        for (index, item) in split_items(tokens).into_iter().enumerate() {
            let item = match item {
                Ok(item) => item,
                Err(comma) => {
                    // An empty item has no tokens to span: the error points
                    // at the comma after it.
                    cx.error_at(
                        comma,
                        "expected a description string or `key = value` in #[error(...)]",
                    );
                    continue;
                }
            };
            attr.parse_item(item, index == 0, &mut pending, cx);
        }
        attr.resolve_arguments(pending, cx);
        attr
    }

    fn parse_item(&mut self, item: Vec<TokenTree>, first: bool, pending: &mut Pending, cx: &Ctxt) {
        let has_format = matches!(self.display, Some(DisplayAttr::Format { .. }));
        match &item[..] {
            [TokenTree::Literal(literal)] if literal.to_string().starts_with(['"', 'r']) => {
                if let Ok(lit) = syn::parse2::<LitStr>(literal.to_token_stream()) {
                    if first {
                        self.display = Some(DisplayAttr::Format {
                            lit,
                            args: FormatArgs::default(),
                        });
                        return;
                    }
                    if !has_format {
                        cx.error_spanned_by(
                            &lit,
                            "the description must come first: #[error(\"description\", key = value, ...)]",
                        );
                        return;
                    }
                }
            }
            [TokenTree::Ident(ident)] if ident == "transparent" => {
                if first {
                    self.display = Some(DisplayAttr::Transparent(ident.clone()));
                } else {
                    self.status_attempted = true;
                    cx.error_spanned_by(
                        ident,
                        "`transparent` must come first and alone: #[error(transparent)]",
                    );
                }
                return;
            }
            _ => {}
        }
        if let Some((key, value)) = key_value(&item) {
            let name = key.unraw().to_string();
            if name == "fmt" {
                self.parse_fmt(key, value, first, cx);
                return;
            }
            self.status_attempted |= attempts_status(&name);
            if value.is_empty() {
                cx.error_spanned_by(&key, format!("expected a value after `{name} =`"));
                return;
            }
            pending.after_named = true;
            if KEYS.contains(&name.as_str()) {
                self.parse_key(&key, &name, value, cx);
            } else {
                pending.candidates.push(Candidate { name: key, value });
            }
            return;
        }
        let tokens: TokenStream = item.iter().cloned().collect();
        if let [TokenTree::Ident(name), TokenTree::Punct(bang), ..] = &item[..] {
            if first && bang.as_char() == '!' {
                cx.error_spanned_by(
                    &tokens,
                    format!(
                        "the description must be a string literal: a macro such as `{name}!` is \
                         not expanded first; write the format string, then its arguments, as in \
                         #[error(\"invalid {{}}\", what)]"
                    ),
                );
                return;
            }
        }
        if let [TokenTree::Ident(key), ..] = &item[..] {
            let name = key.unraw().to_string();
            let is_key = KEYS.contains(&name.as_str()) || name == "fmt";
            if is_key || !has_format {
                self.status_attempted |= attempts_status(&name);
                let message = if is_key {
                    format!("expected `{name} = ...` in #[error(...)]")
                } else {
                    unknown_key_message(&name)
                };
                cx.error_spanned_by(key, message);
                return;
            }
        }
        if !has_format {
            cx.error_spanned_by(
                &tokens,
                "expected a description string or `key = value` in #[error(...)]",
            );
        } else {
            if pending.after_named {
                cx.error_spanned_by(
                    &tokens,
                    "positional format arguments go right after the description, before any \
                     `name = value`",
                );
            }
            pending.positional.push(tokens);
        }
    }

    fn parse_fmt(&mut self, key: Ident, value: TokenStream, first: bool, cx: &Ctxt) {
        if !first {
            let message = if matches!(self.display, Some(DisplayAttr::Format { .. })) {
                "`fmt = ...` replaces the description: write one or the other"
            } else {
                "`fmt = ...` must come first: #[error(fmt = path::to::function, status = ...)]"
            };
            cx.error_spanned_by(&key, message);
            return;
        }
        match syn::parse2::<syn::ExprPath>(value.clone()) {
            Ok(path) => self.display = Some(DisplayAttr::Fmt { key, path }),
            Err(_) => cx.error_spanned_by(
                &if value.is_empty() {
                    key.to_token_stream()
                } else {
                    value
                },
                "expected the path of a function after `fmt =`, such as \
                 `fmt = crate::errors::show`",
            ),
        }
    }

    fn parse_key(&mut self, key: &Ident, name: &str, value: TokenStream, cx: &Ctxt) {
        match name {
            "code" => set_string(&mut self.code, key, value, "code = \"INVALID_USER\"", cx),
            "user_message" => set_string(
                &mut self.user_message,
                key,
                value,
                "user_message = \"Sorry, we don't know you\"",
                cx,
            ),
            _ => match syn::parse2::<Lit>(value.clone()) {
                Ok(Lit::Int(lit)) => match lit.base10_parse::<u16>() {
                    Ok(status @ 400..=599) => {
                        set_once(&mut self.status, key, (status, value), cx);
                    }
                    _ => cx.error_spanned_by(
                        &value,
                        format!(
                            "status `{}` is not an error status: use an integer between \
                                 400 and 599",
                            lit.base10_digits()
                        ),
                    ),
                },
                Ok(Lit::Str(lit)) => cx.error_spanned_by(
                    &lit,
                    format!(
                        "`status` must be an integer literal, not a string: `status = {}`",
                        lit.value().trim()
                    ),
                ),
                _ => cx.error_spanned_by(
                    &value,
                    "`status` must be an integer literal between 400 and 599, like \
                         `status = 404`",
                ),
            },
        }
    }

    /// Each `name = value` whose name the description uses is a named
    /// format argument; any other is a misspelt key.
    fn resolve_arguments(&mut self, pending: Pending, cx: &Ctxt) {
        let Pending {
            candidates,
            positional,
            ..
        } = pending;
        let used = match &self.display {
            Some(DisplayAttr::Format { lit, .. }) if !candidates.is_empty() => {
                names_used(&lit.value())
            }
            _ => Vec::new(),
        };
        let mut named = Vec::new();
        for Candidate { name, value } in candidates {
            let unraw = name.unraw().to_string();
            if used.contains(&unraw) {
                if named
                    .iter()
                    .any(|(other, _): &(Ident, TokenStream)| other.unraw() == unraw)
                {
                    cx.error_spanned_by(&name, format!("duplicate format argument `{unraw}`"));
                } else {
                    named.push((name, value));
                }
            } else {
                cx.error_spanned_by(&name, unknown_key_message(&unraw));
            }
        }
        if let Some(DisplayAttr::Format { args, .. }) = &mut self.display {
            *args = FormatArgs { positional, named };
        }
    }
}

/// `name = value`: the name (a key, or a keyword such as `type` for a format
/// argument) and the value's tokens.
fn key_value(item: &[TokenTree]) -> Option<(Ident, TokenStream)> {
    let (TokenTree::Ident(key), TokenTree::Punct(equals)) = (item.first()?, item.get(1)?) else {
        return None;
    };
    // `a == b` is an expression, not a key.
    let is_equality = matches!(item.get(2), Some(TokenTree::Punct(next)) if next.as_char() == '=' && equals.spacing() == proc_macro2::Spacing::Joint);
    if equals.as_char() != '=' || is_equality {
        return None;
    }
    Some((key.clone(), item[2..].iter().cloned().collect()))
}

fn unknown_key_message(name: &str) -> String {
    format!(
        "unknown key `{name}` in #[error(...)], expected one of: {}{}",
        KEYS.join(", "),
        did_you_mean(name, KEYS)
    )
}

fn set_string(
    slot: &mut Option<LitStr>,
    key: &Ident,
    value: TokenStream,
    example: &str,
    cx: &Ctxt,
) {
    match syn::parse2::<LitStr>(value.clone()) {
        Ok(lit) => set_once(slot, key, lit, cx),
        Err(_) => cx.error_spanned_by(
            &value,
            format!("`{key}` must be a string literal, like `{example}`"),
        ),
    }
}

fn set_once<T>(slot: &mut Option<T>, key: &Ident, value: T, cx: &Ctxt) {
    if slot.is_some() {
        cx.error_spanned_by(key, format!("duplicate key `{key}` in #[error(...)]"));
    } else {
        *slot = Some(value);
    }
}

/// The `#[error(...)]` of a type or variant, if it has one.
pub(crate) fn error_attr(attrs: &[Attribute], cx: &Ctxt) -> Option<ErrorAttr> {
    let mut found: Option<ErrorAttr> = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("error")) {
        if found.is_some() {
            cx.error_spanned_by(
                attr,
                "duplicate #[error(...)] attribute: merge them into one",
            );
            continue;
        }
        match &attr.meta {
            Meta::List(list) => {
                found = Some(ErrorAttr::parse(
                    list.tokens.clone(),
                    attr.to_token_stream(),
                    cx,
                ));
            }
            _ => {
                cx.error_spanned_by(
                    attr,
                    "expected #[error(\"description\", status = ...)] or #[error(transparent)]",
                );
                // Wrong already: no "missing #[error(...)]" on top.
                found = Some(ErrorAttr {
                    whole: attr.to_token_stream(),
                    display: None,
                    code: None,
                    status: None,
                    status_attempted: true,
                    user_message: None,
                    malformed: true,
                });
            }
        }
    }
    found
}
