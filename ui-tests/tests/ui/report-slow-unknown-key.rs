#[macaron_core::report_slow(max_sec = 5)]
fn handler() {}

fn main() {}
