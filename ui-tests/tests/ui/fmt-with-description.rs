use macaron_core::ApiError;
fn show(formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    formatter.write_str("shown")
}

#[derive(Debug, ApiError)]
#[error("described", fmt = show, status = 400)]
struct Both;

fn main() {}
