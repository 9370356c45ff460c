//! The box an [`Error`](crate::Error) keeps its error in: inline when the
//! error is small, as most declared errors are (a unit struct, an id, a
//! `&'static str`), so that `?` on one allocates nothing; on the heap
//! otherwise.

use std::cell::UnsafeCell;
use std::error::Error as StdError;
use std::mem::{align_of, size_of, MaybeUninit};
use std::ptr;

/// Any error, with the name of its type, for reports.
pub(crate) trait Erased: StdError + Send + Sync + 'static {
    // Trait upcasting needs Rust 1.86.
    fn as_std(&self) -> &(dyn StdError + Send + Sync + 'static);
    fn type_name(&self) -> &'static str;
}

impl<E: StdError + Send + Sync + 'static> Erased for E {
    fn as_std(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<E>()
    }
}

/// Two words: an error this small is kept inline, a larger one is boxed
/// and the slot keeps its address.
pub(crate) type Slot = MaybeUninit<[usize; 2]>;

/// Whether an `E` is kept inline: only the type decides, so that every
/// function of this module agrees for any one type.
const fn is_inline<E>() -> bool {
    size_of::<E>() <= size_of::<Slot>() && align_of::<E>() <= align_of::<Slot>()
}

/// The address of the `E` a slot holds.
///
/// # Safety
/// The slot was filled by `SmallBox::new::<E>` and still holds its `E`.
pub(crate) unsafe fn address_of<E>(slot: *const Slot) -> *const E {
    if is_inline::<E>() {
        slot.cast()
    } else {
        // SAFETY: a boxed `E`'s slot starts with the box's address.
        unsafe { slot.cast::<*const E>().read() }
    }
}

/// An error, erased, kept inline or boxed.
pub(crate) struct SmallBox {
    // A cell because the error may mutate itself through `&self` (a lock,
    // an atomic) while it is inline.
    slot: UnsafeCell<Slot>,
    /// What the slot holds: `Ops::of::<E>()` of the error's type `E`.
    ops: &'static Ops,
}

// SAFETY: the slot holds an `E: Send + Sync`, or the address of one boxed
// and owned.
unsafe impl Send for SmallBox {}
unsafe impl Sync for SmallBox {}

/// The functions of one error type `E` over a slot holding an `E`.
struct Ops {
    erased: unsafe fn(*const Slot) -> *const dyn Erased,
    /// `None` where dropping is nothing: an inline error without drop glue,
    /// such as a unit struct or an id.
    drop: Option<unsafe fn(*mut Slot)>,
}

impl Ops {
    /// The functions of `E`, a constant: one `&'static` per type, where
    /// two function pointers in each `SmallBox` would make `Error` larger.
    fn of<E: Erased>() -> &'static Ops {
        trait Of {
            const OPS: Ops;
        }
        impl<E: Erased> Of for E {
            const OPS: Ops = Ops {
                erased: erased::<E>,
                drop: if is_inline::<E>() && !std::mem::needs_drop::<E>() {
                    None
                } else {
                    Some(drop_in_slot::<E>)
                },
            };
        }
        &<E as Of>::OPS
    }
}

/// The erased `E` a slot holds.
///
/// # Safety
/// As [`address_of`].
unsafe fn erased<E: Erased>(slot: *const Slot) -> *const dyn Erased {
    // SAFETY: as the caller says.
    unsafe { address_of::<E>(slot) }
}

/// Drops the `E` a slot holds, and frees its box if it has one.
///
/// # Safety
/// As [`address_of`]; the `E` is not used again.
unsafe fn drop_in_slot<E>(slot: *mut Slot) {
    // SAFETY: as the caller says.
    unsafe {
        if is_inline::<E>() {
            ptr::drop_in_place(slot.cast::<E>());
        } else {
            std::mem::drop(Box::from_raw(slot.cast::<*mut E>().read()));
        }
    }
}

impl SmallBox {
    #[inline]
    pub(crate) fn new<E: Erased>(error: E) -> Self {
        let slot = UnsafeCell::new(Slot::uninit());
        if is_inline::<E>() {
            // SAFETY: an `E` fits in the slot, size and alignment.
            unsafe { slot.get().cast::<E>().write(error) }
        } else {
            // SAFETY: a slot holds an address.
            unsafe {
                slot.get()
                    .cast::<*mut E>()
                    .write(Box::into_raw(Box::new(error)))
            }
        }
        SmallBox {
            slot,
            ops: Ops::of::<E>(),
        }
    }

    /// The slot, for a view made for the error's type (`address_of`).
    #[inline]
    pub(crate) fn slot(&self) -> *const Slot {
        self.slot.get()
    }

    /// The error.
    #[inline]
    pub(crate) fn get(&self) -> &dyn Erased {
        // SAFETY: `ops` are of the type `new` put in the slot, which holds
        // it until `drop`.
        unsafe { &*(self.ops.erased)(self.slot.get()) }
    }
}

impl Drop for SmallBox {
    #[inline]
    fn drop(&mut self) {
        if let Some(drop) = self.ops.drop {
            // SAFETY: as in `get`; the error is dropped only here.
            unsafe { drop(self.slot.get()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;
    use std::sync::Arc;

    /// An error of `N` bytes and an `Arc`, whose count shows the drop.
    #[derive(Debug)]
    struct ErrorOf<const N: usize> {
        bytes: [u8; N],
        _alive: Arc<()>,
    }

    impl<const N: usize> fmt::Display for ErrorOf<N> {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(formatter, "{} bytes", self.bytes.len())
        }
    }

    impl<const N: usize> StdError for ErrorOf<N> {}

    /// Stores, moves, reads and drops an `ErrorOf<N>`.
    fn store<const N: usize>() {
        let alive = Arc::new(());
        let stored = SmallBox::new(ErrorOf {
            bytes: [7; N],
            _alive: alive.clone(),
        });
        let moved = stored;
        assert_eq!(moved.get().to_string(), format!("{N} bytes"));
        assert_eq!(moved.get().type_name(), std::any::type_name::<ErrorOf<N>>());
        // SAFETY: the slot holds an `ErrorOf<N>`.
        let error = unsafe { &*address_of::<ErrorOf<N>>(moved.slot()) };
        assert_eq!(error.bytes, [7; N]);
        assert_eq!(Arc::strong_count(&alive), 2);
        drop(moved);
        assert_eq!(Arc::strong_count(&alive), 1);
    }

    #[test]
    fn an_error_of_two_words_is_inline_and_dropped_once() {
        assert!(is_inline::<ErrorOf<0>>());
        assert!(is_inline::<ErrorOf<8>>());
        store::<0>();
        store::<8>();
    }

    #[test]
    fn a_larger_error_is_boxed_and_dropped_once() {
        assert!(!is_inline::<ErrorOf<9>>());
        store::<9>();
        store::<64>();
    }
}
