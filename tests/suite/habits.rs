//! What a new user expects of a command-line tool and of its messages (issue 26, parts 4 to 6):
//! paths that open by clicking from where polis ran, site.yaml found from a subfolder, hints that
//! lead to a file that checks, `--quiet`, `--color`, completions and a manual page.

use std::path::Path;
use std::process::Output;

use crate::support::*;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The diagnostics of `polis check --format json` run in `dir` with `args` before `check`.
fn json_check(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = polis_command(dir)
        .args(args)
        .args(["check", "--format", "json"])
        .output()
        .expect("run polis check");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    doc["diagnostics"].as_array().expect("a list").clone()
}

/// The example site with `dpo.appointed: no`, a mistake at a known place.
fn appointed_no() -> TestSite {
    example_with(|y| replace(y, "  appointed: true", "  appointed: no"))
}

#[test]
fn with_root_every_format_names_the_file_as_it_opens_from_here() {
    let site = appointed_no();
    let line = site.line("site.yaml", "appointed: no");
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let parent = site.root().parent().unwrap();
    let expected = format!("{name}/site.yaml");
    // The folder, or site.yaml itself, which means its folder.
    for root in [name.clone(), format!("{name}/site.yaml")] {
        let found = json_check(parent, &["--root", &root]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0]["file"], expected.as_str(), "--root {root}");
        assert_eq!(found[0]["line"], line);
        let human = polis_command(parent)
            .args(["--root", &root, "check"])
            .output()
            .unwrap();
        assert!(
            stderr(&human).contains(&format!("  --> {expected}:{line}:14\n")),
            "{}",
            stderr(&human)
        );
    }
}

#[test]
fn check_in_a_subfolder_finds_site_yaml_above_as_cargo_does() {
    let site = example();
    let out = polis_command(&site.path("content"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "check: 0 errors, 0 warnings\n");

    // A problem is named by its path from the subfolder.
    let site = appointed_no();
    let found = json_check(&site.path("content"), &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["file"], "../site.yaml");
}

#[test]
fn a_site_polis_cannot_read_is_no_count_of_errors_and_has_no_empty_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let out = polis_command(dir.path())
        .args(["--root", "nothere", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    let (first, rest) = text.split_once('\n').unwrap();
    assert!(
        first.starts_with("error[io-error]: cannot read site.yaml: "),
        "{text}"
    );
    assert_eq!(
        rest,
        "  --> nothere/site.yaml\n\
         help: run polis in a site folder, or point at one with --root; nothere/site.yaml does not exist\n\
         \n\
         check: cannot read nothere/site.yaml\n"
    );
    let build = polis_command(dir.path())
        .args(["--root", "nothere", "build"])
        .output()
        .unwrap();
    assert!(
        stderr(&build)
            .ends_with("build failed: cannot read nothere/site.yaml; nothing was written\n"),
        "{}",
        stderr(&build)
    );
}

#[test]
fn quiet_prints_nothing_when_all_is_well_and_counts_say_one_file() {
    let site = example();
    let out = site.polis(&["--quiet", "build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!((stdout(&out), stderr(&out)), (String::new(), String::new()));
    let out = site.polis(&["check", "-q"]);
    assert_eq!((stdout(&out), stderr(&out)), (String::new(), String::new()));
    // Problems are still printed.
    let broken = appointed_no();
    let out = broken.polis(&["check", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[wrong-type]"),
        "{}",
        stderr(&out)
    );

    let out = site.polis(&["export", "json"]);
    assert!(
        stdout(&out).ends_with("wrote 1 file to ./export/json\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let site = appointed_no();
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = polis_command(site.root());
        command.args(args).arg("check");
        for (k, v) in env {
            command.env(k, v);
        }
        stderr(&command.output().unwrap()).contains("\u{1b}[")
    };
    assert!(!coloured(&[], &[]), "a pipe is not coloured");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

#[test]
fn completions_and_the_manual_page_are_printed_for_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| polis_command(dir.path()).args(args).output().unwrap();
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(
        stdout(&bash).contains("complete -F _polis"),
        "{}",
        stdout(&bash)
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert!(
            out.status.success() && stdout(&out).contains("export"),
            "{shell}"
        );
    }
    let man = run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(page.contains(".TH polis 1"), "{page}");
    assert!(page.contains("completions"), "the subcommands are in it");
}

#[test]
fn a_boolean_written_no_is_told_to_write_false() {
    let site = appointed_no();
    let found = the(&site.run(), "wrong-type").clone();
    assert_eq!(
        found.hint.as_deref(),
        Some("`no` is text in site.yaml, not a yes or no: write `dpo.appointed: false`")
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opened() {
    let site = example_with(|y| replace(y, "  theme: default", "  theme: \"default"));
    let outcome = site.run();
    let line = site.line("site.yaml", "theme: \"default");
    assert_diagnostics_at(&outcome, &[("yaml-syntax", "site.yaml", line, 10)]);
    assert_eq!(
        the(&outcome, "yaml-syntax").message,
        "this \" opens a quoted value that is not closed on its line"
    );
}

#[test]
fn a_wrong_address_for_one_language_is_reported_at_that_language() {
    let site = example_with(|y| {
        replace(
            y,
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }",
            "  settings_url:\n    nl: https://www.lumen.example/nl/cookie-instellingen\n    en: www.lumen.example/en/cookie-settings",
        )
    });
    let line = site.line("site.yaml", "en: www.lumen.example");
    assert_diagnostics_at(&site.run(), &[("invalid-value", "site.yaml", line, 9)]);
}

/// How a country written otherwise than as its code is answered, at `company.address.country`
/// and at a recipient's.
#[test]
fn countries_written_as_names_or_regions_get_the_code_to_write() {
    let hint = |company: &str, recipient: &str| {
        let site = example_with(|y| {
            replace(
                y,
                "    country: BE                # ISO",
                &format!("    country: {company}  # ISO"),
            );
            replace(y, "    country: DE", &format!("    country: {recipient}"));
        });
        let outcome = site.run();
        let hints: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.hint.clone().unwrap_or_default()))
            .collect();
        hints
    };
    assert_eq!(
        hint("Nederland", "EEA"),
        [
            "invalid-value: did you mean `NL`? Countries are written as the two capital letters of ISO 3166-1",
            "invalid-value: `EEA` is a region, not a country: for a recipient that processes the data in the EEA, write `region: eea` instead of `country: EEA`",
        ]
    );
    assert_eq!(
        hint("EU", "nl"),
        [
            "unknown-country: `EU` is a region: write the one country, e.g. BE, NL, DE",
            "invalid-value: did you mean `NL`? Countries are written as the two capital letters of ISO 3166-1",
        ]
    );
    // A code polis does not know: no word of a theme's packs to a marketer.
    assert_eq!(
        hint("BE", "XQ"),
        [
            "unknown-country: check the code: the two capital letters of ISO 3166-1, e.g. BE, NL, DE, US"
        ]
    );
}

#[test]
fn the_consent_hint_suggests_only_data_the_site_declares() {
    let site = example_with(|y| {
        *y = y.replace("basis: consent", "basis: contract");
        replace(y, "  browsing:\n", "  visits:\n");
        replace(y, "data: [browsing]", "data: [visits]");
    });
    let outcome = site.run();
    let hints: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "gdpr-cookie-consent")
        .filter_map(|d| d.hint.as_deref())
        .collect();
    assert!(!hints.is_empty(), "{}", describe(&outcome.diagnostics));
    for hint in hints {
        assert!(hint.contains("data: [technical]"), "{hint}");
        assert!(!hint.contains("browsing"), "{hint}");
    }
}

#[test]
fn init_into_a_folder_says_how_to_check_it_and_gives_local_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = polis_command(dir.path())
        .args(["init", "mokka", "--country", "BE", "--locales", "nl,en"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.lines()
            .last()
            .unwrap()
            .contains("`polis check --root mokka` names those left"),
        "{said}"
    );
    let yaml = std::fs::read_to_string(dir.path().join("mokka/site.yaml")).unwrap();
    assert!(
        yaml.contains("`city: { nl: Brussel, en: Brussels }`"),
        "{yaml}"
    );
    assert!(yaml.contains("number: +32 2 123 45 67"), "{yaml}");
    assert!(
        !yaml.contains("+31") && !yaml.contains("Den Haag"),
        "{yaml}"
    );
}

/// The facts asked at a terminal are written as they were typed, as text, and checked.
#[test]
fn init_writes_the_name_website_and_email_it_was_given() {
    let request = polis::init::Request {
        country: "NL".into(),
        locales: vec!["nl".into(), "en".into()],
        legal_name: Some("Koffiebranderij \"Mokka\" B.V.".into()),
        website: Some("https://mokka.example".into()),
        email: Some("info@mokka.example".into()),
    };
    let yaml = polis::init::site_yaml(&request).unwrap();
    assert!(
        yaml.contains("  legal_name: \"Koffiebranderij \\\"Mokka\\\" B.V.\"\n"),
        "{yaml}"
    );
    let site = site_yaml_only(&yaml);
    let outcome = site.run();
    let unfilled: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unfilled-field")
        .map(|d| d.message.as_str())
        .collect();
    for field in ["company.legal_name", "company.website", "company.email"] {
        assert!(
            !unfilled
                .iter()
                .any(|m| m.starts_with(&format!("`{field}`"))),
            "{field}: {unfilled:?}"
        );
    }
    assert!(
        !outcome
            .diagnostics
            .iter()
            .any(|d| d.line == site.line("site.yaml", "legal_name:"))
    );
}

/// The example's `settings_url` line, replaced by `with`.
fn cookie_settings(with: &str) -> TestSite {
    example_with(|y| {
        replace(
            y,
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }",
            with,
        )
    })
}

/// A site whose banner reopens the choice says so, and its pages offer the button that the
/// consent banner answers, where a page of cookie settings would be linked.
#[test]
fn cookie_settings_in_the_banner_are_a_button_that_reopens_it() {
    let site = cookie_settings("  settings: banner");
    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    for (locale, words) in [("en", "cookie settings"), ("nl", "cookie-instellingen")] {
        let button =
            format!("<button type=\"button\" data-cc=\"show-preferencesModal\">{words}</button>");
        for name in ["cookies", "privacy"] {
            let html = &page(&outcome, name, locale).html;
            assert!(
                main_html(html).contains(&button),
                "{name} {locale}:\n{html}"
            );
            assert!(!html.contains("cookie-instellingen\"") && !html.contains("cookie-settings\""));
        }
    }

    // Both ways at once: which one is meant?
    let both = cookie_settings(
        "  settings: banner\n  settings_url: https://www.lumen.example/cookie-settings",
    );
    let line = both.line("site.yaml", "settings: banner");
    assert_diagnostics_at(&both.run(), &[("invalid-value", "site.yaml", line, 3)]);

    // Neither: the hint offers both.
    let neither = cookie_settings("");
    let outcome = neither.run();
    let hint = the(&outcome, "gdpr-cookie-settings").hint.clone().unwrap();
    assert!(hint.contains("`settings: banner`"), "{hint}");
}
