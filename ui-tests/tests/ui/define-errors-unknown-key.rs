macaron_core::define_errors! {
    pub TokenInvalid(status = 401, user_mesage = "Please log in");
}

fn main() {}
