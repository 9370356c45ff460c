//! Rules across attributes and fields. Each check reports what is wrong
//! and substitutes a safe value, so that expansion still produces impls
//! and one mistake does not cascade into errors at every use of the type.

use crate::ast::ErrorDef;
use crate::attr::ErrorArgs;
use crate::ctxt::Ctxt;
use crate::names::{default_description, screaming_snake_case};
use crate::template::Text;
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::LitStr;

/// Keys of the body that `#[data]` may not take.
pub(crate) const RESERVED_KEYS: &[&str] = &[
    "error",
    "error_description",
    "user_message",
    "status",
    "error_id",
];

/// A checked error.
pub(crate) struct Spec {
    pub kind: Kind,
    /// The field `Error::source` returns.
    pub source: Option<usize>,
    /// The field a `From` impl wraps.
    pub from: Option<usize>,
}

pub(crate) enum Kind {
    /// Everything forwarded to the one field.
    Transparent(usize),
    Declared(Declared),
}

pub(crate) struct Declared {
    pub code: String,
    /// The code literal, or the name the code was derived from.
    pub code_span: Span,
    pub status: u16,
    pub description: Text,
    /// As written (`"no user with id {id}"`), for the catalog.
    pub description_template: String,
    pub user_message: Option<Text>,
    pub user_message_template: Option<String>,
    /// Response header name (lowercase) and field.
    pub headers: Vec<(String, usize)>,
    /// Body key and field, sorted by key as JSON maps are.
    pub data: Vec<(String, usize)>,
}

pub(crate) fn check(def: &ErrorDef, cx: &Ctxt) -> Spec {
    let source = check_source(def, cx);
    let from = check_from(def, cx);
    let headers = check_headers(def, cx);
    let data = check_data(def, cx);
    let args = def.args.as_ref();
    if let Some(transparent) = args.and_then(|args| args.transparent.as_ref()) {
        let args = args.expect("transparent comes from args");
        for (name, present) in [
            ("code", args.code.as_ref().map(|lit| lit.span())),
            (
                "status",
                args.status.as_ref().map(|(_, tokens)| first_span(tokens)),
            ),
            (
                "user_message",
                args.user_message.as_ref().map(|lit| lit.span()),
            ),
        ] {
            if let Some(span) = present {
                cx.error_at(
                    span,
                    format!(
                        "`{name}` cannot be combined with #[error(transparent)]: the wrapped \
                         error's {name} is used"
                    ),
                );
            }
        }
        if !headers.is_empty() || !data.is_empty() {
            cx.error_spanned_by(
                transparent,
                "#[header] and #[data] have no effect with #[error(transparent)]: the wrapped \
                 error's headers and data are used",
            );
        }
        if def.fields.len() == 1 {
            return Spec {
                kind: Kind::Transparent(0),
                source: Some(0),
                from,
            };
        }
        cx.error_spanned_by(
            transparent,
            format!(
                "#[error(transparent)] needs exactly one field, the error it forwards to; \
                 `{}` has {}",
                def.ident,
                def.fields.len()
            ),
        );
    }
    Spec {
        kind: Kind::Declared(check_declared(def, headers, data, cx)),
        source,
        from,
    }
}

fn check_declared(
    def: &ErrorDef,
    headers: Vec<(String, usize)>,
    data: Vec<(String, usize)>,
    cx: &Ctxt,
) -> Declared {
    let args = def.args.as_ref();
    let status = match args {
        Some(ErrorArgs {
            status: Some((status, _)),
            ..
        }) => *status,
        Some(args) => {
            if !args.status_attempted && args.transparent.is_none() {
                cx.error_spanned_by(
                    &args.whole,
                    "missing `status` in #[error(...)]: add one, such as `status = 400`",
                );
            }
            500
        }
        None => 500,
    };
    let (code, code_span) = match args.and_then(|args| args.code.as_ref()) {
        Some(lit) => (check_code(lit, cx), lit.span()),
        None => (
            screaming_snake_case(&def.ident.to_string()),
            def.ident.span(),
        ),
    };
    let (description, description_template) = match args.and_then(|args| args.description.as_ref())
    {
        Some(lit) => (
            parse_text(lit, def, cx).unwrap_or_else(|| Text::Static(lit.value())),
            lit.value(),
        ),
        None => {
            let text = default_description(status).to_owned();
            (Text::Static(text.clone()), text)
        }
    };
    let user_message = args.and_then(|args| args.user_message.as_ref()).map(|lit| {
        let text = parse_text(lit, def, cx).unwrap_or_else(|| Text::Static(lit.value()));
        (text, lit.value())
    });
    let (user_message, user_message_template) = match user_message {
        Some((text, template)) => (Some(text), Some(template)),
        None => (None, None),
    };
    Declared {
        code,
        code_span,
        status,
        description,
        description_template,
        user_message,
        user_message_template,
        headers,
        data,
    }
}

fn first_span(tokens: &proc_macro2::TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span())
}

fn parse_text(lit: &LitStr, def: &ErrorDef, cx: &Ctxt) -> Option<Text> {
    Text::parse(lit, def)
        .map_err(|message| cx.error_spanned_by(lit, message))
        .ok()
}

fn check_code(lit: &LitStr, cx: &Ctxt) -> String {
    let code = lit.value();
    if code.is_empty() {
        cx.error_spanned_by(
            lit,
            "`code` is empty: give it a value, such as `code = \"INVALID_USER\"`",
        );
    } else if let Some(c) = code.chars().find(|c| c.is_whitespace() || c.is_control()) {
        cx.error_spanned_by(
            lit,
            format!(
                "`code` contains {:?}: codes are identifiers clients match on, use letters, \
                 digits and `_`, such as `INVALID_USER`",
                c
            ),
        );
    } else if let Some(c) = code.chars().find(|c| !c.is_ascii()) {
        cx.error_spanned_by(
            lit,
            format!(
                "`code` contains the non-ASCII character {c:?}: codes are identifiers clients \
                 match on, use ASCII letters, digits and `_`"
            ),
        );
    }
    code
}

/// The explicit `#[source]`/`#[from]` field, or else a field named `source`.
fn check_source(def: &ErrorDef, cx: &Ctxt) -> Option<usize> {
    let mut explicit = def.fields.iter().enumerate().filter_map(|(index, field)| {
        let attrs = &field.attrs;
        attrs.source.or(attrs.from).map(|span| (index, span))
    });
    let first = explicit.next();
    for (_, span) in explicit {
        cx.error_at(
            span,
            format!(
                "`{}` has two sources: mark a single field #[source] or #[from]",
                def.ident
            ),
        );
    }
    first.map(|(index, _)| index).or_else(|| {
        def.fields
            .iter()
            .position(|field| ErrorDef::field_name(field) == "source")
    })
}

fn check_from(def: &ErrorDef, cx: &Ctxt) -> Option<usize> {
    let index = def
        .fields
        .iter()
        .position(|field| field.attrs.from.is_some())?;
    let others: Vec<String> = def
        .fields
        .iter()
        .enumerate()
        .filter(|&(other, _)| other != index)
        .map(|(_, field)| format!("`{}`", ErrorDef::field_name(field)))
        .collect();
    if !others.is_empty() {
        cx.error_at(
            def.fields[index].attrs.from.expect("found above"),
            format!(
                "#[from] needs the source to be the only field, but `{}` also has {}: \
                 use #[source] instead and construct the error yourself",
                def.ident,
                others.join(", ")
            ),
        );
        return None;
    }
    Some(index)
}

fn check_headers(def: &ErrorDef, cx: &Ctxt) -> Vec<(String, usize)> {
    let mut headers = Vec::new();
    for (index, field) in def.fields.iter().enumerate() {
        let Some(lit) = &field.attrs.header else {
            continue;
        };
        let name = lit.value();
        let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(is_token) {
            cx.error_spanned_by(
                lit,
                format!(
                    "{name:?} is not a valid header name: use letters, digits and `-`, such as \
                     #[header(\"retry-after\")]"
                ),
            );
        } else {
            headers.push((name.to_ascii_lowercase(), index));
        }
    }
    headers
}

fn check_data(def: &ErrorDef, cx: &Ctxt) -> Vec<(String, usize)> {
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    for (index, field) in def.fields.iter().enumerate() {
        let Some((explicit, span)) = &field.attrs.data else {
            continue;
        };
        let key = match explicit {
            Some(lit) => lit.value(),
            None if matches!(field.member, syn::Member::Named(_)) => ErrorDef::field_name(field),
            None => {
                cx.error_at(
                    *span,
                    "#[data] on a tuple field needs a body key: #[data(\"key\")]",
                );
                continue;
            }
        };
        let span = explicit.as_ref().map_or(*span, LitStr::span);
        if RESERVED_KEYS.contains(&key.as_str()) {
            cx.error_at(
                span,
                format!(
                    "`{key}` is a reserved key of the error body ({}): give the data another \
                     key, as in #[data(\"{key}_detail\")]",
                    RESERVED_KEYS.join(", ")
                ),
            );
        } else if keys.insert(key.clone(), index).is_some() {
            cx.error_at(span, format!("duplicate #[data] key `{key}`"));
        }
    }
    keys.into_iter().collect()
}

/// Codes identify errors to clients: within one enum or one
/// `define_errors!` block each must be used once. Points at every use.
pub(crate) fn check_unique_codes<'a>(
    errors: impl IntoIterator<Item = (&'a ErrorDef, &'a Spec)>,
    cx: &Ctxt,
) {
    let mut seen: BTreeMap<&str, Vec<(&ErrorDef, Span)>> = BTreeMap::new();
    for (def, spec) in errors {
        if let Kind::Declared(declared) = &spec.kind {
            seen.entry(&declared.code)
                .or_default()
                .push((def, declared.code_span));
        }
    }
    for (code, uses) in seen.into_iter().filter(|(_, uses)| uses.len() > 1) {
        let names: Vec<String> = uses
            .iter()
            .map(|(def, _)| format!("`{}`", def.ident))
            .collect();
        for (_, span) in &uses {
            cx.error_at(
                *span,
                format!(
                    "duplicate error code `{code}`, used by {}: give each error its own code",
                    names.join(" and ")
                ),
            );
        }
    }
}
