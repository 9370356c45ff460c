//! Error ids: random UUIDs that link a response to its report.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// A random (version 4) UUID: ids must not be guessable, since they lead
/// to reports. Each is a keyed hash (std's SipHash) of a count and the
/// process id, under keys std draws from the OS's generator once per
/// process: as unguessable as the keys are secret, with no draw from the
/// OS's generator per id, which a storm of 4xx and 5xx responses would
/// pay for each. The count keeps threads apart, the process id a forked
/// child from its parent; reading it is a system call per id, the price
/// of a fork never repeating its parent's ids.
pub(crate) fn new_error_id() -> String {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let keys = KEYS.get_or_init(RandomState::new);
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let process = std::process::id();
    let half = |which: u8| {
        let mut hasher = keys.build_hasher();
        hasher.write_u64(count);
        hasher.write_u32(process);
        hasher.write_u8(which);
        hasher.finish().to_le_bytes()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half(0));
    bytes[8..].copy_from_slice(&half(1));
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
