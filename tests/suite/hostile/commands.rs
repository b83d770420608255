//! The commands other than build under attack, each on the files it writes: init through a link
//! planted where its files go, archive through a link in archive/, export into the sources.

use super::*;

/// A folder outside the site, holding one file that must stay as it is.
#[cfg(unix)]
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep"), "keep me").unwrap();
    dir
}

/// What is in `dir`, by name.
#[cfg(unix)]
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `polis init` where site.yaml, or the schema beside it, is a link (dangling or not) to a file
/// outside the folder: nothing is written through it.
#[cfg(unix)]
#[test]
fn init_writes_nothing_through_a_planted_link() {
    for (planted, target) in [
        ("site.yaml", "new"),
        ("site.yaml", "keep"),
        ("site.schema.json", "new"),
        ("site.schema.json", "keep"),
    ] {
        let away = outside();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(away.path().join(target), dir.path().join(planted)).unwrap();
        let out = polis_command(dir.path())
            .args(["init", ".", "--country", "NL", "--locales", "nl,en"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let what = format!("{planted} -> {target}");
        if planted == "site.yaml" {
            assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        }
        assert_eq!(names(away.path()), ["keep"], "{what}");
        assert_eq!(
            std::fs::read_to_string(away.path().join("keep")).unwrap(),
            "keep me",
            "{what}"
        );
    }
}

/// `polis archive` where archive/, or the folder of the date it would write, is a link out of the
/// site: refused, and nothing is written there.
#[cfg(unix)]
#[test]
fn archive_writes_nothing_through_a_link() {
    for linked in ["archive", "archive/2026-03-01"] {
        let site = example();
        let away = outside();
        std::fs::create_dir_all(site.path(linked).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(away.path(), site.path(linked)).unwrap();
        let out = site.polis(&["archive"]);
        assert_ne!(out.status.code(), Some(0), "{linked}: {out:?}");
        assert_eq!(names(away.path()), ["keep"], "{linked}");
    }
}

/// `polis export` into the site's own folders (the archive among them) is refused, in every
/// format, and they stay as they were.
#[test]
fn export_into_the_sources_is_refused() {
    let site = example();
    assert_eq!(site.polis(&["archive"]).status.code(), Some(0));
    let before = site.tree(".");
    for (format, target) in [
        ("markdown", "archive"),
        ("fragment", "content"),
        ("json", "themes"),
        ("register", "."),
    ] {
        let out = site.polis(&[
            "export",
            format,
            "--output",
            &site.path(target).to_string_lossy(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{format} into {target}: {out:?}"
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "{format} into {target}: {out:?}"
        );
    }
    assert_eq!(site.tree("."), before, "the sources are unchanged");
}
