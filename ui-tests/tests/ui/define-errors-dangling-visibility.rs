// Found by the macro fuzz test: a visibility that ends the block has no
// next token, so the error points at the visibility.
macaron_core::define_errors! {
    pub TokenInvalid(status = 401);
    pub
}

fn main() {}
