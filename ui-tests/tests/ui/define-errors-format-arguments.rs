macaron_core::define_errors! {
    pub Limited("limit is {}", 10, status = 429);
}

fn main() {}
