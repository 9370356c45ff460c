//! Documentation URLs: each code's stable address, a base followed by the
//! code.

use std::fmt::Write as _;

/// `base` followed by `code`, percent-encoded where a byte is not one a
/// URL may carry as is (RFC 3986's unreserved characters): a code is
/// declared without whitespace, but may hold `#`, `/` or `%`.
pub(crate) fn docs_url(base: &str, code: &str) -> String {
    let mut url = String::with_capacity(base.len() + code.len());
    url.push_str(base);
    for byte in code.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::docs_url;

    #[test]
    fn a_code_is_appended_and_encoded_where_needed() {
        let base = "https://example.com/errors#";
        assert_eq!(
            docs_url(base, "UNKNOWN_USER"),
            "https://example.com/errors#UNKNOWN_USER"
        );
        assert_eq!(
            docs_url(base, "a-b.c~d"),
            "https://example.com/errors#a-b.c~d"
        );
        assert_eq!(
            docs_url(base, "50%/#?é"),
            "https://example.com/errors#50%25%2F%23%3F%C3%A9"
        );
    }
}
