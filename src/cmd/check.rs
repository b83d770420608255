//! `polis check`: every problem of the site, printed for people, as JSON, or for GitHub.

use std::io::Write;
use std::path::Path;

use polis::cli::Format;
use polis::diagnostics;

use super::{Failure, closing, exit_code, pipeline, print_human};

/// Checks the site in `root` and prints its problems in `format`; fails on errors, on warnings
/// too with `deny_warnings`, and as an I/O failure when a file could not be read.
/// With `quiet`, a clean run prints nothing.
pub(super) fn check(
    root: &Path,
    format: Format,
    deny_warnings: bool,
    quiet: bool,
) -> Result<(), Failure> {
    let at = root.to_path_buf();
    let said = Said {
        format,
        deny_warnings,
        quiet,
    };
    let outcome = pipeline(
        root,
        polis::run,
        Box::new(move |outcome| exit_code(report(&at, said, outcome))),
    );
    report(root, said, outcome)
}

/// How `check` was asked to report.
#[derive(Clone, Copy)]
struct Said {
    format: Format,
    deny_warnings: bool,
    quiet: bool,
}

fn report(root: &Path, said: Said, outcome: &polis::Outcome) -> Result<(), Failure> {
    let Said {
        format,
        deny_warnings,
        quiet,
    } = said;
    // Every format names files from the current folder (where CI runs polis, and where a
    // terminal or an editor opens them), not from the site folder.
    let text = match format {
        Format::Human => {
            print_human(root, outcome);
            String::new()
        }
        Format::Json => diagnostics::render_json(&seen(root, outcome)),
        Format::Github => diagnostics::render_github(&seen(root, outcome)),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if format == Format::Human && !(quiet && outcome.diagnostics.is_empty()) {
        eprintln!("check: {}", closing(root, outcome));
    }
    if let Some(failure) = super::unreadable(outcome) {
        // Printed already with the other problems: the exit code alone says it was I/O.
        return Err(failure);
    }
    let (errors, warnings) = diagnostics::count(&outcome.diagnostics);
    if errors > 0 || (deny_warnings && warnings > 0) {
        return Err(Failure::Problems);
    }
    Ok(())
}

/// The diagnostics of `outcome` with their files as seen from the current folder.
fn seen(root: &Path, outcome: &polis::Outcome) -> Vec<diagnostics::Diagnostic> {
    diagnostics::seen_from(root, &outcome.diagnostics, &diagnostics::Sources::new()).0
}
