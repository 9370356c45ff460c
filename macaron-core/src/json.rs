//! Writing JSON straight into a response buffer, escaped exactly as
//! serde_json escapes (the workspace tests compare the bytes).

use bytes::Bytes;

/// For each byte: 0 to copy it as is, else the letter after the backslash
/// (`u` for `\u00XX`).
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A body being written: on the stack while it is small, so that the
/// response gets one allocation of the exact size. (`Bytes::from(Vec)`
/// allocates a second block whenever the capacity is not the length.)
pub(crate) struct BodyBuf {
    inline: [u8; INLINE],
    /// The length in `inline`; past `INLINE` once the body has spilled.
    len: usize,
    /// The body once it outgrows `inline`.
    spilled: Vec<u8>,
}

/// Bodies are rarely over 300 bytes.
const INLINE: usize = 512;

impl BodyBuf {
    #[inline]
    pub(crate) fn new() -> Self {
        BodyBuf {
            inline: [0; INLINE],
            len: 0,
            spilled: Vec::new(),
        }
    }

    #[inline]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if end <= INLINE {
            self.inline[self.len..end].copy_from_slice(bytes);
            self.len = end;
        } else {
            self.spill(bytes);
        }
    }

    #[cold]
    fn spill(&mut self, bytes: &[u8]) {
        if self.spilled.is_empty() {
            self.spilled.reserve(2 * INLINE + bytes.len());
            self.spilled.extend_from_slice(&self.inline[..self.len]);
            self.len = INLINE + 1;
        }
        self.spilled.extend_from_slice(bytes);
    }

    /// The body. By reference: moving the buffer would copy it whole.
    pub(crate) fn take_bytes(&mut self) -> Bytes {
        if self.spilled.is_empty() {
            Bytes::copy_from_slice(&self.inline[..self.len])
        } else {
            Bytes::from(std::mem::take(&mut self.spilled))
        }
    }
}

impl std::io::Write for BodyBuf {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.put(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends `text` as the inside of a JSON string: runs of plain bytes are
/// copied whole.
pub(crate) fn escape_into(out: &mut BodyBuf, text: &str) {
    let bytes = text.as_bytes();
    // Most texts need no escape: one pass without branches (vectorized)
    // tells.
    let plain = bytes.iter().fold(true, |plain, &byte| {
        plain & (ESCAPE[usize::from(byte)] == 0)
    });
    if plain {
        out.put(bytes);
        return;
    }
    let mut start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.put(&bytes[start..index]);
        if escape == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.put(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]);
        } else {
            out.put(&[b'\\', escape]);
        }
        start = index + 1;
    }
    out.put(&bytes[start..]);
}
