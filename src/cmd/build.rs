//! `polis build`: the pages of the site, written into the output folder when it has no errors.

use std::path::{Path, PathBuf};
use std::time::Instant;

use polis::write::OutputFrom;

use super::{Failure, exit_code, pipeline, refuse_on_errors, shown};

/// Builds the site in `root` into `output` (default: site.yaml's `site.output`).
pub(super) fn build(root: &Path, output: Option<PathBuf>) -> Result<(), Failure> {
    let started = Instant::now();
    stop_cleanly_on_signal();
    let outcome = pipeline(
        root,
        polis::run,
        Box::new(|outcome| exit_code(refuse_on_errors("build", outcome))),
    );
    refuse_on_errors("build", outcome)?;
    let (out, from) = match output {
        Some(out) => (out, OutputFrom::CommandLine),
        None => (root.join(&outcome.output), OutputFrom::SiteYaml),
    };
    polis::write::write(root, &out, from, &outcome.rendered.files).map_err(Failure::Write)?;
    for page in &outcome.rendered.pages {
        println!(
            "  {}  ({} {}, from {})",
            page.url, page.name, page.locale, page.source
        );
    }
    println!(
        "wrote {} pages ({} files) to {} in {} ms",
        outcome.rendered.pages.len(),
        outcome.rendered.files.len(),
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
