//! Hostile output paths: every way of naming a folder through a symbolic link that the site folder
//! holds is refused, whatever comes before the link (a folder that does not exist yet, `..`, a way
//! out of the site folder and back in), for `build` and for every `export` format.

mod support;

use support::*;

/// A site with `lnk`, a link to a folder outside it holding a file to keep, and `up`, a link to
/// the site's parent folder.
#[cfg(unix)]
fn site_with_links() -> (TestSite, tempfile::TempDir) {
    let site = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join(".bashrc"), "keep me").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("lnk")).unwrap();
    std::os::unix::fs::symlink("..", site.path("up")).unwrap();
    (site, outside)
}

/// The paths that reach `lnk` (or `up`) by a detour.
#[cfg(unix)]
fn detours(site: &TestSite) -> Vec<String> {
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    vec![
        "nonexist/../lnk/pwned".to_owned(),
        "a/b/c/../../../lnk/pwned".to_owned(),
        "./nonexist/./../lnk".to_owned(),
        format!("../{name}/lnk/pwned"),
        format!("../{name}/nonexist/../lnk/pwned"),
        format!("nonexist/../../{name}/lnk/pwned"),
        "up/pwned".to_owned(),
        "nonexist/../up/pwned".to_owned(),
    ]
}

#[cfg(unix)]
fn assert_nothing_written(outside: &std::path::Path, parent: &std::path::Path, what: &str) {
    let left: Vec<String> = std::fs::read_dir(outside)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [".bashrc"], "{what}");
    assert!(!parent.join("pwned").exists(), "{what}");
}

#[cfg(unix)]
#[test]
fn no_build_is_written_through_a_link_by_a_detour() {
    let (site, outside) = site_with_links();
    for output in detours(&site) {
        let out = site.polis(&["build", "--output", &output]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--output {output}: {stderr}");
        assert!(
            stderr.contains(
                "is a symbolic link inside the site folder, and polis does not write through links"
            ),
            "--output {output}: {stderr}"
        );
        assert_nothing_written(outside.path(), site.root().parent().unwrap(), &output);
    }
}

#[cfg(unix)]
#[test]
fn no_export_is_written_through_a_link_by_a_detour() {
    let (site, outside) = site_with_links();
    for format in ["markdown", "fragment", "json", "register"] {
        for output in detours(&site) {
            let out = site.polis(&["export", format, "--output", &output]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{format} --output {output}: {stderr}"
            );
            assert!(
                stderr.contains("polis does not write through links"),
                "{format} --output {output}: {stderr}"
            );
            assert_nothing_written(outside.path(), site.root().parent().unwrap(), &output);
        }
    }
}

/// A detour that ends in a real folder is still a folder: `missing/../public` is `public`.
#[test]
fn a_detour_through_a_missing_folder_to_a_real_place_is_written() {
    let site = fixture("minimal");
    let out = site.polis(&["build", "--output", "nonexist/../public"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path("public/.polis-output").is_file());
    assert!(!site.path("nonexist").exists());
}
