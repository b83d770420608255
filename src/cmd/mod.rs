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
mod serve;

use std::io::{IsTerminal, Write};
use std::path::Path;

use polis::cli::{Cli, Command};
use polis::diagnostics::{self, Diagnostic};

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
    let root = cli.root;
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
        Command::Init {
            dir,
            country,
            locales,
            from_example,
        } => init::init(
            dir.as_deref().unwrap_or(&root),
            country,
            locales,
            from_example,
        ),
        Command::Serve {
            port,
            bind,
            open,
            debounce,
        } => serve::serve(&root, port, bind, open, debounce),
        Command::Build { output } => build::build(&root, output),
        Command::Archive => archive::archive(&root),
        Command::Export {
            format,
            output,
            id_prefix,
        } => export::export(&root, format, output, id_prefix),
        Command::Check {
            format,
            deny_warnings,
        } => check::check(&root, format, deny_warnings),
        Command::ServeBuild => serve::rebuild(&root),
    }
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

/// Prints the problems of `outcome` for people, on stderr, in colour at a terminal.
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

/// Prints the problems of `outcome` and, when there are errors, that `what` wrote nothing.
fn refuse_on_errors(what: &str, outcome: &polis::Outcome) -> Result<(), Failure> {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!(
            "{what} failed: {}; nothing was written",
            diagnostics::summary(&outcome.diagnostics)
        );
        return Err(unreadable(outcome).unwrap_or(Failure::Problems));
    }
    Ok(())
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

/// The diagnostics of `outcome` with file paths as seen from the current folder rather than the
/// site folder (files polis ships keep their `<polis>/` path: they are in no folder).
fn with_root(root: &Path, outcome: &polis::Outcome) -> Vec<Diagnostic> {
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
