//! A forked child draws error ids of its own, not its parent's. Alone in
//! its test binary, so that no other test thread is running when it forks.
#![cfg(unix)]

use macaron_core::{Config, Error, Reporting};
use macaron_tests::body_of;

fn next_id(config: &Config) -> String {
    let response = config.respond(&Error::msg("forked"), None);
    body_of(&response).error_id.expect("an error_id")
}

#[test]
fn a_forked_child_draws_ids_of_its_own() {
    let config = Config::builder().reporting(Reporting::Off).build();
    // The parent draws an id before the child exists.
    next_id(&config);
    let mut pipe = [0; 2];
    // SAFETY: a pipe into a two-element array.
    assert_eq!(unsafe { libc::pipe(pipe.as_mut_ptr()) }, 0);
    // SAFETY: the child only draws an id, writes it and exits.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        let id = next_id(&config);
        // SAFETY: writes the id's bytes, then leaves without unwinding.
        unsafe {
            libc::write(pipe[1], id.as_ptr().cast(), id.len());
            libc::_exit(0);
        }
    }
    let mut received = [0u8; 36];
    // SAFETY: reads at most 36 bytes into a 36-byte buffer, then reaps
    // the child.
    let read = unsafe {
        let read = libc::read(pipe[0], received.as_mut_ptr().cast(), received.len());
        libc::waitpid(child, std::ptr::null_mut(), 0);
        read
    };
    assert_eq!(read, 36);
    let in_child = std::str::from_utf8(&received).unwrap();
    assert_ne!(in_child, next_id(&config));
}
