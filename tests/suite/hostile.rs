//! Hostile input: each case is a site made bad on purpose, and the outcome a user is owed — a clear
//! diagnostic at a place, or safe output — in bounded time and memory. A property test throws
//! random damage at site.yaml and checks that polis always answers with diagnostics, never a panic.
//! Its children take the archive (archive), the files init, archive and export write (commands),
//! the links (links), the output folder (output), what a build reads in all (reading) and the
//! templates (templates).

use std::io::Write as _;
use std::time::Duration;

use crate::support::*;
use proptest::prelude::*;

mod archive;
mod commands;
#[cfg(unix)]
mod links;
mod output;
mod reading;
mod templates;

const SITE: &str = "site.yaml";

/// How long polis may take to answer a hostile input: it answers each at once, and the bound only
/// turns a hang (an unbounded loop, a read that blocks) into a failure that says so.
const AT_ONCE: Duration = Duration::from_secs(30);

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
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(
        codes(&outcome),
        ["yaml-limit"],
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(outcome.diagnostics[0].file, SITE);
    insta::assert_snapshot!(check::check_output(&site));
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
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(
        codes(&outcome),
        ["yaml-limit"],
        "{}",
        describe(&outcome.diagnostics)
    );
}

/// A value of 3 MB repeated by aliases 10, 30 or 100 times: few values, but hundreds of megabytes
/// on every page that shows them. The budget counts bytes, so it is site.yaml's error at the first
/// alias past it, not polis's bug (a shipped template writing past its bound) or an abort.
#[test]
fn aliases_of_a_long_text_are_counted_by_their_bytes() {
    for copies in [10, 30, 100] {
        let site = fixture("minimal");
        site.edit(SITE, |y| {
            let big = "Besloten vennootschap ".repeat(3_000_000 / 22);
            replace(y, "legal_form: BV", &format!("legal_form: &big \"{big}\""));
            y.push_str("\nadvertising:\n");
            for i in 0..copies {
                y.push_str(&format!("  - partner{i}: *big\n"));
            }
        });
        let outcome = site.run_within(AT_ONCE);
        assert_eq!(
            codes(&outcome),
            ["yaml-limit"],
            "{copies} copies: {}",
            describe(&outcome.diagnostics)
        );
        let d = &outcome.diagnostics[0];
        assert_eq!(
            (d.file.as_str(), d.line),
            (SITE, site.line(SITE, "partner0: *big")),
            "at the first alias"
        );
        assert_eq!(
            d.message,
            "the YAML is too large or too deeply nested: aliases repeat more than 1 MiB of text"
        );
    }
}

#[test]
fn deep_nesting_is_refused() {
    let site = fixture("minimal");
    site.write(
        SITE,
        format!("site: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    let outcome = site.run_within(AT_ONCE);
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
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(codes(&outcome), ["file-too-large"]);
    assert!(
        outcome.diagnostics[0].message.contains("104857600 bytes"),
        "{}",
        outcome.diagnostics[0].message
    );
    insta::assert_snapshot!(check::check_output(&site));
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
    // Evaluated, the value would read `49 x` (the page has a 49 of its own, in the number).
    assert!(!privacy.html.contains("49 x"), "the value was evaluated");
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
    insta::assert_snapshot!(check::check_output(&site));
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
                Just("\u{7b}\u{7b}".to_owned()), // a flow mapping and a template, opened
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
    let outcome = site.run_within(AT_ONCE);
    assert_eq!(
        codes(&outcome),
        Vec::<&str>::new(),
        "{}",
        describe(&outcome.diagnostics)
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
