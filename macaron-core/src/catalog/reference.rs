//! The error reference page: one section per code, each under an anchor
//! named for the code, where documentation URLs point.

use crate::reason::reason_or_generic;
use crate::ErrorInfo;
use std::collections::BTreeMap;

/// The entries as a Markdown reference page titled `title`: one section
/// per code, under an anchor named for the code
/// (`<a id="UNKNOWN_USER"></a>`), so that a
/// [`docs_url_base`](crate::ConfigBuilder::docs_url_base) ending in `#`
/// points each code at its section.
///
/// ```
/// /// No user has this id.
/// #[derive(Debug, macaron_core::ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// let mine: Vec<_> = macaron_core::catalog()
///     .into_iter()
///     .filter(|entry| entry.type_name == "UnknownUser")
///     .collect();
/// let page = macaron_core::catalog::reference_markdown(&mine, "Errors");
/// assert!(page.starts_with("# Errors\n\n<a id=\"UNKNOWN_USER\"></a>\n"));
/// assert!(page.contains("\nNo user has this id.\n\n- Status: 404 Not Found\n"));
/// ```
pub fn reference_markdown(entries: &[&ErrorInfo], title: &str) -> String {
    let mut page = format!("# {title}\n");
    for (code, entries) in by_code(entries) {
        page.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n## {}\n",
            escape_html(code),
            code_span(code)
        ));
        for entry in entries {
            if !entry.doc.is_empty() {
                page.push_str(&format!("\n{}\n", entry.doc));
            }
            page.push('\n');
            for (name, fact) in facts(entry) {
                let value = fact.show(str::to_owned, code_span);
                page.push_str(&format!("- {name}: {value}\n"));
            }
        }
    }
    page
}

/// The entries as an HTML reference page titled `title`: a document of its
/// own, one `<section>` per code whose `id` is the code, so that a
/// [`docs_url_base`](crate::ConfigBuilder::docs_url_base) ending in `#`
/// points each code at its section. Every text is escaped.
///
/// ```
/// #[derive(Debug, macaron_core::ApiError)]
/// #[error("no user with id {id}", status = 404)]
/// struct UnknownUser {
///     id: u64,
/// }
///
/// let mine: Vec<_> = macaron_core::catalog()
///     .into_iter()
///     .filter(|entry| entry.type_name == "UnknownUser")
///     .collect();
/// let page = macaron_core::catalog::reference_html(&mine, "Errors");
/// assert!(page.contains("<section id=\"UNKNOWN_USER\">"));
/// ```
pub fn reference_html(entries: &[&ErrorInfo], title: &str) -> String {
    let title = escape_html(title);
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for (code, entries) in by_code(entries) {
        let code = escape_html(code);
        page.push_str(&format!(
            "<section id=\"{code}\">\n<h2><code>{code}</code></h2>\n"
        ));
        for entry in entries {
            for paragraph in entry.doc.split("\n\n").filter(|text| !text.is_empty()) {
                page.push_str(&format!("<p>{}</p>\n", escape_html(paragraph)));
            }
            page.push_str("<dl>\n");
            for (name, fact) in facts(entry) {
                let value = fact.show(escape_html, |text| {
                    format!("<code>{}</code>", escape_html(text))
                });
                page.push_str(&format!("<dt>{name}</dt><dd>{value}</dd>\n"));
            }
            page.push_str("</dl>\n");
        }
        page.push_str("</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// The entries by code, in code order; a code several errors declare has
/// one section listing each.
fn by_code<'a>(entries: &[&'a ErrorInfo]) -> BTreeMap<&'a str, Vec<&'a ErrorInfo>> {
    let mut codes: BTreeMap<&str, Vec<&ErrorInfo>> = BTreeMap::new();
    for entry in entries {
        codes.entry(entry.code).or_default().push(entry);
    }
    codes
}

/// One line of an entry's section.
enum Fact {
    Text(String),
    Code(String),
    Codes(&'static [&'static str]),
}

impl Fact {
    /// The fact in a page's markup: `text` writes prose, `code` a code.
    fn show(self, text: impl Fn(&str) -> String, code: impl Fn(&str) -> String) -> String {
        match self {
            Fact::Text(prose) => text(&prose),
            Fact::Code(name) => code(&name),
            Fact::Codes(names) => names
                .iter()
                .map(|name| code(name))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// What a client of `entry` needs to know, in the order a reader wants it.
fn facts(entry: &ErrorInfo) -> Vec<(&'static str, Fact)> {
    let status = entry.status;
    let mut facts = vec![
        (
            "Status",
            Fact::Text(format!("{} {}", status.as_u16(), reason_or_generic(status))),
        ),
        ("Description", Fact::Code(entry.description.to_owned())),
    ];
    if let Some(user_message) = entry.user_message {
        facts.push(("User message", Fact::Code(user_message.to_owned())));
    }
    if !entry.headers.is_empty() {
        facts.push(("Headers", Fact::Codes(entry.headers)));
    }
    if !entry.data.is_empty() {
        facts.push(("Data", Fact::Codes(entry.data)));
    }
    facts.push(("Declared by", Fact::Code(super::declared_at(entry))));
    facts
}

/// `text` as a Markdown code span: fenced with one backtick more than the
/// longest run inside, padded when it starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `text` with HTML's special characters as entities, for text and
/// attribute values alike.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{code_span, escape_html};

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a``"), "``` `a`` ```");
    }

    #[test]
    fn html_specials_are_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
