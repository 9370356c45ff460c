macaron_core::define_errors! {
    #[derive(Clone, PartialEq, std::fmt::Debug)]
    pub struct TokenInvalid(status = 401);
}

fn main() {}
