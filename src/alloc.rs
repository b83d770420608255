//! How polis asks glibc's allocator for memory. Speed only: nothing here changes what a build
//! produces, and on other systems [`tune`] does nothing.
//!
//! glibc hands memory back to the system, and asks for it again, a little at a time. A build
//! allocates and frees megabytes on several threads at once, so each step is a system call and a
//! page fault; in bigger steps the scaled benchmark site builds about 6% faster.
//!
//! Tried and left out: transparent huge pages for the workers' heaps (`madvise(MADV_HUGEPAGE)`).
//! Back to back, builds got a fifth faster (4,000 page faults became 200); but a build that runs
//! after a pause, or after another program, was 70% slower, because each huge page is zeroed whole
//! and the kernel first has to find, or make, 2 MB of free memory in one piece.
//! `bench/cputime.py`, which runs polis and Hugo in turn, showed it; back-to-back runs hid it.

/// Sets the allocator up for short builds on several threads. For programs (polis's `main`), not
/// for libraries that embed polis: it changes how the whole process allocates. Call it first,
/// before other threads start.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; called before other threads start.
    unsafe {
        // Grow and shrink in bigger steps: fewer system calls, and memory that stays the process's
        // until it exits (`polis serve` keeps what its biggest build needed).
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}
