//! Error ids: random UUIDs that link a response to its report.

use std::time::{SystemTime, UNIX_EPOCH};

/// A random (version 4) UUID from the OS's generator: ids must not be
/// guessable, since they lead to reports.
pub(crate) fn new_error_id() -> String {
    let mut bytes = [0u8; 16];
    // One read from the OS per id: a forked child, or a thread, never
    // hands out another's ids.
    if !os_random(&mut bytes) {
        // No OS generator: std's random hash keys (which std draws from
        // the OS once per thread), with the time.
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

/// Fills `bytes` from the kernel's generator, `/dev/urandom`, opened
/// once: std alone, where a crate for it would add libc to every build.
#[cfg(unix)]
fn os_random(bytes: &mut [u8]) -> bool {
    use std::fs::File;
    use std::io::Read as _;
    use std::sync::OnceLock;
    static URANDOM: OnceLock<Option<File>> = OnceLock::new();
    let Some(mut urandom) = URANDOM
        .get_or_init(|| File::open("/dev/urandom").ok())
        .as_ref()
    else {
        return false;
    };
    urandom.read_exact(bytes).is_ok()
}

/// No generator std can read without a platform crate: the fallback.
#[cfg(not(unix))]
fn os_random(_: &mut [u8]) -> bool {
    false
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
