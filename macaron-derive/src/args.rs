//! The tokens of an attribute's arguments: its items, split at top-level
//! commas, and thiserror's field shorthand in format arguments (`.0`,
//! `.name`), rewritten into the fields' bindings.

use crate::ast::Variant;
use crate::ctxt::Ctxt;
use crate::names::did_you_mean;
use proc_macro2::{Group, Ident, Spacing, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};

/// The items of an attribute's arguments, split at top-level commas (a
/// trailing comma allowed); an empty item is the span of the comma after
/// it. A comma inside generic arguments (`&dyn Trait<i32, A = i32>`,
/// `Vec::<(u8, u8)>::new()`) does not split: angle brackets opened after
/// `::` or in a type after `as` are counted.
pub(crate) fn split_items(tokens: TokenStream) -> Vec<Result<Vec<TokenTree>, Span>> {
    let mut items = Vec::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut angles = 0usize;
    let mut in_type = false;
    for token in tokens {
        if let TokenTree::Punct(punct) = &token {
            match punct.as_char() {
                ',' if angles == 0 => {
                    items.push(if item.is_empty() {
                        Err(punct.span())
                    } else {
                        Ok(std::mem::take(&mut item))
                    });
                    in_type = false;
                    continue;
                }
                '<' if angles > 0 || in_type || follows_path_separator(&item) => angles += 1,
                '>' if angles > 0 && !follows_joint(&item, '-') => {
                    angles -= 1;
                }
                ':' | '&' | '*' | '\'' | '<' | '>' | '-' => {}
                _ if angles == 0 => in_type = false,
                _ => {}
            }
        } else if let TokenTree::Ident(ident) = &token {
            if ident == "as" {
                in_type = true;
            }
        } else if angles == 0 {
            in_type = false;
        }
        item.push(token);
    }
    if !item.is_empty() {
        items.push(Ok(item));
    }
    items
}

fn follows_path_separator(item: &[TokenTree]) -> bool {
    matches!(
        item,
        [.., TokenTree::Punct(first), TokenTree::Punct(second)]
            if first.as_char() == ':' && first.spacing() == Spacing::Joint && second.as_char() == ':'
    )
}

fn follows_joint(item: &[TokenTree], char: char) -> bool {
    matches!(
        item.last(),
        Some(TokenTree::Punct(punct)) if punct.as_char() == char && punct.spacing() == Spacing::Joint
    )
}

/// thiserror's field shorthand in a format argument: `.0` and `.name` at
/// the start of an expression are the field's binding.
pub(crate) fn shorthand(
    tokens: TokenStream,
    variant: &Variant,
    fields: &mut Vec<usize>,
    cx: &Ctxt,
) -> TokenStream {
    let mut out = TokenStream::new();
    let mut tokens = tokens.into_iter().peekable();
    let mut starts_expression = true;
    // Generic arguments opened by a turbofish: a dot after their closing
    // `>` is a method call (`None::<u8>.is_some()`).
    let mut angles = 0usize;
    let mut previous: Vec<TokenTree> = Vec::new();
    while let Some(token) = tokens.next() {
        let next_starts = match &token {
            TokenTree::Punct(punct) => {
                if punct.as_char() == '.' && punct.spacing() == Spacing::Alone && starts_expression
                {
                    if let Some(replacement) = field_after_dot(tokens.peek(), variant, fields, cx) {
                        tokens.next();
                        out.extend(replacement);
                        starts_expression = false;
                        continue;
                    }
                }
                match punct.as_char() {
                    '<' if angles > 0 || follows_path_separator(&previous) => {
                        angles += 1;
                        true
                    }
                    '>' if angles > 0 && !follows_joint(&previous, '-') => {
                        angles -= 1;
                        false
                    }
                    // After `x?` or the first dot of `..`, a dot is no
                    // shorthand.
                    '?' | '.' => false,
                    _ => true,
                }
            }
            TokenTree::Ident(ident) => is_expression_keyword(ident),
            TokenTree::Literal(_) => false,
            TokenTree::Group(_) => false,
        };
        previous.push(token.clone());
        match token {
            TokenTree::Group(group) => {
                let inner = shorthand(group.stream(), variant, fields, cx);
                let mut rebuilt = Group::new(group.delimiter(), inner);
                rebuilt.set_span(group.span());
                out.extend([TokenTree::Group(rebuilt)]);
            }
            token => out.extend([token]),
        }
        starts_expression = next_starts;
    }
    out
}

/// Adds a field to the ones an argument reads, once.
pub(crate) fn mark(fields: &mut Vec<usize>, index: usize) {
    if !fields.contains(&index) {
        fields.push(index);
    }
}

/// After a keyword such as `match` or `if`, an expression starts.
fn is_expression_keyword(ident: &Ident) -> bool {
    [
        "if", "match", "return", "in", "while", "break", "let", "else", "move",
    ]
    .iter()
    .any(|keyword| ident == keyword)
}

/// The field a shorthand dot is followed by: `name`, `0`, or `0.1` (a
/// field, then a field of it).
fn field_after_dot(
    next: Option<&TokenTree>,
    variant: &Variant,
    fields: &mut Vec<usize>,
    cx: &Ctxt,
) -> Option<TokenStream> {
    let names: Vec<&str> = variant
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    let known = |written: &dyn ToTokens, name: &str| {
        let found = variant.fields.iter().position(|field| field.name == name);
        if found.is_none() {
            cx.error_spanned_by(
                written,
                format!(
                    "`.{name}` does not name a field of `{}`; {}{}",
                    variant.ident,
                    if names.is_empty() {
                        "it has no fields".to_owned()
                    } else {
                        format!("its fields are: {}", names.join(", "))
                    },
                    did_you_mean(name, &names)
                ),
            );
        }
        found
    };
    match next? {
        TokenTree::Ident(ident) => {
            let name = syn::ext::IdentExt::unraw(ident).to_string();
            let index = known(ident, &name)?;
            mark(fields, index);
            Some(variant.fields[index].binding.to_token_stream())
        }
        TokenTree::Literal(literal) => {
            let text = literal.to_string();
            let mut parts = text.split('.');
            let first = parts.next()?;
            let second = parts.next();
            if parts.next().is_some()
                || !first.bytes().all(|byte| byte.is_ascii_digit())
                || !second.map_or(true, |second| {
                    second.bytes().all(|byte| byte.is_ascii_digit())
                })
            {
                return None;
            }
            let index = known(literal, first)?;
            mark(fields, index);
            let binding = &variant.fields[index].binding;
            Some(match second {
                None => binding.to_token_stream(),
                Some(second) => {
                    let mut member = proc_macro2::Literal::usize_unsuffixed(second.parse().ok()?);
                    member.set_span(literal.span());
                    quote!(#binding.#member)
                }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::split_items;
    use std::str::FromStr;

    #[test]
    fn items_split_at_top_level_commas_only() {
        let count = |source: &str| {
            split_items(proc_macro2::TokenStream::from_str(source).unwrap())
                .iter()
                .map(|item| item.as_ref().map_or(0, Vec::len))
                .collect::<Vec<_>>()
        };
        assert_eq!(count(r#""{}", a < b, c > d"#), [1, 3, 3]);
        assert_eq!(count("Vec::<Vec<(u8, u8)>>::new().len(), x"), [16, 1]);
        assert_eq!(
            count("b = &0 as &dyn Trait<i32, A = i32>, status = 1"),
            [15, 3]
        );
        assert_eq!(count("f::<Box<dyn Fn(u8) -> u8>>(), 2,"), [15, 1]);
        assert_eq!(count(", x"), [0, 1]);
    }
}
