//! What rendering notices but cannot answer for itself: a header value
//! dropped because it cannot be sent (a CR or LF, say), extra data under a
//! key macaron writes itself. Rendering sits
//! below the configuration, so it reports through a function the serving
//! layer installs when a configuration is first put in use (installed,
//! scoped, current, or given to an adapter), as `log` installs a logger;
//! before that, as macaron's own failures are written (the `log` module).

use std::sync::OnceLock;

static REPORT: OnceLock<fn(&str)> = OnceLock::new();

/// Sends notices to `report` from now on; the first call wins.
pub(crate) fn install(report: fn(&str)) {
    let _ = REPORT.set(report);
}

/// Reports, non-fatally, a response header dropped because its value is
/// not a valid header value: the response is still sent, without it. The
/// value itself stays out of the report's title.
pub(crate) fn dropped_header(name: &str) {
    report(&format!(
        "invalid value for response header `{name}` dropped"
    ));
}

/// Reports, non-fatally, a response header dropped because error data
/// cannot set it (see `render::is_owned_header`).
pub(crate) fn owned_header(name: &str) {
    report(&format!(
        "response header `{name}` dropped: error data cannot set the headers that frame the response, nor its content type"
    ));
}

/// Reports, non-fatally, a response header dropped because its value is
/// longer than the serving path's limit on texts.
pub(crate) fn long_header(name: &str, bytes: usize) {
    report(&format!(
        "response header `{name}` dropped: its value of {bytes} bytes is over the limit on texts"
    ));
}

/// Reports, non-fatally, extra data left out because macaron writes its
/// key itself (see `body::RESERVED_KEYS`).
pub(crate) fn reserved_key(key: &str) {
    report(&format!(
        "extra data `{key}` left out: macaron writes that key of the body itself"
    ));
}

fn report(title: &str) {
    match REPORT.get() {
        Some(report) => report(title),
        None => crate::log::error(format_args!("NON-FATAL BACKEND ERROR: {title}")),
    }
}
