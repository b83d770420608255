//! Writing the rendered site: into a staging folder beside the output, then swapped in, so a
//! failed or interrupted build leaves the previous output as it was. And writing a version into
//! the site's archive/ (`polis archive`), the same way: staged, then renamed into place.
//!
//! The output path is resolved part by part before anything is written: a symbolic link inside the
//! site folder is never followed (a site folder is content someone else may have written), and the
//! output must be a folder polis made, an empty folder, or nothing yet. Staging folders carry the
//! marker from their first moment and are locked while written, so the next build can tell a
//! folder left behind by a killed build from one another build is writing, and removes the first.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::load::ARCHIVE;

mod output;

use output::{check_output, manifest_path, marker_text};

/// What is written: files by path relative to the output folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The file that marks a folder as polis output, so polis never replaces a folder it did not make:
/// inside a staging folder while it is written, and then beside the output it became, named after
/// it (`.public.polis-output`), so that it is not published with the site.
pub const MARKER: &str = ".polis-output";

/// Where the output path was given: site.yaml's may only name a folder inside the site folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFrom {
    /// `site.output` in site.yaml (or its default, `public`).
    SiteYaml,
    /// `--output` on the command line: the user's own choice, anywhere but over the sources.
    CommandLine,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder would overwrite sources or something that is not ours.
    Refused(String),
    /// The file system said no.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

fn refused(shown: &Path, why: impl std::fmt::Display) -> WriteError {
    WriteError::Refused(format!(
        "refusing to write the site into {}: {why}",
        shown.display()
    ))
}

/// Writes `bytes` as the new file `name` in the folder `dir` (made when missing), and never over
/// anything already there: not a file, not a folder, not a symbolic link, even one that leads
/// nowhere (`polis init` refuses to replace a site.yaml). The file is written beside its place
/// and moved in whole, so it is never seen half written. Returns the file written.
pub fn create_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, WriteError> {
    let path = dir.join(name);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it exists",
            path.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
    let prefix = format!(".{name}.new-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // As any new file: readable by others unless the umask says otherwise (tempfile's own
    // default is the owner alone).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder
        .tempfile_in(dir)
        .map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
    file.write_all(bytes)
        .map_err(|e| WriteError::Io(path.clone(), e))?;
    // Linked in place only if the name is still free: a file made meanwhile is not replaced.
    file.persist_noclobber(&path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Refused(format!("refusing to replace {}: it exists", path.display()))
        } else {
            WriteError::Io(path.clone(), e.error)
        }
    })?;
    Ok(path)
}

/// The staging folder being written, for [`abandon`]. Every step of a write that changes the
/// file system (making the staging folder, each file, the swap) holds this lock, so that a signal
/// handler never removes the folder under a step, and no step follows its removal.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Runs one step of a write: while it runs, [`abandon`] waits.
fn step<T>(f: impl FnOnce(&mut Option<PathBuf>) -> T) -> T {
    f(&mut STAGING.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Removes the staging folder of a write in progress, once its current step is done, and lets no
/// further step run: for a signal handler, whose process ends next. (The lock stays taken, so the
/// writing thread waits at its next step until the process ends; the output stays the old one, or
/// is the new one if the swap was done.)
pub fn abandon() {
    let mut staging = STAGING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(path) = staging.take() {
        remove_tree(&path);
    }
    std::mem::forget(staging);
}

/// Writes `files` into `output`, after checking that `output` may be replaced: into a staging
/// folder beside it first, then put in its place, so that at every moment `output` holds a whole
/// site. Returns the folder written, resolved.
pub fn write(
    root: &Path,
    output: &Path,
    from: OutputFrom,
    files: &Files,
) -> Result<PathBuf, WriteError> {
    let out = check_output(root, output, from)?;
    let parent = out.parent().expect("checked: not the file-system root");
    std::fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale(parent, &name);
    // Dropped on any error below, which removes it: the output stays as it was.
    let (staging, marker) = step(|current| {
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(parent)
            .map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        *current = Some(staging.path().to_path_buf());
        // The marker first, locked while this build writes: a folder with an unlocked marker is
        // one that a killed build left behind.
        let marker_path = staging.path().join(MARKER);
        let mut marker = std::fs::File::create(&marker_path)
            .map_err(|e| WriteError::Io(marker_path.clone(), e))?;
        lock(&marker);
        marker
            .write_all(marker_text(files).as_bytes())
            .map_err(|e| WriteError::Io(marker_path.clone(), e))?;
        Ok((staging, marker))
    })
    .inspect_err(|_| step(|current| *current = None))?;
    let written = write_files(staging.path(), files).and_then(|()| {
        step(|current| {
            put_in_place(staging.path(), &out)?;
            // In place: the staging folder's name no longer exists, nothing is left to remove.
            *current = None;
            // In the same step, so that a signal does not stop the build between the two.
            keep_manifest_beside(&out, files);
            Ok(())
        })
    });
    drop(marker);
    match written {
        Ok(()) => {
            let _ = staging.keep();
            Ok(out)
        }
        Err(e) => {
            step(|current| {
                *current = None;
                drop(staging);
            });
            Err(e)
        }
    }
}

/// Moves the marker of the output `out`, just put in place, out of it: the manifest is written
/// beside the folder (whole, by a rename), then the marker inside is removed, so that what a host
/// publishes of `out` is the site alone. Until then, and if the manifest cannot be written, the
/// marker inside says the folder is polis's, as it did before.
fn keep_manifest_beside(out: &Path, files: &Files) {
    let Some(manifest) = manifest_path(out) else {
        return;
    };
    let parent = out.parent().expect("checked: not the file-system root");
    let kept = tempfile::Builder::new()
        .prefix(&format!(
            "{}.",
            manifest.file_name().unwrap_or_default().to_string_lossy()
        ))
        .tempfile_in(parent)
        .and_then(|mut file| {
            file.write_all(marker_text(files).as_bytes())?;
            Ok(file)
        })
        .and_then(|file| file.persist(&manifest).map_err(|e| e.error));
    if kept.is_ok() {
        let _ = std::fs::remove_file(out.join(MARKER));
    }
}

/// Records a version in the site's archive: `files` (by name) into `archive/<date>/` of the site in
/// `root`, a folder that must not exist yet (an archived version is never replaced). Written into
/// a staging folder inside archive/ first and renamed into place in one step, so that archive/
/// never holds half a version; archive/ itself is never followed through a link. Returns the
/// folder written.
pub fn archive(root: &Path, date: &str, files: &Files) -> Result<PathBuf, WriteError> {
    let site = root
        .canonicalize()
        .map_err(|e| WriteError::Io(root.to_path_buf(), e))?;
    let dir = site.join(ARCHIVE);
    let shown = Path::new(ARCHIVE).join(date);
    let refuse = |why: &str| {
        WriteError::Refused(format!(
            "refusing to archive the version into {}: {why}",
            shown.display()
        ))
    };
    if date.is_empty() || !date.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(refuse(
            "a version is named after the date it took effect, YYYY-MM-DD",
        ));
    }
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(
                "archive/ is a symbolic link, and polis does not write through links",
            ));
        }
        Ok(meta) if !meta.is_dir() => return Err(refuse("archive is a file, not a folder")),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?
        }
        Err(e) => return Err(WriteError::Io(dir, e)),
    }
    let target = dir.join(date);
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(refuse(
            "it exists already, and an archived version is never replaced",
        ));
    }
    remove_stale_archives(&dir);
    // Dropped on any error below, which removes it: archive/ stays as it was.
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{date}.staging-"))
        .tempdir_in(&dir)
        .map_err(|e| WriteError::Io(dir.clone(), e))?;
    step(|current| *current = Some(staging.path().to_path_buf()));
    // Marked and locked while written, as a build's staging folder is, so that the next run can
    // tell one a killed run left from one being written; the marker goes once it is in place.
    let marker_path = staging.path().join(MARKER);
    let marker = std::fs::File::create(&marker_path)
        .map_err(|e| WriteError::Io(marker_path.clone(), e))
        .inspect(lock);
    let written = marker.and_then(|_marker| {
        write_files(staging.path(), files)?;
        step(|current| {
            rename_new(staging.path(), &target).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => refuse("another run archived it meanwhile"),
                _ => WriteError::Io(target.clone(), e),
            })?;
            *current = None;
            Ok(())
        })?;
        // (Hidden, so a version that a kill left with it still reads as the version.)
        let _ = std::fs::remove_file(target.join(MARKER));
        Ok(())
    });
    if let Err(e) = written {
        step(|current| {
            *current = None;
            drop(staging);
        });
        return Err(e);
    }
    // In place: the staging folder's name no longer exists, nothing to remove.
    let _ = staging.keep();
    Ok(target)
}

/// Renames `from` to `to`, which must not exist, in one step where the system allows it.
#[cfg(target_os = "linux")]
fn rename_new(from: &Path, to: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn rename_new(from: &Path, to: &Path) -> std::io::Result<()> {
    if to.exists() {
        return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
    }
    std::fs::rename(from, to)
}

/// Writes each file into `dir`, one [`step`] each.
fn write_files(dir: &Path, files: &Files) -> Result<(), WriteError> {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        step(|_| {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
            }
            let mut file =
                std::fs::File::create(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
            file.write_all(bytes)
                .map_err(|e| WriteError::Io(path.clone(), e))
        })?;
    }
    Ok(())
}

/// Removes what earlier builds of `name` left in `parent` when they were killed: staging folders
/// and replaced outputs that carry the marker and that no running build holds locked.
fn remove_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    remove_left_behind(parent, |n| {
        prefixes.iter().any(|p| n.starts_with(p.as_str()))
    });
}

/// Removes the staging folders that killed runs of `polis archive` left in `archive`.
fn remove_stale_archives(archive: &Path) {
    remove_left_behind(archive, |n| n.starts_with('.') && n.contains(".staging-"));
}

/// Removes each folder in `dir` whose name `left_behind` accepts, that carries the marker, and
/// whose marker no running build or archive holds locked.
fn remove_left_behind(dir: &Path, left_behind: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if !left_behind(&file_name.to_string_lossy())
            || !entry.file_type().is_ok_and(|t| t.is_dir())
        {
            continue;
        }
        let Ok(marker) = std::fs::File::open(entry.path().join(MARKER)) else {
            continue;
        };
        if try_lock(&marker) {
            remove_tree(&entry.path());
        }
    }
}

/// Holds an exclusive lock on `file` until it is closed (the system releases it when the process
/// ends, however it ends).
#[cfg(unix)]
fn lock(file: &std::fs::File) {
    let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive);
}

/// Whether the lock on `file` could be taken: no running build holds it.
#[cfg(unix)]
fn try_lock(file: &std::fs::File) -> bool {
    rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
}

#[cfg(not(unix))]
fn lock(_: &std::fs::File) {}

#[cfg(not(unix))]
fn try_lock(_: &std::fs::File) -> bool {
    false
}

/// Puts the staged site in the place of the output: in one step where the system allows it.
fn put_in_place(staged: &Path, out: &Path) -> Result<(), WriteError> {
    let parent = out.parent().expect("checked: not the file-system root");
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if out.exists() && swap(staged, out).is_ok() {
        // The old output is now where the staging folder was.
        remove_tree(staged);
        return Ok(());
    }
    // No atomic swap here (another system, or a file system without it): two renames, with the
    // old output put back if the second fails.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
    }
    if let Err(e) = std::fs::rename(staged, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    if had_old {
        remove_tree(&old);
    }
    Ok(())
}

/// Removes a folder that polis wrote, and that someone may since have made read-only (a
/// replaced output, a staging folder): its folders are made writable for their owner first, so
/// that no copy is left behind at every build. Best effort: what cannot be removed stays, and the
/// next build tries again.
fn remove_tree(path: &Path) {
    if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
        return;
    }
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(path)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        use std::os::unix::fs::PermissionsExt;
        if entry.file_type().is_dir()
            && let Ok(meta) = entry.metadata()
        {
            let mut permissions = meta.permissions();
            permissions.set_mode(permissions.mode() | 0o700);
            let _ = std::fs::set_permissions(entry.path(), permissions);
        }
    }
    let _ = std::fs::remove_dir_all(path);
}

/// Exchanges two folders in one step, so that at every moment `out` holds a whole site.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
