//! The JSON body of a declared error, split into what the macro knows
//! (JSON text, escaped now) and what only the running program knows; and
//! the `render` arm of a variant whose body needs code of its own
//! (a user message with placeholders, `#[data]`, `#[header]`).

use super::{private, Arm};
use crate::fmt::Text;
use crate::json;
use crate::valid::Declared;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitByteStr;

enum Segment {
    Json(Vec<u8>),
    /// Text written escaped into a JSON string: a `format_args!`.
    Text(TokenStream),
    /// Text the macro knows, which the writer escapes and bounds.
    Str(String),
    /// `"key":value` of a `#[data]` field: `,"key":` and the binding.
    Data(Vec<u8>, TokenStream),
}

struct Segments(Vec<Segment>);

impl Segments {
    fn json(&mut self, bytes: &[u8]) {
        if let Some(Segment::Json(last)) = self.0.last_mut() {
            last.extend_from_slice(bytes);
        } else {
            self.0.push(Segment::Json(bytes.to_vec()));
        }
    }

    fn text(&mut self, text: &str) {
        let mut escaped = Vec::new();
        json::escape_into(&mut escaped, text);
        self.json(&escaped);
    }
}

/// The JSON of a declared error, in the order of the wire model. `arm` is
/// `None` where only a static body is wanted: what is known at run time
/// only is left out.
fn segments(declared: &Declared, arm: Option<&Arm>) -> Segments {
    let mut segments = Segments(Vec::new());
    segments.json(b"{\"error\":\"");
    segments.text(&declared.code);
    segments.json(b"\",\"error_description\":\"");
    // In a variant's own code, static texts are written by the writer,
    // which cuts them at the serving path's limit.
    let text = |segments: &mut Segments, text: &str| match arm {
        Some(_) => segments.0.push(Segment::Str(text.to_owned())),
        None => segments.text(text),
    };
    match &declared.description {
        Some(description) => text(&mut segments, description),
        // The `Display` text.
        None => segments
            .0
            .push(Segment::Text(quote!(::core::format_args!("{}", self)))),
    }
    segments.json(b"\"");
    if let Some(user_message) = &declared.user_message {
        segments.json(b",\"user_message\":\"");
        match user_message {
            Text::Static(static_text) => text(&mut segments, static_text),
            Text::Format(format) => segments.0.push(Segment::Text(format.format_args())),
        }
        segments.json(b"\"");
    }
    segments.json(format!(",\"status\":{}", declared.status).as_bytes());
    if let Some(arm) = arm {
        for (key, field) in &declared.data {
            let mut json_key = b",".to_vec();
            json::key(&mut json_key, key);
            let binding = arm.binding(*field);
            segments.0.push(Segment::Data(json_key, quote!(#binding)));
        }
    }
    // The writer closes the body, after the `error_id`.
    if arm.is_none() {
        segments.json(b"}");
    }
    segments
}

/// The whole body, when the macro knows all of it.
pub(super) fn static_body(declared: &Declared) -> Option<String> {
    if renders_itself(declared) || declared.description.is_none() {
        return None;
    }
    match &segments(declared, None).0[..] {
        [Segment::Json(body)] => Some(String::from_utf8_lossy(body).into_owned()),
        _ => None,
    }
}

/// Whether a declared error's body needs its own generated code: what
/// else it holds than the description is only known at run time.
pub(super) fn renders_itself(declared: &Declared) -> bool {
    !declared.headers.is_empty()
        || !declared.data.is_empty()
        || matches!(declared.user_message, Some(Text::Format(_)))
}

fn byte_string(bytes: &[u8]) -> LitByteStr {
    LitByteStr::new(bytes, Span::call_site())
}

pub(super) fn response_arm(arm: &Arm, declared: &Declared) -> TokenStream {
    let private = private();
    let status = declared.status;
    let writes = segments(declared, Some(arm))
        .0
        .into_iter()
        .map(|segment| match segment {
            Segment::Json(bytes) => {
                let bytes = byte_string(&bytes);
                quote!(__body.json(#bytes);)
            }
            Segment::Text(format_args) => quote!(__body.text(#format_args);),
            Segment::Str(text) => quote!(__body.str(#text);),
            Segment::Data(key, binding) => {
                let key = byte_string(&key);
                quote!(__body.data(#key, #binding);)
            }
        });
    let headers = declared.headers.iter().map(|(name, field)| {
        let binding = arm.binding(*field);
        quote!(__body.header(&mut __response, #name, #binding);)
    });
    let mut fields: Vec<usize> = declared
        .headers
        .iter()
        .chain(&declared.data)
        .map(|&(_, field)| field)
        .collect();
    if let Some(Text::Format(format)) = &declared.user_message {
        fields.extend(&format.fields);
    }
    fields.sort_unstable();
    fields.dedup();
    let pattern = arm.pattern(&fields);
    quote! {
        #pattern => {
            let mut __body = #private::BodyWriter::new(__rendering);
            #(#writes)*
            #[allow(unused_mut)]
            let mut __response = __body.response(#private::status_const(#status));
            #(#headers)*
            __response
        }
    }
}
