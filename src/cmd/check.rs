//! `polis check`: every problem of the site, printed for people, as JSON, or for GitHub.

use std::io::Write;
use std::path::Path;

use polis::cli::Format;
use polis::diagnostics;

use super::{Failure, exit_code, pipeline, print_human, with_root};

/// Checks the site in `root` and prints its problems in `format`; fails on errors, on warnings
/// too with `deny_warnings`, and as an I/O failure when a file could not be read.
pub(super) fn check(root: &Path, format: Format, deny_warnings: bool) -> Result<(), Failure> {
    let at = root.to_path_buf();
    let outcome = pipeline(
        root,
        polis::run,
        Box::new(move |outcome| exit_code(report(&at, format, deny_warnings, outcome))),
    );
    report(root, format, deny_warnings, outcome)
}

fn report(
    root: &Path,
    format: Format,
    deny_warnings: bool,
    outcome: &polis::Outcome,
) -> Result<(), Failure> {
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
    if format == Format::Human {
        eprintln!("check: {}", diagnostics::summary(&outcome.diagnostics));
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
