//! The settings of the process as a whole: glibc's allocator steps, the limits on a build's
//! memory and CPU time, and the global allocator that reports a template which runs out of that
//! memory at its file. They are the binary's alone: the library never sets what would change a
//! program that links it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use polis::load::Origin;
use polis::serve::child::MAX_MEMORY;

/// How the running command reports the outcome of the pipeline; returns the exit code.
pub(crate) type Report = Box<dyn Fn(&polis::Outcome) -> u8 + Send + Sync>;

/// The running command's [`Report`], set before the pipeline starts, so that a template that runs
/// out of memory is reported as the command reports any problem ([`out_of_memory`]).
static REPORT: OnceLock<Report> = OnceLock::new();

/// Limits this process as a build ([`limit_resources`]) and arms [`out_of_memory`] with `report`.
pub(crate) fn limit(report: Report) {
    let _ = limit_resources();
    let _ = REPORT.set(report);
}

/// The memory a process may use past [`MAX_MEMORY`] once it has run out, to report which template
/// asked for it: a few diagnostics need kilobytes.
#[cfg(target_os = "linux")]
const REPORT_RESERVE: u64 = 64 << 20;

/// Caps the memory and CPU time of this process (a build): a site's own template can ask for
/// terabytes (a `set` that doubles a text forty times), and Tera has no budget for memory. Past
/// the cap an allocation fails, in seconds, rather than taking the machine's memory: the
/// template is reported ([`out_of_memory`]) and the process ends; `polis serve` runs each rebuild
/// in such a process and stays up. [`REPORT_RESERVE`] more is kept back for the report.
///
/// The memory cap is Linux's: macOS accepts a data limit but does not hold memory that malloc
/// maps to it, and Windows has no limits of this kind (README says so). The CPU time limit holds
/// on every Unix.
fn limit_resources() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        // The data limit counts the memory a process can write to (its heap and anonymous maps),
        // not address space it only reserves, which grows with the number of CPUs.
        setrlimit(
            Resource::Data,
            Rlimit {
                current: Some(MAX_MEMORY),
                maximum: Some(MAX_MEMORY + REPORT_RESERVE),
            },
        )?;
    }
    #[cfg(unix)]
    {
        use polis::serve::child::MAX_TIME;
        use rustix::process::{Resource, Rlimit, setrlimit};
        let cpu = MAX_TIME.as_secs();
        setrlimit(
            Resource::Cpu,
            Rlimit {
                current: Some(cpu),
                maximum: Some(cpu + 1),
            },
        )?;
    }
    Ok(())
}

/// Lets the process use the memory [`limit_resources`] kept back. Allocates nothing.
fn release_reserve() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let maximum = getrlimit(Resource::Data).maximum;
        let _ = setrlimit(
            Resource::Data,
            Rlimit {
                current: maximum,
                maximum,
            },
        );
    }
}

/// The system's allocator, which reports a template that asks for more memory than a build may
/// use instead of aborting: Tera has no budget for memory, and Rust offers no other hook for an
/// allocation that fails. Every call goes to [`System`] as it came; only a null it returns is
/// looked at, so the cost is one branch that is never taken.
struct Allocator;

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

// An allocator is unsafe to implement by nature (the compiler trusts the pointers it returns).
#[allow(unsafe_code)]
// SAFETY: each method passes its arguments to the same method of `System` and returns what that
// returned, so `System`'s guarantees hold; `out_of_memory` either returns or ends the process.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's guarantees, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The system had no memory for an allocation. On a thread that renders a template, in a command
/// whose memory [`limit_resources`] capped, this reports a `template-error` at that template, as
/// the command reports any problem ([`REPORT`]: human, JSON or GitHub; to the server for a serve
/// rebuild), and ends the process with the command's exit code. No output is written, so the last
/// good one stays. Anywhere else it returns, and the allocation fails as before (Rust aborts).
#[cold]
#[inline(never)]
fn out_of_memory() {
    thread_local! {
        /// Set while this thread reports: an allocation that fails then is not reported again.
        static REPORTING: Cell<bool> = const { Cell::new(false) };
    }
    /// Set by the first thread that reports; another that runs out waits for it to end the process.
    static REPORTED: AtomicBool = AtomicBool::new(false);
    let Some(report) = REPORT.get() else { return };
    if REPORTING.replace(true) {
        return;
    }
    release_reserve();
    let Some(rendering) = polis::render::rendering() else {
        REPORTING.set(false);
        return;
    };
    if REPORTED.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::sleep(Duration::from_secs(60));
        }
    }
    let mut outcome = polis::Outcome {
        diagnostics: vec![rendering.out_of_memory(MAX_MEMORY)],
        ..Default::default()
    };
    if rendering.origin == Origin::Shipped {
        outcome.shipped.insert(rendering.file);
    }
    let code = report(&outcome);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    end_now(code);
}

/// Ends the process at once, while other threads still run the pipeline: without the clean-up
/// of `exit`, which would run under them.
#[allow(unsafe_code)]
fn end_now(code: u8) -> ! {
    #[cfg(unix)]
    // SAFETY: _exit only ends the process; nothing runs after it.
    unsafe {
        libc::_exit(i32::from(code))
    }
    #[cfg(not(unix))]
    std::process::exit(i32::from(code))
}

/// Asks glibc's allocator to grow and shrink in bigger steps: fewer system calls and page faults
/// for a run that allocates megabytes on two threads and then ends. Elsewhere it does nothing.
#[allow(unsafe_code)]
pub(crate) fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; it runs before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}
