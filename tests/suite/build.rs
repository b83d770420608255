//! What polis does with a site, end to end: each test is a site (the example site plus one edit,
//! or a fixture), and what polis must make of it or print. What `check` says about each broken
//! site is the table of the `check` module; values shown as data are the child module `values`.

use crate::support::*;
use insta::assert_snapshot;

mod languages;
mod values;

const SITE: &str = "site.yaml";
const PRIVACY_NL: &str = "content/privacy.nl.md";

// ---------------------------------------------------------------------------------------------
// The example site

#[test]
fn the_example_site_builds_clean() {
    let outcome = example().run();

    assert_diagnostics(&outcome, &[]);
    let pages: Vec<(&str, &str, &str)> = outcome
        .rendered
        .pages
        .iter()
        .map(|p| (p.name.as_str(), p.locale.as_str(), p.url.as_str()))
        .collect();
    assert_eq!(
        pages,
        [
            ("privacy", "nl", "/nl/privacyverklaring/"),
            ("cookies", "nl", "/nl/cookiebeleid/"),
            ("privacy", "en", "/en/privacy-policy/"),
            ("cookies", "en", "/en/cookie-policy/"),
        ]
    );
    let files: Vec<&str> = outcome.rendered.files.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        [
            "en/cookie-policy/index.html",
            "en/privacy-policy/index.html",
            "index.html",
            "nl/cookiebeleid/index.html",
            "nl/privacyverklaring/index.html",
            "style.css",
        ]
    );
}

#[test]
fn every_page_has_the_same_sections_in_every_language() {
    let outcome = example().run();
    assert_diagnostics(&outcome, &[]);

    for name in ["privacy", "cookies"] {
        let ids = |locale| {
            page(&outcome, name, locale)
                .toc
                .iter()
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
        };
        assert!(!ids("nl").is_empty(), "the {name} page has no sections");
        assert_eq!(
            ids("nl"),
            ids("en"),
            "the {name} page has other sections in nl than in en"
        );
    }
}

#[test]
fn the_main_text_of_the_example_pages() {
    let outcome = example().run();
    assert_diagnostics(&outcome, &[]);

    assert_snapshot!(
        "privacy_nl",
        main_text(&page(&outcome, "privacy", "nl").html)
    );
    assert_snapshot!(
        "privacy_en",
        main_text(&page(&outcome, "privacy", "en").html)
    );
    assert_snapshot!(
        "cookies_nl",
        main_text(&page(&outcome, "cookies", "nl").html)
    );
    assert_snapshot!(
        "cookies_en",
        main_text(&page(&outcome, "cookies", "en").html)
    );
}

/// The lines of `text` from the one that is `first` up to the one before `end`.
fn lines_between<'t>(text: &'t str, first: &str, end: &str) -> Vec<&'t str> {
    text.lines()
        .skip_while(|l| *l != first)
        .take_while(|l| *l != end)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_summary_says_only_what_site_yaml_and_the_page_declare() {
    // No trade name, and a page without a description: the summary names the company by its legal
    // name alone, and says nothing of what the page covers.
    let site = example_with(|yaml| delete_line(yaml, "trade_name: Lumen"));
    site.edit(PRIVACY_NL, |text| delete_line(text, "description:"));
    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);

    let privacy = main_text(&page(&outcome, "privacy", "nl").html);
    assert_eq!(
        lines_between(&privacy, "## In het kort", "## Inhoud"),
        [
            "## In het kort",
            "Verantwoordelijk voor je gegevens",
            "Atelier Lumen, Korenlei 12, 9000 Gent, België",
            "Vragen en je rechten",
            "Mail naar [privacy@lumen.example](mailto:privacy@lumen.example). Je hebt het recht om je gegevens in te zien, ze \
             te laten verbeteren of wissen en bezwaar te maken tegen het gebruik ervan. Je kunt ook een klacht indienen bij de \
             toezichthouder. Lees meer: [Jouw rechten](#your-rights).",
        ]
    );
    // The cookie policy links to the privacy policy for the rights, and to the cookie settings.
    let cookies = main_text(&page(&outcome, "cookies", "en").html);
    assert_eq!(
        lines_between(&cookies, "## In short", "## Contents"),
        [
            "## In short",
            "Responsible for your data",
            "Atelier Lumen, Korenlei 12, 9000 Ghent, Belgium",
            "On this page",
            "Which cookies our website uses, what for, for how long and how you allow or refuse them.",
            "Questions and your rights",
            "Write to [privacy@lumen.example](mailto:privacy@lumen.example). You have the right to see your data, to have it \
             corrected or erased and to object to its use. You can also complain to the supervisory authority. Read more: \
             [Privacy policy](../../en/privacy-policy/).",
            "Cookie settings",
            "[Open your cookie settings](https://www.lumen.example/en/cookie-settings)",
        ]
    );
}

#[test]
fn every_page_ends_with_the_company_name_and_address() {
    let outcome = example().run();
    assert_diagnostics(&outcome, &[]);

    for (name, locale, address) in [
        (
            "privacy",
            "nl",
            "Lumen (Atelier Lumen) Korenlei 12, 9000 Gent, België",
        ),
        (
            "cookies",
            "nl",
            "Lumen (Atelier Lumen) Korenlei 12, 9000 Gent, België",
        ),
        (
            "privacy",
            "en",
            "Lumen (Atelier Lumen) Korenlei 12, 9000 Ghent, Belgium",
        ),
        (
            "cookies",
            "en",
            "Lumen (Atelier Lumen) Korenlei 12, 9000 Ghent, Belgium",
        ),
    ] {
        let html = &page(&outcome, name, locale).html;
        let footer = &html[html.find("<footer").expect("a footer")..];
        let start = footer.find("<address").expect("an address in the footer");
        let end = footer.find("</address>").expect("the end of the address");
        let text = polis::text::visible_text(&footer[start..end])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(text, address, "the footer of the {name} page in {locale}");
        assert!(
            footer[start..end].contains(r#"<a href="https://www.lumen.example">"#),
            "{}",
            &footer[start..end]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// site.yaml: syntax and encoding

#[test]
fn a_site_yaml_that_is_not_utf8_is_reported_at_the_bad_byte() {
    let site = example();
    let text = site.read(SITE);
    let (line, column) = position(&text, "Korenlei").expect("the example has a street");
    let at = text.find("Korenlei").expect("the example has a street") + "Kor".len();
    site.write(
        SITE,
        [&text.as_bytes()[..at], b"\xff", &text.as_bytes()[at + 1..]].concat(),
    );

    assert_diagnostics_at(&site.run(), &[("not-utf8", SITE, line, column + 3)]);
}

/// The example site with a line of Latin-1 text at the end of content/privacy.nl.md, and the
/// line and column of its bad byte.
fn example_with_latin1_content() -> (TestSite, (usize, usize)) {
    let site = example();
    site.edit(PRIVACY_NL, |t| append(t, "Caf\u{1} Lumen."));
    let (line, column) = site.pos(PRIVACY_NL, "\u{1}");
    let bytes = site
        .read(PRIVACY_NL)
        .into_bytes()
        .into_iter()
        .map(|b| if b == 1 { 0xe9 } else { b })
        .collect::<Vec<u8>>();
    site.write(PRIVACY_NL, bytes);
    (site, (line, column))
}

#[test]
fn a_content_file_that_is_not_utf8_is_reported_at_the_bad_byte() {
    let (site, (line, column)) = example_with_latin1_content();

    let outcome = site.run();
    let d = the(&outcome, "not-utf8");
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (PRIVACY_NL, line, column)
    );
}

#[test]
fn a_content_file_that_is_not_utf8_is_only_reported_as_not_utf8() {
    let (site, (line, column)) = example_with_latin1_content();

    assert_diagnostics_at(&site.run(), &[("not-utf8", PRIVACY_NL, line, column)]);
    assert_snapshot!(check::check_output(&site));
}

// ---------------------------------------------------------------------------------------------
// Content

#[test]
fn a_locale_added_to_the_example_site_names_every_text_it_lacks() {
    let site = example_with(|y| replace(y, "locales: [nl, en]", "locales: [nl, en, es]"));

    // Every localized text of site.yaml (a mapping with an `nl:` key; the slugs are not texts),
    // the two pages and the theme's strings.
    let yaml = site.read(SITE);
    let localized_texts = yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.contains("nl: ")
                && !l.trim_start().starts_with('#')
                && !l.contains("privacy: privacyverklaring")
        })
        .map(|(i, _)| ("missing-translation", SITE, i + 1));
    let de = site.pos(SITE, "es]").0;
    let files = [
        ("missing-translation", SITE, de),
        ("missing-translation", SITE, de),
        ("missing-translation", SITE, de),
    ];
    let expected: Vec<(&str, &str, usize)> = localized_texts.chain(files).collect();
    assert!(
        expected.len() > 40,
        "the example site has fewer localized texts than expected"
    );
    assert_diagnostics(&site.run(), &expected);
}

#[test]
fn a_page_deleted_from_the_site_falls_back_to_the_text_polis_ships() {
    let site = example();
    site.remove("content/cookies.en.md");

    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    assert_eq!(
        page(&outcome, "cookies", "en").source,
        "<polis>/content/cookies.en.md"
    );
}

// ---------------------------------------------------------------------------------------------
// The command line

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

#[test]
fn build_writes_the_site() {
    let site = example();

    let output = site.polis(&["build"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed = stdout(&output);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0], "  /nl/privacyverklaring/  (privacy nl, from content/privacy.nl.md)",
        "{printed}"
    );
    assert!(
        lines[4].starts_with("wrote 4 pages (6 files) to ./public in "),
        "{printed}"
    );
    let written: Vec<String> = site.tree("public").into_keys().collect();
    assert_eq!(
        written,
        [
            "en/cookie-policy/index.html",
            "en/privacy-policy/index.html",
            "index.html",
            "nl/cookiebeleid/index.html",
            "nl/privacyverklaring/index.html",
            "style.css",
        ]
    );
}

/// Builds the example, breaks its site.yaml with `edit`, and builds again: the second build fails
/// with a `code` diagnostic and leaves public/ and the site folder as they were.
fn assert_a_failed_build_changes_nothing(edit: impl FnOnce(&mut String), code: &str) {
    let site = example();
    assert_eq!(site.polis(&["build"]).status.code(), Some(0));
    let before = site.tree("public");
    let files = || -> Vec<String> {
        std::fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect()
    };
    let site_files_before = files();

    site.edit(SITE, edit);
    let output = site.polis(&["build"]);

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!("[{code}]")),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    assert!(site.tree("public") == before, "public/ changed");
    assert_eq!(
        files(),
        site_files_before,
        "the build left files in the site folder"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    assert_a_failed_build_changes_nothing(
        |y| replace(y, "period: 5 years", "period: 12 maanden"),
        "invalid-value",
    );
}

#[test]
fn a_build_whose_pages_fail_the_checks_leaves_the_previous_output_as_it_was() {
    // The pages are written beside public/ while the checks read them: what the checks find must
    // still keep them out, and the staging folder must go.
    assert_a_failed_build_changes_nothing(
        |y| {
            replace(
                y,
                "  trade_name: Lumen",
                "  trade_name: \"[naam invullen]\"",
            )
        },
        "placeholder-text",
    );
}

#[test]
fn a_broken_site_writes_nothing() {
    let site = example_with(|y| replace(y, "period: 5 years", "period: 12 maanden"));

    let output = site.polis(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!site.path("public").exists());
}

#[test]
fn build_refuses_to_write_into_the_site_folder_itself() {
    let site = example();
    let before = site.tree("");

    let output = site.polis(&["build", "--output", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert!(site.tree("") == before, "the site folder changed");
}

#[test]
fn build_refuses_to_write_into_the_root_of_the_file_system() {
    let site = example();
    let before = site.tree("");

    let output = site.polis(&["build", "--output", "/"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert!(site.tree("") == before, "the site folder changed");
}

/// The minimal fixture with an error in site.yaml, an error in each of two texts of its own, and a
/// text in a language the site does not have (a warning).
fn site_with_problems_in_several_files() -> TestSite {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(y, "email: info@example.be", "email: info@example")
    });
    site.write(
        PRIVACY_NL,
        "---\ntitle: Privacyverklaring\n---\n## Contact\n\nFax: {{ company.fax }}\n",
    );
    site.write(
        "content/cookies.en.md",
        "---\ntitle: Cookie policy\n---\n## Terms\n\nSee [our terms](@doc/terms).\n",
    );
    site.write(
        "content/privacy.fr.md",
        "---\ntitle: Politique de confidentialité\n---\nBonjour.\n",
    );
    site
}

#[test]
fn check_prints_json() {
    let site = site_with_problems_in_several_files();

    let output = site.polis(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "");
    assert_snapshot!("check_json", stdout(&output));
}

#[test]
fn check_prints_github_workflow_commands() {
    let site = site_with_problems_in_several_files();

    let output = site.polis(&["check", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "");
    assert_snapshot!("check_github", stdout(&output));
}

#[test]
fn check_prints_rustc_style_text_without_colour_when_piped() {
    let site = site_with_problems_in_several_files();

    let output = site.polis(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        !stderr(&output).contains('\u{1b}'),
        "colour codes in piped output"
    );
    assert_snapshot!("check_human", stderr(&output));
}

#[test]
fn check_fails_on_warnings_only_when_told_to() {
    let site = example();
    site.write(
        "content/privacy.fr.md",
        "---\ntitle: Politique de confidentialité\n---\nBonjour.\n",
    );
    assert_diagnostics(
        &site.run(),
        &[("unknown-locale", "content/privacy.fr.md", 0)],
    );

    assert_eq!(site.polis(&["check"]).status.code(), Some(0));
    assert_eq!(
        site.polis(&["check", "--deny-warnings"]).status.code(),
        Some(1)
    );
}

// ---------------------------------------------------------------------------------------------
// The site folder: what polis does not find, or will not use

#[test]
fn a_theme_without_index_html_uses_the_default_themes() {
    let site = fixture("minimal");
    site.edit(SITE, |y| {
        replace(
            y,
            "  effective_date: 2026-01-01",
            "  effective_date: 2026-01-01\n  theme: plain",
        )
    });
    let page_html = site_yaml_only("")
        .read_repo("themes/default/templates/page.html")
        .replace("<main", "<main data-theme=\"plain\"");
    site.write("themes/plain/templates/page.html", page_html);
    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    assert!(
        page(&outcome, "privacy", "nl")
            .html
            .contains("data-theme=\"plain\"")
    );
    assert!(outcome.rendered.files.contains_key("index.html"));
}
