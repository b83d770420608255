//! `polis archive`: the version now in effect, recorded in archive/<date>/.

use std::path::Path;

use super::{Failure, build, exit_code, pipeline, refuse_on_errors, shown};

/// Records the version in effect of the site in `root` when it has no errors, and says what was
/// written. The same facts archived already is not an error: nothing to do.
/// With `quiet`, prints its problems only.
pub(super) fn archive(root: &Path, quiet: bool) -> Result<(), Failure> {
    build::stop_cleanly_on_signal();
    let at = root.to_path_buf();
    let outcome = pipeline(
        root,
        polis::run_to_archive,
        Box::new(move |outcome| exit_code(refuse_on_errors("archive", &at, outcome))),
    );
    refuse_on_errors("archive", root, outcome)?;
    let Some(version) = &outcome.version else {
        unreachable!("run_to_archive gives the version in effect")
    };
    if version.archived {
        if quiet {
            return Ok(());
        }
        println!(
            "archive/{} holds this version already, with the same facts: nothing to do",
            version.date
        );
        return Ok(());
    }
    let dir = polis::write::archive(root, &version.date, &version.files).map_err(Failure::Write)?;
    if quiet {
        return Ok(());
    }
    for name in version.files.keys() {
        println!("  archive/{}/{name}", version.date);
    }
    println!(
        "archived the version of {} in {}; commit it",
        version.date,
        shown(&dir)
    );
    Ok(())
}
