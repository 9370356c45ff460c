#[macaron_core::report_slow(max_ms = "5000")]
fn handler() {}

fn main() {}
