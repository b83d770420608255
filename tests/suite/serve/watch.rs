//! What the server sees change: files deleted and made again, folders made later, archive/, a
//! folder replaced at once, and an event stream opened late.

use super::*;

#[test]
fn deleted_and_recreated_files_are_caught_up_with() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let start = server.get(PRIVACY_NL);
    assert_eq!(start.status, 200);

    // content/ gone: polis falls back to the texts it ships, which are the example's.
    std::fs::remove_dir_all(site.path("content")).expect("remove content/");
    let without = server.wait_for_build_after(PRIVACY_NL, start.generation());
    assert!(!without.has_overlay(), "{}", without.text());
    assert_eq!(
        take_apart(&without.text()).page,
        take_apart(&start.text()).page
    );

    // content/ back, with an edit made while it was away.
    let sentence = "Deze zin stond in de teruggezette map.";
    let stash = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&Path::new(REPO).join("content"), stash.path());
    let mut text = std::fs::read_to_string(stash.path().join("privacy.nl.md")).expect("read");
    append(&mut text, sentence);
    std::fs::write(stash.path().join("privacy.nl.md"), text).expect("write");
    copy_dir(stash.path(), &site.path("content"));
    server.wait_for(PRIVACY_NL, "the restored content/", |r| {
        r.text().contains(sentence)
    });

    // And the restored folder is watched again.
    let later = "Deze zin kwam later in de teruggezette map.";
    site.edit("content/privacy.nl.md", |t| append(t, later));
    server.wait_for(PRIVACY_NL, "an edit in the restored content/", |r| {
        r.text().contains(later)
    });

    // site.yaml gone: the build fails, the last good page stays with the overlay naming it.
    let good_yaml = site.read("site.yaml");
    std::fs::remove_file(site.path("site.yaml")).expect("remove site.yaml");
    let broken = server.wait_for(
        PRIVACY_NL,
        "the overlay for a missing site.yaml",
        Response::has_overlay,
    );
    assert_eq!(broken.status, 200);
    let served = take_apart(&broken.text());
    assert!(served.page.contains(later), "the last good page is served");
    assert!(served.overlay.expect("an overlay").contains("site.yaml"));

    // site.yaml back, with a new company name: the server caught up.
    let mut renamed = good_yaml.clone();
    replace(&mut renamed, "trade_name: Lumen", "trade_name: Lumière");
    site.write("site.yaml", &renamed);
    let back = server.wait_for(PRIVACY_NL, "the restored site.yaml", |r| {
        !r.has_overlay() && r.text().contains("Lumière")
    });
    assert!(back.text().contains(later));
}

#[test]
fn a_theme_folder_created_later_is_watched() {
    let site = Site::new(false);
    let server = Server::start(&site);
    let before = server.get("/style.css");
    assert_eq!(before.status, 200);

    // The site's own style.css replaces the shipped one.
    let css = format!("{}\n/* the site's own */\n", before.text());
    std::fs::create_dir_all(site.path("themes/default/static")).expect("create themes/");
    site.write("themes/default/static/style.css", &css);
    server.wait_for("/style.css", "the site's own style.css", |r| {
        r.text() == css
    });

    // And edits inside the new folder count.
    let edited = format!("{css}/* edited */\n");
    site.write("themes/default/static/style.css", &edited);
    server.wait_for("/style.css", "the edited style.css", |r| r.text() == edited);
}

#[test]
fn the_archive_is_served_and_watched() {
    let site = Site::new(false);
    let server = Server::start(&site);
    // archive/ made while serving, then the date moved: the earlier version is served beside the
    // current one, with its notice.
    let archived = Command::new(POLIS)
        .args(["archive", "--root"])
        .arg(site.root())
        .output()
        .expect("run polis archive");
    assert!(
        archived.status.success(),
        "polis archive failed:\n{}",
        String::from_utf8_lossy(&archived.stderr)
    );
    site.edit("site.yaml", |y| {
        replace(
            y,
            "effective_date: 2026-03-01 ",
            "effective_date: 2026-04-01 ",
        )
    });
    let old = server.wait_for(
        "/nl/privacyverklaring/2026-03-01/",
        "the archived version",
        |r| r.status == 200,
    );
    assert!(
        old.text()
            .contains("Deze versie gold van 1 maart 2026 tot 1 april 2026."),
        "{}",
        old.text()
    );
    assert_eq!(server.get("/nl/privacyverklaring/versions/").status, 200);

    // A change inside archive/ is a change of the site.
    site.write("archive/2026-03-01/privacy.nl.html", "no body");
    server.wait_for(PRIVACY_NL, "the overlay for the broken archive", |r| {
        r.has_overlay()
    });
}

// The next three tests were bugs of `polis serve`; each says what went wrong.

#[test]
fn serve_in_the_site_folder_rebuilds_on_changes() {
    // notify reports absolute paths (it joins a relative watch path to the current folder), and
    // watch::is_source strips the root as given (`.`) from them: nothing is a source, nothing is
    // rebuilt. `polis serve` run in the site folder, as the README says, never reloads.
    let site = Site::new(true);
    let server = Server::start_in(&site);
    assert_eq!(server.get(PRIVACY_NL).status, 200);
    let sentence = "Deze zin kwam erbij terwijl polis in de map draaide.";
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    server.wait_for(PRIVACY_NL, "the new sentence", |r| {
        r.text().contains(sentence)
    });
}

#[test]
fn content_replaced_at_once_is_still_watched() {
    // `rm -rf content && cp -r backup content` (or `mv`): both happen within one 30 ms burst, so
    // when watch::rewatch runs, content/ is a folder and in `watched`, and it is not watched
    // again, though the watch was on the removed folder. Every later edit in content/ is missed.
    let site = Site::new(true);
    let server = Server::start(&site);
    let start = server.get(PRIVACY_NL);
    let stash = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&site.path("content"), stash.path());
    std::fs::remove_dir_all(site.path("content")).expect("remove content/");
    copy_dir(stash.path(), &site.path("content"));
    server.wait_for_build_after(PRIVACY_NL, start.generation());

    let sentence = "Deze zin kwam na het terugzetten van de map.";
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    server.wait_for(PRIVACY_NL, "an edit in the replaced content/", |r| {
        r.text().contains(sentence)
    });
}

#[test]
fn a_late_event_stream_learns_of_the_current_build() {
    // A page is served with the generation it shows; its script opens the event stream only when
    // it runs, after the page (and its style sheet) loaded. A build finished in between is never
    // announced to it: `events` only forwards builds that happen after it subscribed. Two saves
    // in a row (format-on-save, or breaking and at once fixing site.yaml) leave the tab showing
    // the first, for instance the overlay of a build that was fixed since. Sending the current
    // generation first on every new stream fixes it; the script already ignores its own.
    let site = Site::new(true);
    let server = Server::start(&site);
    let tab = server.get(PRIVACY_NL);
    site.edit("content/privacy.nl.md", |t| {
        append(t, "Deze zin kwam terwijl de tab laadde.")
    });
    let current = server
        .wait_for_build_after(PRIVACY_NL, tab.generation())
        .generation();

    let mut events = server.events();
    assert_eq!(
        events.next_reload(),
        current,
        "a new stream should hear of the build it missed"
    );
}
