//! `--port N` from the command line, for the examples that serve.

/// The port after `--port`, if given.
pub fn port_argument() -> Option<u16> {
    let mut arguments = std::env::args()
        .skip_while(|argument| argument != "--port")
        .skip(1);
    let port = arguments.next()?;
    Some(
        port.parse()
            .unwrap_or_else(|_| panic!("--port takes a number, not {port:?}")),
    )
}
