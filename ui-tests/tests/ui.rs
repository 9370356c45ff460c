//! Every mistake in a macro's input is a compile error that points at the
//! offending token and says what to write instead. One file per mistake in
//! `ui/`, each with the compiler's output, read and judged, beside it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    // thiserror's own cases that macaron rejects too, ported.
    cases.compile_fail("tests/ui/thiserror/*.rs");
}
