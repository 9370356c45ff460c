macaron_core::define_errors! {
    pub Shown(fmt = std::fmt::Display::fmt, status = 400);
}

fn main() {}
