use macaron_core::ApiError;
#[derive(Debug, ApiError)]
enum AccountError {
    #[error("no user with id {idd}", stauts = 401)]
    UnknownUser { id: u64 },
    #[error("slow down", code = "RATE LIMITED", status = 729)]
    RateLimited {
        #[header("retry after")]
        retry_after: u32,
        #[data]
        status: u32,
    },
    Locked,
}

fn main() {}
