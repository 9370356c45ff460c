//! Every non-generic type that derives `ApiError` or comes from
//! `define_errors!` registers here at link time. `Error::from` looks a
//! value's type up, so that `?` keeps a declared error's code and status
//! while any other error becomes a 500.

use crate::small_box::{address_of, Slot};
use crate::ApiError;
use std::any::TypeId;
use std::hash::{Hash as _, Hasher};
use std::sync::OnceLock;

/// Views the error an `Error`'s slot holds as the `ApiError` it is.
///
/// # Safety
/// The slot holds an error of the type the view was made for: a view
/// casts without checking.
pub(crate) type AsApiError = unsafe fn(*const Slot) -> *const (dyn ApiError + 'static);

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

    /// The registration of the `define_errors!` type that `D` marks,
    /// viewed through the `ApiError` its fields share, not one of its own.
    pub const fn of_defined<D: crate::defined::Definition>() -> Self {
        Registration {
            type_id: TypeId::of::<crate::DefinedError<D>>,
            as_api_error: defined_fields,
            catalog: Catalog::One(D::DECLARED),
        }
    }
}

/// The view of every `define_errors!` type: one function for all of
/// them, viewing the fields they share, where `as_api_error` would be one
/// for the compiler to build per type.
///
/// # Safety
/// The slot holds a `DefinedError`.
unsafe fn defined_fields(slot: *const Slot) -> *const (dyn ApiError + 'static) {
    // SAFETY: `DefinedError` is `#[repr(transparent)]` over `ErrorFields`,
    // so it is kept as `ErrorFields` would be.
    unsafe { address_of::<crate::defined::ErrorFields>(slot) }
}

/// The registrations of one derive or one `define_errors!` block: one
/// link-time entry per block, not per type, which spares the compiler a
/// static and a constructor function for each of a block's types.
pub struct Registrations(pub &'static [Registration]);

inventory::collect!(Registrations);

/// The view of a `T`: a cast, not a checked downcast, because an `Error`
/// calls a view only on a value of the type the view was made for (its
/// type id found the registration, or `Error::new` was given the `T`).
///
/// # Safety
/// The slot holds a `T`.
pub(crate) unsafe fn as_api_error<T: ApiError>(
    slot: *const Slot,
) -> *const (dyn ApiError + 'static) {
    // SAFETY: as the caller says.
    unsafe { address_of::<T>(slot) }
}

/// Every registration of the program.
pub(crate) fn registrations() -> impl Iterator<Item = &'static Registration> {
    inventory::iter::<Registrations>
        .into_iter()
        .flat_map(|block| block.0)
}

/// The registration of a type, if it has one.
#[inline]
pub(crate) fn lookup(type_id: TypeId) -> Option<&'static Registration> {
    static BY_TYPE: OnceLock<ByType> = OnceLock::new();
    BY_TYPE.get_or_init(ByType::new).get(type_id)
}

/// The registrations by type: `?` on a declared error looks its type up,
/// so this is an open-addressed table at most a quarter full, where a
/// lookup is one hash and, most often, one comparison. (Half full, a
/// lookup's cost changed from build to build with where types fell, as
/// runs of taken slots formed.)
struct ByType {
    slots: Box<[Option<(TypeId, &'static Registration)>]>,
}

impl ByType {
    fn new() -> Self {
        let registrations: Vec<_> = registrations().collect();
        let mut by_type = ByType {
            slots: vec![None; (4 * registrations.len()).next_power_of_two()].into(),
        };
        for registration in registrations {
            let type_id = (registration.type_id)();
            let index = by_type.probe(type_id);
            by_type.slots[index] = Some((type_id, registration));
        }
        by_type
    }

    #[inline]
    fn get(&self, type_id: TypeId) -> Option<&'static Registration> {
        self.slots[self.probe(type_id)].map(|(_, registration)| registration)
    }

    /// The slot of `type_id`, or the empty one where it would go: the
    /// table is never full, so one is found.
    #[inline]
    fn probe(&self, type_id: TypeId) -> usize {
        let mask = self.slots.len() - 1;
        let mut hasher = TypeIdHasher(0);
        type_id.hash(&mut hasher);
        // The hash is a truncation of the id, itself a hash.
        let mut index = hasher.finish() as usize & mask;
        while let Some((slot_type, _)) = self.slots[index] {
            if slot_type == type_id {
                break;
            }
            index = (index + 1) & mask;
        }
        index
    }
}

/// Hashes a `TypeId`, which is a hash already, by keeping its bits.
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
