//! Hostile input: each case is a site made bad on purpose, and the outcome a user is owed — a clear
//! diagnostic at a place, or safe output — in bounded time and memory. A property test throws
//! random damage at site.yaml and checks that polis always answers with diagnostics, never a panic.

mod support;

use std::io::Write as _;

use proptest::prelude::*;
use support::*;

const SITE: &str = "site.yaml";

/// The codes of the diagnostics, in order.
fn codes(outcome: &polis::Outcome) -> Vec<&'static str> {
    outcome
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn an_alias_expansion_bomb_is_refused() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let site = fixture("minimal");
    site.write(SITE, yaml);
    let outcome = site.run();
    assert_eq!(
        codes(&outcome),
        ["yaml-limit"],
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(outcome.diagnostics[0].file, SITE);
}

/// One reading, one budget: a file too large to be read whole was once read in two halves, each
/// with its own budget, which let through twice what the whole file may repeat.
#[test]
fn aliases_in_a_long_file_share_one_budget() {
    // Two anchored lists of 1,001 names, each repeated 60 times: 120,120 nodes, over 100,000.
    let mut yaml = String::new();
    for part in ["a", "b"] {
        // (Plain keys between the halves, where the old reader cut the file.)
        yaml.extend((0..10).map(|i| format!("{part}_between{i}: x\n")));
        yaml.push_str(&format!("{part}: &{part}\n"));
        for i in 0..1_000 {
            yaml.push_str(&format!(
                "  - name-{part}-{i:04}-with-some-length-to-make-the-file-long-enough-for-both\n"
            ));
        }
        for i in 0..60 {
            yaml.push_str(&format!("{part}{i}: *{part}\n"));
        }
    }
    // (Long enough to have been split then: still one reading, one budget.)
    assert!(
        yaml.len() > 128 * 1024,
        "the file is long enough that the old reader split it"
    );
    let site = fixture("minimal");
    site.write(SITE, yaml);
    let outcome = site.run();
    assert_eq!(
        codes(&outcome),
        ["yaml-limit"],
        "{}",
        describe(&outcome.diagnostics)
    );
}

#[test]
fn deep_nesting_is_refused() {
    let site = fixture("minimal");
    site.write(
        SITE,
        format!("site: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    let outcome = site.run();
    assert_eq!(
        codes(&outcome),
        ["yaml-limit"],
        "{}",
        describe(&outcome.diagnostics)
    );
}

#[test]
fn a_100_megabyte_site_yaml_is_not_read() {
    let site = fixture("minimal");
    let file = std::fs::File::create(site.path(SITE)).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let outcome = site.run();
    assert_eq!(codes(&outcome), ["file-too-large"]);
    assert!(
        outcome.diagnostics[0].message.contains("104857600 bytes"),
        "{}",
        outcome.diagnostics[0].message
    );
}

#[test]
fn a_control_character_in_a_value_is_named() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(y, "legal_form: BV", "legal_form: \"B\\u0007V\"")
    });
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[("invalid-value", SITE, site.line(SITE, "legal_form:"))],
    );
    assert!(the(&outcome, "invalid-value").message.contains("U+0007"));
}

/// Text keys of site.yaml whose values a reader sees; every one of them gets the payload.
const TEXT_KEYS: &[&str] = &[
    "legal_name",
    "trade_name",
    "legal_form",
    "street",
    "city",
    "label",
    "summary",
    "name",
    "description",
    "from",
    "rule",
    "interest",
    "service",
    "provider",
    "purpose",
    "title",
    "contact",
];

const PAYLOAD: &str = " <script>alert(1)</script><img src=x onerror=alert(1)>\"'&";

/// The example site.yaml with `PAYLOAD` appended to every text a reader sees, in every language.
fn poisoned_example() -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml")).unwrap();
    let mut value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    fn poison(v: &mut serde_json::Value, text_field: bool) {
        match v {
            serde_json::Value::String(s) if text_field => s.push_str(PAYLOAD),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| poison(i, text_field)),
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let is_text =
                        TEXT_KEYS.contains(&k.as_str()) || (text_field && (k == "nl" || k == "en"));
                    poison(child, is_text);
                }
            }
            _ => {}
        }
    }
    poison(&mut value, false);
    serde_saphyr::to_string(&value).unwrap()
}

#[test]
fn html_and_script_in_every_text_field_come_out_as_text() {
    let site = example();
    site.write(SITE, poisoned_example());
    let outcome = site.run();
    assert!(!outcome.has_errors(), "{}", describe(&outcome.diagnostics));
    assert_eq!(outcome.rendered.pages.len(), 4);
    for (path, bytes) in &outcome.rendered.files {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<script"), "{path} has a script element");
        assert!(!html.contains("<img"), "{path} has an img element");
    }
    let privacy = page(&outcome, "privacy", "en");
    assert!(
        privacy
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the payload shows as text"
    );
}

#[test]
fn a_name_that_reads_as_markdown_at_the_start_of_a_line_stays_a_name() {
    // The privacy policy starts a line with the company's name; "1. FC" would start a list.
    let site = example();
    site.edit(SITE, |y| {
        replace(y, "  trade_name: Lumen", "  trade_name: \"1. FC Lumen\"")
    });
    let outcome = site.run();
    let privacy = page(&outcome, "privacy", "en");
    assert!(
        privacy.html.contains("<p>1. FC Lumen is the trade name of"),
        "{}",
        privacy.html
    );
    assert!(
        !privacy.html.contains("<li>FC Lumen"),
        "the name started a list"
    );
}

#[test]
fn template_syntax_in_a_value_is_shown_not_run() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(
            y,
            "legal_form: BV",
            "legal_form: \"{{ 7*7 }} {% for x in [1] %}x{% endfor %}\"",
        )
    });
    let outcome = site.run();
    let privacy = page(&outcome, "privacy", "nl");
    assert!(
        privacy.html.contains("{{ 7*7 }}"),
        "the value is printed as written"
    );
    assert!(!privacy.html.contains("49"), "the value was evaluated");
    // Shown as text, it is still unfinished template text, and the build says so.
    assert_diagnostic_places(
        &outcome,
        &[("placeholder-text", SITE, site.line(SITE, "legal_form:"))],
    );
}

#[test]
fn path_traversal_in_slugs_theme_and_output_is_refused() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(
            y,
            "  effective_date: 2026-01-01",
            "  effective_date: 2026-01-01\n  output: ../../outside\n  theme: ../../etc\n  slugs:\n    nl: { privacy: ../../../tmp/x }",
        )
    });
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[
            ("unsafe-path", SITE, site.line(SITE, "output:")),
            ("unsafe-path", SITE, site.line(SITE, "theme:")),
            ("invalid-value", SITE, site.line(SITE, "privacy: ../")),
        ],
    );
}

#[cfg(unix)]
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
}

#[test]
fn output_into_a_source_folder_is_refused() {
    let site = example();
    for target in ["content", "themes/default", "."] {
        let out = site.polis(&["build", "--output", &site.path(target).to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "--output {target}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "--output {target}"
        );
    }
    assert!(site.path("content/privacy.nl.md").exists());
}

#[test]
fn a_folder_polis_did_not_make_is_not_replaced() {
    let site = fixture("minimal");
    std::fs::create_dir_all(site.path("public")).unwrap();
    std::fs::File::create(site.path("public/precious.txt"))
        .unwrap()
        .write_all(b"keep me")
        .unwrap();
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(site.read("public/precious.txt"), "keep me");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = example();
    let first = site.path("first");
    let second = site.path("second");
    assert!(
        site.polis(&["build", "--output", &first.to_string_lossy()])
            .status
            .success()
    );
    assert!(
        site.polis(&["build", "--output", &second.to_string_lossy()])
            .status
            .success()
    );
    assert_eq!(site.tree("first"), site.tree("second"));
}

/// One random change to a text: a line removed, doubled or cut short, or bytes put in.
#[derive(Debug, Clone)]
enum Damage {
    RemoveLine(usize),
    DoubleLine(usize),
    Truncate(usize),
    Insert(usize, String),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::RemoveLine),
        any::<usize>().prop_map(Damage::DoubleLine),
        any::<usize>().prop_map(Damage::Truncate),
        (
            any::<usize>(),
            prop_oneof![
                Just(": ".to_owned()),
                Just("- ".to_owned()),
                Just("{{".to_owned()),
                Just("&x *x".to_owned()),
                "\\PC{0,8}"
            ]
        )
            .prop_map(|(at, s)| Damage::Insert(at, s)),
    ]
}

fn apply(text: &str, damage: &Damage) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // An earlier damage can leave nothing to damage: only an insertion makes something of it.
    if text.is_empty() || lines.is_empty() {
        return match damage {
            Damage::Insert(_, s) => s.clone(),
            _ => text.to_owned(),
        };
    }
    match damage {
        Damage::RemoveLine(i) => {
            let i = i % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| format!("{l}\n"))
                .collect()
        }
        Damage::DoubleLine(i) => {
            let i = i % lines.len();
            lines
                .iter()
                .enumerate()
                .flat_map(|(j, l)| if j == i { vec![*l, *l] } else { vec![*l] })
                .map(|l| format!("{l}\n"))
                .collect()
        }
        Damage::Truncate(at) => {
            let at = at % text.len();
            let at = (0..=at)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            text[..at].to_owned()
        }
        Damage::Insert(at, s) => {
            let at = at % text.len();
            let at = (0..=at)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever happens to site.yaml, polis answers: pages, or diagnostics that point inside the file.
    #[test]
    fn damaged_site_yaml_never_panics_and_points_inside_the_file(damages in proptest::collection::vec(damage(), 1..4)) {
        let original = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml")).unwrap();
        let text = damages.iter().fold(original, |t, d| apply(&t, d));
        let site = example();
        site.write(SITE, &text);
        let outcome = site.run();
        let lines = text.lines().count().max(1);
        for d in &outcome.diagnostics {
            if d.file == SITE {
                prop_assert!(d.line <= lines + 1, "{} at line {} of {}", d.code, d.line, lines);
            }
            prop_assert!(!d.message.is_empty());
        }
        if !outcome.has_errors() {
            prop_assert_eq!(outcome.rendered.pages.len(), 4);
        }
    }
}

#[test]
fn an_output_that_is_a_file_is_not_replaced() {
    let site = fixture("minimal");
    site.write("notes.txt", "my notes");
    let out = site.polis(&[
        "build",
        "--output",
        &site.path("notes.txt").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.txt: it is a file, not a folder that polis made"),
        "{stderr}"
    );
    assert_eq!(site.read("notes.txt"), "my notes");
}

/// A link in the site folder to a folder outside it, and an output named through it.
#[cfg(unix)]
#[test]
fn no_output_is_written_through_a_link_in_the_site_folder() {
    let site = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join(".bashrc"), "keep me").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("lnk")).unwrap();
    for output in ["lnk/.bashrc", "lnk/newdir"] {
        site.edit(SITE, |y| {
            if let Some(at) = y.find("\n  output: ") {
                let end = y[at + 1..].find('\n').map_or(y.len(), |e| at + 1 + e);
                y.replace_range(at..end, "");
            }
            replace(
                y,
                "  effective_date: 2026-01-01",
                &format!("  effective_date: 2026-01-01\n  output: {output}"),
            );
        });
        let out = site.polis(&["build"]);
        assert_eq!(out.status.code(), Some(2), "output: {output}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "is a symbolic link inside the site folder, and polis does not write through links"
            ),
            "{stderr}"
        );
        // The same through --output.
        let out = site.polis(&["build", "--output", &site.path(output).to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "--output {output}");
    }
    let left: Vec<String> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [".bashrc"]);
    assert_eq!(
        std::fs::read_to_string(outside.path().join(".bashrc")).unwrap(),
        "keep me"
    );
}

/// An output that is itself a link into the sources is neither written nor republished.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_into_the_sources_is_refused() {
    let site = fixture("minimal");
    std::fs::create_dir_all(site.path("content")).unwrap();
    std::os::unix::fs::symlink(site.path("content"), site.path("public")).unwrap();
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("public is a symbolic link inside the site folder"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(site.path("content")).unwrap().count(),
        0,
        "nothing was written into content/"
    );
}

/// What a killed build leaves (a staging folder with the marker, unlocked) goes at the next build;
/// a folder of the same shape that polis did not make stays.
#[test]
fn a_killed_build_leaves_nothing_the_next_build_keeps() {
    let site = fixture("minimal");
    site.write(
        ".public.staging-abc123/.polis-output",
        "This folder is written by polis build",
    );
    site.write(".public.staging-abc123/nl/index.html", "half a page");
    site.write(".public.staging-mine/notes.txt", "not polis's");
    let out = site.polis(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !site.path(".public.staging-abc123").exists(),
        "the stale staging folder is removed"
    );
    assert_eq!(site.read(".public.staging-mine/notes.txt"), "not polis's");
    let left: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(left, [".public.staging-mine"]);
}

/// A key or value that holds a line break or a terminal control cannot start a line of output of
/// its own: a CI log would run `::error ...` at the start of a line as a workflow command.
#[test]
fn newlines_and_controls_in_names_stay_inside_their_line() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        y.push_str("\"x\\n::error file=evil::pwned\\u001b[31m\\u0007\": 1\n")
    });
    for format in ["human", "github", "json"] {
        let out = site.polis(&["check", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "--format {format}");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            printed.contains("x\\n::error file=evil::pwned")
                || printed.contains("x%0A::error file=evil::pwned"),
            "{printed}"
        );
        for line in printed.lines() {
            assert!(
                !line.trim_start().starts_with("::error file=evil"),
                "--format {format} printed a command: {line}"
            );
        }
        for control in ['\u{1b}', '\u{7}', '\0'] {
            assert!(
                !printed.contains(control),
                "--format {format} printed U+{:04X}",
                control as u32
            );
        }
    }
}

/// An e-mail address that is really a URL would add recipients to the page's `mailto:` link.
#[test]
fn an_email_address_cannot_add_recipients_to_a_mail_link() {
    for address in [
        "x?cc=attacker%40evil.example&body=hi@lumen.example",
        "a%0Abcc:x@lumen.example",
    ] {
        let site = fixture("minimal");
        site.edit(SITE, |y| {
            replace(
                y,
                "privacy_email: privacy@example.be",
                &format!("privacy_email: \"{address}\""),
            )
        });
        let outcome = site.run();
        assert_diagnostics(
            &outcome,
            &[("invalid-value", SITE, site.line(SITE, "privacy_email:"))],
        );
        assert_eq!(
            the(&outcome, "invalid-value").message,
            format!("`{address}` is not a complete e-mail address")
        );
    }
}

/// Characters no reader sees that change what they read: refused where they are written.
#[test]
fn invisible_characters_in_values_are_refused() {
    for (c, what) in [
        ('\u{202e}', "a text-direction control"),
        ('\u{2066}', "a text-direction control"),
        ('\u{200b}', "a zero-width character"),
        ('\u{feff}', "a byte order mark"),
        ('\u{e0041}', "a tag character"),
    ] {
        let site = fixture("minimal");
        site.edit(SITE, |y| {
            replace(y, "legal_form: BV", &format!("legal_form: \"B{c}V\""))
        });
        let outcome = site.run();
        assert_diagnostics(
            &outcome,
            &[("invalid-value", SITE, site.line(SITE, "legal_form:"))],
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

/// site.yaml as a link to an endless device, or as a FIFO no one writes to: an answer at once.
#[cfg(unix)]
#[test]
fn site_yaml_that_is_a_link_a_device_or_a_fifo_is_not_read() {
    let site = fixture("minimal");
    site.remove(SITE);
    std::os::unix::fs::symlink("/dev/zero", site.path(SITE)).unwrap();
    let outcome = site.run();
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
    let started = std::time::Instant::now();
    let outcome = site.run();
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
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "waited for the FIFO"
    );
}

/// content/ and themes/ as links out of the site folder: reported, and not read.
#[cfg(unix)]
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

/// Files no build uses are not read: an image in content/ larger than the limit for texts does not
/// fail the build, and a theme's large static file is published.
#[test]
fn files_no_page_uses_are_not_read_and_static_files_may_be_large() {
    let site = fixture("minimal");
    site.write("content/photo.jpg", vec![0u8; 5 * 1024 * 1024]);
    site.write(
        "themes/default/static/font.woff2",
        vec![7u8; 5 * 1024 * 1024],
    );
    let outcome = site.run();
    assert_eq!(
        codes(&outcome),
        Vec::<&str>::new(),
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(
        outcome.rendered.files.get("font.woff2").map(Vec::len),
        Some(5 * 1024 * 1024)
    );
}

/// 20,000 headings of one name are numbered in one pass (they took 12–17 s when each heading
/// looked at every heading before it).
#[test]
fn twenty_thousand_headings_of_one_name_are_numbered_at_once() {
    let site = fixture("minimal");
    let mut text = String::from("---\ntitle: Privacy\n---\n");
    for _ in 0..20_000 {
        text.push_str("## Zelfde\n\n");
    }
    site.write("content/privacy.nl.md", &text);
    site.write("content/privacy.en.md", text.replace("Zelfde", "Same"));
    let outcome = site.run();
    let html = &page(&outcome, "privacy", "nl").html;
    assert!(
        html.contains(r#"<h2 id="zelfde-20000">Zelfde</h2>"#),
        "the last heading's id"
    );
}

/// 400 KB of `[` in one value: each `[` used to look for its `]` to the end of the text (98 s).
#[test]
fn a_value_of_400_thousand_brackets_is_read_once() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(
            y,
            "legal_form: BV",
            &format!("legal_form: \"{}\"", "[".repeat(400_000)),
        )
    });
    let outcome = site.run();
    assert_eq!(
        codes(&outcome),
        Vec::<&str>::new(),
        "{}",
        describe(&outcome.diagnostics)
    );
}

/// A page full of placeholders names a hundred of them and counts the rest.
#[test]
fn past_a_hundred_placeholders_the_rest_are_counted() {
    let site = fixture("minimal");
    let many: String = (0..150).map(|i| format!("[vul {i} in] ")).collect();
    site.edit(SITE, |y| {
        replace(y, "legal_form: BV", &format!("legal_form: \"{many}\""))
    });
    let outcome = site.run();
    let found: Vec<&polis::diagnostics::Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "placeholder-text")
        .collect();
    // A hundred at their place in site.yaml (the same in both languages), then one count for each
    // page that shows the value.
    assert_eq!(
        found
            .iter()
            .filter(|d| d.file == SITE && d.line == site.line(SITE, "legal_form:"))
            .count(),
        100
    );
    let counts: Vec<&str> = found
        .iter()
        .filter(|d| d.line == 0)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        counts,
        [
            "50 more placeholders show on the privacy page (en)",
            "50 more placeholders show on the privacy page (nl)"
        ]
    );
}

/// A content template that would loop for minutes (two nested ranges of 100,000) fails at once,
/// at the line of the loop.
#[test]
fn a_template_cannot_loop_for_minutes() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}\n";
    site.write("content/privacy.nl.md", text);
    site.write("content/privacy.en.md", text);
    let started = std::time::Instant::now();
    let outcome = site.run();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_diagnostics(
        &outcome,
        &[
            ("template-error", "content/privacy.en.md", 4),
            ("template-error", "content/privacy.nl.md", 4),
        ],
    );
    for d in &outcome.diagnostics {
        assert_eq!(
            d.message,
            "`range` would give more than 10000 numbers; a policy text never needs that many"
        );
    }
}

/// A template that writes without end (ten thousand times ten thousand lines) is stopped by its
/// budget, and named.
#[test]
fn a_template_cannot_write_without_end() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% for i in range(end=10000) %}{% for j in range(end=10000) %}Een regel tekst die telkens terugkomt.\n{% endfor %}{% endfor %}\n";
    site.write("content/privacy.nl.md", text);
    site.write("content/privacy.en.md", text);
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[
            ("template-error", "content/privacy.en.md", 0),
            ("template-error", "content/privacy.nl.md", 0),
        ],
    );
    for d in &outcome.diagnostics {
        assert!(
            d.message == "this template writes more than 32 MiB for one page"
                || d.message == "this template takes more than 10 seconds for one page",
            "{}",
            d.message
        );
    }
}

/// An output made read-only after it was built is replaced, and no copy of it is left beside it
/// (each build used to leave one). Permissions bind only a user other than root: as root, the
/// build runs as `nobody` (setpriv); otherwise the test says why it does nothing.
#[cfg(unix)]
#[test]
fn a_read_only_output_is_replaced_without_leaving_a_copy() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !is_root || !has_setpriv {
        eprintln!(
            "SKIPPED a_read_only_output_is_replaced_without_leaving_a_copy: needs root and setpriv to build as another user"
        );
        return;
    }
    let place = tempfile::Builder::new()
        .prefix("polis-ro")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(place.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let bin = place.path().join("polis");
    std::fs::copy(env!("CARGO_BIN_EXE_polis"), &bin).unwrap();
    let site = place.path().join("site");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &site,
    );
    let chown = std::process::Command::new("chown")
        .args(["-R", "nobody"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(chown.success());
    let script = format!(
        "cd '{}' && '{}' build >/dev/null && chmod -R a-w public && '{}' build >/dev/null && '{}' build >/dev/null",
        site.display(),
        bin.display(),
        bin.display(),
        bin.display()
    );
    let status = std::process::Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "sh",
            "-c",
            &script,
        ])
        .status()
        .unwrap();
    assert!(status.success(), "the builds as nobody failed");
    let left: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    assert!(site.join("public/nl/privacyverklaring/index.html").exists());
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&site)
        .status();
}

/// An output that is a mount point cannot be swapped out: a clear error, and nothing left in it or
/// beside it. Mounting needs root; elsewhere the test says why it does nothing.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_is_a_mount_point_is_refused() {
    let place = tempfile::tempdir().unwrap();
    let mount_point = place.path().join("public");
    std::fs::create_dir(&mount_point).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&mount_point)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "SKIPPED an_output_that_is_a_mount_point_is_refused: mounting a tmpfs needs root"
        );
        return;
    }
    let site = fixture("minimal");
    let out = site.polis(&["build", "--output", &mount_point.to_string_lossy()]);
    let listed = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    let (inside, beside) = (listed(&mount_point), listed(place.path()));
    let _ = std::process::Command::new("umount")
        .arg(&mount_point)
        .status();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("public: it is a mount point, and polis replaces its output folder whole"),
        "{stderr}"
    );
    assert_eq!(inside, Vec::<String>::new());
    assert_eq!(beside, ["public"]);
}

/// A content template that asks for all memory: a text doubled forty times (terabytes), which Tera
/// has no budget for. (`set_global`: a plain `set` in a loop lasts one turn.)
#[cfg(target_os = "linux")]
const ASKS_FOR_ALL_MEMORY: &str = "---\ntitle: Privacy\n---\n{% set s = \"ab\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}\n";

/// Puts [`ASKS_FOR_ALL_MEMORY`] in the site's content/privacy.en.md, beside the Dutch text polis
/// ships as its translation.
#[cfg(target_os = "linux")]
fn asks_for_all_memory(site: &TestSite) {
    site.write("content/privacy.en.md", ASKS_FOR_ALL_MEMORY);
    site.write(
        "content/privacy.nl.md",
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content/privacy.nl.md"
        ))
        .unwrap(),
    );
}

/// The folders a build left beside its output: none once it has ended, however it ended.
#[cfg(unix)]
fn staging_left(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.staging-") || n.starts_with(".public.old-"))
        .collect()
}

/// A template that asks for all memory fails the build at polis's limit of 2 GiB, in seconds, with
/// a located error like any other broken template (not an abort), and the output of the last good
/// build stays as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_template_that_asks_for_all_memory_fails_the_build_at_its_file() {
    let site = fixture("minimal");
    let good = site.polis(&["build"]);
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = site.tree("public");
    asks_for_all_memory(&site);
    let started = std::time::Instant::now();
    let out = site.polis(&["build"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[template-error]: this template needs more than 2 GiB of memory for one page"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("\n--> content/privacy.en.md\n"), "{stderr}");
    assert!(
        stderr.contains("build failed: 1 error, 0 warnings; nothing was written"),
        "{stderr}"
    );
    assert_eq!(
        site.tree("public"),
        before,
        "the last good output is unchanged"
    );
    assert_eq!(staging_left(site.root()), Vec::<String>::new());
}

/// The same in a theme template of the site's own: the error names it.
#[cfg(target_os = "linux")]
#[test]
fn a_theme_template_that_asks_for_all_memory_is_named() {
    let site = fixture("minimal");
    site.write(
        "themes/default/templates/page.html",
        "{% set s = \"ab\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    let out = site.polis(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[template-error]: this template needs more than 2 GiB of memory for one page"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n--> themes/default/templates/page.html\n"),
        "{stderr}"
    );
    assert!(stderr.contains("check: 1 error, 0 warnings"), "{stderr}");
}

/// `check --format json` reports running out of memory as one diagnostic of the usual document,
/// and `--format github` as an annotation on the file.
#[cfg(target_os = "linux")]
#[test]
fn a_template_that_asks_for_all_memory_is_reported_in_each_format() {
    let site = fixture("minimal");
    asks_for_all_memory(&site);
    let out = site.polis(&["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 0);
    let found = doc["diagnostics"]
        .as_array()
        .expect("a list of diagnostics");
    assert_eq!(found.len(), 1, "{doc}");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(found[0]["code"], "template-error");
    assert_eq!(found[0]["file"], "content/privacy.en.md");
    assert_eq!(
        found[0]["message"],
        "this template needs more than 2 GiB of memory for one page"
    );

    let out = site.polis(&["check", "--format", "github"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(
            "::error file=content/privacy.en.md,title=polis template-error::this template needs"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

/// A build stopped by a signal, SIGTERM or Ctrl-C's SIGINT, at any moment (reading, rendering,
/// in the middle of writing a 50 MB file, swapping) leaves a whole output, the old one or the new
/// one, and no staging folder beside it.
#[cfg(unix)]
#[test]
fn a_build_stopped_by_a_signal_leaves_a_whole_output_and_no_staging_folder() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    const BIG: &str = "themes/default/static/big.bin";
    let site = fixture("minimal");
    // The two outputs: one with a big file of `a`s, one of `b`s. Each run builds the other one.
    let fills = [b'a', b'b'];
    let mut whole = Vec::new();
    let mut took = Duration::ZERO;
    for fill in fills {
        site.write(BIG, vec![fill; 50 << 20]);
        let started = Instant::now();
        let out = site.polis(&["build"]);
        took = started.elapsed();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        whole.push(site.tree("public"));
    }
    let mut current = 1;
    let mut stopped = 0;
    // Signals spread over the time a whole build takes.
    for step in 0..32 {
        let signal = if step % 2 == 0 { "TERM" } else { "INT" };
        let delay = took * (step / 2) / 16;
        let next = 1 - current;
        site.write(BIG, vec![fills[next]; 50 << 20]);
        let mut child = polis_command(site.root())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        let when = format!("SIG{signal} after {delay:?}: {status:?}");
        match (status.code(), status.signal()) {
            // The build was over before the signal came.
            (Some(0), _) => {}
            (Some(130), _) | (None, Some(2 | 15)) => stopped += 1,
            _ => panic!("{when}"),
        }
        assert_eq!(staging_left(site.root()), Vec::<String>::new(), "{when}");
        let now = site.tree("public");
        current = whole.iter().position(|w| *w == now).unwrap_or_else(|| {
            let files: Vec<(&String, usize)> = now
                .iter()
                .map(|(path, bytes)| (path, bytes.len()))
                .collect();
            panic!("{when}: the output is neither the old one nor the new one: {files:?}")
        });
        if status.code() == Some(0) {
            assert_eq!(
                current, next,
                "{when}: a build that ended well wrote the new output"
            );
        }
    }
    assert!(stopped > 0, "no build was stopped by a signal");
}
