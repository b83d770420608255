//! The third round of hostile input (issue 25): output paths that reach a link in the site folder
//! by a detour, and inputs that made a check take time quadratic in their size. Each bound below
//! is generous for a debug build on a busy machine; the quadratic code took minutes.

use std::time::{Duration, Instant};

use crate::support::*;

/// How long a check of one of the long inputs below may take: a debug build takes about a second.
const BOUND: Duration = Duration::from_secs(30);

/// Runs `polis check --format json` on `site` within [`BOUND`], and returns its diagnostics.
fn check_within_bound(site: &TestSite) -> Vec<serde_json::Value> {
    let started = Instant::now();
    let out = site.polis(&["check", "--format", "json"]);
    let took = started.elapsed();
    assert!(took < BOUND, "check took {took:?}, more than {BOUND:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    json["diagnostics"].as_array().expect("diagnostics").clone()
}

/// The minimal site with the shipped privacy texts as its own, the English one ending in `tail`.
fn minimal_with_privacy_en_ending(tail: &str) -> TestSite {
    let site = fixture("minimal");
    for locale in ["nl", "en"] {
        let file = format!("content/privacy.{locale}.md");
        let mut text = site.read_repo(&file);
        if locale == "en" {
            text.push_str("\n\n");
            text.push_str(tail);
        }
        site.write(&file, text);
    }
    site
}

/// 20,000 broken links: each reported once, at its own line, in time linear in the text. A link
/// is matched by its whole destination: `#nowhere1` is not found in `#nowhere10`.
#[test]
fn many_broken_links_are_each_reported_once_at_their_own_place() {
    let links: Vec<String> = (0..20_000).map(|i| format!("[x](#nowhere{i})")).collect();
    let site = minimal_with_privacy_en_ending(&links.join("\n"));
    let found = check_within_bound(&site);
    let text = site.read("content/privacy.en.md");
    let first = text.lines().position(|l| l == "[x](#nowhere0)").unwrap() + 1;
    assert_eq!(found.len(), 20_000);
    for (i, d) in found.iter().enumerate() {
        assert_eq!(d["code"], "broken-link");
        assert_eq!(d["file"], "content/privacy.en.md");
        assert_eq!(d["line"], first + i, "{d}");
        assert_eq!(d["column"], 5, "{d}");
        assert_eq!(
            d["message"],
            format!("the link `#nowhere{i}` on the privacy page (en) names no heading")
        );
    }
}

/// A value of site.yaml with 40,000 hedging modal verbs in one clause: each is placed at its own
/// column, in time linear in the value.
#[test]
fn a_value_of_many_modal_verbs_is_checked_in_linear_time() {
    let site = fixture("minimal");
    let value = format!("wij {}", "kunnen ".repeat(40_000));
    site.edit("site.yaml", |y| {
        replace(
            y,
            "    name: Bestellingen\n",
            &format!("    name: Bestellingen\n    description: \"{value}\"\n"),
        );
    });
    let found = check_within_bound(&site);
    let line = site.line("site.yaml", "description: \"wij kunnen");
    assert_eq!(found.len(), 40_000);
    for (i, d) in found.iter().enumerate() {
        assert_eq!(d["code"], "gdpr-vague-language");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line as u64), Some(23 + 7 * i as u64))
        );
    }
}

/// A content file of 250,000 link openings without their close, `[a](`: the template masking of
/// the vague-language check reads it once.
#[test]
fn openings_without_their_close_are_read_once() {
    let site = minimal_with_privacy_en_ending(&"[a](".repeat(250_000));
    let found = check_within_bound(&site);
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["placeholder-text"]);
}

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
    // The consent export needs the cookie in which the banner keeps the choice.
    site.edit("site.yaml", |y| {
        let cookie = "    - { name: cc_cookie, provider: Voorbeeld BV, party: first, \
                      category: necessary, purpose: Keuze, duration: 6 months }\n";
        replace(
            y,
            "  list:\n",
            &format!("  consent_cookie: cc_cookie\n  list:\n{cookie}"),
        );
    });
    for format in ["markdown", "fragment", "json", "register", "consent"] {
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
    assert!(site.path(".public.polis-output").is_file());
    assert!(!site.path("nonexist").exists());
}

/// A line of half a megabyte with a problem at each end: the human printer shows a part of the
/// line around each, with its exact place, in time linear in the line.
#[test]
fn a_long_line_is_printed_in_part_around_each_problem() {
    let site = fixture("minimal");
    let value = format!("wij kunnen {}kunnen", "woord ".repeat(80_000));
    site.edit("site.yaml", |y| {
        replace(
            y,
            "    name: Bestellingen\n",
            &format!("    name: Bestellingen\n    description: \"{value}\"\n"),
        );
    });
    let line = site.line("site.yaml", "description: \"wij kunnen");
    let started = Instant::now();
    let out = site.polis(&["check"]);
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.len() < 4_000, "{} bytes printed", stderr.len());
    let last = 23 + "kunnen ".len() + "woord ".len() * 80_000;
    assert!(
        stderr.contains(&format!("--> site.yaml:{line}:23\n")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("::: site.yaml:{line}:{last}\n")),
        "{stderr}"
    );
    assert!(stderr.contains("woord woord kunnen\"\n"), "{stderr}");
    assert!(stderr.contains("check: 0 errors, 2 warnings"), "{stderr}");
}

/// What a killed `polis archive` left in archive/ (a staging folder with its marker, unlocked)
/// goes at the next archive; the version written carries no marker.
#[test]
fn a_killed_archive_leaves_nothing_the_next_archive_keeps() {
    let site = example();
    site.write("archive/.2026-01-01.staging-abc123/.polis-output", "polis");
    // Cut off after its first character.
    site.write("archive/.2026-01-01.staging-abc123/facts.json", "\u{7b}");
    let out = site.polis(&["archive"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<String> = site.tree("archive").into_keys().collect();
    assert!(
        left.iter()
            .all(|f| !f.contains("staging") && !f.ends_with(".polis-output")),
        "{left:?}"
    );
    assert!(left.iter().any(|f| f.ends_with("/facts.json")), "{left:?}");
}

/// `polis init` writes files as any new file is: readable by others, as the umask allows.
#[cfg(unix)]
#[test]
fn init_writes_files_readable_as_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let out = polis_command(dir.path())
        .args(["init", "--country", "BE", "--locales", "nl,en"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    std::fs::File::create(dir.path().join("any-new-file")).unwrap();
    assert_eq!(mode("site.yaml"), mode("any-new-file"));
    assert_eq!(mode("site.schema.json"), mode("any-new-file"));
}

/// The invisible characters that the second round let through: refused where they are written.
#[test]
fn more_invisible_characters_in_values_are_refused() {
    for (c, what) in [
        ('\u{200e}', "a text-direction mark"),
        ('\u{200f}', "a text-direction mark"),
        ('\u{061c}', "a text-direction mark"),
        ('\u{3164}', "a filler that shows as blank"),
        ('\u{115f}', "a filler that shows as blank"),
        ('\u{180e}', "a zero-width character"),
        ('\u{00ad}', "a soft hyphen"),
        ('\u{2028}', "a line or paragraph separator"),
        ('\u{2029}', "a line or paragraph separator"),
        ('\u{fff9}', "an interlinear annotation mark"),
    ] {
        let site = fixture("minimal");
        site.edit("site.yaml", |y| {
            replace(y, "legal_form: BV", &format!("legal_form: \"B{c}V\""))
        });
        let outcome = site.run();
        assert_diagnostics(
            &outcome,
            &[(
                "invalid-value",
                "site.yaml",
                site.line("site.yaml", "legal_form:"),
            )],
        );
        assert_eq!(
            the(&outcome, "invalid-value").message,
            format!(
                "`company.legal_form` contains the invisible character U+{:04X} ({what})",
                c as u32
            )
        );
    }
}

/// The story of issue 26: `export markdown` into an empty folder, a file of the user's added to
/// it, a second export. polis refuses, names the file, and the file is still there.
#[test]
fn an_export_never_deletes_a_file_it_did_not_write() {
    let site = example();
    let host = tempfile::tempdir().unwrap();
    let content = host.path().join("content");
    std::fs::create_dir(&content).unwrap();
    let to = content.to_string_lossy().into_owned();
    let out = site.polis(&["export", "markdown", "--output", &to]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::create_dir(content.join("blog")).unwrap();
    std::fs::write(content.join("blog/nieuwe-koffie.md"), "# Nieuwe koffie").unwrap();
    let out = site.polis(&["export", "markdown", "--output", &to]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "refusing to replace {to}: polis made it, but it now also holds \
             `blog/nieuwe-koffie.md`, which polis did not write and would delete; move them out \
             of it, or choose another --output"
        )),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(content.join("blog/nieuwe-koffie.md")).unwrap(),
        "# Nieuwe koffie"
    );
    // Moved out, the export goes through again.
    std::fs::remove_dir_all(content.join("blog")).unwrap();
    let out = site.polis(&["export", "markdown", "--output", &to]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The same for a build: a file added to public/ since stops the next build, named.
#[test]
fn a_build_never_deletes_a_file_it_did_not_write() {
    let site = fixture("minimal");
    let out = site.polis(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site.write("public/.htaccess", "Header set X-Frame-Options DENY");
    site.write("public/.DS_Store", "litter");
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("it now also holds `.htaccess`, which polis did not write"),
        "{stderr}"
    );
    assert_eq!(
        site.read("public/.htaccess"),
        "Header set X-Frame-Options DENY"
    );
    site.remove("public/.htaccess");
    let out = site.polis(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Dates no policy can have, `0000-01-01` and `9999-12-31`: errors at their line, not "last
/// updated 9999".
#[test]
fn dates_out_of_any_policy_s_time_are_refused() {
    for date in ["0000-01-01", "9999-12-31", "1970-01-01"] {
        let site = example();
        site.edit("site.yaml", |y| {
            replace(y, "    - date: 2026-03-01", &format!("    - date: {date}"));
        });
        let outcome = site.run();
        let d = the(&outcome, "invalid-value");
        assert_eq!(
            (d.file.as_str(), d.line),
            (
                "site.yaml",
                site.line("site.yaml", &format!("- date: {date}"))
            )
        );
        assert_eq!(
            d.message,
            format!("`{date}` is not a date a policy can have")
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write `site.changes[0].date` as the real date, YYYY-MM-DD, from 1995 to 2099")
        );
    }
}

/// A missing `--root` is an I/O error, exit 2, for every command that reads a site.
#[test]
fn a_missing_root_is_exit_2_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["check"][..],
        &["build"],
        &["export", "markdown"],
        &["archive"],
    ] {
        let out = polis_command(dir.path())
            .args(["--root", "no-such-site"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A site folder whose name holds a line break and a workflow command: every status line shows
/// the break as `\n`, so no line of the output starts with `::error`.
#[cfg(unix)]
#[test]
fn paths_in_status_lines_are_escaped() {
    let parent = tempfile::tempdir().unwrap();
    let name = "site\n::error file=x::pwned";
    let root = parent.path().join(name);
    copy_dir(example().root(), &root);
    for args in [&["build"][..], &["export", "markdown"], &["archive"]] {
        let out = polis_command(parent.path())
            .arg("--root")
            .arg(name)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.lines().any(|l| l.starts_with("::error")),
                "{args:?}: {text}"
            );
        }
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("site\\n::error file=x::pwned"),
            "{args:?}"
        );
    }
}

/// A cookie named by a word of the language, `lang` (Dutch "hoe lang we ze bewaren"): the texts
/// polis ships state the same cookies in both languages, so no difference is reported, least of
/// all as polis's own bug.
#[test]
fn a_cookie_named_lang_is_no_difference_between_the_languages() {
    let site = fixture("minimal");
    site.edit("site.yaml", |y| replace(y, "name: session", "name: lang"));
    assert_diagnostics(&site.run(), &[]);
}

/// The same for init's lines and for the refusals that name a folder: `init` into a folder whose
/// name holds a workflow command, and again (refused), and `build` and `export` refusing to
/// replace a folder of that name that polis did not make.
#[cfg(unix)]
#[test]
fn paths_in_init_lines_and_refusals_are_escaped() {
    let parent = tempfile::tempdir().unwrap();
    let name = "x\n::error file=y::pwned";
    let shown = "x\\n::error file=y::pwned";
    let init = || {
        polis_command(parent.path())
            .args(["init", name, "--country", "NL", "--locales", "nl,en"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let site = example();
    let taken = site.path(name);
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("keep"), "mine").unwrap();
    let runs = [
        (init(), 0, format!("wrote {shown}/site.yaml")),
        (
            init(),
            2,
            format!("refusing to replace {shown}/site.yaml: it exists"),
        ),
        (
            site.polis(&["build", "--output", name]),
            2,
            format!("refusing to replace {shown}: it is not empty"),
        ),
        (
            site.polis(&["export", "json", "--output", name]),
            2,
            format!("refusing to replace {shown}: it is not empty"),
        ),
    ];
    for (out, code, said) in runs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "{text}");
        assert!(text.contains(&said), "{said}: {text}");
        assert!(!text.lines().any(|l| l.starts_with("::error")), "{text}");
    }
    assert_eq!(std::fs::read_to_string(taken.join("keep")).unwrap(), "mine");
}
