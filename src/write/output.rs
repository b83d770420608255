//! Where the output may go: the path resolved part by part (a link inside the site folder is
//! never followed, whatever comes before it), and the folder checked to be one polis may replace:
//! made by polis and holding only the files its marker lists, empty, or not there yet.

use std::path::{Component, Path, PathBuf};

use super::{Files, MARKER, OutputFrom, WriteError, refused};
use crate::load::ARCHIVE;

const MARKER_TEXT: &str =
    "This folder is written by polis (build or export); it is replaced whole every time.\n";

/// The line of the marker after which it lists the files polis wrote, one a line: a file the list
/// does not name was put there by someone else, and polis never removes it.
const MANIFEST_HEADING: &str =
    "Files polis wrote here (polis does not replace this folder while it holds any other):\n";

/// Files that a system's file manager leaves in every folder it shows: not anyone's work.
const SYSTEM_LITTER: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// The text of the marker of an output holding `files`.
pub(super) fn marker_text(files: &Files) -> String {
    let mut text = format!("{MARKER_TEXT}{MANIFEST_HEADING}");
    for name in files.keys() {
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// Where the manifest of the output folder `out` is kept: beside it, `.public.polis-output` for
/// `public`, so that it is not published with the site (a host publishes what is in the folder,
/// and not every host leaves a dot-file out). A folder holding the marker itself (written by an
/// earlier polis, or by a build stopped between its swap and its manifest) is polis's too, and
/// its marker is the newer.
pub(super) fn manifest_path(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy();
    Some(out.parent()?.join(format!(".{name}{MARKER}")))
}

/// The text of the marker that says `out` is polis's: the one inside it, or its manifest.
fn marker_of(out: &Path) -> Option<String> {
    std::fs::read_to_string(out.join(MARKER)).ok().or_else(|| {
        let manifest = manifest_path(out)?;
        let meta = std::fs::symlink_metadata(&manifest).ok()?;
        meta.is_file()
            .then(|| std::fs::read_to_string(&manifest).ok())
            .flatten()
    })
}

/// The files in the output folder `out` that its marker does not list: someone else's, which
/// replacing the folder would delete. A marker without a list (written by an earlier polis)
/// vouches for every file.
fn files_not_written(out: &Path) -> Vec<String> {
    let Some(marker) = marker_of(out) else {
        return Vec::new();
    };
    let Some((_, list)) = marker.split_once(MANIFEST_HEADING) else {
        return Vec::new();
    };
    let written: std::collections::HashSet<&str> = list.lines().collect();
    let mut others = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy();
        if rel != MARKER && !written.contains(rel.as_str()) && !SYSTEM_LITTER.contains(&&*name) {
            others.push(rel);
        }
    }
    others
}

/// The output folder `output` as the file system will see it, every existing part resolved,
/// after checking that polis may replace it: not `/`, not the site folder or a parent of it, not
/// inside content/, themes/, archive/ or site.yaml, not through a symbolic link inside the site folder, not
/// outside the site folder unless given on the command line, and not a file, a link, a mount
/// point or a folder with files polis did not write.
pub(super) fn check_output(
    root: &Path,
    output: &Path,
    from: OutputFrom,
) -> Result<PathBuf, WriteError> {
    let site = root
        .canonicalize()
        .map_err(|e| WriteError::Io(root.to_path_buf(), e))?;
    let out = resolve(output, &site)?;
    if out.parent().is_none() {
        return Err(refused(output, "that is the root of the file system"));
    }
    if site.starts_with(&out) {
        return Err(refused(output, "it holds the site's own files"));
    }
    for source in ["content", "themes", ARCHIVE, "site.yaml"] {
        if out.starts_with(site.join(source)) {
            return Err(refused(
                output,
                format_args!("it is inside the site's {source}"),
            ));
        }
    }
    if from == OutputFrom::SiteYaml && !out.starts_with(&site) {
        return Err(refused(
            output,
            "`site.output` must be a folder inside the site folder; to write elsewhere, use --output",
        ));
    }
    let meta = match std::fs::symlink_metadata(&out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(WriteError::Io(out, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refused(
            output,
            "it is a symbolic link; give the folder it points to instead",
        ));
    }
    if !meta.is_dir() {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it is a file, not a folder that polis made; choose another --output",
            output.display()
        )));
    }
    if marker_of(&out).is_none()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it is not empty and polis did not make it; remove it or choose another --output",
            output.display()
        )));
    }
    let others = files_not_written(&out);
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(5)
            .map(|f| format!("`{}`", crate::diagnostics::printable(f)))
            .collect();
        let more = match others.len() - shown.len() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: polis made it, but it now also holds {}{more}, which polis \
             did not write and would delete; move them out of it, or choose another --output",
            output.display(),
            shown.join(", ")
        )));
    }
    if is_mount_point(&out, &meta) {
        return Err(WriteError::Refused(format!(
            "cannot replace {}: it is a mount point, and polis replaces its output folder whole; write into a folder inside \
             it instead, e.g. --output {}",
            output.display(),
            output.join("site").display()
        )));
    }
    Ok(out)
}

/// `path` made absolute and resolved part by part, as the system would open it, except that a
/// symbolic link inside `site` is refused rather than followed. Parts that do not exist yet are
/// taken as written; a `..` after them goes back through them lexically, and once it is back in
/// existing folders every later part is looked at again (`missing/../link` is the link).
fn resolve(path: &Path, site: &Path) -> Result<PathBuf, WriteError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir().map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
        cwd.canonicalize().unwrap_or(cwd).join(path)
    };
    let mut real = PathBuf::from("/");
    // How many of `real`'s last parts do not exist: those are the only ones taken as written.
    let mut missing = 0usize;
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => real.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                // Every existing part of `real` is resolved, so going up is going up on disk.
                real.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                let next = real.join(name);
                if missing > 0 {
                    real = next;
                    missing += 1;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        if real.starts_with(site) {
                            return Err(refused(
                                path,
                                format_args!(
                                    "{} is a symbolic link inside the site folder, and polis does not write through links",
                                    next.display()
                                ),
                            ));
                        }
                        // Outside the site folder a link is the user's own arrangement (`/tmp` -> `/private/tmp`).
                        real = next
                            .canonicalize()
                            .map_err(|e| WriteError::Io(next.clone(), e))?;
                    }
                    Ok(_) => real = next,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        missing = 1;
                        real = next;
                    }
                    Err(e) => return Err(WriteError::Io(next, e)),
                }
            }
        }
    }
    // The last part is looked at by the caller, which refuses a link there whoever made it.
    Ok(real)
}

#[cfg(unix)]
fn is_mount_point(out: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    out.parent()
        .and_then(|p| std::fs::metadata(p).ok())
        .is_some_and(|parent| parent.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &std::fs::Metadata) -> bool {
    false
}
