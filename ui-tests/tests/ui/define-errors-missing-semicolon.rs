macaron_core::define_errors! {
    pub TokenInvalid(status = 401)
    pub TokenExpired(status = 401);
}

fn main() {}
