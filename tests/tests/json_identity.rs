//! For every input, the fast renderer writes the bytes `serde_json` writes
//! for the same `ErrorBody`, and they parse back to it.

use macaron_core::{define_errors, ApiError};
use macaron_tests::assert_same_as_serde;
use proptest::prelude::*;

#[derive(Debug, ApiError)]
pub enum Interpolated {
    #[error("a {text} b {number:>5}", status = 400, user_message = "c {text:?} d")]
    Everything {
        text: String,
        number: i64,
        #[header("x-text")]
        header: String,
        #[data]
        data: String,
        #[data]
        list: Vec<String>,
    },
    #[error("{0}", status = 503, user_message = "{0}")]
    Only(String),
}

define_errors! {
    pub Batch("default \u{1} \"quoted\"", status = 409, user_message = "default message");
}

/// Text that favours what JSON must escape, and what it must not.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        Just('"'),
        Just('\\'),
        Just('\n'),
        Just('\r'),
        Just('\t'),
        Just('\u{0}'),
        Just('\u{1f}'),
        Just('\u{7f}'),
        Just('\u{2028}'),
        Just('\u{2029}'),
        Just('{'),
        Just('}'),
        Just('🎉'),
    ];
    let short = proptest::collection::vec(prop_oneof![any::<char>(), tricky], 0..48)
        .prop_map(String::from_iter);
    // Long texts too: past the 512 bytes a body starts on the stack with,
    // and up to tens of kilobytes.
    prop_oneof![
        8 => short.clone(),
        1 => (short, 1usize..200).prop_map(|(text, times)| text.repeat(times)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn derived_errors(text in text(), number: i64, header in text(), data in text(), list in proptest::collection::vec(text(), 0..4)) {
        assert_same_as_serde(&Interpolated::Everything { text: text.clone(), number, header, data, list });
        assert_same_as_serde(&Interpolated::Only(text));
    }

    #[test]
    fn define_errors_values(description in text(), user_message in text(), key in text(), value in text(), defaults: bool) {
        let error = if defaults {
            Batch::default()
        } else {
            Batch::new(description).with_user_message(user_message).with_data(key, value)
        };
        assert_same_as_serde(&error);
    }
}
