use macaron_core::ApiError;
#[derive(ApiError)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
