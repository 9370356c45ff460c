//! Heap allocations per rendered response, counted by a global allocator
//! that counts the calls of the thread that renders. `--nocapture` prints
//! the table `BENCHMARKS.md` quotes.

use macaron_core::{ApiError, Config, Error, Reporting};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

#[path = "../../benches/src/fixtures.rs"]
mod fixtures;
use fixtures::{
    floor, floor_interpolated, InvalidUser, InvalidUserBatch, UnknownUser, UnknownUserBatch,
};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the thread's counter may be gone while it exits.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The allocations `make` does, once warm (lazy statics built).
fn allocations<T>(make: impl Fn() -> T) -> usize {
    drop(black_box(make()));
    let before = ALLOCATIONS.with(Cell::get);
    let made = black_box(make());
    let after = ALLOCATIONS.with(Cell::get);
    drop(made);
    after - before
}

#[test]
fn allocations_per_rendered_response() {
    let id = black_box(42);
    let description = format!("no user with id {id}");
    let unknown = UnknownUserBatch::new(description.clone());
    let with_source = InvalidUserBatch::default().with_source(std::fmt::Error);
    let config = Config::builder().reporting(Reporting::Off).build();
    // Each case with its kind: the report takes each kind's largest count
    // against its target, and the kind's floor against the same target.
    let counted = [
        (
            "static",
            "floor: a static body and a content-type",
            allocations(floor),
        ),
        (
            "static",
            "derive, static",
            allocations(|| InvalidUser.to_response()),
        ),
        (
            "static",
            "define_errors!, static",
            allocations(|| InvalidUserBatch::default().to_response()),
        ),
        (
            "static",
            "define_errors!, static, with a source",
            allocations(|| with_source.to_response()),
        ),
        (
            "static",
            "Error of a static derive, made and rendered",
            allocations(|| Error::from(InvalidUser).to_response()),
        ),
        (
            "interpolated",
            "floor: a body formatted into one buffer and a content-type",
            allocations(|| floor_interpolated(id)),
        ),
        (
            "interpolated",
            "derive, interpolated",
            allocations(|| UnknownUser { id }.to_response()),
        ),
        (
            "interpolated",
            "define_errors!, description given",
            allocations(|| unknown.to_response()),
        ),
        (
            "interpolated",
            "Error of an interpolated derive, made and rendered",
            allocations(|| Error::from(UnknownUser { id }).to_response()),
        ),
        (
            "served",
            "served: error_id added, no report",
            allocations(|| config.respond(&Error::from(InvalidUser), None)),
        ),
        (
            "served",
            "served, interpolated: error_id added, no report",
            allocations(|| config.respond(&Error::from(UnknownUser { id }), None)),
        ),
    ];
    for (kind, case, count) in &counted {
        println!("ALLOCATIONS\t{kind}\t{case}\t{count}");
    }
    let counts: Vec<usize> = counted.iter().map(|&(_, _, count)| count).collect();
    // An `Error` boxes what it holds, unless it is zero-sized: one more
    // for `UnknownUser`, none for `InvalidUser`.
    assert_eq!(counts, [2, 2, 2, 2, 2, 3, 3, 3, 4, 7, 8], "{counted:#?}");
}
