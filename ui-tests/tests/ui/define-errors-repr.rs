macaron_core::define_errors! {
    #[repr(C)]
    pub TokenInvalid(status = 401);
}

fn main() {}
