use macaron_core::ApiError;
#[derive(Debug, ApiError)]
#[error("no such user", code = "UTILISATEUR_INCONNU_É", status = 401)]
struct UnknownUser;

fn main() {}
