use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error(transparent)]
enum Wrapper {
    Io(std::io::Error),
}

fn main() {}
