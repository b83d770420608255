//! The settings of the process as a whole: glibc's allocator steps, the limits on a build's
//! memory and CPU time, the watchdog that reports a template past its time, and, on Linux, where
//! the memory is capped, the global allocator and the reporter thread that report a template which
//! runs out of that memory at its file. They are the binary's alone: the library sets none of them
//! (its one process-wide hook is serve's Ctrl-C handler, which a program that serves installs).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[cfg(target_os = "linux")]
use polis::serve::child::MAX_MEMORY;

/// How the running command reports the outcome of the pipeline; returns the exit code.
pub(crate) type Report = Box<dyn Fn(&polis::Outcome) -> u8 + Send + Sync>;

/// Set by the first of the watchdog and the out-of-memory report to end the process: it alone
/// reports, and the other waits for the end.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Limits this process as a build ([`limit_resources`]), starts the watchdog that reports with
/// `report` a template past its time ([`watch`]) and, on Linux, the thread that reports a template
/// that runs out of memory ([`oom`]). Elsewhere no memory is capped, and an allocation that fails
/// aborts the process as in any Rust program.
pub(crate) fn limit(report: Report) {
    let _ = limit_resources();
    let report: Arc<dyn Fn(&polis::Outcome) -> u8 + Send + Sync> = Arc::from(report);
    let watched = report.clone();
    let _ = std::thread::Builder::new()
        .name("polis watchdog".to_owned())
        .spawn(move || watch(&*watched));
    #[cfg(target_os = "linux")]
    let _ = oom::arm(report);
    #[cfg(not(target_os = "linux"))]
    drop(report);
}

/// How often the watchdog looks at the renders under way: a template past its 10 seconds is
/// reported within this much more.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// The watchdog: a template that loops without writing runs inside Tera, where no budget is
/// checked, so this thread looks at the renders under way ([`polis::render::when_overdue`]) and,
/// when one is past its deadline, reports it as the command reports any problem and ends the
/// process (no output is written, so the last good one stays). The render cannot end meanwhile,
/// so the report is the run's only outcome.
fn watch(report: &(dyn Fn(&polis::Outcome) -> u8 + Send + Sync)) {
    loop {
        std::thread::sleep(WATCH_EVERY);
        polis::render::when_overdue(|rendering| {
            if ENDING.swap(true, Ordering::AcqRel) {
                // The out-of-memory report ends the process.
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            let mut outcome = polis::Outcome {
                diagnostics: vec![rendering.out_of_time()],
                ..Default::default()
            };
            if rendering.origin == polis::load::Origin::Shipped {
                outcome.shipped.insert(rendering.file.clone());
            }
            end_now(report(&outcome))
        });
    }
}

/// Ends the process at once with `code`, after flushing what was printed, while other threads still
/// run the pipeline (one of them in a template, or blocked in the allocator): without the clean-up
/// of `exit`, which would run under them.
fn end_now(code: u8) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: _exit only ends the process; nothing runs after it.
    unsafe {
        libc::_exit(i32::from(code))
    }
    #[cfg(not(unix))]
    std::process::exit(i32::from(code))
}

/// The memory a process may use past [`MAX_MEMORY`] once it has run out, to report which template
/// asked for it: a few diagnostics need kilobytes.
#[cfg(target_os = "linux")]
const REPORT_RESERVE: u64 = 64 << 20;

/// Caps the memory and CPU time of this process (a build): a site's own template can ask for
/// terabytes (a `set` that doubles a text forty times), and Tera has no budget for memory. Past
/// the cap an allocation fails, in seconds, rather than taking the machine's memory: the
/// template is reported ([`oom`]) and the process ends; `polis serve` runs each rebuild
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

#[cfg(target_os = "linux")]
mod oom {
    //! The report of a template that runs out of memory, on Linux, where
    //! [`limit_resources`](super::limit_resources) caps it.
    //!
    //! Rust offers no hook for an allocation that fails but the global allocator, and the thread
    //! that runs out is inside it: it may hold any lock of the pipeline's (Tera's, rayon's, a
    //! `OnceLock`'s) or be halfway through changing a value. Building, formatting and printing a
    //! report there could wait forever for a lock that thread holds, or allocate again on the way
    //! down. So the work is split between two threads, and this is why it is sound:
    //!
    //! - The failing thread does only what is safe at any point of any program: it allocates
    //!   nothing and waits for no lock. If it renders a template (`polis::render::with_rendering`,
    //!   which only borrows the thread's note), it claims the report ([`ENDING`]), copies the
    //!   template's path and origin into the fixed-size [`NOTE`], writes one byte to [`WAKE`] and
    //!   blocks forever; one that finds the report claimed blocks forever at once. [`NOTE`]'s lock
    //!   is taken only by the one thread that claimed the report, before it writes the byte, and by
    //!   the reporter, after it read it: it is never contended, so the failing thread never waits
    //!   on it.
    //! - The reporter, a thread started with the limits ([`arm`]), waits on the pipe's other end
    //!   and holds nothing while it waits. Woken, it lets the process use the reserve, builds the
    //!   diagnostic, prints it as the command prints any problem ([`Report`]: human, JSON or
    //!   GitHub; to the server for a serve rebuild) and ends the process with the command's exit
    //!   code. The locks it takes are none the failing thread can hold: the system allocator's are
    //!   released when `System` returns, and no thread prints while it renders a template.
    //!
    //! The pipeline waits for the blocked thread's render, so it never ends on its own: the report
    //! is the run's only outcome, and no output is written, so the last good one stays. A thread
    //! that runs out while it renders no template (the reporter among them) gets the null back, and
    //! Rust aborts the process as before.

    use std::alloc::{GlobalAlloc, Layout, System};
    use std::io::{PipeReader, PipeWriter, Read, Write};
    use std::sync::atomic::Ordering;
    use std::sync::{Arc, Mutex, OnceLock, PoisonError};
    use std::time::Duration;

    use polis::load::Origin;
    use polis::render::Rendering;

    use super::{ENDING, MAX_MEMORY, end_now};

    /// [`Report`](super::Report), shared with the watchdog.
    type Report = Arc<dyn Fn(&polis::Outcome) -> u8 + Send + Sync>;

    /// The most bytes of a template's path the report keeps (cut at a character): a path in a
    /// site folder is a few dozen.
    const MAX_PATH: usize = 4096;

    /// The template that ran out of memory, as the failing thread can note it without allocating.
    struct Note {
        /// Its display path, in the first `len` bytes.
        file: [u8; MAX_PATH],
        len: usize,
        origin: Origin,
    }

    /// Written once, by the thread that claimed the report, and read by the reporter after.
    static NOTE: Mutex<Note> = Mutex::new(Note {
        file: [0; MAX_PATH],
        len: 0,
        origin: Origin::Site,
    });

    /// The pipe's end that wakes the reporter; set only once the reporter waits on the other.
    static WAKE: OnceLock<PipeWriter> = OnceLock::new();

    /// Starts the reporter, which reports with `report` ([`oom`](self)). The pipe is opened with
    /// `O_CLOEXEC`, as std opens every pipe, so no child inherits it.
    pub(super) fn arm(report: Report) -> std::io::Result<()> {
        let (reader, writer) = std::io::pipe()?;
        std::thread::Builder::new()
            .name("polis out of memory".to_owned())
            .spawn(move || wait(&reader, &report))?;
        // Armed twice, the second reporter reads the end of its pipe and returns.
        let _ = WAKE.set(writer);
        Ok(())
    }

    /// The reporter: waits for the failing thread's byte, then reports and ends the process.
    fn wait(mut reader: &PipeReader, report: &Report) {
        if reader.read_exact(&mut [0]).is_err() {
            return;
        }
        release_reserve();
        let rendering = {
            let note = NOTE.lock().unwrap_or_else(PoisonError::into_inner);
            Rendering {
                file: String::from_utf8_lossy(&note.file[..note.len]).into_owned(),
                origin: note.origin,
                first_line: 0,
            }
        };
        let mut outcome = polis::Outcome {
            diagnostics: vec![rendering.out_of_memory(MAX_MEMORY)],
            ..Default::default()
        };
        if rendering.origin == Origin::Shipped {
            outcome.shipped.insert(rendering.file);
        }
        end_now(report(&outcome));
    }

    /// The system had no memory for an allocation: on a thread that renders a template, hands the
    /// report to the reporter and never returns; anywhere else it returns. Allocates nothing and
    /// waits for no lock ([`oom`](self)).
    #[cold]
    #[inline(never)]
    fn ran_out() {
        let Some(mut wake) = WAKE.get() else { return };
        let Some(first) = polis::render::with_rendering(|file, origin| {
            if ENDING.swap(true, Ordering::AcqRel) {
                return false;
            }
            let mut note = NOTE.lock().unwrap_or_else(PoisonError::into_inner);
            let mut len = file.len().min(MAX_PATH);
            while !file.is_char_boundary(len) {
                len -= 1;
            }
            note.file[..len].copy_from_slice(&file.as_bytes()[..len]);
            note.len = len;
            note.origin = origin;
            true
        }) else {
            return;
        };
        // A byte that cannot be written wakes no one: the allocation fails, and Rust aborts.
        if first && wake.write_all(&[1]).is_err() {
            return;
        }
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }

    /// Lets the process use the memory [`limit_resources`](super::limit_resources) kept back.
    fn release_reserve() {
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

    /// The system's allocator, which hands an allocation that fails to [`ran_out`]: Tera has no
    /// budget for memory, and Rust offers no other hook. Every call goes to [`System`] as it came;
    /// only a null it returns is looked at, so the cost is one branch that is never taken.
    struct Allocator;

    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator;

    // An allocator is unsafe to implement by nature (the compiler trusts the pointers it returns).
    #[allow(unsafe_code)]
    // SAFETY: each method passes its arguments to the same method of `System` and returns what
    // that returned, so `System`'s guarantees hold; `ran_out` either returns or never does.
    unsafe impl GlobalAlloc for Allocator {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the caller's guarantees, passed on.
            let p = unsafe { System.alloc(layout) };
            if p.is_null() {
                ran_out();
            }
            p
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the caller's guarantees, passed on.
            let p = unsafe { System.alloc_zeroed(layout) };
            if p.is_null() {
                ran_out();
            }
            p
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the caller's guarantees, passed on.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if p.is_null() {
                ran_out();
            }
            p
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: the caller's guarantees, passed on.
            unsafe { System.dealloc(ptr, layout) }
        }
    }
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
