use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no user named {name}", status = 401)]
struct UnknownUser<'a> {
    name: &'a str,
}

fn main() {}
