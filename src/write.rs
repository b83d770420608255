//! Writing the rendered site: into a staging folder beside the output, then swapped in, so a
//! failed or interrupted build leaves the previous output as it was.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::render::Rendered;

/// The file that marks a folder as polis output, so polis never replaces a folder it did not make.
pub const MARKER: &str = ".polis-output";

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

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    // Resolve symbolic links where the path exists, so `out -> .` is seen for what it is.
    abs.canonicalize().unwrap_or_else(|_| normalize(&abs))
}

/// Refuses an output folder that would destroy sources: `/`, the site folder or a parent of it,
/// or a folder inside content/ or themes/.
pub fn check_output(root: &Path, output: &Path) -> Result<(), WriteError> {
    let root = absolute(root);
    let out = absolute(output);
    let shown = output.display();
    if out.parent().is_none() {
        return Err(WriteError::Refused(format!("refusing to write the site into {shown}: that is the root of the file system")));
    }
    if root.starts_with(&out) {
        return Err(WriteError::Refused(format!("refusing to write the site into {shown}: it holds the site's own files")));
    }
    for source in ["content", "themes", "site.yaml"] {
        if out.starts_with(root.join(source)) {
            return Err(WriteError::Refused(format!("refusing to write the site into {shown}: it is inside the site's {source}")));
        }
    }
    if out.is_dir() && !out.join(MARKER).exists() && std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(WriteError::Refused(format!(
            "refusing to replace {shown}: it is not empty and polis did not make it; remove it or choose another --output"
        )));
    }
    Ok(())
}

/// Writes `rendered` into `output`, after checking that `output` may be replaced: into a staging
/// folder beside it first, then put in its place, so that at every moment `output` holds a whole site.
pub fn write(root: &Path, output: &Path, rendered: &Rendered) -> Result<(), WriteError> {
    check_output(root, output)?;
    let out = absolute(output);
    let parent = out.parent().expect("checked: not the file-system root");
    std::fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Dropped on any error below, which removes it: the output stays as it was.
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(parent)
        .map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    for (rel, bytes) in &rendered.files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        }
        let mut file = std::fs::File::create(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
        file.write_all(bytes).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    std::fs::write(staging.path().join(MARKER), "This folder is written by polis build; it is replaced on every build.\n")
        .map_err(|e| WriteError::Io(staging.path().to_path_buf(), e))?;
    put_in_place(staging.keep(), &out)
}

/// Puts the staged site in the place of the output: in one step where the system allows it.
fn put_in_place(staged: PathBuf, out: &Path) -> Result<(), WriteError> {
    let parent = out.parent().expect("checked: not the file-system root");
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if out.exists() && swap(&staged, out).is_ok() {
        // The old output is now where the staging folder was.
        let _ = std::fs::remove_dir_all(&staged);
        return Ok(());
    }
    // No atomic swap here (another system, or a file system without it): two renames, with the
    // old output put back if the second fails.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old && let Err(e) = std::fs::rename(out, &old) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    if let Err(e) = std::fs::rename(&staged, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
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
