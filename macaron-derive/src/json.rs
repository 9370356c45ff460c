//! JSON fragments computed at compile time. The escaping must match
//! serde_json's byte for byte: the workspace tests compare the two.

/// Appends `text` to `out` as the inside of a JSON string.
pub(crate) fn escape_into(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x00..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
            }
            _ => out.push(byte),
        }
    }
}

/// `"key":` with the key escaped.
pub(crate) fn key(out: &mut Vec<u8>, key: &str) {
    out.push(b'"');
    escape_into(out, key);
    out.extend_from_slice(b"\":");
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_json() {
        let mut out = Vec::new();
        super::escape_into(&mut out, "a\"b\\c\n\t\u{1}\u{7f}é\u{2028}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\\"b\\\\c\\n\\t\\u0001\u{7f}é\u{2028}"
        );
    }
}
