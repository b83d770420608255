//! Watching site.yaml, content/, the themes and the archive, and rebuilding after each burst of
//! changes.
//!
//! The site folder itself is watched without recursion (site.yaml, and content/, themes/ or
//! archive/ being created or removed); content/, themes/ and archive/ recursively. When a watched folder disappears and
//! comes back, the next event re-adds its watch, so editors that save by rename, and folders
//! deleted and restored, are caught up with.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Shared;

const WATCHED_DIRS: &[&str] = &["content", "themes", crate::load::ARCHIVE];

/// Starts watching the site of `shared` on a thread of its own, rebuilding once each burst of
/// changes has been quiet for `debounce`.
pub(crate) fn start(shared: Arc<Shared>, debounce: Duration) -> notify::Result<()> {
    // notify reports absolute paths; a relative root (`.`) must be absolute to match them.
    let root = shared
        .root
        .canonicalize()
        .unwrap_or_else(|_| shared.root.clone());
    let (events, received) = std::sync::mpsc::channel::<DebounceEventResult>();
    // The debouncer looks at its queue every tick: often enough that the tick adds little to the
    // quiet time, never busier than once a millisecond.
    // (notify wants a quiet time of at least one tick: `--debounce 0` means one millisecond.)
    let debounce = debounce.max(Duration::from_millis(1));
    let tick = (debounce / 3).clamp(Duration::from_millis(1), Duration::from_millis(10));
    let mut debouncer = new_debouncer(debounce, Some(tick), events)?;
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched = Vec::new();
    rewatch(&root, &mut debouncer, &mut watched);
    std::thread::spawn(move || {
        for result in received {
            let Ok(events) = result else { continue };
            // Reading a file is an event too (inotify's open/close): only changes count, or each
            // build would start the next.
            let changed: Vec<&PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .collect();
            let relevant = changed.iter().any(|p| is_source(&root, p));
            // A watched folder removed and put back within one burst: its watch is on the folder
            // that is gone, so watch the new one afresh.
            for dir in WATCHED_DIRS {
                let path = root.join(dir);
                if changed.contains(&&path) && watched.contains(&path) {
                    let _ = debouncer.unwatch(&path);
                    watched.retain(|p| p != &path);
                }
            }
            rewatch(&root, &mut debouncer, &mut watched);
            if relevant {
                shared.rebuild();
            }
        }
    });
    Ok(())
}

/// Watches the source folders that exist now and are not watched yet; forgets vanished ones.
fn rewatch(
    root: &Path,
    debouncer: &mut Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: &mut Vec<PathBuf>,
) {
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        let is_watched = watched.contains(&path);
        if path.is_dir() && !is_watched {
            if debouncer.watch(&path, RecursiveMode::Recursive).is_ok() {
                watched.push(path);
            }
        } else if !path.is_dir() && is_watched {
            let _ = debouncer.unwatch(&path);
            watched.retain(|p| p != &path);
        }
    }
}

/// Whether a changed path is something the build reads (not public/, target/ or editor litter).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let litter = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp");
    (first == "site.yaml" || WATCHED_DIRS.contains(&first.as_str())) && !litter
}
