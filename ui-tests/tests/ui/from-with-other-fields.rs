use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum StorageError {
    #[error("read failed", status = 500)]
    Read {
        #[from]
        source: std::io::Error,
        path: String,
    },
}

fn main() {}
