//! The `polis` command: parse arguments, run the library, map the outcome to an exit code
//! (0 clean, 1 problems in the site, 2 usage or I/O).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use polis::cli::{Cli, Command, Format};
use polis::diagnostics::{self, Severity};

fn main() -> ExitCode {
    polis::alloc::tune();
    polis::workers();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let started = Instant::now();
    match cli.command {
        Command::Build { output } => {
            // The output is written into a staging folder while the checks run, and put in place
            // only if they find no error.
            let (outcome, staged) = polis::run_with(&cli.root, |input, rendered| {
                let out = output.clone().unwrap_or_else(|| cli.root.join(&input.site.settings.output.value));
                let staged = polis::write::stage(&cli.root, &out, rendered);
                (out, staged)
            });
            let code = build(&outcome, staged, started);
            // The process ends here: the system takes the memory back at once, faster than
            // freeing thousands of values one by one.
            std::mem::forget(outcome);
            code
        }
        Command::Schema => {
            print!("{}", polis::SCHEMA);
            ExitCode::SUCCESS
        }
        Command::Serve { port, bind, open, debounce } => {
            let options = polis::serve::Options { bind, port, open, debounce: std::time::Duration::from_millis(debounce) };
            match polis::serve::serve(&cli.root, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check { format, deny_warnings } => {
            let outcome = polis::run(&cli.root);
            let mut stdout = std::io::stdout().lock();
            let text = match format {
                Format::Human => {
                    print_human(&outcome);
                    String::new()
                }
                Format::Json => diagnostics::render_json(&outcome.diagnostics),
                // Annotations need paths from the repository root, which is where CI runs polis.
                Format::Github => diagnostics::render_github(&with_root(&cli.root, &outcome.diagnostics)),
            };
            let _ = stdout.write_all(text.as_bytes());
            let (errors, warnings) = diagnostics::count(&outcome.diagnostics);
            if format == Format::Human {
                eprintln!("check: {}", diagnostics::summary(&outcome.diagnostics));
            }
            let io_failure = outcome.diagnostics.iter().any(|d| d.code == "io-error" && d.severity == Severity::Error);
            std::mem::forget(outcome); // as in `build`
            if io_failure {
                ExitCode::from(2)
            } else if errors > 0 || (deny_warnings && warnings > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// Where the output goes, and the pages written beside it.
type Staged = (PathBuf, Result<polis::write::Staged, polis::write::WriteError>);

/// Puts the staged pages of `outcome` in place when it has no errors, and says what was written;
/// the exit code.
fn build(outcome: &polis::Outcome, staged: Option<Staged>, started: Instant) -> ExitCode {
    print_human(outcome);
    // (Dropping a staged output removes it: the previous output stays as it was.)
    let (out, staged) = match staged {
        Some(staged) if !outcome.has_errors() => staged,
        _ => {
            eprintln!("build failed: {}; nothing was written", diagnostics::summary(&outcome.diagnostics));
            return ExitCode::from(1);
        }
    };
    if let Err(e) = staged.and_then(polis::write::Staged::commit) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    for page in &outcome.rendered.pages {
        println!("  {}  ({} {}, from {})", page.url, page.name, page.locale, page.source);
    }
    let pages = outcome.rendered.pages.len();
    let files = outcome.rendered.files.len();
    println!("wrote {pages} pages ({files} files) to {} in {} ms", out.display(), started.elapsed().as_millis());
    ExitCode::SUCCESS
}

/// Diagnostics with file paths as seen from the current folder rather than the site folder.
fn with_root(root: &std::path::Path, diagnostics: &[diagnostics::Diagnostic]) -> Vec<diagnostics::Diagnostic> {
    let prefix = root.to_string_lossy().trim_end_matches('/').to_owned();
    if prefix.is_empty() || prefix == "." {
        return diagnostics.to_vec();
    }
    diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if !d.file.starts_with(polis::load::EMBEDDED) {
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
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = diagnostics::render_human(&outcome.diagnostics, &outcome.sources, styled);
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}
