macaron_core::define_errors! {
    pub TokenInvalid(transparent);
}

fn main() {}
