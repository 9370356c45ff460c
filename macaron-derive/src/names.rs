//! Names and texts the macros derive on their own: default codes, canonical
//! reasons, and "did you mean" suggestions.

/// `UnknownUser` -> `UNKNOWN_USER`, `HTTPError` -> `HTTP_ERROR`,
/// `Oauth2Failed` -> `OAUTH2_FAILED`.
pub(crate) fn screaming_snake_case(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 && !out.ends_with('_') {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // A new word starts after a lowercase letter or digit, and at the
            // last capital of an acronym followed by a lowercase letter.
            if prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.extend(c.to_uppercase());
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The reason phrase RFC 9110 gives a status, as
/// `macaron_core::reason_phrase` spells it (a test in the workspace keeps
/// the two tables equal).
pub(crate) fn canonical_reason(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// The description of an error that gives none: its status' reason phrase,
/// or a generic one for the statuses HTTP leaves unnamed (such as 499).
pub(crate) fn default_description(status: u16) -> &'static str {
    canonical_reason(status).unwrap_or(if status < 500 {
        "Client Error"
    } else {
        "Server Error"
    })
}

/// The candidate closest to `input`, if it is close enough to be a typo.
pub(crate) fn nearest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|&candidate| (edit_distance(input, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= (candidate.len() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean `x`?)` when there is a near candidate, else nothing.
pub(crate) fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    match nearest(input, candidates) {
        Some(candidate) => format!("; did you mean `{candidate}`?"),
        None => String::new(),
    }
}

/// Levenshtein distance, counting an adjacent swap (`stauts`) as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_names() {
        let cases = [
            ("UnknownUser", "UNKNOWN_USER"),
            ("InvalidUser", "INVALID_USER"),
            ("HTTPError", "HTTP_ERROR"),
            ("Oauth2Failed", "OAUTH2_FAILED"),
            ("TOKEN_INVALID", "TOKEN_INVALID"),
            ("r#Type", "TYPE"),
            ("A", "A"),
            ("snake_case_name", "SNAKE_CASE_NAME"),
            ("Trailing_", "TRAILING"),
        ];
        for (ident, code) in cases {
            assert_eq!(screaming_snake_case(ident), code, "{ident}");
        }
    }

    #[test]
    fn reason_phrases_are_http_s_renamed_by_rfc_9110() {
        for status in 400..=599 {
            let expected = match status {
                413 => Some("Content Too Large"),
                422 => Some("Unprocessable Content"),
                _ => http::StatusCode::from_u16(status)
                    .unwrap()
                    .canonical_reason(),
            };
            assert_eq!(canonical_reason(status), expected, "{status}");
        }
    }

    #[test]
    fn suggestions() {
        let keys = ["code", "status", "user_message"];
        assert_eq!(nearest("stauts", &keys), Some("status"));
        assert_eq!(nearest("user_mesage", &keys), Some("user_message"));
        assert_eq!(nearest("cod", &keys), Some("code"));
        assert_eq!(nearest("description", &keys), None);
    }
}
