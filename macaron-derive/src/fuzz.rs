//! An in-process fuzz test of the two front ends: valid inputs, mutated
//! token by token, go through parse, validation and expansion as
//! `proc_macro2` streams. No input may panic, and every rejected input must
//! give at least one error spanned at a token of the input.
//!
//! Seeded and reproducible: `MACARON_FUZZ_CASES` sets the number of cases
//! (100,000 by default), `MACARON_FUZZ_SEED` the first seed; a failing case
//! prints its seed and its input.

use crate::{ast, expand};
use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use std::panic::{self, AssertUnwindSafe};
use std::str::FromStr;

/// Valid derive inputs: every attribute and field form the derive takes.
const DERIVE_SEEDS: &[&str] = &[
    r#"
/// The login is unknown.
#[error("no user with id {id} in {}", .hint.len(), code = "INVALID_USER", status = 401, user_message = "Sorry {id}")]
struct InvalidUser { id: u64, #[header("retry-after")] retry: u32, #[data] hint: String }
"#,
    r#"
#[api_error(serialize = false)]
#[error("{thing} {0:?} {MSG} {self:?}", thing = not(.1), status = 500)]
struct Extra(String, bool, #[backtrace] std::backtrace::Backtrace);
"#,
    r#"
#[error("storage failed: {0}", code = "STORAGE", status = 503, user_message = "Try again")]
enum Storage {
    Disk(std::path::PathBuf),
    #[error(fmt = show, status = 507)]
    Full { r#type: u8 },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
    #[error("traced")]
    Traced { #[from] source: Option<std::io::Error>, backtrace: std::backtrace::Backtrace },
}
"#,
    r#"
#[error("user {0:?} has {1:>4} items {{braces}}", status = 409)]
struct Tuple(String, u32);
"#,
    r#"
#[error(status = 404)]
pub struct Missing;
"#,
    r#"
enum AccountError<T: std::fmt::Debug> {
    #[error("token expired", status = 401, user_message = "Please log in again")]
    Expired,
    #[error("bad scope {scope}", code = "FORBIDDEN_SCOPE", status = 403)]
    Scope { #[header("www-authenticate")] scope: String, #[data("required_scope")] required: T },
    #[error("database failure", status = 500)]
    Db(#[from] std::io::Error),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("conversion failed", status = 500)]
    Boxed(#[source] Box<dyn std::error::Error + Send + Sync>),
}
"#,
    r#"
#[error(transparent)]
struct Wrapper(#[from] InvalidUser);
"#,
];

/// Valid `define_errors!` inputs.
const BATCH_SEEDS: &[&str] = &[
    r#"
/// Raised when the token is not valid.
pub TokenInvalid(status = 401);
pub MyOwnException(code = "MY_OWN_EXCEPTION", status = 401);
pub(crate) PaymentRequired("Payment required", status = 402, user_message = "Please top up");
"#,
    r#"
#[derive(Clone)]
Quiet("escaped {{braces}}", status = 503);
"#,
];

/// What a mutation may put in: keys, attribute names, punctuation, odd and
/// huge literals, groups.
const PALETTE: &str = r#"
error code status user_message transparent fmt source from backtrace header data api_error serialize pub struct enum Self self type _ r#error r#type crate as dyn
= , : ; # . ? ! - + :: < > .0 .1.0
"" "{" "}" "{{" "}}" "{x}" "{0}" "{1}" "{:?}" "{id}" "{id:>99999}" "{unknown}" "{id" "id}" "\u{2028}\u{2029}" "\0\r\n" "a\"b\\c" "é😀" "INVALID USER" "retry-after" "bad header" "" r"raw" b"bytes" c"cstr"
0 1 200 400 401 499 500 599 600 65535 65536 99 -1 99999999999999999999999999999 1e10 4_0_0 0x190 1.5 400u16 400i8 'c' true
() [] {} (x) [y = 1] {z}
"#;

const DEFAULT_CASES: u64 = 100_000;

#[test]
fn mutated_inputs_never_panic_and_every_rejection_is_spanned() {
    let cases = env_number("MACARON_FUZZ_CASES", DEFAULT_CASES);
    let first_seed = env_number("MACARON_FUZZ_SEED", 0x6d61_6361_726f_6e00);
    // Lexed from source, so that every token carries a span of its own.
    let derive_seeds: Vec<Vec<TokenTree>> = DERIVE_SEEDS.iter().map(|seed| lex(seed)).collect();
    let batch_seeds: Vec<Vec<TokenTree>> = BATCH_SEEDS.iter().map(|seed| lex(seed)).collect();
    let palette = Palette::new();

    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut outcome = Outcome::default();
    let mut failures = Vec::new();
    for case in 0..cases {
        let seed = first_seed.wrapping_add(case);
        let mut rng = Rng(seed);
        let is_derive = rng.below(2) == 0;
        let seeds = if is_derive {
            &derive_seeds
        } else {
            &batch_seeds
        };
        let mut tokens = seeds[rng.below(seeds.len())].clone();
        for _ in 0..=rng.below(4) {
            tokens = mutate(tokens, &palette, &mut rng, 0);
        }
        let input: TokenStream = tokens.into_iter().collect();
        let text = input.to_string();
        match panic::catch_unwind(AssertUnwindSafe(|| run(input, is_derive))) {
            Ok(Verdict::Accepted) => outcome.accepted += 1,
            Ok(Verdict::NotAnItem) => outcome.not_an_item += 1,
            Ok(Verdict::Rejected { spanned: true }) => outcome.rejected += 1,
            Ok(Verdict::Rejected { spanned: false }) => failures.push(format!(
                "seed {seed:#x}: rejected without a spanned error: {text}"
            )),
            Err(_) => failures.push(format!("seed {seed:#x}: panicked on: {text}")),
        }
    }
    panic::set_hook(quiet);
    println!(
        "{cases} cases: {} accepted, {} rejected with a spanned error, {} no item, {} failures",
        outcome.accepted,
        outcome.rejected,
        outcome.not_an_item,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A mutator that never breaks anything, or breaks everything, tests
    // nothing: both outcomes must be common.
    assert!(outcome.accepted > cases / 50 && outcome.rejected > cases / 2);
}

#[derive(Default)]
struct Outcome {
    accepted: u64,
    rejected: u64,
    not_an_item: u64,
}

enum Verdict {
    Accepted,
    NotAnItem,
    Rejected { spanned: bool },
}

/// One input through the front end, as the entry points in `lib.rs` run it.
fn run(input: TokenStream, is_derive: bool) -> Verdict {
    let parsed = if is_derive {
        // rustc hands a derive only items it has parsed: what is no item
        // never reaches the macro.
        let Ok(input) = syn::parse2::<syn::DeriveInput>(input) else {
            return Verdict::NotAnItem;
        };
        Ok(expand::derive(&input))
    } else {
        syn::parse2::<ast::RawBatch>(input).map(expand::define_errors)
    };
    let expanded = match parsed {
        Ok(expanded) => expanded,
        // Input that ends too early has no token to point at: the
        // compiler shows syn's "unexpected end of input" at the macro call.
        Err(error) => {
            return Verdict::Rejected {
                spanned: is_input_span(error.span())
                    || error.to_string().starts_with("unexpected end of input"),
            }
        }
    };
    // Every error is a `::core::compile_error! { .. }` ahead of the code,
    // its `compile_error` spanned where the error is.
    let mut errors = expanded.into_iter().filter_map(|token| match token {
        TokenTree::Ident(ident) if ident == "compile_error" => Some(ident.span()),
        _ => None,
    });
    match errors.next() {
        None => Verdict::Accepted,
        Some(first) => Verdict::Rejected {
            spanned: is_input_span(first) || errors.any(is_input_span),
        },
    }
}

/// Every input starts with a newline: a token of it is on line 2 or later,
/// where `Span::call_site()` is on line 1.
fn is_input_span(span: Span) -> bool {
    span.start().line >= 2
}

fn lex(source: &str) -> Vec<TokenTree> {
    TokenStream::from_str(source)
        .expect("the fuzz seeds lex")
        .into_iter()
        .collect()
}

/// One mutation, at this level of the tree or inside one of its groups.
fn mutate(
    mut tokens: Vec<TokenTree>,
    palette: &Palette,
    rng: &mut Rng,
    depth: usize,
) -> Vec<TokenTree> {
    let groups: Vec<usize> = (0..tokens.len())
        .filter(|&index| matches!(tokens[index], TokenTree::Group(_)))
        .collect();
    if !groups.is_empty() && rng.below(3) != 0 && depth < 8 {
        let index = groups[rng.below(groups.len())];
        let TokenTree::Group(group) = &tokens[index] else {
            return tokens;
        };
        let inner = mutate(
            group.stream().into_iter().collect(),
            palette,
            rng,
            depth + 1,
        );
        let mut rebuilt = Group::new(group.delimiter(), inner.into_iter().collect());
        rebuilt.set_span(group.span());
        tokens[index] = TokenTree::Group(rebuilt);
        return tokens;
    }
    let at = |rng: &mut Rng, len: usize| rng.below(len.max(1));
    let pick = |rng: &mut Rng| Palette::pick(&palette.all, rng);
    match rng.below(9) {
        0 if !tokens.is_empty() => {
            tokens.remove(at(rng, tokens.len()));
        }
        1 if !tokens.is_empty() => {
            let index = at(rng, tokens.len());
            tokens.insert(index, tokens[index].clone());
        }
        2 if tokens.len() >= 2 => {
            let (first, second) = (at(rng, tokens.len()), at(rng, tokens.len()));
            tokens.swap(first, second);
        }
        3 if !tokens.is_empty() => {
            let index = at(rng, tokens.len());
            tokens[index] = pick(rng);
        }
        4 => {
            let index = at(rng, tokens.len() + 1);
            tokens.insert(index.min(tokens.len()), pick(rng));
        }
        5 => {
            // `, key = value` at a random place: a random key and value.
            let index = at(rng, tokens.len() + 1).min(tokens.len());
            let pair = [
                palette.comma.clone(),
                Palette::pick(&palette.idents, rng),
                palette.equals.clone(),
                Palette::pick(&palette.literals, rng),
            ];
            tokens.splice(index..index, pair);
        }
        6 => {
            let literals: Vec<usize> = (0..tokens.len())
                .filter(|&index| matches!(tokens[index], TokenTree::Literal(_)))
                .collect();
            if !literals.is_empty() {
                tokens[literals[rng.below(literals.len())]] = Palette::pick(&palette.literals, rng);
            }
        }
        7 if !groups.is_empty() => {
            let index = groups[rng.below(groups.len())];
            if let TokenTree::Group(group) = tokens.remove(index) {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                tokens.splice(index..index, inner);
            }
        }
        _ if !tokens.is_empty() => {
            let index = at(rng, tokens.len());
            let delimiter =
                [Delimiter::Parenthesis, Delimiter::Bracket, Delimiter::Brace][rng.below(3)];
            let span = tokens[index].span();
            let mut group = Group::new(delimiter, TokenStream::from(tokens[index].clone()));
            group.set_span(span);
            tokens[index] = TokenTree::Group(group);
        }
        _ => tokens.push(pick(rng)),
    }
    tokens
}

/// The tokens a mutation may put in, lexed once (so that each has a span
/// of its own), and sorted by kind for the mutations that want one kind.
struct Palette {
    all: Vec<TokenTree>,
    idents: Vec<TokenTree>,
    literals: Vec<TokenTree>,
    comma: TokenTree,
    equals: TokenTree,
}

impl Palette {
    fn new() -> Self {
        let all = lex(PALETTE);
        let of_kind = |keep: fn(&TokenTree) -> bool| -> Vec<TokenTree> {
            all.iter().filter(|token| keep(token)).cloned().collect()
        };
        let punct = |char| {
            all.iter()
                .find(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == char))
                .cloned()
                .expect("the palette has it")
        };
        Palette {
            idents: of_kind(|token| matches!(token, TokenTree::Ident(_))),
            literals: of_kind(|token| matches!(token, TokenTree::Literal(_))),
            comma: punct(','),
            equals: punct('='),
            all,
        }
    }

    fn pick(tokens: &[TokenTree], rng: &mut Rng) -> TokenTree {
        tokens[rng.below(tokens.len())].clone()
    }
}

/// SplitMix64: a seed per case, so that any case can be run again alone.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^= mixed >> 31;
        (mixed % bound as u64) as usize
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| {
            let value = value.trim();
            match value.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => value.parse().ok(),
            }
        })
        .unwrap_or(default)
}
