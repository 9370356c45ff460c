//! Content negotiation between the two renderings, as RFC 9110 (section
//! 12.5.1) weighs an `Accept` header: each media type gets the weight of
//! the most specific media range that matches it, and a weight of 0 means
//! "not this one".

use http::header::ACCEPT;
use http::HeaderMap;

/// How many media ranges of a request's `Accept` headers are read: a
/// client asks for a few; more is a header made to cost time.
const MAX_MEDIA_RANGES: usize = 64;

/// Whether the request's `Accept` prefers problem details to the model's
/// `application/json`: it weighs problem details higher, or as high and
/// names them (not through a wildcard). No `Accept`, or one that accepts
/// neither, gets the model.
pub(crate) fn prefers_problem_json(headers: &HeaderMap) -> bool {
    let mut problem = Weight::NONE;
    let mut json = Weight::NONE;
    let ranges = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| split_outside_quotes(value, ','))
        .take(MAX_MEDIA_RANGES);
    for range in ranges {
        let Some(range) = MediaRange::parse(range) else {
            continue;
        };
        problem.consider(range.matches("application", "problem+json"), range.weight);
        json.consider(range.matches("application", "json"), range.weight);
    }
    problem.thousandths > json.thousandths
        || problem.thousandths == json.thousandths
            && problem.thousandths > 0
            && problem.specificity == EXACT
}

/// A media type's weight so far, and how specific the range that gave it.
#[derive(Clone, Copy)]
struct Weight {
    /// 0 (not acceptable) to 1000.
    thousandths: u16,
    /// 0 when no range matched yet; else one of `ANY`, `SUBTYPES`, `EXACT`.
    specificity: u8,
}

const ANY: u8 = 1;
const SUBTYPES: u8 = 2;
const EXACT: u8 = 3;

impl Weight {
    const NONE: Weight = Weight {
        thousandths: 0,
        specificity: 0,
    };

    /// Takes `thousandths` from a range that matched with `specificity`
    /// (0: no match) when it is more specific than any before.
    fn consider(&mut self, specificity: u8, thousandths: u16) {
        if specificity > self.specificity {
            *self = Weight {
                thousandths,
                specificity,
            };
        }
    }
}

/// One media range of an `Accept` header.
struct MediaRange<'a> {
    kind: &'a str,
    subtype: &'a str,
    /// Parameters other than `q` (and a `charset`, which JSON has no use
    /// for): a range with any matches no rendering, since neither has one.
    has_parameters: bool,
    weight: u16,
}

impl<'a> MediaRange<'a> {
    /// `None` when the range is not well formed (RFC 9110 leaves those
    /// out); its weight is 1 unless a `q` says otherwise.
    fn parse(range: &'a str) -> Option<Self> {
        let mut parts = split_outside_quotes(range, ';');
        let (kind, subtype) = parts.next()?.trim().split_once('/')?;
        let (kind, subtype) = (kind.trim(), subtype.trim());
        if kind.is_empty() || subtype.is_empty() || kind == "*" && subtype != "*" {
            return None;
        }
        let mut has_parameters = false;
        let mut weight = 1000;
        for parameter in parts {
            let (name, value) = parameter.split_once('=')?;
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("q") {
                weight = parse_qvalue(value)?;
                // What follows `q` are extensions of `Accept`, not of the
                // media type.
                break;
            }
            let utf8_charset = name.eq_ignore_ascii_case("charset")
                && value.trim_matches('"').eq_ignore_ascii_case("utf-8");
            has_parameters |= !utf8_charset;
        }
        Some(MediaRange {
            kind,
            subtype,
            has_parameters,
            weight,
        })
    }

    /// How specifically this range matches `kind/subtype`: 0 when not.
    fn matches(&self, kind: &str, subtype: &str) -> u8 {
        if self.has_parameters {
            0
        } else if self.kind == "*" {
            ANY
        } else if !self.kind.eq_ignore_ascii_case(kind) {
            0
        } else if self.subtype == "*" {
            SUBTYPES
        } else if self.subtype.eq_ignore_ascii_case(subtype) {
            EXACT
        } else {
            0
        }
    }
}

/// A `qvalue` (RFC 9110, section 12.4.2) in thousandths: `0` to `1`, with
/// at most three decimals.
fn parse_qvalue(value: &str) -> Option<u16> {
    let (whole, decimals) = value.split_once('.').unwrap_or((value, ""));
    if decimals.len() > 3 || !decimals.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    for (digit, scale) in decimals.bytes().zip([100, 10, 1]) {
        thousandths += u16::from(digit - b'0') * scale;
    }
    (thousandths <= 1000).then_some(thousandths)
}

/// `text` split at each `separator` outside a quoted string.
fn split_outside_quotes(text: &str, separator: char) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    let mut escaped = false;
    text.split(move |c: char| {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            return true;
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_qvalue, prefers_problem_json};
    use http::HeaderMap;

    fn prefers(accept: &[&str]) -> bool {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append("accept", value.parse().unwrap());
        }
        prefers_problem_json(&headers)
    }

    #[test]
    fn weighs_as_rfc_9110_says() {
        let problem = [
            &["application/problem+json"][..],
            &["application/json, application/problem+json"],
            &["application/json;q=0.5, application/problem+json"],
            &["Application/Problem+JSON; q=0.5"],
            &["application/problem+json;charset=utf-8"],
            &["application/problem+json;q=0.5;ext=1, application/json;q=0.4"],
            &["application/json;q=0, application/problem+json;q=0.001"],
            &["application/*;q=0.1, application/problem+json"],
            &["text/html", "application/problem+json"],
            // As high, and named.
            &["application/problem+json;q=0.5, application/json;q=0.5"],
        ];
        for accept in problem {
            assert!(prefers(accept), "{accept:?}");
        }
        let model = [
            &[][..],
            &[""],
            &["application/json"],
            &["*/*"],
            &["application/*"],
            &["text/html"],
            &["application/json, application/problem+json;q=0.1"],
            &["application/problem+json;q=0"],
            &["application/problem+json;Q=0"],
            &["application/problem+json;q=0.000, */*"],
            &["application/problem+json;level=1"],
            &["application/problem+json;q=1.0001"],
            &["application/problem+json;q=2"],
            &["application/problem+json;q=-1"],
            &["application/problem+json;q="],
            &["*/problem+json"],
            &["application/problem+json;q=0.5, application/*"],
            &["application/problem+json;q=0.5, */*;q=0.9"],
        ];
        for accept in model {
            assert!(!prefers(accept), "{accept:?}");
        }
    }

    #[test]
    fn quoted_separators_stay_in_their_parameter() {
        assert!(!prefers(&[
            r#"application/problem+json;x="a,b;q=1", application/json"#
        ]));
        assert!(prefers(&[
            r#"application/json;x="a\"b,c";q=1, application/problem+json"#
        ]));
    }

    #[test]
    fn qvalues() {
        let cases = [
            ("0", Some(0)),
            ("1", Some(1000)),
            ("0.5", Some(500)),
            ("0.05", Some(50)),
            ("0.123", Some(123)),
            ("1.000", Some(1000)),
            ("1.", Some(1000)),
            ("1.001", None),
            ("0.1234", None),
            ("00.5", None),
            (".5", None),
            ("0.+5", None),
            ("", None),
        ];
        for (text, thousandths) in cases {
            assert_eq!(parse_qvalue(text), thousandths, "{text:?}");
        }
    }
}
