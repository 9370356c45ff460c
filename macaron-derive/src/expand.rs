//! Code generation. Per-error data becomes literals and constants; the
//! behaviour lives in `macaron_core::__private` helpers, so the expansion
//! of each variant stays a few lines long.

use crate::ast::{Batch, BatchEntry, ErrorDef, Input, RawBatch, Shape, Style};
use crate::ctxt::Ctxt;
use crate::json;
use crate::template::{Piece, Text};
use crate::valid::{self, Declared, Kind, Spec};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{Attribute, DeriveInput, Ident, LitByteStr, LitStr, Member, WherePredicate};

/// The expansion of `#[derive(ApiError)]`, preceded by every diagnostic.
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let expanded = match Input::from_syn(input, &cx) {
        Some(ast) => {
            let specs: Vec<Spec> = ast
                .defs()
                .iter()
                .map(|def| valid::check(def, &cx))
                .collect();
            valid::check_unique_codes(ast.defs().iter().zip(&specs), &cx);
            derive_impls(&ast, &specs)
        }
        // A union is no error: nothing to generate.
        None => TokenStream::new(),
    };
    cx.finish(expanded)
}

/// The expansion of `define_errors! { ... }`, preceded by every diagnostic.
pub(crate) fn define_errors(raw: RawBatch) -> TokenStream {
    let cx = Ctxt::new();
    let batch = Batch::from_raw(raw, &cx);
    let specs: Vec<Spec> = batch
        .entries
        .iter()
        .map(|entry| valid::check(&entry.def, &cx))
        .collect();
    valid::check_unique_codes(
        batch.entries.iter().map(|entry| &entry.def).zip(&specs),
        &cx,
    );
    let (mut expanded, registrations): (TokenStream, Vec<TokenStream>) = batch
        .entries
        .iter()
        .zip(&specs)
        .map(|(entry, spec)| batch_entry(entry, spec))
        .unzip();
    expanded.extend(registration(registrations));
    cx.finish(expanded)
}

fn private() -> TokenStream {
    quote!(::macaron_core::__private)
}

/// One arm's view of an error: its path, its fields' bindings, its checks.
struct Arm<'a> {
    path: TokenStream,
    def: &'a ErrorDef,
    spec: &'a Spec,
}

impl Arm<'_> {
    /// A pattern that binds the listed fields (all of them with `None`).
    fn pattern(&self, fields: Option<&[usize]>) -> TokenStream {
        let path = &self.path;
        let all: Vec<usize>;
        let fields = match fields {
            Some(fields) => fields,
            None => {
                all = (0..self.def.fields.len()).collect();
                &all
            }
        };
        if fields.is_empty() {
            return quote!(#path { .. });
        }
        let bindings = fields.iter().map(|&index| {
            let field = &self.def.fields[index];
            let binding = &field.binding;
            match &field.member {
                Member::Named(_) => quote!(#binding),
                Member::Unnamed(member) => quote!(#member: #binding),
            }
        });
        if fields.len() == self.def.fields.len() && self.def.style != Style::Named {
            let bindings = fields.iter().map(|&index| &self.def.fields[index].binding);
            return quote!(#path(#(#bindings),*));
        }
        quote!(#path { #(#bindings,)* .. })
    }

    fn binding(&self, index: usize) -> &Ident {
        &self.def.fields[index].binding
    }

    fn declared(&self) -> Option<&Declared> {
        match &self.spec.kind {
            Kind::Declared(declared) => Some(declared),
            Kind::Transparent(_) => None,
        }
    }

    /// `#pattern => <forward to the wrapped error>` for transparent arms.
    fn forward(&self, call: impl Fn(&Ident) -> TokenStream) -> Option<TokenStream> {
        let Kind::Transparent(index) = self.spec.kind else {
            return None;
        };
        let pattern = self.pattern(Some(&[index]));
        let call = call(self.binding(index));
        Some(quote!(#pattern => #call,))
    }
}

/// `match self { arms, _ => default }`, without the `_` arm when the arms
/// cover every error (an unreachable pattern would warn).
fn dispatch(arms: Vec<TokenStream>, total: usize, default: TokenStream) -> TokenStream {
    if total == 0 {
        return quote!(match *self {});
    }
    if arms.is_empty() {
        return default;
    }
    let default = (arms.len() < total).then(|| quote!(_ => #default,));
    quote!(match self { #(#arms)* #default })
}

fn derive_impls(input: &Input, specs: &[Spec]) -> TokenStream {
    let original = input.original;
    let ident = &original.ident;
    let private = private();
    let arms: Vec<Arm> = input
        .defs()
        .iter()
        .zip(specs)
        .map(|(def, spec)| Arm {
            path: match input.shape {
                Shape::Struct(_) => quote!(Self),
                Shape::Enum(_) => {
                    let variant = &def.ident;
                    quote!(Self::#variant)
                }
            },
            def,
            spec,
        })
        .collect();
    let total = arms.len();
    let (impl_generics, ty_generics, _) = original.generics.split_for_impl();
    let where_clause = where_clause(input, specs);

    let display_arms = arms.iter().map(|arm| match arm.declared() {
        Some(declared) => match &declared.description {
            Text::Static(text) => {
                let pattern = arm.pattern(Some(&[]));
                quote!(#pattern => __formatter.write_str(#text),)
            }
            Text::Template(template) => {
                let pattern = arm.pattern(None);
                let display = &template.display;
                quote!(#pattern => __formatter.write_fmt(::core::format_args!(#display)),)
            }
        },
        None => arm
            .forward(|inner| quote!(::core::fmt::Display::fmt(#inner, __formatter)))
            .expect("transparent"),
    });
    let display_body = dispatch(display_arms.collect(), total, TokenStream::new());

    let source_arms: Vec<TokenStream> = arms
        .iter()
        .filter_map(|arm| {
            if let Some(forward) = arm.forward(|inner| quote!(::std::error::Error::source(#inner)))
            {
                return Some(forward);
            }
            let source = arm.spec.source?;
            let pattern = arm.pattern(Some(&[source]));
            let binding = arm.binding(source);
            Some(if option_inner(&arm.def.fields[source].ty).is_some() {
                quote! {
                    #pattern => ::core::option::Option::map(
                        ::core::option::Option::as_ref(#binding),
                        |__source| __source.as_dyn_error(),
                    ),
                }
            } else {
                quote!(#pattern => ::core::option::Option::Some(#binding.as_dyn_error()),)
            })
        })
        .collect();
    let source_method = (!source_arms.is_empty()).then(|| {
        let body = dispatch(source_arms, total, quote!(::core::option::Option::None));
        quote! {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                #[allow(unused_imports)]
                use #private::AsDynError as _;
                #body
            }
        }
    });

    // Declared structs and variants are entries of one table, found by the
    // variant's index: code, status, static texts and most bodies are a
    // lookup, not one arm per method and variant.
    let declared: Vec<(&Arm, &Declared)> = arms
        .iter()
        .filter_map(|arm| Some((arm, arm.declared()?)))
        .collect();
    let entry = match input.shape {
        Shape::Struct(_) => quote!(Self::__macaron_table()[0]),
        Shape::Enum(_) => quote!(Self::__macaron_table()[self.__macaron_index()]),
    };
    let forwards = |call: fn(&Ident) -> TokenStream| -> Vec<TokenStream> {
        arms.iter().filter_map(|arm| arm.forward(call)).collect()
    };

    let code_body = dispatch(
        forwards(|inner| quote!(::macaron_core::ApiError::code(#inner))),
        total,
        quote!(#entry.code()),
    );
    let status_body = dispatch(
        forwards(|inner| quote!(::macaron_core::ApiError::status(#inner))),
        total,
        quote!(#entry.status()),
    );
    let description_body = dispatch(
        forwards(|inner| quote!(::macaron_core::ApiError::error_description(#inner))),
        total,
        quote!(#entry.description(self)),
    );

    let mut user_message_arms =
        forwards(|inner| quote!(::macaron_core::ApiError::user_message(#inner)));
    user_message_arms.extend(declared.iter().filter_map(|(arm, declared)| {
        let Some(Text::Template(template)) = &declared.user_message else {
            return None;
        };
        let pattern = arm.pattern(None);
        let display = &template.display;
        Some(quote! {
            #[allow(unused_variables)]
            #pattern => ::core::option::Option::Some(
                ::std::borrow::Cow::Owned(::std::format!(#display))
            ),
        })
    }));
    let any_user_message = declared
        .iter()
        .any(|(_, declared)| declared.user_message.is_some());
    let user_message_method = (any_user_message || !user_message_arms.is_empty()).then(|| {
        let body = dispatch(
            user_message_arms,
            total,
            quote!(::core::option::Option::map(#entry.user_message(), ::std::borrow::Cow::Borrowed)),
        );
        quote! {
            fn user_message(&self) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                #body
            }
        }
    });

    let headers_method = field_writer(
        &arms,
        |declared| &declared.headers,
        quote!(write_headers),
        quote!(__headers: &mut #private::HeaderMap),
        quote!(#private::put_header),
    );
    let data_method = field_writer(
        &arms,
        |declared| &declared.data,
        quote!(write_data),
        quote!(__data: &mut #private::Map<::std::string::String, #private::Value>),
        quote!(#private::put_data),
    );

    // A wrapped error may render its body its own way: forward, not rebuild.
    let body_arms = forwards(|inner| quote!(::macaron_core::ApiError::to_body(#inner)));
    let body_method = (!body_arms.is_empty()).then(|| {
        let body = dispatch(body_arms, total, quote!(#private::body_of(self)));
        quote! {
            fn to_body(&self) -> ::macaron_core::ErrorBody {
                #body
            }
        }
    });

    let mut response_arms = forwards(|inner| quote!(::macaron_core::ApiError::to_response(#inner)));
    response_arms.extend(
        declared
            .iter()
            .filter(|(_, declared)| renders_itself(declared))
            .map(|(arm, declared)| response_arm(arm, declared)),
    );
    let response_body = dispatch(response_arms, total, quote!(#entry.render(self)));

    let type_name = ident.to_string();
    let names = EntryNames::imported();
    let entries = declared.len();
    let table = declared.iter().map(|(arm, declared)| {
        let variant = matches!(input.shape, Shape::Enum(_)).then(|| arm.def.ident.to_string());
        table_entry(variant.as_deref(), arm.def, declared, &names)
    });
    let imports = EntryNames::imports(&type_name);
    let index_method = (matches!(input.shape, Shape::Enum(_)) && !declared.is_empty()).then(|| {
        let index_arms = declared.iter().enumerate().map(|(index, (arm, _))| {
            let pattern = arm.pattern(Some(&[]));
            quote!(#pattern => #index,)
        });
        let body = dispatch(index_arms.collect(), total, quote!(0));
        quote! {
            fn __macaron_index(&self) -> usize {
                #body
            }
        }
    });
    let wrapped = arms.iter().filter_map(|arm| match arm.spec.kind {
        Kind::Transparent(index) => Some(&arm.def.fields[index].ty),
        Kind::Declared(_) => None,
    });

    let from_impls = arms.iter().filter_map(|arm| {
        let index = arm.spec.from?;
        let field = &arm.def.fields[index];
        let ty = &field.ty;
        let member = &field.member;
        let path = &arm.path;
        Some(quote! {
            #[automatically_derived]
            impl #impl_generics ::core::convert::From<#ty> for #ident #ty_generics #where_clause {
                fn from(source: #ty) -> Self {
                    #path { #member: source }
                }
            }
        })
    });

    // A type with a lifetime (already reported) cannot be `'static`: an
    // `ApiError` impl would only add errors about lifetimes.
    let api_error_impl = original.generics.lifetimes().next().is_none().then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics ::macaron_core::ApiError for #ident #ty_generics #where_clause {
                fn code(&self) -> &str {
                    #code_body
                }
                fn status(&self) -> #private::StatusCode {
                    #status_body
                }
                fn error_description(&self) -> ::std::borrow::Cow<'_, str> {
                    #description_body
                }
                #user_message_method
                #headers_method
                #data_method
                #body_method
                fn to_response(&self) -> #private::Response<#private::Bytes> {
                    #response_body
                }
                fn catalog() -> ::std::vec::Vec<&'static ::macaron_core::ErrorInfo> {
                    #[allow(unused_mut)]
                    let mut __catalog = #private::catalog_of(Self::__macaron_table());
                    #(__catalog.extend(<#wrapped as ::macaron_core::ApiError>::catalog());)*
                    __catalog
                }
            }

            impl #impl_generics #ident #ty_generics #where_clause {
                // A static, not a const: rustc checks a constant's value
                // for promotion, which for a table of a thousand entries
                // is 6% of the crate's compile.
                fn __macaron_table() -> &'static [#private::Declared] {
                    #imports
                    static __MACARON: [#private::Declared; #entries] = [#(#table),*];
                    &__MACARON
                }
                #index_method
            }
        }
    });

    // Generic types cannot be registered: `Error::new` converts them.
    let registration = (api_error_impl.is_some() && original.generics.params.is_empty())
        .then(|| registration([quote!(#private::Registration::of::<#ident>())]));
    let framework_impls = api_error_impl.is_some().then(|| {
        let where_clause = where_clause.as_ref().map(ToTokens::to_token_stream);
        quote! {
            ::macaron_core::__framework_impls!([#impl_generics] [#ident #ty_generics] [#where_clause]);
        }
    });

    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            // Once here rather than on each arm: a template need not use
            // every field its arm binds.
            #[allow(unused_variables)]
            fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #display_body
            }
        }

        #[automatically_derived]
        impl #impl_generics ::std::error::Error for #ident #ty_generics #where_clause {
            #source_method
        }

        #api_error_impl

        #registration

        #framework_impls

        #(#from_impls)*
    }
}

/// Registers types so that `?` into `macaron_core::Error` keeps them
/// declared: one registration for all of a block's types, each element a
/// `Registration`.
fn registration(elements: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let private = private();
    let elements = elements.into_iter();
    quote! {
        #private::inventory::submit! {
            #private::Registrations(&[#(#elements),*])
        }
    }
}

/// `write_headers` or `write_data`: each listed field goes through `put`
/// as `put(target, name, field)`; transparent arms forward the call. `None`
/// when no error has such fields (the trait's default does nothing).
fn field_writer(
    all: &[Arm],
    fields_of: fn(&Declared) -> &Vec<(String, usize)>,
    method: TokenStream,
    target: TokenStream,
    put: TokenStream,
) -> Option<TokenStream> {
    let target_name = target.clone().into_iter().next();
    let arms: Vec<TokenStream> = all
        .iter()
        .filter_map(|arm| match arm.declared() {
            Some(declared) if !fields_of(declared).is_empty() => {
                let named = fields_of(declared);
                let fields: Vec<usize> = named.iter().map(|&(_, field)| field).collect();
                let pattern = arm.pattern(Some(&fields));
                let puts = named.iter().map(|(name, field)| {
                    let binding = arm.binding(*field);
                    quote!(#put(#target_name, #name, #binding);)
                });
                Some(quote!(#pattern => { #(#puts)* }))
            }
            Some(_) => None,
            None => {
                arm.forward(|inner| quote!(::macaron_core::ApiError::#method(#inner, #target_name)))
            }
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = dispatch(arms, all.len(), quote!({}));
    Some(quote! {
        fn #method(&self, #target) {
            #body
        }
    })
}

/// The `impl`s' where clause: the user's, plus what each generic field must
/// implement for the code that uses it, plus what `ApiError` requires.
fn where_clause(input: &Input, specs: &[Spec]) -> Option<syn::WhereClause> {
    let generics = &input.original.generics;
    let params: Vec<&Ident> = generics.type_params().map(|param| &param.ident).collect();
    if params.is_empty() {
        return generics.where_clause.clone();
    }
    let private = private();
    let mut predicates: Vec<WherePredicate> = Vec::new();
    let mut bound = |ty: &syn::Type, bound: TokenStream| {
        if mentions(ty.to_token_stream(), &params) {
            predicates.push(syn::parse_quote!(#ty: #bound));
        }
    };
    for (def, spec) in input.defs().iter().zip(specs) {
        let ty = |index: usize| &def.fields[index].ty;
        match &spec.kind {
            Kind::Transparent(index) => bound(ty(*index), quote!(::macaron_core::ApiError)),
            Kind::Declared(declared) => {
                let texts = std::iter::once(&declared.description).chain(&declared.user_message);
                for (index, format) in texts.flat_map(Text::uses) {
                    let name = Ident::new(format.name(), Span::call_site());
                    bound(ty(index), quote!(::core::fmt::#name));
                }
                for &(_, index) in &declared.headers {
                    bound(ty(index), quote!(::core::fmt::Display));
                }
                for &(_, index) in &declared.data {
                    bound(ty(index), quote!(#private::serde::Serialize));
                }
                if let Some(index) = spec.source {
                    let source = option_inner(ty(index)).unwrap_or(ty(index));
                    bound(source, quote!(::std::error::Error + 'static));
                }
            }
        }
    }
    let ident = &input.original.ident;
    let (_, ty_generics, _) = generics.split_for_impl();
    predicates.push(syn::parse_quote! {
        #ident #ty_generics: ::core::fmt::Debug + ::core::marker::Send + ::core::marker::Sync + 'static
    });
    let mut clause = generics
        .where_clause
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(where));
    clause.predicates.extend(predicates);
    Some(clause)
}

/// `T` of a source field written `Option<T>`: an optional cause.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (last.ident == "Option", args.args.first(), args.args.len()) {
        (true, Some(syn::GenericArgument::Type(inner)), 1) => Some(inner),
        _ => None,
    }
}

/// Whether `tokens` name any of `params` (a generic field type).
fn mentions(tokens: TokenStream, params: &[&Ident]) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => params.iter().any(|param| ident == **param),
        TokenTree::Group(group) => mentions(group.stream(), params),
        _ => false,
    })
}

/// The body of a declared error, split into what the macro knows (JSON
/// text, escaped now) and what only the running program knows.
enum Segment<'a> {
    Json(Vec<u8>),
    /// `format_args!(spec, binding)`, written escaped into a JSON string.
    Text {
        format: LitStr,
        binding: &'a Ident,
    },
    /// `"key":value` of a `#[data]` field, `Json` holding `,"key":`.
    Data {
        key: Vec<u8>,
        binding: &'a Ident,
    },
}

struct Segments<'a>(Vec<Segment<'a>>);

impl<'a> Segments<'a> {
    /// The JSON segments, joined: the whole body when nothing was left to
    /// run time.
    fn into_json(self) -> Vec<u8> {
        let mut json = Vec::new();
        for segment in self.0 {
            if let Segment::Json(bytes) = segment {
                json.extend(bytes);
            }
        }
        json
    }

    fn json(&mut self, bytes: &[u8]) {
        if let Some(Segment::Json(last)) = self.0.last_mut() {
            last.extend_from_slice(bytes);
        } else {
            self.0.push(Segment::Json(bytes.to_vec()));
        }
    }

    /// `arm` is `None` for `define_errors!` entries, whose texts are static.
    fn text(&mut self, text: &Text, arm: Option<&'a Arm<'a>>) {
        match text {
            Text::Static(text) => {
                let mut escaped = Vec::new();
                json::escape_into(&mut escaped, text);
                self.json(&escaped);
            }
            Text::Template(template) => {
                for piece in &template.pieces {
                    match piece {
                        Piece::Text(text) => {
                            let mut escaped = Vec::new();
                            json::escape_into(&mut escaped, text);
                            self.json(&escaped);
                        }
                        Piece::Field { field, spec, .. } => {
                            let Some(arm) = arm else {
                                continue;
                            };
                            let format = if spec.is_empty() {
                                "{}".to_owned()
                            } else {
                                format!("{{:{spec}}}")
                            };
                            self.0.push(Segment::Text {
                                format: LitStr::new(&format, template.display.span()),
                                binding: arm.binding(*field),
                            });
                        }
                    }
                }
            }
        }
    }
}

/// `{"error":"CODE","error_description":"`: how every body starts.
fn json_head(code: &str) -> Vec<u8> {
    let mut head = b"{\"error\":\"".to_vec();
    json::escape_into(&mut head, code);
    head.extend_from_slice(b"\",\"error_description\":\"");
    head
}

/// The JSON of a declared error, in the order of the wire model.
fn body_segments<'a>(declared: &Declared, arm: Option<&'a Arm<'a>>) -> Segments<'a> {
    let mut segments = Segments(Vec::new());
    segments.json(&json_head(&declared.code));
    segments.text(&declared.description, arm);
    segments.json(b"\"");
    if let Some(user_message) = &declared.user_message {
        segments.json(b",\"user_message\":\"");
        segments.text(user_message, arm);
        segments.json(b"\"");
    }
    segments.json(format!(",\"status\":{}", declared.status).as_bytes());
    if let Some(arm) = arm {
        for (key, field) in &declared.data {
            let mut json_key = b",".to_vec();
            json::key(&mut json_key, key);
            segments.0.push(Segment::Data {
                key: json_key,
                binding: arm.binding(*field),
            });
        }
    }
    segments.json(b"}");
    segments
}

fn byte_string(bytes: &[u8]) -> LitByteStr {
    LitByteStr::new(bytes, Span::call_site())
}

fn response_arm(arm: &Arm, declared: &Declared) -> TokenStream {
    let private = private();
    let status = declared.status;
    let segments = body_segments(declared, Some(arm)).0;
    let headers = declared.headers.iter().map(|(name, field)| {
        let binding = arm.binding(*field);
        quote!(#private::put_header(__response.headers_mut(), #name, #binding);)
    });
    let render = match &segments[..] {
        [Segment::Json(body)] => {
            let body = byte_string(body);
            quote!(#private::static_response(#private::status_const(#status), #body))
        }
        _ => {
            let writes: Vec<TokenStream> = segments
                .iter()
                .map(|segment| match segment {
                    Segment::Json(bytes) => {
                        let bytes = byte_string(bytes);
                        quote!(__body.json(#bytes);)
                    }
                    Segment::Text { format, binding } => {
                        quote_spanned!(format.span()=> __body.text(::core::format_args!(#format, #binding));)
                    }
                    Segment::Data { key, binding } => {
                        let key = byte_string(key);
                        quote!(__body.data(#key, #binding);)
                    }
                })
                .collect();
            quote! {{
                let mut __body = #private::BodyWriter::new();
                #(#writes)*
                __body.response(#private::status_const(#status))
            }}
        }
    };
    let dynamic = segments.len() > 1 || !declared.headers.is_empty();
    let pattern = arm.pattern(if dynamic { None } else { Some(&[]) });
    if declared.headers.is_empty() {
        quote! {
            #[allow(unused_variables)]
            #pattern => #render,
        }
    } else {
        quote! {
            #[allow(unused_variables)]
            #pattern => {
                let mut __response = #render;
                #(#headers)*
                __response
            }
        }
    }
}

/// Whether a declared error's body needs its own generated code: what
/// else it holds than the description is only known at run time.
fn renders_itself(declared: &Declared) -> bool {
    !declared.headers.is_empty()
        || !declared.data.is_empty()
        || matches!(declared.user_message, Some(Text::Template(_)))
}

/// What a table entry calls and names: in full, or by the short names a
/// derive's table imports once for all its entries (a thousand variants
/// would otherwise repeat the paths a thousand times, for the compiler to
/// read).
struct EntryNames {
    declared: TokenStream,
    /// The `__private::More` of the type, as a value: what an entry that
    /// has more builds on.
    more: TokenStream,
    /// A `&'static More` of the type, for the entries with nothing more.
    shared: TokenStream,
}

impl EntryNames {
    fn full(type_name: &str) -> Self {
        let private = private();
        let more = quote!(#private::More::of(#type_name, ::core::module_path!()));
        EntryNames {
            declared: quote!(#private::declared),
            shared: quote!(&#more),
            more,
        }
    }

    fn imported() -> Self {
        EntryNames {
            declared: quote!(__declared),
            more: quote!(__TYPE),
            shared: quote!(__SHARED),
        }
    }

    /// The items [`imported`](Self::imported) names refer to: the type's
    /// `More`, and one reference to it for all the entries with nothing
    /// more. (An entry with more builds on the value: the compiler does
    /// not promote a call on what a reference points at to a static.)
    fn imports(type_name: &str) -> TokenStream {
        let private = private();
        quote! {
            use #private::declared as __declared;
            const __TYPE: #private::More = #private::More::of(#type_name, ::core::module_path!());
            const __SHARED: &#private::More = &__TYPE;
        }
    }
}

/// The `__private::Declared` of a declared error (a derived type's table
/// entry, or a `define_errors!` type's): a call of a `const fn` with
/// literal arguments for what every error has, and a reference to what
/// else it has, built by one more call for each thing it has beyond an
/// interpolated description. The compiler evaluates every entry, and this
/// costs it less than one call with every argument.
fn table_entry(
    variant: Option<&str>,
    def: &ErrorDef,
    declared: &Declared,
    names: &EntryNames,
) -> TokenStream {
    let Declared {
        code,
        status,
        description,
        description_template,
        user_message,
        user_message_template,
        headers,
        data,
        ..
    } = declared;
    let mut more = TokenStream::new();
    if let Text::Static(description) = description {
        // The body is static when nothing in it is known only at run time.
        if renders_itself(declared) {
            // An empty description is the default: the `Display` text.
            if !description.is_empty() {
                more.extend(quote!(.with_description(#description)));
            }
        } else {
            let body =
                String::from_utf8_lossy(&body_segments(declared, None).into_json()).into_owned();
            more.extend(quote!(.with_static(#description, #body)));
        }
    }
    if let Some(template) = user_message_template {
        let text = match user_message {
            Some(Text::Static(text)) => text.as_str(),
            _ => "",
        };
        more.extend(quote!(.with_user_message(#template, #text)));
    }
    let doc = &def.doc;
    if !doc.is_empty() {
        more.extend(quote!(.with_doc(#doc)));
    }
    if !headers.is_empty() || !data.is_empty() {
        let headers = headers.iter().map(|(name, _)| name);
        let data = data.iter().map(|(key, _)| key);
        more.extend(quote!(.with_names(&[#(#headers),*], &[#(#data),*])));
    }
    let more = if more.is_empty() {
        names.shared.clone()
    } else {
        let base = &names.more;
        quote!(&#base #more)
    };
    let declared_fn = &names.declared;
    let variant = variant.unwrap_or_default();
    quote!(#declared_fn(#variant, #code, #status, #description_template, #more))
}

/// One entry's items, and its element of the block's registration.
fn batch_entry(entry: &BatchEntry, spec: &Spec) -> (TokenStream, TokenStream) {
    let private = private();
    let BatchEntry { attrs, vis, def } = entry;
    let ident = &def.ident;
    let Kind::Declared(declared) = &spec.kind else {
        // Entries have no fields, so `valid` never accepts `transparent`.
        unreachable!("define_errors! entry checked as transparent");
    };
    let name = ident.to_string();
    let declared_entry = table_entry(None, def, declared, &EntryNames::full(&name));
    let default_doc = def.doc.is_empty().then(|| {
        let doc = format!("The `{}` error (HTTP {}).", declared.code, declared.status);
        quote!(#[doc = #doc])
    });
    // The type that names the entry's declaration.
    let marker = format_ident!("__{}", ident);
    // An entry configured out takes its marker and registration with it.
    let cfgs: Vec<&Attribute> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect();
    // The type is an alias: its impls are `DefinedError`'s, compiled once
    // for every entry of the program.
    let items = quote! {
        #(#attrs)*
        #default_doc
        #vis type #ident = ::macaron_core::DefinedError<#marker>;

        #(#cfgs)*
        #[doc(hidden)]
        #vis enum #marker {}

        #(#cfgs)*
        #[automatically_derived]
        impl #private::Definition for #marker {
            const DECLARED: &'static #private::Declared = &#declared_entry;
        }
    };
    let registration = quote!(#(#cfgs)* #private::Registration::of_defined::<#marker>());
    (items, registration)
}
