//! What the macro reads from a field's type as written: the type inside an
//! `Option` or a pointer, and whether it names a path, a backtrace, an
//! unsized type, or a trait object that is not `Send + Sync`. It sees
//! tokens, not types: an alias of any of these is not recognised.

use syn::{GenericArgument, PathArguments, Type, TypeTraitObject};

/// The pointers a transparent or displayed field may be behind.
const POINTERS: &[&str] = &["Box", "Arc", "Rc"];

/// `T` of a type written `Name<T>` for one of `names`.
pub(crate) fn generic_argument<'t>(ty: &'t Type, names: &[&str]) -> Option<&'t Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    if !names.iter().any(|name| last.ident == name) || args.args.len() != 1 {
        return None;
    }
    match args.args.first() {
        Some(GenericArgument::Type(inner)) => Some(inner),
        _ => None,
    }
}

/// `T` of `Option<T>`: an optional source, backtrace or `From` field.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    generic_argument(ty, &["Option"])
}

/// `T` of `Box<T>`, `Arc<T>` or `Rc<T>`.
pub(crate) fn pointee(ty: &Type) -> Option<&Type> {
    generic_argument(ty, POINTERS)
}

/// A path without generic arguments whose last segment is one of `names`.
fn named(ty: &Type, names: &[&str]) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path.path.segments.last().is_some_and(|last| {
            last.arguments.is_none() && names.iter().any(|name| last.ident == name)
        })
}

/// `Path` or `PathBuf`, maybe behind a reference or a pointer: neither is
/// `Display`, so a placeholder shows it as `.display()` does.
pub(crate) fn is_path(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_path(&reference.elem),
        Type::Paren(inner) => is_path(&inner.elem),
        Type::Group(inner) => is_path(&inner.elem),
        _ => named(ty, &["Path", "PathBuf"]) || pointee(ty).is_some_and(is_path),
    }
}

/// `Backtrace`, or an `Option`, `Arc` or `Box` of one.
pub(crate) fn is_backtrace(ty: &Type) -> bool {
    named(ty, &["Backtrace"])
        || generic_argument(ty, &["Option", "Arc", "Box"]).is_some_and(is_backtrace)
}

/// An unsized type (`str`, a slice, `Path`...): a struct ending in one can
/// only be borrowed.
pub(crate) fn is_unsized(ty: &Type) -> bool {
    match ty {
        Type::Slice(_) | Type::TraitObject(_) => true,
        Type::Paren(inner) => is_unsized(&inner.elem),
        Type::Group(inner) => is_unsized(&inner.elem),
        _ => named(ty, &["str", "Path", "OsStr", "CStr"]),
    }
}

/// A `dyn Trait` inside `ty` that is not `Send + Sync`.
pub(crate) fn unshareable_object(ty: &Type) -> Option<&TypeTraitObject> {
    match ty {
        Type::TraitObject(object) => {
            let has = |name: &str| {
                object.bounds.iter().any(|bound| match bound {
                    syn::TypeParamBound::Trait(bound) => bound
                        .path
                        .segments
                        .last()
                        .is_some_and(|last| last.ident == name),
                    _ => false,
                })
            };
            (!(has("Send") && has("Sync"))).then_some(object)
        }
        Type::Paren(inner) => unshareable_object(&inner.elem),
        Type::Group(inner) => unshareable_object(&inner.elem),
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let PathArguments::AngleBracketed(args) = &segment.arguments else {
                return None;
            };
            args.args.iter().find_map(|arg| match arg {
                GenericArgument::Type(inner) => unshareable_object(inner),
                _ => None,
            })
        }),
        _ => None,
    }
}
