//! Codes: what a written one may contain, and that each is used once
//! within a type or a block.

use super::Declared;
use crate::ctxt::Ctxt;
use syn::LitStr;

pub(super) fn check_code(lit: &LitStr, cx: &Ctxt) -> String {
    let code = lit.value();
    if code.is_empty() {
        cx.error_spanned_by(
            lit,
            "`code` is empty: give it a value, such as `code = \"INVALID_USER\"`",
        );
    } else if let Some(c) = code.chars().find(|c| c.is_whitespace() || c.is_control()) {
        cx.error_spanned_by(
            lit,
            format!(
                "`code` contains {c:?}: codes are identifiers clients match on, use letters, \
                 digits and `_`, such as `INVALID_USER`"
            ),
        );
    } else if let Some(c) = code.chars().find(|c| !c.is_ascii()) {
        cx.error_spanned_by(
            lit,
            format!(
                "`code` contains the non-ASCII character {c:?}: codes are identifiers clients \
                 match on, use ASCII letters, digits and `_`"
            ),
        );
    }
    code
}

/// Codes identify errors to clients: within one enum or one
/// `define_errors!` block each is used once, but for a code every variant
/// inherits from the enum, shared by variants of one status. Points at
/// every use.
pub(super) fn check_unique_codes(errors: &[(String, &Declared)], cx: &Ctxt) {
    // Sorted by code, stably: each code's uses together, in order.
    let mut order: Vec<&(String, &Declared)> = errors.iter().collect();
    order.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    let mut start = 0;
    while start < order.len() {
        let code = &order[start].1.code;
        let mut end = start + 1;
        while end < order.len() && order[end].1.code == *code {
            end += 1;
        }
        if end - start > 1 {
            report_shared_code(code, &order[start..end], cx);
        }
        start = end;
    }
}

fn report_shared_code(code: &str, uses: &[&(String, &Declared)], cx: &Ctxt) {
    let mut shared = true;
    let mut one_status = true;
    let mut names = Vec::new();
    for (name, declared) in uses {
        shared &= declared.code_inherited;
        one_status &= declared.status == uses[0].1.status;
        names.push(format!("`{name}`"));
    }
    if shared && one_status {
        return;
    }
    let names = names.join(" and ");
    let message = if shared {
        format!(
            "variants {names} inherit the code `{code}` with different statuses: clients could \
             not tell the status from the code; give these variants codes of their own"
        )
    } else {
        format!("duplicate error code `{code}`, used by {names}: give each error its own code")
    };
    // An inherited code is written once, on the enum: one error there.
    let mut inherited_reported = false;
    for (_, declared) in uses {
        if declared.code_inherited {
            if inherited_reported {
                continue;
            }
            inherited_reported = true;
        }
        cx.error_at(declared.code_span, &message);
    }
}
