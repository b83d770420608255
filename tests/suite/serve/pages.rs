//! What the server serves, and how it stops: the built pages with the reload script, an edit
//! announced, the last good page under an overlay while the site is broken, Ctrl-C and SIGTERM
//! (which end a rebuild under way too).

use super::*;

#[test]
fn serves_the_pages_with_the_reload_script() {
    let site = Site::new(false);
    let server = Server::start(&site);

    for path in [
        "/",
        PRIVACY_NL,
        PRIVACY_EN,
        "/nl/cookiebeleid/",
        "/en/cookie-policy/",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "GET {path}\n{}", server.log());
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8"),
            "GET {path}"
        );
        assert_eq!(
            response.header("cache-control"),
            Some("no-store"),
            "GET {path}"
        );
        let text = response.text();
        assert!(
            text.contains("Lumen"),
            "GET {path} does not name the company:\n{text}"
        );
        let served = take_apart(&text);
        assert!(
            served.overlay.is_none(),
            "GET {path}: an overlay on a good build:\n{text}"
        );
        assert!(
            !served.page.contains("EventSource"),
            "GET {path}: a second script"
        );
    }
    let privacy = server.get(PRIVACY_NL).text();
    assert!(
        privacy.contains("Atelier Lumen"),
        "the privacy page names the legal name"
    );

    // Not HTML: served as it is, without a script.
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("<script"));

    // HEAD: the headers of GET, no body.
    let head = server.request("HEAD", PRIVACY_NL);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(head.body.is_empty(), "HEAD answered with a body");

    // Unknown pages: a 404 page that still reloads, so it turns into the page once it exists.
    let missing = server.get("/nl/bestaat-niet/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("/nl/bestaat-niet/"));
    take_apart(&missing.text());

    // The site's sources are not served: only what a build writes is.
    for path in [
        "/site.yaml",
        "/content/privacy.nl.md",
        "/themes/default/templates/page.html",
    ] {
        let response = server.get(path);
        assert_eq!(
            response.status,
            404,
            "GET {path} should be a 404:\n{}",
            response.text()
        );
        assert!(
            !response.text().contains("legal_name"),
            "GET {path} leaks site.yaml"
        );
    }
}

#[test]
fn a_content_edit_shows_up_and_is_announced() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let before = server.get(PRIVACY_NL);
    assert_eq!(before.status, 200);
    let sentence = "Deze zin is net toegevoegd door de test.";
    assert!(!before.text().contains(sentence));

    let mut events = server.events();
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    let announced = events.reload_after(before.generation());

    let after = server.wait_for(PRIVACY_NL, "the new sentence", |r| {
        r.text().contains(sentence)
    });
    assert_eq!(after.status, 200);
    assert!(
        after.generation() >= announced,
        "the page of build #{} after the event for #{announced}",
        after.generation()
    );
    assert!(!after.has_overlay());
    // The English page has its own text.
    assert!(!server.get(PRIVACY_EN).text().contains(sentence));

    // Saved the way many editors save: a new file renamed over the old one.
    let second = "En deze zin kwam er via een hernoemd bestand bij.";
    let mut text = site.read("content/privacy.nl.md");
    append(&mut text, second);
    let tmp = site.path("content/.privacy.nl.md.swp-new");
    std::fs::write(&tmp, text).expect("write the new version");
    std::fs::rename(&tmp, site.path("content/privacy.nl.md")).expect("rename it over the old one");
    let after = server.wait_for(PRIVACY_NL, "the sentence saved by rename", |r| {
        r.text().contains(second)
    });
    assert!(after.text().contains(sentence));
}

#[test]
fn a_broken_site_yaml_keeps_the_last_good_page_under_an_overlay() {
    let site = Site::new(false);
    let server = Server::start(&site);
    let good = server.get(PRIVACY_NL);
    assert_eq!(good.status, 200);
    let good_page = take_apart(&good.text()).page;

    let (good_yaml, line, column) = break_site_yaml(&site, "bogus_key");
    let broken = server.wait_for(PRIVACY_NL, "the overlay", Response::has_overlay);
    assert_eq!(broken.status, 200, "the last good page is still served");
    let served = take_apart(&broken.text());
    assert_eq!(
        served.page, good_page,
        "under the overlay, the last good page, unchanged"
    );
    let overlay = served.overlay.expect("an overlay");
    assert!(
        overlay.starts_with("<div id=\"polis-overlay\" role=\"alert\""),
        "{overlay}"
    );
    for needle in [
        format!("site.yaml:{line}:{column}"),
        "unknown-key".into(),
        "bogus_key".into(),
    ] {
        assert!(
            overlay.contains(&needle),
            "the overlay should mention `{needle}`:\n{overlay}"
        );
    }
    assert!(
        broken.generation() > good.generation(),
        "the page tells a new build from the old one"
    );
    // Every page carries it, the 404 page too.
    for path in ["/", PRIVACY_EN, "/nl/bestaat-niet/"] {
        assert!(
            server.get(path).has_overlay(),
            "GET {path} has no overlay while the build is broken"
        );
    }
    assert!(
        server.log().contains("unknown-key"),
        "the server prints the problem too:\n{}",
        server.log()
    );

    site.write("site.yaml", &good_yaml);
    let fixed = server.wait_for(PRIVACY_NL, "the overlay to go", |r| {
        r.status == 200 && !r.has_overlay()
    });
    let served = take_apart(&fixed.text());
    assert_eq!(served.page, good_page);
    assert!(fixed.generation() > broken.generation());
    assert!(!server.get("/").has_overlay());
}

#[test]
fn served_pages_are_the_built_pages_plus_the_script() {
    let site = Site::new(true);
    let out = site.outside().join("built");
    let build = Command::new(POLIS)
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run polis build");
    assert!(
        build.status.success(),
        "polis build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let server = Server::start(&site);

    let mut files = Vec::new();
    for entry in walk(&out) {
        let rel = entry
            .strip_prefix(&out)
            .expect("inside the output")
            .to_string_lossy()
            .replace('\\', "/");
        // The mark a build leaves in its output folder is not part of the site.
        if rel == polis::write::MARKER {
            continue;
        }
        files.push((rel, std::fs::read(&entry).expect("read a built file")));
    }
    assert!(
        files
            .iter()
            .any(|(rel, _)| rel == "nl/privacyverklaring/index.html"),
        "built: {:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let mut generation = None;
    for (rel, built) in &files {
        let response = server.get(&format!("/{rel}"));
        assert_eq!(response.status, 200, "GET /{rel}");
        if rel.ends_with(".html") {
            let built = String::from_utf8(built.clone()).expect("built HTML is UTF-8");
            assert!(
                !built.contains("EventSource"),
                "{rel}: the reload script got into a built file"
            );
            let served = take_apart(&response.text());
            assert!(served.overlay.is_none());
            assert_eq!(
                served.page, built,
                "/{rel} differs from the built file beyond the script"
            );
            // One build serves every page.
            assert_eq!(
                *generation.get_or_insert(response.generation()),
                response.generation()
            );
        } else {
            assert_eq!(&response.body, built, "/{rel} differs from the built file");
        }
    }
    // A folder's index is served at the folder's address too.
    assert_eq!(
        take_apart(&server.get(PRIVACY_NL).text()).page,
        take_apart(&server.get(&format!("{PRIVACY_NL}index.html")).text()).page
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let entry = entry.expect("folder entry");
        if entry.file_type().expect("file type").is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files.sort();
    files
}

#[test]
fn a_site_broken_from_the_start_shows_the_overlay_until_fixed() {
    let site = Site::new(false);
    let (good_yaml, line, column) = break_site_yaml(&site, "bogus_from_the_start");
    let server = Server::start(&site);

    // No good build yet: nothing to serve but the 404 page, with the overlay.
    let broken = server.get(PRIVACY_NL);
    assert_eq!(broken.status, 404, "{}", broken.text());
    let overlay = take_apart(&broken.text())
        .overlay
        .expect("an overlay on the 404 page");
    assert!(
        overlay.contains(&format!("site.yaml:{line}:{column}")) && overlay.contains("unknown-key"),
        "{overlay}"
    );

    site.write("site.yaml", &good_yaml);
    let fixed = server.wait_for(PRIVACY_NL, "the first good build", |r| r.status == 200);
    assert!(!fixed.has_overlay());
    assert!(fixed.text().contains("Lumen"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = Site::new(false);
    let mut server = Server::start(&site);
    assert_eq!(server.get(PRIVACY_NL).status, 200);
    // An open tab: its event stream never ends by itself, and must not keep the server running.
    let _tab = server.events();

    // Ctrl-C in a terminal sends SIGINT to the process.
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = wait_at_most(&mut server.child, Duration::from_secs(10));
    let status =
        status.unwrap_or_else(|| panic!("the server did not stop on SIGINT\n{}", server.log()));
    assert_eq!(status.code(), Some(0), "{}", server.log());
    assert!(server.log().contains("stopping"), "{}", server.log());
}

/// A template that builds text without end (a `set` doubling a text forty times: terabytes) ends
/// its rebuild, not the server: the last good page stays, under an overlay that names the
/// template, and the fix is picked up.
#[test]
fn a_template_that_asks_for_all_memory_does_not_take_the_server_down() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let good = server.get(PRIVACY_NL);
    assert_eq!(good.status, 200);
    let good_page = take_apart(&good.text()).page;
    let good_text = site.read("content/privacy.nl.md");

    let doubling: String = (0..40).map(|_| "{% set s = s ~ s %}").collect();
    site.write(
        "content/privacy.nl.md",
        &format!("---\ntitle: Privacy\n---\n{{% set s = \"0123456789\" %}}{doubling}{{{{ s | length }}}}\n"),
    );
    let broken = server.wait_for(PRIVACY_NL, "the overlay", Response::has_overlay);
    assert_eq!(broken.status, 200, "the last good page is still served");
    let served = take_apart(&broken.text());
    assert_eq!(
        served.page, good_page,
        "under the overlay, the last good page, unchanged"
    );
    let overlay = served.overlay.expect("an overlay");
    // The memory stops it, at the file; or, on a machine so loaded that getting there takes
    // longer than the template's 10 seconds, its time, at the template's first line (the
    // watchdog's place).
    assert!(
        [
            (
                "",
                "this template needs more than 2 GiB of memory for one page"
            ),
            (
                ":4:1",
                "this template takes more than 10 seconds for one page"
            ),
        ]
        .iter()
        .any(|(at, m)| overlay.contains(&format!(
            "<code>content/privacy.nl.md{at}</code> <b>template-error</b><br>{m}"
        ))),
        "{overlay}"
    );

    site.write("content/privacy.nl.md", &good_text);
    let fixed = server.wait_for(PRIVACY_NL, "the overlay to go", |r| {
        r.status == 200 && !r.has_overlay()
    });
    assert_eq!(take_apart(&fixed.text()).page, good_page);
}

/// A loop that writes nothing (three nested ranges of ten thousand, an empty body) is stopped at
/// the template's 10 seconds in the rebuild too, and named in the overlay at its innermost
/// `range` (line 4, column 75); it ran until the child's CPU limit, a minute, before.
#[test]
fn a_template_that_loops_without_writing_shows_in_the_overlay_within_its_time() {
    let site = Site::new(true);
    let server = Server::start(&site);
    assert_eq!(server.get(PRIVACY_EN).status, 200);
    site.write("content/privacy.en.md", LOOPS_WITHOUT_WRITING);
    let broken = server.wait_for(PRIVACY_EN, "the overlay", Response::has_overlay);
    let overlay = take_apart(&broken.text()).overlay.expect("an overlay");
    assert!(
        overlay.contains(
            "<code>content/privacy.en.md:4:75</code> <b>template-error</b><br>this template takes more than 10 seconds for one page"
        ),
        "{overlay}"
    );
}

/// The same loop, in the site from the start.
const LOOPS_WITHOUT_WRITING: &str = "---\ntitle: Privacy\n---\n{% for i in range(end=10000) %}{% for j in range(end=10000) %}{% for k in range(end=10000) %}{% endfor %}{% endfor %}{% endfor %}\n";

/// The processes whose parent is `pid`.
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// A server stopped by SIGTERM (or SIGINT) during a long rebuild ends the rebuild's process too,
/// instead of leaving it to build on, orphaned, until its CPU limit.
#[cfg(target_os = "linux")]
#[test]
fn a_server_stopped_during_a_long_rebuild_ends_the_rebuild() {
    for signal in ["-TERM", "-INT"] {
        let site = Site::new(true);
        let mut server = Server::start(&site);
        assert_eq!(server.get(PRIVACY_EN).status, 200);
        let pid = server.child.id();
        site.write("content/privacy.en.md", LOOPS_WITHOUT_WRITING);
        let deadline = Instant::now() + WAIT;
        let rebuild = loop {
            if let Some(&child) = children_of(pid).first() {
                break child;
            }
            assert!(Instant::now() < deadline, "no rebuild\n{}", server.log());
            std::thread::sleep(STEP);
        };
        // Into the loop, which lasts 10 seconds.
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            Command::new("kill")
                .args([signal, &pid.to_string()])
                .status()
                .expect("kill")
                .success()
        );
        let status = wait_at_most(&mut server.child, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("the server did not stop on {signal}\n{}", server.log()));
        assert_eq!(status.code(), Some(0), "{}", server.log());
        // The rebuild was ended and reaped by the server: its process is gone, not a zombie.
        assert!(
            !Path::new(&format!("/proc/{rebuild}")).exists(),
            "the rebuild {rebuild} outlived the server stopped by {signal}\n{}",
            server.log()
        );
    }
}
