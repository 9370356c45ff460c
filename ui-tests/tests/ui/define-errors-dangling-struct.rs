// Found by the macro fuzz test: `struct` that ends the block has no next
// token, so the error points at it.
macaron_core::define_errors! {
    pub TokenInvalid(status = 401);
    pub struct
}

fn main() {}
