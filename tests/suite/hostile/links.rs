//! Where polis reads, links, devices and FIFOs are not followed: reported where they are, and not
//! read (an endless device or a FIFO no one writes to would never end). Unix only: links and FIFOs
//! are made with its calls.

use super::*;

#[test]
fn symlinks_in_content_are_not_followed() {
    let site = fixture("minimal");
    std::fs::create_dir_all(site.path("content")).unwrap();
    std::os::unix::fs::symlink(site.path("content"), site.path("content/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/privacy.nl.md")).unwrap();
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[
            ("symlink-skipped", "content/loop", 0),
            ("symlink-skipped", "content/privacy.nl.md", 0),
        ],
    );
    assert!(
        !page(&outcome, "privacy", "nl").html.contains("root:"),
        "a linked file was read"
    );
    insta::assert_snapshot!(check::check_output(&site));
}

/// site.yaml as a link to an endless device, or as a FIFO no one writes to: an answer at once.
#[test]
fn site_yaml_that_is_a_link_a_device_or_a_fifo_is_not_read() {
    let site = fixture("minimal");
    site.remove(SITE);
    std::os::unix::fs::symlink("/dev/zero", site.path(SITE)).unwrap();
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(
        codes(&outcome),
        ["symlink-skipped"],
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(
        outcome.diagnostics[0].message,
        "site.yaml is a symbolic link; polis does not follow links"
    );

    site.remove(SITE);
    let made = std::process::Command::new("mkfifo")
        .arg(site.path(SITE))
        .status()
        .unwrap();
    assert!(made.success());
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(
        codes(&outcome),
        ["unsafe-path"],
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(
        outcome.diagnostics[0].message,
        "site.yaml is not a regular file"
    );
}

/// content/ and themes/ as links out of the site folder: reported, and not read.
#[test]
fn content_and_themes_that_are_links_are_not_read() {
    let site = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("privacy.nl.md"),
        "---\ntitle: Gelezen van buiten\n---\nBuiten de site.\n",
    )
    .unwrap();
    std::fs::create_dir_all(outside.path().join("default/templates")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("themes")).unwrap();
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[
            ("symlink-skipped", "content", 0),
            ("symlink-skipped", "themes", 0),
        ],
    );
    assert!(
        !page(&outcome, "privacy", "nl")
            .html
            .contains("Buiten de site"),
        "content/ was read through the link"
    );
}
