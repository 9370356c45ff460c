macaron_core::define_errors! {
    pub TokenInvalid("token {token} is invalid", status = 401);
}

fn main() {}
