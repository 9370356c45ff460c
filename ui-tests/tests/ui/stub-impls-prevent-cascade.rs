use macaron_core::ApiError;
// The broken type is still an ApiError (and Display, and Error) for the rest
// of the crate: only the mistake itself is reported.
#[derive(Debug, ApiError)]
enum AccountError {
    #[error("no user with id {idd}", status = 401)]
    UnknownUser { id: u64 },
    #[error("db", status = 500)]
    Db(#[from] std::io::Error),
}

macaron_core::define_errors! {
    pub Broken(status = 700);
}

fn respond(error: &dyn ApiError) -> u16 {
    error.to_response().status().as_u16()
}

fn load() -> Result<(), AccountError> {
    std::fs::read("missing")?;
    Ok(())
}

fn use_them() {
    let error = AccountError::UnknownUser { id: 1 };
    let _ = respond(&error);
    let _ = error.to_string();
    let _ = load();
    let _ = respond(&Broken::new("x").with_user_message("y"));
    let _ = Broken::CODE;
}

fn main() {
    use_them();
}
