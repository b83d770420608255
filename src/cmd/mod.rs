//! The commands of the binary, one file each, and what they share: how a command's failure maps
//! to an exit code, and how the problems of a run are printed.
//!
//! The library returns values and typed errors; only here are they turned into text on a terminal
//! and a number for the shell.

mod archive;
mod build;
mod check;
mod export;
mod init;
pub(crate) mod process;
mod scan;
mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};

use polis::cli::{Cli, Command};
use polis::diagnostics::{self, Diagnostic};

/// The file that makes a folder a site.
const SITE_FILE: &str = "site.yaml";

/// Why a command did not end well.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The site has problems (printed already, with the command's summary).
    Problems,
    /// The command line asks for something polis cannot do.
    Usage(String),
    /// The output could not be written.
    Write(polis::write::WriteError),
    /// `polis init` could not write a new site.yaml (it never writes over one).
    Create(polis::write::WriteError),
    /// `polis init` refuses what it was asked for.
    Init(polis::init::Refusal),
    /// The questions at the terminal could not be asked.
    Ask(dialoguer::Error),
    /// The server could not start.
    Serve(polis::serve::ServeError),
    /// `polis scan` could not scan.
    Scan(polis::scan::ScanError),
    /// A file or a stream could not be read or written.
    Io(std::io::Error),
    /// A file of the site could not be read: reported among the site's problems already.
    Unreadable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Problems => f.write_str("the site has problems"),
            Failure::Usage(why) => f.write_str(why),
            Failure::Write(e) => e.fmt(f),
            Failure::Create(e) => write!(f, "{e}; polis init writes a new site.yaml only"),
            Failure::Init(e) => e.fmt(f),
            Failure::Ask(e) => e.fmt(f),
            Failure::Serve(e) => e.fmt(f),
            Failure::Scan(e) => e.fmt(f),
            Failure::Io(e) => e.fmt(f),
            Failure::Unreadable(file) => write!(f, "cannot read {file}"),
        }
    }
}

/// The exit code of a command that ended so, the one place that decides it: 0 clean, 1 problems
/// in the site, 2 usage or I/O. A failure other than the site's problems is printed here.
pub(crate) fn exit_code(ended: Result<(), Failure>) -> u8 {
    match ended {
        Ok(()) => 0,
        Err(Failure::Problems) => 1,
        Err(Failure::Unreadable(_)) => 2,
        Err(failure) => {
            eprintln!("error: {}", diagnostics::printable(&failure.to_string()));
            2
        }
    }
}

/// Runs the command `cli` asks for; how it ended.
pub(crate) fn run(cli: Cli) -> Result<(), Failure> {
    anstream::ColorChoice::write_global(cli.color.into());
    let quiet = cli.quiet;
    let given = cli.root;
    match cli.command {
        Command::Schema { export } => {
            print!(
                "{}",
                if export {
                    polis::EXPORT_SCHEMA
                } else {
                    polis::SCHEMA
                }
            );
            Ok(())
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "polis", &mut std::io::stdout());
            Ok(())
        }
        // `polis man | head` closes the pipe early: that is no failure.
        Command::Man => match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Io(e)),
            _ => Ok(()),
        },
        // A new site is made where it is asked for, never in a site found above.
        Command::Init {
            dir,
            country,
            locales,
            from_example,
        } => {
            let root = given.unwrap_or_else(|| PathBuf::from("."));
            let request = init::Asked {
                country,
                locales,
                from_example,
            };
            init::init(dir.as_deref().unwrap_or(&root), request, quiet)
        }
        Command::Serve {
            port,
            bind,
            open,
            debounce,
        } => serve::serve(&site_root(given), port, bind, open, debounce),
        Command::Build { output } => build::build(&site_root(given), output, quiet),
        Command::Archive => archive::archive(&site_root(given), quiet),
        Command::Export {
            format,
            output,
            id_prefix,
        } => export::export(&site_root(given), format, output, id_prefix, quiet),
        Command::Check {
            format,
            deny_warnings,
        } => check::check(&site_root(given), format, deny_warnings, quiet),
        Command::Scan {
            urls,
            browser,
            max_pages,
            page_timeout,
            accept,
            reject,
            evidence,
            format,
            strict,
        } => {
            let buttons = accept
                .zip(reject)
                .map(|(accept, reject)| polis::scan::Buttons { accept, reject });
            let asked = scan::Asked {
                options: polis::scan::Options {
                    urls,
                    browser,
                    max_pages,
                    page_timeout: std::time::Duration::from_secs(page_timeout),
                    buttons,
                },
                evidence,
                format,
                strict,
                quiet,
            };
            scan::scan(&site_root(given), asked)
        }
        Command::ServeBuild => serve::rebuild(&site_root(given)),
    }
}

/// The site folder a command works on: `--root` (its folder when it names a site.yaml), or else
/// the nearest folder with a site.yaml from the current one upward, as a relative path (`..`),
/// so that what polis prints opens from where it was run. With none above, the current folder,
/// whose missing site.yaml is then reported.
fn site_root(given: Option<PathBuf>) -> PathBuf {
    if let Some(path) = given {
        if path.file_name().is_some_and(|name| name == SITE_FILE) && !path.is_dir() {
            let folder = path.parent().unwrap_or(Path::new(""));
            return if folder.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                folder.to_path_buf()
            };
        }
        return path;
    }
    let here = PathBuf::from(".");
    let Ok(current) = std::env::current_dir() else {
        return here;
    };
    let mut relative = here.clone();
    for folder in current.ancestors() {
        // A link is not followed: load would refuse it at the same place anyway.
        if std::fs::symlink_metadata(folder.join(SITE_FILE)).is_ok_and(|m| m.is_file()) {
            return relative;
        }
        relative = if relative == here {
            PathBuf::from("..")
        } else {
            relative.join("..")
        };
    }
    here
}

/// Runs the pipeline with `run` on the site in `root`, within the process's limits, with `report`
/// as what a template that runs out of memory is reported by.
///
/// The outcome (thousands of values on a big site) lives until the process ends: the system takes
/// its memory back whole, faster than freeing it value by value.
fn pipeline(
    root: &Path,
    run: fn(&Path) -> polis::Outcome,
    report: process::Report,
) -> &'static polis::Outcome {
    process::limit(report);
    Box::leak(Box::new(run(root)))
}

/// Prints the problems of the site in `root` for people, on stderr, coloured as `--color` says,
/// each at its path from the current folder.
fn print_human(root: &Path, outcome: &polis::Outcome) {
    if outcome.diagnostics.is_empty() {
        return;
    }
    let (seen, sources) = diagnostics::seen_from(root, &outcome.diagnostics, &outcome.sources);
    let text = diagnostics::render_human(&seen, &sources, polis::cli::stderr_styled());
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

/// Prints the problems of `outcome` and, when there are errors, that `what` wrote nothing.
fn refuse_on_errors(what: &str, root: &Path, outcome: &polis::Outcome) -> Result<(), Failure> {
    print_human(root, outcome);
    if outcome.has_errors() {
        eprintln!(
            "{what} failed: {}; nothing was written",
            closing(root, outcome)
        );
        return Err(unreadable(outcome).unwrap_or(Failure::Problems));
    }
    Ok(())
}

/// The closing line's account of a run: "2 errors, 1 warning", or, when site.yaml itself could
/// not be read (and so nothing was checked), which file: a site polis never saw has no errors.
fn closing(root: &Path, outcome: &polis::Outcome) -> String {
    let unread = |d: &Diagnostic| d.code == diagnostics::Code::IoError && d.line == 0;
    match outcome.diagnostics.as_slice() {
        [only] if unread(only) && only.file == SITE_FILE => {
            format!(
                "cannot read {}",
                diagnostics::printable(&diagnostics::path_from(root, &only.file))
            )
        }
        all => diagnostics::summary(all),
    }
}

/// A file polis could not read (site.yaml, a missing `--root`), which makes the run an I/O
/// failure (exit 2) in every command, not a problem of the site (1).
fn unreadable(outcome: &polis::Outcome) -> Option<Failure> {
    outcome
        .diagnostics
        .iter()
        .find(|d| {
            d.code == diagnostics::Code::IoError && d.severity == diagnostics::Severity::Error
        })
        .map(|d| Failure::Unreadable(d.file.clone()))
}

/// A path as a status line shows it: a line break or a terminal control in it is written as an
/// escape, so no line polis prints is anything but its own (a CI log reads `::error` at the start
/// of a line as a command).
pub(crate) fn shown(path: &Path) -> String {
    diagnostics::printable(&path.to_string_lossy()).into_owned()
}

/// `n` things, in the plural unless one: "1 file", "6 files".
pub(crate) fn counted(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("{n} {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
