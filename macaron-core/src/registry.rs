//! Every non-generic type that derives `ApiError` or comes from
//! `define_errors!` registers here at link time. `Error::from` looks a
//! value's type up, so that `?` keeps a declared error's code and status
//! while any other error becomes a 500.

use crate::defined::{self, Defined, DefinedError, Definition};
use crate::source::chain;
use crate::ApiError;
use std::any::TypeId;
use std::collections::HashMap;
use std::error::Error as StdError;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Sees an error as the `ApiError` its type is: a checked downcast, made
/// for one type.
pub(crate) type AsApiError =
    for<'a> fn(&'a (dyn StdError + 'static)) -> Option<&'a (dyn ApiError + 'static)>;

/// One registered type (not public API: built by generated code).
pub struct Registration {
    type_id: fn() -> TypeId,
    pub(crate) as_api_error: AsApiError,
    pub(crate) catalog: Catalog,
}

/// A registered type's catalog entries: a `define_errors!` type has one,
/// known as data, which spares the compiler a function per type.
pub(crate) enum Catalog {
    Of(fn() -> Vec<&'static crate::ErrorInfo>),
    One(&'static crate::declared::Declared),
}

impl Catalog {
    pub(crate) fn entries(&self) -> Vec<&'static crate::ErrorInfo> {
        match *self {
            Catalog::Of(catalog) => catalog(),
            Catalog::One(declared) => vec![declared.info()],
        }
    }
}

impl Registration {
    /// The registration of `T`.
    pub const fn of<T: ApiError>() -> Self {
        Registration {
            type_id: TypeId::of::<T>,
            as_api_error: as_api_error::<T>,
            catalog: Catalog::Of(T::catalog),
        }
    }

    /// The registration of the alias entry of `define_errors!` that `D`
    /// marks, as [`of_defined`](Self::of_defined) registers a struct: a
    /// bound on the marker alone, and a view that reads the fields
    /// directly, spare the compiler work for each entry of a block whether
    /// used or not.
    pub const fn of_alias<D: Definition>() -> Self {
        Registration {
            type_id: TypeId::of::<DefinedError<D>>,
            as_api_error: defined::view_alias::<D>,
            catalog: Catalog::One(D::DECLARED),
        }
    }

    /// The registration of a `define_errors!` struct, viewed through the
    /// `ApiError` its fields share, not one of its own.
    pub const fn of_defined<T: Defined>() -> Self {
        Registration {
            type_id: TypeId::of::<T>,
            as_api_error: defined::view::<T>,
            catalog: Catalog::One(T::DECLARED),
        }
    }
}

/// The registrations of one derive or one `define_errors!` block: one
/// link-time entry per block, not per type, which spares the compiler a
/// static and a constructor function for each of a block's types.
pub struct Registrations(pub &'static [Registration]);

inventory::collect!(Registrations);

/// The view of a `T`.
pub(crate) fn as_api_error<'a, T: ApiError>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a (dyn ApiError + 'static)> {
    let error: &T = error.downcast_ref()?;
    Some(error)
}

/// Every registration of the program.
pub(crate) fn registrations() -> impl Iterator<Item = &'static Registration> {
    inventory::iter::<Registrations>
        .into_iter()
        .flat_map(|block| block.0)
}

type ByType = HashMap<TypeId, &'static Registration, BuildHasherDefault<TypeIdHasher>>;

/// The registrations by type, made on first use.
fn by_type() -> &'static ByType {
    static BY_TYPE: OnceLock<ByType> = OnceLock::new();
    BY_TYPE.get_or_init(|| {
        registrations()
            .map(|registration| ((registration.type_id)(), registration))
            .collect()
    })
}

/// The registration of a type, if it has one: `?` on any error looks its
/// type up.
pub(crate) fn lookup(type_id: TypeId) -> Option<&'static Registration> {
    by_type().get(&type_id).copied()
}

/// The first declared error in `error`'s chain of sources, from `skip`
/// links down, and how many links down it is. A `dyn Error` does not tell
/// its type on stable Rust, so each link is tried against each registered
/// type: only errors nobody declared pay for it.
pub(crate) fn find_in_chain(
    error: &(dyn StdError + 'static),
    skip: usize,
) -> Option<(AsApiError, usize)> {
    chain(error)
        .enumerate()
        .skip(skip)
        .find_map(|(depth, link)| {
            let registration = by_type()
                .values()
                .find(|registration| (registration.as_api_error)(link).is_some())?;
            Some((registration.as_api_error, depth))
        })
}

/// Hashes a `TypeId`, which is a hash already, by keeping its bits:
/// hashing it again would cost more than the rest of a lookup.
#[derive(Default)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `TypeId` writes whole integers; this keeps any other way correct.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 ^= word;
    }
}
