//! `polis export`: the policies or their facts in another tool's format.

use std::path::{Path, PathBuf};

use polis::cli::ExportFormat;
use polis::write::OutputFrom;

use super::{Failure, counted, exit_code, pipeline, refuse_on_errors, shown};

/// Writes `format` of the site in `root` into `output` (default: export/<format>) when it has no
/// errors; with `quiet`, prints its problems only.
pub(super) fn export(
    root: &Path,
    format: ExportFormat,
    output: Option<PathBuf>,
    id_prefix: Option<String>,
    quiet: bool,
) -> Result<(), Failure> {
    if id_prefix.is_some() && format != ExportFormat::Fragment {
        return Err(Failure::Usage(format!(
            "--id-prefix is for `polis export fragment`; `{}` writes no HTML ids",
            format.name()
        )));
    }
    let options = polis::export::Options {
        id_prefix: id_prefix.unwrap_or_default(),
    };
    let at = root.to_path_buf();
    let outcome = pipeline(
        root,
        polis::run_for_export,
        Box::new(move |outcome| exit_code(refuse_on_errors("export", &at, outcome))),
    );
    refuse_on_errors("export", root, outcome)?;
    let Some(facts) = &outcome.facts else {
        unreachable!("run_for_export keeps the facts of a site without errors")
    };
    let files = match polis::export::export(
        format,
        &options,
        facts,
        &outcome.rendered,
        &outcome.diagnostics,
    ) {
        Ok(files) => files,
        Err(e) => {
            eprintln!(
                "export failed: {}; nothing was written",
                polis::diagnostics::printable(&e.to_string())
            );
            return Err(Failure::Problems);
        }
    };
    let (out, from) = match output {
        Some(out) => (out, OutputFrom::CommandLine),
        None => (
            root.join("export").join(format.name()),
            OutputFrom::SiteYaml,
        ),
    };
    polis::write::write(root, &out, from, &files).map_err(Failure::Write)?;
    if quiet {
        return Ok(());
    }
    for name in files.keys().filter(|n| !n.starts_with('.')) {
        println!("  {name}");
    }
    println!("wrote {} to {}", counted(files.len(), "file"), shown(&out));
    Ok(())
}
