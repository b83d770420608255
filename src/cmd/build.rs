//! `polis build`: the pages of the site, written into the output folder when it has no errors.

use std::path::{Path, PathBuf};
use std::time::Instant;

use polis::write::OutputFrom;

use super::{Failure, counted, exit_code, pipeline, refuse_on_errors, shown};

/// Builds the site in `root` into `output` (default: site.yaml's `site.output`).
/// With `quiet`, prints its problems only.
pub(super) fn build(root: &Path, output: Option<PathBuf>, quiet: bool) -> Result<(), Failure> {
    let started = Instant::now();
    stop_cleanly_on_signal();
    let at = root.to_path_buf();
    let outcome = pipeline(
        root,
        polis::run,
        Box::new(move |outcome| exit_code(refuse_on_errors("build", &at, outcome))),
    );
    refuse_on_errors("build", root, outcome)?;
    let (out, from) = match output {
        Some(out) => (out, OutputFrom::CommandLine),
        None => (root.join(&outcome.output), OutputFrom::SiteYaml),
    };
    polis::write::write(root, &out, from, &outcome.rendered.files).map_err(Failure::Write)?;
    if quiet {
        return Ok(());
    }
    for page in &outcome.rendered.pages {
        println!(
            "  {}  ({} {}, from {})",
            page.url, page.name, page.locale, page.source
        );
    }
    println!(
        "wrote {} ({}) to {} in {} ms",
        counted(outcome.rendered.pages.len(), "page"),
        counted(outcome.rendered.files.len(), "file"),
        shown(&out),
        started.elapsed().as_millis()
    );
    Ok(())
}

/// On Ctrl-C or a termination signal during a write, the staging folder is removed before the
/// process ends, so none is left behind.
pub(super) fn stop_cleanly_on_signal() {
    let _ = ctrlc::set_handler(|| {
        polis::write::abandon();
        std::process::exit(130);
    });
}
