//! How polis asks glibc's allocator for memory. Speed only: nothing here changes what a build
//! produces, and on other systems these functions do nothing.
//!
//! A build of the scaled benchmark site touches about 20 MB, most of it on the worker threads. In
//! 4 KB pages that is some 4,000 page faults, a fifth of the build's CPU time; in 2 MB pages
//! (transparent huge pages) it is a few dozen, and the build takes a fifth less time. Linux gives
//! huge pages to memory that asks for them (`madvise`), which is how most systems are set up
//! (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`); glibc asks only when told to by an
//! environment variable (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), which a program cannot set for
//! itself. So [`tune`] sets what glibc lets a program set, and each worker thread, as it starts,
//! asks for huge pages for its own heap ([`worker_started`]).

#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod glibc {
    use std::sync::atomic::{AtomicBool, Ordering};

    static TUNED: AtomicBool = AtomicBool::new(false);

    /// glibc keeps each thread's heap in a region of this size, aligned to it (its HEAP_MAX_SIZE,
    /// 64 MB on 64-bit systems), that it maps whole and opens up as the heap grows.
    const HEAP_REGION: usize = 64 << 20;
    /// A transparent huge page.
    const HUGE_PAGE: usize = 2 << 20;

    pub fn tune() {
        // SAFETY: mallopt only sets the allocator's parameters; called before other threads start.
        unsafe {
            // Grow and shrink in bigger steps: fewer system calls, and memory that stays the
            // process's until it exits (`polis serve` keeps what its biggest build needed).
            libc::mallopt(libc::M_TOP_PAD, 16 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
            libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
        }
        TUNED.store(true, Ordering::Relaxed);
    }

    pub fn worker_started() {
        if !TUNED.load(Ordering::Relaxed) {
            return;
        }
        // An allocation above glibc's per-thread cache comes from this thread's own heap (a
        // smaller one may be a block another thread freed into this thread's cache).
        let probe = std::hint::black_box(vec![0u8; 4096]);
        let address = probe.as_ptr() as usize;
        // SAFETY: sbrk(0) only reads where the main heap ends.
        let main_heap_end = unsafe { libc::sbrk(0) } as usize;
        if address < main_heap_end {
            return; // the main heap (glibc found no heap of its own for this thread)
        }
        let region = address & !(HEAP_REGION - 1);
        // SAFETY: advice only (it changes no contents), on the region glibc mapped for this heap.
        unsafe {
            if libc::madvise(region as *mut libc::c_void, HEAP_REGION, libc::MADV_HUGEPAGE) != 0 {
                return;
            }
            // The heap's first 2 MB were touched before the advice, so they would stay in small
            // pages: turn them into one huge page now (Linux 6.1 and later; refused otherwise).
            libc::madvise(region as *mut libc::c_void, HUGE_PAGE, libc::MADV_COLLAPSE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64")))]
mod glibc {
    pub fn tune() {}
    pub fn worker_started() {}
}

/// Sets the allocator up for short builds on several threads. For programs (polis's `main`), not
/// for libraries that embed polis: it changes how the whole process allocates. Call it first,
/// before [`crate::workers`].
pub fn tune() {
    glibc::tune();
}

/// Called on each worker thread as it starts; does something only after [`tune`].
pub(crate) fn worker_started() {
    glibc::worker_started();
}
