#[macaron_core::report_slow(max_ms = 5000)]
struct Handler;

fn main() {}
