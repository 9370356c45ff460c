//! Error ids: random UUIDs that link a response to its report.

use std::time::{SystemTime, UNIX_EPOCH};

/// Random bytes from the OS's generator, fetched 32 ids at a time: one
/// `getrandom` call costs more than the rest of an error response.
struct RandomPool {
    bytes: [u8; 512],
    used: usize,
    /// The fork the bytes were drawn in: a child must not hand out ids its
    /// parent may hand out too.
    forks: usize,
}

thread_local! {
    static RANDOM_POOL: std::cell::RefCell<RandomPool> = const {
        std::cell::RefCell::new(RandomPool { bytes: [0; 512], used: 512, forks: 0 })
    };
}

/// How many times this process is a forked child of the one that first
/// drew an id. Counted by an `atfork` handler: asking the pid for each id
/// would cost a system call, as much as the pool saves.
fn forks() -> usize {
    #[cfg(unix)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static FORKS: AtomicUsize = AtomicUsize::new(0);
        static REGISTER: std::sync::Once = std::sync::Once::new();
        extern "C" fn in_child() {
            FORKS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the handler only touches an atomic, which is
        // async-signal-safe, as a handler run in a forked child must be.
        REGISTER.call_once(|| unsafe {
            libc::pthread_atfork(None, None, Some(in_child));
        });
        FORKS.load(Ordering::Relaxed)
    }
    #[cfg(not(unix))]
    0
}

/// 16 bytes from the pool; `false` when the OS has no generator.
fn random_16(out: &mut [u8; 16]) -> bool {
    RANDOM_POOL
        .try_with(|pool| {
            let mut pool = pool.borrow_mut();
            let forks = forks();
            if pool.used + 16 > pool.bytes.len() || pool.forks != forks {
                if getrandom::fill(&mut pool.bytes).is_err() {
                    return false;
                }
                pool.used = 0;
                pool.forks = forks;
            }
            let start = pool.used;
            out.copy_from_slice(&pool.bytes[start..start + 16]);
            // Used bytes are wiped: what is left in memory is only ids to come.
            pool.bytes[start..start + 16].fill(0);
            pool.used += 16;
            true
        })
        .unwrap_or_else(|_| getrandom::fill(out).is_ok())
}

/// A random (version 4) UUID from the OS's generator: ids must not be
/// guessable, since they lead to reports.
pub(crate) fn new_error_id() -> String {
    let mut bytes = [0u8; 16];
    if !random_16(&mut bytes) {
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
        // Past several refills of the pool, on two threads.
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
