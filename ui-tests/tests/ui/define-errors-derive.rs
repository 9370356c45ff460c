macaron_core::define_errors! {
    #[derive(Clone)]
    pub TokenInvalid(status = 401);
}

fn main() {
    // The derive is dropped, and the type is `Clone` anyway.
    let _ = TokenInvalid::default().clone();
}
