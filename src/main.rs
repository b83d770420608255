//! The `polis` command: parse arguments, run the library, map the outcome to an exit code
//! (0 clean, 1 problems in the site, 2 usage or I/O).
//!
//! Two process-wide settings live here and nowhere else, because bench/ measured that they pay
//! (bench/changes.md): glibc's allocator grows in bigger steps, and `build` and `check` end the
//! process once their output is flushed, without freeing what the run built. On the 1,000-cookie
//! site they save about a tenth of the build's time, on a quiet and on a busy machine alike; on
//! the example site they are within noise.
//!
//! The limits of a build are set here too (memory and CPU time), with the global allocator that
//! turns running out of that memory inside a template into a `template-error` at the template,
//! reported in the command's own format, rather than an abort.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use polis::cli::{Cli, Command, Format};
use polis::diagnostics::{self, Code, Severity};
use polis::load::Origin;
use polis::serve::child::MAX_MEMORY;
use polis::write::OutputFrom;

/// How the running command reports the outcome of the pipeline; returns the exit code.
type Report = Box<dyn Fn(&polis::Outcome) -> u8 + Send + Sync>;

/// The running command's [`Report`], set before the pipeline starts, so that a template that runs
/// out of memory is reported as the command reports any problem ([`out_of_memory`]).
static REPORT: OnceLock<Report> = OnceLock::new();

fn main() -> ExitCode {
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let started = Instant::now();
    let root = cli.root.clone();
    // The run that each command needs: export keeps the facts, archive the version in effect.
    let mut run: fn(&Path) -> polis::Outcome = polis::run;
    let report: Report = match cli.command {
        Command::Schema { export } => {
            print!(
                "{}",
                if export {
                    polis::EXPORT_SCHEMA
                } else {
                    polis::SCHEMA
                }
            );
            return ExitCode::SUCCESS;
        }
        Command::Init {
            dir,
            country,
            locales,
            from_example,
        } => {
            return ExitCode::from(init(
                dir.as_deref().unwrap_or(&cli.root),
                country,
                locales,
                from_example,
            ));
        }
        Command::Serve {
            port,
            bind,
            open,
            debounce,
        } => {
            // Each rebuild runs in a process of its own: no content can take the server down.
            let builder = std::env::current_exe().ok();
            let options = polis::serve::Options {
                bind,
                port,
                open,
                debounce: Duration::from_millis(debounce),
                builder,
            };
            return match polis::serve::serve(&cli.root, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Build { output } => {
            // Ctrl-C or a termination signal during the write: no staging folder is left behind.
            let _ = ctrlc::set_handler(|| {
                polis::write::abandon();
                std::process::exit(130);
            });
            Box::new(move |outcome| {
                let (out, from) = match &output {
                    Some(out) => (out.clone(), OutputFrom::CommandLine),
                    None => (root.join(&outcome.output), OutputFrom::SiteYaml),
                };
                build(&root, &out, from, outcome, started)
            })
        }
        Command::Archive => {
            let _ = ctrlc::set_handler(|| {
                polis::write::abandon();
                std::process::exit(130);
            });
            run = polis::run_to_archive;
            Box::new(move |outcome| archive(&root, outcome))
        }
        Command::Export { format, output } => {
            run = polis::run_for_export;
            Box::new(move |outcome| {
                let (out, from) = match &output {
                    Some(out) => (out.clone(), OutputFrom::CommandLine),
                    None => (
                        root.join("export").join(format.name()),
                        OutputFrom::SiteYaml,
                    ),
                };
                export(&root, &out, from, format, outcome)
            })
        }
        Command::Check {
            format,
            deny_warnings,
        } => Box::new(move |outcome| check(&root, format, deny_warnings, outcome)),
        Command::ServeBuild => Box::new(|outcome| {
            if polis::serve::child::report(outcome).is_ok() {
                0
            } else {
                2
            }
        }),
    };
    let _ = limit_resources();
    let report = REPORT.get_or_init(|| report);
    let outcome = run(&cli.root);
    let code = report(&outcome);
    exit_leaving(outcome, code)
}

/// Writes the pages of `outcome` into `out` when it has no errors, and says what was written;
/// the exit code.
fn build(
    root: &Path,
    out: &Path,
    from: OutputFrom,
    outcome: &polis::Outcome,
    started: Instant,
) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!(
            "build failed: {}; nothing was written",
            diagnostics::summary(&outcome.diagnostics)
        );
        return 1;
    }
    if let Err(e) = polis::write::write(root, out, from, &outcome.rendered.files) {
        eprintln!("error: {e}");
        return 2;
    }
    for page in &outcome.rendered.pages {
        println!(
            "  {}  ({} {}, from {})",
            page.url, page.name, page.locale, page.source
        );
    }
    let pages = outcome.rendered.pages.len();
    let files = outcome.rendered.files.len();
    println!(
        "wrote {pages} pages ({files} files) to {} in {} ms",
        out.display(),
        started.elapsed().as_millis()
    );
    0
}

/// Writes a first site.yaml into `dir` (and the schema beside it, unless one is there); the exit
/// code. Asks for the country and languages at a terminal when no flag says them.
fn init(
    dir: &Path,
    country: Option<String>,
    locales: Option<Vec<String>>,
    from_example: bool,
) -> u8 {
    let text = if from_example {
        polis::init::example()
    } else {
        let asked = country.is_none()
            && locales.is_none()
            && std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal();
        let request = if asked {
            match ask() {
                Ok(request) => request,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            }
        } else {
            let Some(country) = country else {
                eprintln!(
                    "error: polis init needs the company's country: --country NL (or BE, DE, ...)"
                );
                return 2;
            };
            polis::init::Request {
                country,
                locales: locales.unwrap_or_else(|| vec!["nl".into(), "en".into()]),
            }
        };
        match polis::init::site_yaml(&request) {
            Ok(text) => text,
            Err(refusal) => {
                eprintln!("error: {refusal}");
                return 2;
            }
        }
    };
    let written = match polis::write::create_new(dir, "site.yaml", text.as_bytes()) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("error: {e}; polis init writes a new site.yaml only");
            return 2;
        }
    };
    // An editor's schema is polis's own file: one already there is left as it is.
    let _ = polis::write::create_new(dir, polis::init::SCHEMA_FILE, polis::SCHEMA.as_bytes());
    let placeholders = text
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with('#') && l.contains(polis::model::decode::PLACEHOLDER)
        })
        .count();
    println!("wrote {}", written.display());
    if placeholders > 0 {
        println!(
            "fill in its {placeholders} \"[fill in: ...]\" values; `polis check` names those left, at their lines"
        );
    }
    0
}

/// The country and languages, asked at the terminal.
fn ask() -> Result<polis::init::Request, dialoguer::Error> {
    let countries = polis::init::countries();
    let default = countries.iter().position(|c| c == "NL").unwrap_or(0);
    let theme = dialoguer::theme::SimpleTheme;
    let labels: Vec<String> = countries
        .iter()
        .map(|c| {
            format!(
                "{c}  {}",
                polis::init::country_name(c, "en").unwrap_or_default()
            )
        })
        .collect();
    let country = dialoguer::Select::with_theme(&theme)
        .with_prompt("The company's country")
        .items(&labels)
        .default(default)
        .interact()?;
    let shipped = polis::init::shipped_locales();
    let chosen = dialoguer::MultiSelect::with_theme(&theme)
        .with_prompt(
            "The site's languages (space to choose, enter to go on; the first is the default)",
        )
        .items(&shipped)
        .defaults(&vec![true; shipped.len()])
        .interact()?;
    Ok(polis::init::Request {
        country: countries[country].clone(),
        locales: chosen.into_iter().map(|i| shipped[i].to_owned()).collect(),
    })
}

/// Writes `format` of the site in `outcome` into `out` when it has no errors; the exit code.
fn export(
    root: &Path,
    out: &Path,
    from: OutputFrom,
    format: polis::cli::ExportFormat,
    outcome: &polis::Outcome,
) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!(
            "export failed: {}; nothing was written",
            diagnostics::summary(&outcome.diagnostics)
        );
        return 1;
    }
    let Some(facts) = &outcome.facts else {
        return 1;
    };
    let files = match polis::export::export(format, facts, &outcome.rendered, &outcome.diagnostics)
    {
        Ok(files) => files,
        Err(e) => {
            eprintln!("export failed: {e}; nothing was written");
            return 1;
        }
    };
    if let Err(e) = polis::write::write(root, out, from, &files) {
        eprintln!("error: {e}");
        return 2;
    }
    for name in files.keys().filter(|n| !n.starts_with('.')) {
        println!("  {name}");
    }
    println!("wrote {} files to {}", files.len(), out.display());
    0
}

/// Records the version in effect of `outcome` in the site's archive when it has no errors, and says
/// what was written; the exit code. The same facts archived already is not an error: nothing to do.
fn archive(root: &Path, outcome: &polis::Outcome) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!(
            "archive failed: {}; nothing was written",
            diagnostics::summary(&outcome.diagnostics)
        );
        return 1;
    }
    let Some(version) = &outcome.version else {
        return 2;
    };
    if version.archived {
        println!(
            "archive/{} holds this version already, with the same facts: nothing to do",
            version.date
        );
        return 0;
    }
    match polis::write::archive(root, &version.date, &version.files) {
        Ok(dir) => {
            for name in version.files.keys() {
                println!("  archive/{}/{name}", version.date);
            }
            println!(
                "archived the version of {} in {}; commit it",
                version.date,
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Prints the problems of `outcome` in `format`; the exit code.
fn check(root: &Path, format: Format, deny_warnings: bool, outcome: &polis::Outcome) -> u8 {
    let text = match format {
        Format::Human => {
            print_human(outcome);
            String::new()
        }
        Format::Json => diagnostics::render_json(&outcome.diagnostics),
        // Annotations need paths from the repository root, which is where CI runs polis.
        Format::Github => diagnostics::render_github(&with_root(root, outcome)),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    let (errors, warnings) = diagnostics::count(&outcome.diagnostics);
    if format == Format::Human {
        eprintln!("check: {}", diagnostics::summary(&outcome.diagnostics));
    }
    let io_failure = outcome
        .diagnostics
        .iter()
        .any(|d| d.code == Code::IoError && d.severity == Severity::Error);
    if io_failure {
        2
    } else if errors > 0 || (deny_warnings && warnings > 0) {
        1
    } else {
        0
    }
}

/// Ends the process with `code` once stdout and stderr are flushed. The outcome (thousands of
/// values on a big site) is taken and never dropped: the system takes its memory back whole,
/// faster than freeing it value by value.
fn exit_leaving(_outcome: polis::Outcome, code: u8) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(i32::from(code))
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
fn limit_resources() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use polis::serve::child::MAX_TIME;
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
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; it runs before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}

/// The diagnostics of `outcome` with file paths as seen from the current folder rather than the
/// site folder (files polis ships keep their `<polis>/` path: they are in no folder).
fn with_root(root: &Path, outcome: &polis::Outcome) -> Vec<diagnostics::Diagnostic> {
    let prefix = root.to_string_lossy().trim_end_matches('/').to_owned();
    if prefix.is_empty() || prefix == "." {
        return outcome.diagnostics.clone();
    }
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if !outcome.shipped.contains(&d.file) {
                d.file = format!("{prefix}/{}", d.file);
            }
            d
        })
        .collect()
}

fn print_human(outcome: &polis::Outcome) {
    if outcome.diagnostics.is_empty() {
        return;
    }
    let styled = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = diagnostics::render_human(&outcome.diagnostics, &outcome.sources, styled);
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}
