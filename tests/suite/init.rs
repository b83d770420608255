//! `polis init`: a first site.yaml whose every open fact `polis check` names at its line, and
//! nothing else; what polis knows for the country is already in it; an existing site.yaml is
//! never replaced.

use crate::support;

use std::path::Path;

use crate::support::{polis_command, site_yaml_only};
use serde_json::Value;

/// An empty folder of its own, removed when dropped.
fn empty() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("polis-init-")
        .tempdir()
        .expect("a temporary folder")
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    polis_command(dir)
        .arg("init")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run polis init")
}

/// `polis check --format json` in `dir`: its diagnostics as `(code, line)`, and the exit code.
fn check(dir: &Path) -> (Vec<(String, usize)>, Option<i32>) {
    let out = polis_command(dir)
        .args(["check", "--format", "json"])
        .output()
        .expect("run polis check");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    let found = doc["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            assert_eq!(d["file"], "site.yaml", "{d}");
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    (found, out.status.code())
}

/// The 1-based lines of `text` that hold a value to fill in (not a comment that mentions one).
fn placeholder_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains("\"[fill in"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn check_names_every_placeholder_of_a_new_site_at_its_line_and_nothing_else() {
    let dir = empty();
    let out = init(dir.path(), &["--country", "NL", "--locales", "nl,en"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    assert!(
        yaml.starts_with("# yaml-language-server: $schema=site.schema.json\n"),
        "the schema comment first"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.schema.json")).unwrap(),
        polis::SCHEMA
    );

    let (found, code) = check(dir.path());
    assert_eq!(code, Some(1));
    let wrong: Vec<&(String, usize)> = found
        .iter()
        .filter(|(c, _)| c != "unfilled-field")
        .collect();
    assert!(wrong.is_empty(), "only unfilled fields: {wrong:?}");
    let mut lines: Vec<usize> = found.iter().map(|(_, l)| *l).collect();
    lines.dedup();
    assert_eq!(
        lines,
        placeholder_lines(&yaml),
        "one diagnostic at each placeholder's line, in order"
    );
    assert!(
        lines.len() >= 30,
        "the facts the policies need are asked for: {}",
        lines.len()
    );
}

#[test]
fn a_site_whose_placeholders_are_filled_in_is_clean() {
    let dir = empty();
    assert!(
        init(dir.path(), &["--country", "NL", "--locales", "nl"])
            .status
            .success()
    );
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    // Each placeholder replaced by a value of its kind, as a person filling it in would.
    let filled: String = yaml
        .lines()
        .map(|line| {
            let Some(at) = line
                .find("\"[fill in")
                .filter(|_| !line.trim_start().starts_with('#'))
            else {
                return format!("{line}\n");
            };
            let end = at + line[at + 1..].find('"').unwrap() + 2;
            let key = line[..at]
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches("- ");
            let value = match key {
                "nl" if line[at..end].contains("what starts the period") => {
                    "ons laatste contact".to_owned()
                }
                "base_url" | "website" | "nl" if line.contains("https://") => {
                    "https://www.voorbeeld.be".to_owned()
                }
                "effective_date" => "2026-03-01".to_owned(),
                "email" | "privacy_email" => "privacy@voorbeeld.be".to_owned(),
                "appointed" => "false".to_owned(),
                "period" => "2 years".to_owned(),
                "key" => "orders".to_owned(),
                "basis" => "contract".to_owned(),
                "data" => "[contact]".to_owned(),
                "purposes" => "[orders]".to_owned(),
                "role" => "processor".to_owned(),
                "country" => "NL".to_owned(),
                "automated_decisions" => "none".to_owned(),
                "security" => "[backups]".to_owned(),
                "consent" => "per_category".to_owned(),
                "party" => "first".to_owned(),
                "category" => "necessary".to_owned(),
                "duration" => "session".to_owned(),
                "postal_code" => "\"1012 AB\"".to_owned(),
                "enterprise_number" => "KvK 12345678".to_owned(),
                _ => "Voorbeeld".to_owned(),
            };
            let value = if line[at..end].contains("[fill in") && line[..at].ends_with('[') {
                value.trim_matches(['[', ']']).to_owned()
            } else {
                value
            };
            format!("{}{value}{}\n", &line[..at], &line[end..])
        })
        .collect();
    let site = site_yaml_only(&filled);
    let outcome = site.run();
    assert!(
        outcome.diagnostics.is_empty(),
        "{}\n{filled}",
        support::describe(&outcome.diagnostics)
    );
}

#[test]
fn a_second_init_refuses_and_leaves_the_site_yaml_as_it_was() {
    let dir = empty();
    assert!(init(dir.path(), &["--country", "NL"]).status.success());
    std::fs::write(dir.path().join("site.yaml"), "# mine\n").unwrap();
    let out = init(dir.path(), &["--country", "NL"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to replace"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
        "# mine\n"
    );
    // A link named site.yaml is not written through, even one that leads nowhere.
    #[cfg(unix)]
    {
        let other = empty();
        std::os::unix::fs::symlink(
            other.path().join("elsewhere.yaml"),
            other.path().join("site.yaml"),
        )
        .unwrap();
        assert_eq!(
            init(other.path(), &["--country", "NL"]).status.code(),
            Some(2)
        );
        assert!(!other.path().join("elsewhere.yaml").exists());
    }
}

#[test]
fn init_writes_into_the_folder_it_is_given_and_makes_it() {
    let dir = empty();
    let out = init(
        dir.path(),
        &["new/site", "--country", "DE", "--locales", "en"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(dir.path().join("new/site/site.yaml")).unwrap();
    assert!(yaml.contains("  locales: [en]"), "{yaml}");
}

#[test]
fn each_country_gets_its_authority_and_the_name_of_its_register_number() {
    let yaml = |country: &str| {
        let dir = empty();
        let out = init(dir.path(), &["--country", country, "--locales", "nl,en"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap()
    };
    let nl = yaml("NL");
    assert!(
        nl.contains("country: NL") && nl.contains("Autoriteit Persoonsgegevens"),
        "{nl}"
    );
    assert!(
        nl.contains("KvK-nummer") && nl.contains("Chamber of Commerce (KvK) number"),
        "{nl}"
    );
    assert!(
        nl.contains("  variant: NL "),
        "the Dutch legal wording is chosen in so many words"
    );
    let be = yaml("BE");
    assert!(
        be.contains("country: BE") && be.contains("Gegevensbeschermingsautoriteit"),
        "{be}"
    );
    assert!(
        be.contains("Ondernemingsnummer") && !be.contains("KvK"),
        "{be}"
    );
    assert!(
        !be.contains("  variant:"),
        "Belgian wording is the texts' own"
    );
    let fr = yaml("FR");
    assert!(fr.contains("CNIL"), "{fr}");
    // Outside the EEA polis knows no authority: site.yaml asks for one.
    let us = yaml("US");
    assert!(us.contains("authority:\n  name: \"[fill in"), "{us}");
}

#[test]
fn countries_and_languages_polis_cannot_write_for_are_refused_with_the_choices() {
    let dir = empty();
    let out = init(dir.path(), &["--country", "XX"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NL"),
        "the known countries are listed"
    );
    let out = init(dir.path(), &["--country", "NL", "--locales", "nl,es"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`es`"));
    // Without a terminal to ask at, the country must be given.
    let out = init(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--country"));
    assert!(!dir.path().join("site.yaml").exists());
}

#[test]
fn from_example_writes_the_commented_example_which_is_clean() {
    let dir = empty();
    let out = init(dir.path(), &["--from-example"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema=site.schema.json\n"));
    assert!(yaml.contains("Atelier Lumen"));
    let (found, code) = check(dir.path());
    assert_eq!((found, code), (Vec::new(), Some(0)));
}
