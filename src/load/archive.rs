//! Reading archive/: the versions of the policies `polis archive` recorded, one folder per date
//! (docs/archive.md).
//!
//! The archive is input like content/: read only through the site folder, never through a link,
//! each file bounded. It is history that a build republishes, so a file that cannot be read is an
//! error, not a file skipped: a version would be published without it.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Budget, MAX_STATIC_BYTES, Pool, content_name, linked_part, read_file, utf8};
use crate::diagnostics::{Code, Diagnostic, Pos, Sources};

/// The folder of the site that holds the archive.
pub const ARCHIVE: &str = "archive";

/// The file of a version that holds its facts.
pub const FACTS: &str = "facts.json";

/// One archived version: the folder `archive/<date>/` as `polis archive` wrote it.
#[derive(Debug, Clone, Default)]
pub struct Archived {
    /// The folder's name, the date the version took effect (`2026-03-01`); history checks it.
    pub name: String,
    /// Its facts (`facts.json`), parsed; `None` when they could not be read (reported).
    pub facts: Option<serde_json::Value>,
    /// The display path of the facts: `archive/2026-03-01/facts.json`.
    pub facts_path: String,
    /// The pages as published, by `(page, locale)`: `privacy.nl.html` is `("privacy", "nl")`.
    pub pages: BTreeMap<(String, String), String>,
}

/// An archived page is a page polis wrote, at most as large as a theme's static file (a page's
/// templates alone may write 32 MiB).
const MAX_PAGE_BYTES: u64 = MAX_STATIC_BYTES;

/// The facts of one version: what `polis archive` writes of the largest site.yaml polis reads
/// (4 MiB) is smaller. Parsed, facts take about twenty times their size, so the archive's facts
/// together have a bound of their own too ([`super::MAX_FACTS_BYTES`]).
const MAX_FACTS_FILE_BYTES: u64 = 16 << 20;

/// Every version under `root/archive/`, in the order of their names (oldest date first). The texts
/// of the facts files go into `sources`, so that a problem in one is shown at its line.
pub(super) fn read_archive(
    root: &Path,
    sources: &mut Sources,
    budget: &mut Budget,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Archived> {
    if let Some(link) = linked_part(root, ARCHIVE) {
        diagnostics.push(refused_link(&link));
        return Vec::new();
    }
    let mut versions = Vec::new();
    for (name, is_dir) in entries(root, ARCHIVE, diagnostics) {
        let rel = format!("{ARCHIVE}/{name}");
        // A file beside the versions (a README) is not a version; a link is refused.
        if is_dir {
            versions.push(read_version(root, &rel, name, sources, budget, diagnostics));
        }
    }
    versions
}

/// The names of the entries of the folder `rel`, sorted, each with whether it is a folder; hidden
/// ones (a staging folder of `polis archive`) are passed over, links are reported.
fn entries(root: &Path, rel: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, bool)> {
    let read = match std::fs::read_dir(root.join(rel)) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                Code::IoError,
                rel,
                Pos::default(),
                format!("cannot read {rel}: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for entry in read {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    Code::IoError,
                    rel,
                    Pos::default(),
                    format!("cannot read {rel}: {e}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_symlink() => diagnostics.push(refused_link(&format!("{rel}/{name}"))),
            Ok(t) => found.push((name, t.is_dir())),
            Err(e) => diagnostics.push(Diagnostic::error(
                Code::IoError,
                rel,
                Pos::default(),
                format!("cannot read {rel}/{name}: {e}"),
            )),
        }
    }
    found.sort();
    found
}

/// The version in the folder `rel` (`archive/2026-03-01`): its facts and its pages.
fn read_version(
    root: &Path,
    rel: &str,
    name: String,
    sources: &mut Sources,
    budget: &mut Budget,
    diagnostics: &mut Vec<Diagnostic>,
) -> Archived {
    let facts_path = format!("{rel}/{FACTS}");
    let mut version = Archived {
        name,
        facts: None,
        facts_path: facts_path.clone(),
        pages: BTreeMap::new(),
    };
    let mut has_facts = false;
    for (file, is_dir) in entries(root, rel, diagnostics) {
        let path = format!("{rel}/{file}");
        if is_dir {
            continue;
        }
        if file == FACTS {
            has_facts = true;
            let read = read_file(root, &path, MAX_FACTS_FILE_BYTES, budget, Pool::Facts);
            match read.and_then(|bytes| utf8(&path, bytes)) {
                Ok(text) => {
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(facts) => version.facts = Some(facts),
                        Err(e) => diagnostics.push(
                            Diagnostic::error(
                                Code::ArchiveInvalid,
                                &path,
                                Pos::new(e.line(), e.column(), 1),
                                format!("{path} is not JSON: {e}"),
                            )
                            .hint("an archived version is what `polis archive` wrote; restore the file from version control"),
                        ),
                    }
                    sources.insert(path, text);
                }
                Err(d) => diagnostics.push(d),
            }
        } else if let Some(page) = file
            .strip_suffix(".html")
            .and_then(|stem| content_name(&format!("{stem}.md")))
        {
            let read = read_file(root, &path, MAX_PAGE_BYTES, budget, Pool::Any);
            match read.and_then(|bytes| utf8(&path, bytes)) {
                Ok(html) => {
                    version.pages.insert(page, html);
                }
                Err(d) => diagnostics.push(d),
            }
        }
    }
    if !has_facts {
        diagnostics.push(
            Diagnostic::error(Code::ArchiveInvalid, rel, Pos::default(), format!("{rel} has no {FACTS}"))
                .hint("an archived version is what `polis archive` wrote: its facts.json and its pages; restore it from version control"),
        );
    }
    version
}

/// A link in the archive: an archived version holds the files themselves, so that nothing
/// outside the site folder is read and the history cannot change under a link.
fn refused_link(rel: &str) -> Diagnostic {
    Diagnostic::error(Code::SymlinkSkipped, rel, Pos::default(), format!("{rel} is a symbolic link; polis does not follow links"))
        .hint("the archive holds the files `polis archive` wrote; put the files themselves there instead of a link")
}
