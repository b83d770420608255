//! The archive: `polis archive` records the version in effect, `polis check` catches a date
//! someone forgot to move, `polis build` republishes every earlier version beside the current one,
//! and the current pages say what changed, fact by fact, in every language (docs/archive.md).

use crate::support;

use std::path::Path;

use crate::support::check::check_output;
use crate::support::{TestSite, assert_diagnostics, assert_diagnostics_at, example, replace, the};

const SITE: &str = "site.yaml";
const FACTS: &str = "archive/2026-03-01/facts.json";

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `polis args` in the site folder and expects the exit code `code`.
#[track_caller]
fn polis(site: &TestSite, args: &[&str], code: i32) -> std::process::Output {
    let output = site.polis(args);
    assert_eq!(
        output.status.code(),
        Some(code),
        "polis {args:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

/// The example site, built and archived as published on 2026-03-01.
fn archived_example() -> TestSite {
    let site = example();
    polis(&site, &["build"], 0);
    polis(&site, &["archive"], 0);
    site
}

/// A new recipient, Mollie, in site.yaml.
fn add_mollie(yaml: &mut String) {
    replace(
        yaml,
        "  - name: { nl: Onze boekhouder, en: Our accountant }",
        "  - name: Mollie\n    role: processor\n    service: { nl: betalingen verwerken, en: processing payments }\n    country: NL\n    purposes: [orders]\n  \
         - name: { nl: Onze boekhouder, en: Our accountant }",
    );
}

fn move_date(yaml: &mut String) {
    replace(
        yaml,
        "effective_date: 2026-03-01 ",
        "effective_date: 2026-04-01 ",
    );
}

/// The text of the section `changes` of a built page.
fn changes_section(html: &str) -> &str {
    let start = html.find("id=\"changes\"").expect("a changes section");
    &html[start
        ..html[start..]
            .find("</main>")
            .map_or(html.len(), |e| start + e)]
}

#[test]
fn a_new_recipient_without_a_new_date_fails_and_with_one_is_published_beside_the_old_version() {
    let site = archived_example();
    let archived: Vec<String> = site.tree("archive").into_keys().collect();
    assert_eq!(
        archived,
        [
            "2026-03-01/cookies.en.html",
            "2026-03-01/cookies.nl.html",
            "2026-03-01/facts.json",
            "2026-03-01/privacy.en.html",
            "2026-03-01/privacy.nl.html"
        ]
    );
    // The pages exactly as published.
    assert_eq!(
        site.read("archive/2026-03-01/privacy.nl.html"),
        site.read("public/nl/privacyverklaring/index.html")
    );

    // A recipient added, the date forgotten: check fails at the date, naming the recipient.
    site.edit(SITE, add_mollie);
    let outcome = site.run();
    assert_diagnostics_at(
        &outcome,
        &[("archive-date", SITE, site.line(SITE, "effective_date:"), 19)],
    );
    let d = the(&outcome, "archive-date");
    assert!(
        d.message.contains("added recipient `Mollie`"),
        "{}",
        d.message
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .starts_with("set site.effective_date to the date the new version takes effect")
    );
    let printed = check_output(&site);
    assert!(
        printed.starts_with("exit: 1\n") && printed.contains("error[archive-date]"),
        "{printed}"
    );
    insta::assert_snapshot!(printed);

    // The date moved: check passes, build publishes the old version beside the new one.
    site.edit(SITE, move_date);
    assert_diagnostics(&site.run(), &[]);
    polis(&site, &["check", "--deny-warnings"], 0);
    polis(&site, &["build"], 0);
    assert_the_old_version_is_published_beside_the_new(&site);

    // Archiving the new version; archiving it again does nothing.
    polis(&site, &["archive"], 0);
    assert!(site.path("archive/2026-04-01/facts.json").is_file());
    let before = site.tree("archive");
    let output = polis(&site, &["archive"], 0);
    assert!(
        stdout(&output).contains("holds this version already"),
        "{}",
        stdout(&output)
    );
    assert!(site.tree("archive") == before, "archive/ changed");
}

/// The built site holds the version of 2026-03-01 beside the current one of 2026-04-01, which
/// adds Mollie: the old pages with their notice, the new ones listing the change, the versions.
fn assert_the_old_version_is_published_beside_the_new(site: &TestSite) {
    for (old, current, notice, line) in [
        (
            "public/nl/privacyverklaring/2026-03-01/index.html",
            "public/nl/privacyverklaring/index.html",
            "Deze versie gold van 1 maart 2026 tot 1 april 2026.",
            "Nieuwe ontvanger: Mollie (rol: verwerker; dienst: betalingen verwerken; land: Nederland)",
        ),
        (
            "public/en/privacy-policy/2026-03-01/index.html",
            "public/en/privacy-policy/index.html",
            "This version applied from 1 March 2026 until 1 April 2026.",
            "New recipient: Mollie (role: processor; service: processing payments; country: Netherlands)",
        ),
    ] {
        let (old, current) = (site.read(old), site.read(current));
        assert!(
            !old.contains("Mollie"),
            "the archived page names the new recipient"
        );
        assert!(old.contains(notice), "{old}");
        assert!(
            old.contains("<a href=\"../\">"),
            "no link to the version in effect"
        );
        assert!(
            old.contains("href=\"../../../style.css\""),
            "the stylesheet is not one folder further up"
        );
        assert!(
            changes_section(&current).contains(line),
            "{}",
            changes_section(&current)
        );
        assert!(
            changes_section(&current).contains("<a href=\"2026-03-01/\">"),
            "{}",
            changes_section(&current)
        );
    }
    let versions = site.read("public/nl/privacyverklaring/versions/index.html");
    assert!(
        versions.contains("href=\"../../../nl/privacyverklaring/2026-03-01/\""),
        "{versions}"
    );
    assert!(
        site.read("public/nl/privacyverklaring/index.html")
            .contains("href=\"../../nl/privacyverklaring/versions/\"")
    );
    assert!(
        site.path("public/nl/cookiebeleid/2026-03-01/index.html")
            .is_file()
    );
}

#[test]
fn archiving_other_facts_under_an_archived_date_is_an_error_and_writes_nothing() {
    let site = archived_example();
    let before = site.tree("archive");
    site.edit(SITE, |y| replace(y, "period: 10 years", "period: 11 years"));
    let output = polis(&site, &["archive"], 1);
    assert!(
        stderr(&output).contains("changed data category `billing` (retention)"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert!(site.tree("archive") == before, "archive/ changed");
}

#[test]
fn the_changes_list_says_what_changed_fact_by_fact_in_each_language() {
    let site = archived_example();
    site.edit(SITE, |y| {
        move_date(y);
        replace(y, "period: 10 years", "period: 11 years");
        replace(y, "    safeguard: data_privacy_framework", "    safeguard: standard_contractual_clauses");
        replace(y, "duration: 6 months", "duration: 12 months");
        replace(
            y,
            "    basis: contract            #",
            "    basis: legitimate_interests\n    interest: { nl: mensen aannemen, en: hiring people }\n    #",
        );
    });
    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    let text =
        |name: &str, locale: &str| support::main_text(&support::page(&outcome, name, locale).html);
    let privacy_nl = text("privacy", "nl");
    for line in [
        "- Facturatie- en betaalgegevens: bewaartermijn: tien jaar na het einde van het boekjaar → elf jaar na het einde van het boekjaar",
        "- Doel Sollicitaties behandelen: rechtsgrond: uitvoering van een overeenkomst → gerechtvaardigd belang; gerechtvaardigd belang: geen → mensen aannemen",
        "- Ontvanger Mailchimp (Intuit Inc.): waarborg: adequaatheidsbesluit voor het EU-VS Data Privacy Framework → standaardcontractbepalingen van de Europese Commissie",
    ] {
        assert!(privacy_nl.contains(line), "no `{line}` in:\n{privacy_nl}");
    }
    let cookies_en = text("cookies", "en");
    assert!(
        cookies_en.contains("- Cookie lumen_consent: duration: six months → twelve months"),
        "{cookies_en}"
    );
    assert!(
        !privacy_nl.contains("lumen_consent:"),
        "a cookie's change is on the cookie policy only"
    );
}

#[test]
fn a_text_changed_in_one_language_only_is_a_stale_translation_at_the_other() {
    let site = archived_example();
    site.edit(SITE, |y| {
        move_date(y);
        replace(
            y,
            "nl: De kredietwaardigheid van zakelijke klanten nagaan,",
            "nl: De kredietwaardigheid van bedrijven nagaan,",
        );
    });
    let (line, column) = site.pos(SITE, "Checking the creditworthiness of business customers");
    let outcome = site.run();
    assert_diagnostics_at(&outcome, &[("stale-translation", SITE, line, column)]);
    let d = the(&outcome, "stale-translation");
    assert_eq!(
        d.message,
        "the nl text of purposes.credit.name changed since 2026-03-01; check the en translation"
    );
    assert_eq!(d.severity, polis::diagnostics::Severity::Warning);
    insta::assert_snapshot!(check_output(&site));

    // Waived, as a GDPR rule is: the translation said the same already.
    site.edit(SITE, |y| y.push_str("\nwaivers:\n  - rule: stale-translation\n    at: credit\n    reason: the English said it already\n"));
    assert_diagnostics(
        &site.run(),
        &[("waived", SITE, site.line(SITE, "rule: stale-translation"))],
    );
}

#[test]
fn an_effective_date_before_an_archived_version_is_an_error() {
    let site = archived_example();
    site.edit(SITE, |y| {
        replace(
            y,
            "effective_date: 2026-03-01 ",
            "effective_date: 2026-02-01 ",
        )
    });
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[("archive-date", SITE, site.line(SITE, "effective_date:"))],
    );
    assert!(
        the(&outcome, "archive-date")
            .message
            .contains("took effect later, on 2026-03-01")
    );
}

#[test]
fn an_archive_written_by_a_later_polis_in_format_1_still_builds() {
    let site = archived_example();
    // A later polis knows more: a field of its own everywhere, a section of its own.
    site.edit(FACTS, |facts| {
        let mut value: serde_json::Value = serde_json::from_str(facts).unwrap();
        value["signature"] = "sha256:…".into();
        value["facts"]["ai_systems"] = serde_json::json!([{ "name": "Chatbot" }]);
        value["facts"]["recipients"][0]["audited"] = true.into();
        value["facts"]["cookies"]["list"][0]["partitioned"] = false.into();
        *facts = serde_json::to_string_pretty(&value).unwrap();
    });
    // The same date: what this polis knows of the facts is the same.
    assert_diagnostics(&site.run(), &[]);
    site.edit(SITE, |y| {
        move_date(y);
        add_mollie(y);
    });
    polis(&site, &["build"], 0);
    let current = site.read("public/en/privacy-policy/index.html");
    let changes = changes_section(&current);
    assert!(changes.contains("New recipient: Mollie"), "{changes}");
    assert_eq!(changes.matches("<li>").count(), 4, "{changes}");
    assert!(
        site.path("public/en/privacy-policy/2026-03-01/index.html")
            .is_file()
    );
}

#[test]
fn an_archive_this_polis_cannot_read_is_reported_where_it_is() {
    let site = archived_example();
    site.edit(FACTS, |facts| {
        replace(facts, "\"format\": 1", "\"format\": 2")
    });
    site.write("archive/notes/facts.json", "{}");
    site.write("archive/2025-06-15/privacy.nl.html", "<p>no facts</p>");
    site.write(
        "archive/2025-01-01/facts.json",
        "{\n  \"format\": 1,\n  \"facts\": x\n}\n",
    );
    let outcome = site.run();
    assert_diagnostics_at(
        &outcome,
        &[
            (
                "archive-invalid",
                FACTS,
                site.line(FACTS, "\"format\": 2"),
                3,
            ),
            ("archive-invalid", "archive/notes", 0, 0),
            ("archive-invalid", "archive/2025-06-15", 0, 0),
            ("archive-invalid", "archive/2025-01-01/facts.json", 3, 12),
        ],
    );
    let format = outcome
        .diagnostics
        .iter()
        .find(|d| d.file == FACTS)
        .unwrap();
    assert_eq!(
        format.message,
        "archive/2026-03-01/facts.json is in archive format 2, written by a later polis; this polis reads format 1"
    );
    insta::assert_snapshot!(check_output(&site));
}

#[test]
fn an_archived_page_without_a_body_is_reported_at_the_page() {
    let site = archived_example();
    site.edit(SITE, move_date);
    site.write("archive/2026-03-01/cookies.en.html", "just text");
    assert_diagnostics(
        &site.run(),
        &[("archive-invalid", "archive/2026-03-01/cookies.en.html", 0)],
    );
}

#[cfg(unix)]
#[test]
fn a_link_in_the_archive_is_refused_where_it_is() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.html");
    std::fs::write(&secret, "<body>secret</body>").unwrap();

    let site = archived_example();
    site.edit(SITE, move_date);
    site.remove("archive/2026-03-01/privacy.nl.html");
    std::os::unix::fs::symlink(&secret, site.path("archive/2026-03-01/privacy.nl.html")).unwrap();
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[("symlink-skipped", "archive/2026-03-01/privacy.nl.html", 0)],
    );
    assert_eq!(
        the(&outcome, "symlink-skipped").severity,
        polis::diagnostics::Severity::Error
    );
    assert!(
        !outcome
            .rendered
            .files
            .values()
            .any(|f| String::from_utf8_lossy(f).contains("secret"))
    );

    // archive/ itself a link.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(site.path("archive"), elsewhere.path().join("archive")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("archive"), site.path("archive")).unwrap();
    assert_diagnostics(&site.run(), &[("symlink-skipped", "archive", 0)]);
    let output = polis(&site, &["archive"], 1);
    assert!(
        stderr(&output).contains("archive is a symbolic link"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_oversize_file_in_the_archive_is_not_read() {
    let site = archived_example();
    site.edit(SITE, move_date);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path("archive/2026-03-01/cookies.nl.html"))
        .unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let outcome = site.run();
    assert_diagnostics(
        &outcome,
        &[("file-too-large", "archive/2026-03-01/cookies.nl.html", 0)],
    );
}

#[test]
fn the_output_cannot_be_the_archive() {
    let site = archived_example();
    let before = site.tree("archive");
    let output = polis(&site, &["build", "--output", "archive/2026-03-01"], 2);
    assert!(
        stderr(&output).contains("it is inside the site's archive"),
        "{}",
        stderr(&output)
    );
    assert!(site.tree("archive") == before, "archive/ changed");
}

#[test]
fn two_builds_with_an_archive_are_byte_identical() {
    let site = archived_example();
    site.edit(SITE, |y| {
        move_date(y);
        add_mollie(y);
    });
    let (a, b) = (site.run(), site.run());
    assert!(a.rendered.files == b.rendered.files);
    assert!(Path::new(&site.path("archive/2026-03-01/facts.json")).is_file());
}

/// A site that reopens the cookie choice with the banner instead of a page of settings: the
/// change of `cookies.settings` is a change of the facts, named on the cookie policy in each
/// language (it was not among the fields compared, so the version said nothing of it).
#[test]
fn reopening_the_cookie_choice_with_the_banner_is_a_change() {
    let site = archived_example();
    site.edit(SITE, |y| {
        move_date(y);
        replace(
            y,
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }",
            "  settings: banner",
        );
    });
    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    let text =
        |name: &str, locale: &str| support::main_text(&support::page(&outcome, name, locale).html);
    for (locale, line) in [
        (
            "en",
            "- Cookie settings: cookie settings: https://www.lumen.example/en/cookie-settings → none; \
             reopening your choice: none → with the cookie settings button on our pages",
        ),
        (
            "nl",
            "- Cookie-instellingen: cookie-instellingen: https://www.lumen.example/nl/cookie-instellingen → geen; \
             je keuze opnieuw openen: geen → met de knop cookie-instellingen op onze pagina's",
        ),
    ] {
        let cookies = text("cookies", locale);
        assert!(cookies.contains(line), "no `{line}` in:\n{cookies}");
    }
}
