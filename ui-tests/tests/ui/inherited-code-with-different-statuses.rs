use macaron_core::ApiError;
// Variants may share the enum's code, but not with different statuses.
#[derive(Debug, ApiError)]
#[error(code = "STORAGE", status = 503)]
enum Storage {
    #[error("disk")]
    Disk,
    #[error("full", status = 507)]
    Full,
}

fn main() {}
