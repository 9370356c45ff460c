// Found by the macro fuzz test: the last entry's missing `;` has no next
// token, so the error points at the entry's closing parenthesis.
macaron_core::define_errors! {
    pub TokenInvalid(status = 401);
    pub TokenExpired(status = 401)
}

fn main() {}
