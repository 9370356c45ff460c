//! Error ids: random UUIDs that link a response to its report.

use std::time::{SystemTime, UNIX_EPOCH};

/// A random (version 4) UUID from the OS's generator: ids must not be
/// guessable, since they lead to reports.
pub(crate) fn new_error_id() -> String {
    let mut bytes = [0u8; 16];
    // One call to the OS per id: a forked child, or a thread, never hands
    // out another's ids.
    if getrandom::fill(&mut bytes).is_err() {
        // No OS generator: std's per-process random hash keys, with the time.
        use std::hash::{BuildHasher as _, Hasher as _};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        let high = hasher.finish();
        hasher.write_u64(high);
        bytes[..8].copy_from_slice(&high.to_le_bytes());
        bytes[8..].copy_from_slice(&hasher.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_are_random_v4_uuids() {
        // On two threads.
        let other = std::thread::spawn(|| (0..100).map(|_| new_error_id()).collect::<Vec<_>>());
        let mut ids: Vec<String> = (0..100).map(|_| new_error_id()).collect();
        ids.extend(other.join().unwrap());
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 200);
        for id in ids {
            let bytes = id.as_bytes();
            assert_eq!(id.len(), 36);
            assert_eq!([bytes[8], bytes[13], bytes[18], bytes[23]], [b'-'; 4]);
            assert_eq!(bytes[14], b'4', "{id}");
            assert!(matches!(bytes[19], b'8' | b'9' | b'a' | b'b'), "{id}");
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
    }
}
