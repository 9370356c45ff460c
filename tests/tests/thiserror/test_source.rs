use macaron_core::ApiError;
use std::error::Error as StdError;
use std::io;

#[derive(ApiError, Debug)]
#[error("implicit source", status = 500)]
pub struct ImplicitSource {
    source: io::Error,
}

#[derive(ApiError, Debug)]
#[error("explicit source", status = 500)]
pub struct ExplicitSource {
    source: String,
    #[source]
    io: io::Error,
}

#[derive(ApiError, Debug)]
#[error("boxed source", status = 500)]
pub struct BoxedSource {
    #[source]
    // macaron: a deliberate difference, an ApiError is `Send + Sync`:
    // `source-not-sync.rs` in the UI tests shows the error.
    source: Box<dyn StdError + Send + Sync + 'static>,
}

#[test]
fn test_implicit_source() {
    let io = io::Error::other("oh no!");
    let error = ImplicitSource { source: io };
    error.source().unwrap().downcast_ref::<io::Error>().unwrap();
}

#[test]
fn test_explicit_source() {
    let io = io::Error::other("oh no!");
    let error = ExplicitSource {
        source: String::new(),
        io,
    };
    error.source().unwrap().downcast_ref::<io::Error>().unwrap();
}

#[test]
fn test_boxed_source() {
    let source = Box::new(io::Error::other("oh no!"));
    let error = BoxedSource { source };
    error.source().unwrap().downcast_ref::<io::Error>().unwrap();
}

macro_rules! error_from_macro {
    ($($variants:tt)*) => {
        #[derive(ApiError)]
        #[error(status = 500)]
        #[derive(Debug)]
        pub enum MacroSource {
            $($variants)*
        }
    }
}

// Test that we generate impls with the proper hygiene
#[rustfmt::skip]
error_from_macro! {
    #[error("Something")]
    Variant(#[from] io::Error)
}

#[test]
fn test_not_source() {
    #[derive(ApiError, Debug)]
    #[error("{source} ==> {destination}", status = 500)]
    pub struct NotSource {
        r#source: char,
        destination: char,
    }

    let error = NotSource {
        source: 'S',
        destination: 'D',
    };
    assert_eq!(error.to_string(), "S ==> D");
    assert!(error.source().is_none());
}
