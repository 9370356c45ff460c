macaron_core::define_errors! {
    pub TokenInvalid(code = "TOKEN_INVALID");
}

fn main() {}
