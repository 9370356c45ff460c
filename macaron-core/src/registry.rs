//! Every non-generic type that derives `ApiError` or comes from
//! `define_errors!` registers here at link time. `Error::from` looks a
//! value's type up, so that `?` keeps a declared error's code and status
//! while any other error becomes a 500.

use crate::ApiError;
use std::any::TypeId;
use std::collections::HashMap;
use std::error::Error as StdError;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

/// Views a boxed error of the registered type as the `ApiError` it is.
pub(crate) type AsApiError =
    for<'a> fn(&'a (dyn StdError + Send + Sync + 'static)) -> Option<&'a (dyn ApiError + 'static)>;

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
    One(&'static crate::ErrorInfo),
}

impl Catalog {
    pub(crate) fn entries(&self) -> Vec<&'static crate::ErrorInfo> {
        match *self {
            Catalog::Of(catalog) => catalog(),
            Catalog::One(info) => vec![info],
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

    /// The registration of a `define_errors!` type, viewed through the
    /// `ApiError` its fields share, not one of its own.
    pub const fn of_batch<T: crate::__private::Batch>() -> Self {
        Registration {
            type_id: TypeId::of::<T>,
            as_api_error: batch_as_api_error::<T>,
            catalog: Catalog::One(&T::DECLARED.info),
        }
    }
}

fn batch_as_api_error<'a, T: crate::__private::Batch>(
    error: &'a (dyn StdError + Send + Sync + 'static),
) -> Option<&'a (dyn ApiError + 'static)> {
    error
        .downcast_ref::<T>()
        .map(|error| error.fields() as &dyn ApiError)
}

/// The registrations of one derive or one `define_errors!` block: one
/// link-time entry per block, not per type, which spares the compiler a
/// static and a constructor function for each of a block's types.
pub struct Registrations(pub &'static [Registration]);

inventory::collect!(Registrations);

pub(crate) fn as_api_error<'a, T: ApiError>(
    error: &'a (dyn StdError + Send + Sync + 'static),
) -> Option<&'a (dyn ApiError + 'static)> {
    error
        .downcast_ref::<T>()
        .map(|error| error as &dyn ApiError)
}

/// Every registration of the program.
pub(crate) fn registrations() -> impl Iterator<Item = &'static Registration> {
    inventory::iter::<Registrations>
        .into_iter()
        .flat_map(|block| block.0)
}

/// The registration of a type, if it has one.
pub(crate) fn lookup(type_id: TypeId) -> Option<&'static Registration> {
    static BY_TYPE: OnceLock<HashMap<TypeId, &'static Registration, TypeIdHash>> = OnceLock::new();
    BY_TYPE
        .get_or_init(|| {
            registrations()
                .map(|registration| ((registration.type_id)(), registration))
                .collect()
        })
        .get(&type_id)
        .copied()
}

/// A `TypeId` is a hash already: `?` on a declared error should not pay
/// for SipHash on every conversion.
#[derive(Default, Clone, Copy)]
struct TypeIdHash;

impl BuildHasher for TypeIdHash {
    type Hasher = TypeIdHasher;

    fn build_hasher(&self) -> TypeIdHasher {
        TypeIdHasher(0)
    }
}

struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `TypeId` writes whole integers; this only keeps other ways correct.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 ^= word;
    }
}
