macaron_core::define_errors! {
    pub TokenInvalid(status = 401);
    pub TokenExpired(code = "TOKEN_INVALID", status = 401);
}

fn main() {}
