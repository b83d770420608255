//! What the texts polis ships need from site.yaml, asked for at site.yaml: leave a fact out of the
//! example site.yaml (with no content/ or themes/ folder, so the shipped texts are used) and
//! `check` names it once, at a line inside the item that lacks it, and nothing else; no diagnostic
//! names a file the site does not have. Waive the rule, and the texts leave the fact out instead
//! of failing.

use crate::support::check::check_output;
use crate::support::*;
use polis::Outcome;

const SITE: &str = "site.yaml";

/// A fact left out of the example site.yaml, and what `check` must say about it.
struct Omission {
    /// What is left out, for messages.
    what: &'static str,
    /// The text of site.yaml replaced...
    from: &'static str,
    /// ...by this.
    to: &'static str,
    /// The one diagnostic expected: its code,
    code: &'static str,
    /// the line it is on (the first line holding this text, plus a number of lines),
    at: (&'static str, usize),
    /// and a word its message names the item by.
    names: &'static str,
    /// The waiver's `at`, when the rule can be waived (`None`: not a GDPR rule).
    waive_at: Option<&'static str>,
}

/// Every requirement the shipped texts have on site.yaml.
const OMISSIONS: &[Omission] = &[
    Omission {
        what: "a legitimate interest",
        from: "    interest: { nl: niet leveren aan bedrijven die hun facturen niet kunnen betalen, en: not delivering to businesses that cannot pay their invoices }\n",
        to: "",
        code: "gdpr-legitimate-interest",
        at: ("key: credit", 2),
        names: "`credit`",
        waive_at: Some("credit"),
    },
    Omission {
        what: "a transfer safeguard",
        from: "    safeguard: data_privacy_framework\n",
        to: "",
        code: "gdpr-transfer-safeguard",
        at: ("    country: US\n    purposes: [newsletter]", 0),
        names: "`Mailchimp (Intuit Inc.)`",
        waive_at: Some("Mailchimp (Intuit Inc.)"),
    },
    Omission {
        what: "a retention period",
        from: "    retention: { period: 3 years, from: { nl: ons laatste contact, en: our last contact } }\n",
        to: "",
        code: "gdpr-retention",
        at: ("  correspondence:", 0),
        names: "`correspondence`",
        waive_at: Some("correspondence"),
    },
    Omission {
        what: "a cookie's duration",
        from: "      duration: 13 months\n",
        to: "",
        code: "gdpr-cookie-incomplete",
        at: ("- name: _pk_id", 0),
        names: "`_pk_id`",
        waive_at: Some("_pk_id"),
    },
    Omission {
        what: "the cookie settings page",
        from: "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }\n",
        to: "",
        code: "gdpr-cookie-settings",
        at: ("\ncookies:", 1),
        names: "4 cookies",
        waive_at: Some("settings_url"),
    },
    Omission {
        what: "a legal basis",
        from: "    basis: legal_obligation\n",
        to: "",
        code: "gdpr-legal-basis",
        at: ("key: accounting", 0),
        names: "`accounting`",
        waive_at: Some("accounting"),
    },
    Omission {
        what: "where data comes from",
        from: "  contact:\n    sources: [person]\n",
        to: "  contact:\n",
        code: "gdpr-source",
        at: ("  contact:\n", 0),
        names: "`contact`",
        waive_at: Some("contact"),
    },
    Omission {
        what: "a cookie's provider",
        from: "    - name: lumen_lang\n      provider: Lumen\n",
        to: "    - name: lumen_lang\n",
        code: "gdpr-cookie-incomplete",
        at: ("- name: lumen_lang", 0),
        names: "`lumen_lang`",
        waive_at: Some("lumen_lang"),
    },
    Omission {
        what: "a cookie's purpose",
        from: "      purpose: { nl: onthoudt je taal, en: remembers your language }\n",
        to: "",
        code: "gdpr-cookie-incomplete",
        at: ("- name: lumen_lang", 0),
        names: "`lumen_lang`",
        waive_at: Some("lumen_lang"),
    },
    Omission {
        what: "the texts of the description of a data category polis does not know",
        from: "      nl: je e-mailadres, je voornaam en welke nieuwsbrieven je opent\n      en: your e-mail address, your first name and which newsletters you open\n",
        to: "      {}\n",
        code: "missing-translation",
        at: ("      {}", 0),
        names: "`data.newsletter.description`",
        waive_at: None,
    },
    Omission {
        what: "the name and description of a data category polis does not know",
        from: "  prospects:\n",
        to: "  loyalty:\n    sources: [person]\n    retention: { rule: { nl: zolang je lid bent, en: as long as you are a member } }\n  prospects:\n",
        code: "missing-field",
        at: ("  loyalty:", 0),
        names: "`data.loyalty` has no `name` and `description`",
        waive_at: None,
    },
    Omission {
        what: "a recipient's country",
        from: "    service: { nl: verzenden van de nieuwsbrief, en: sending the newsletter }\n    country: US\n",
        to: "    service: { nl: verzenden van de nieuwsbrief, en: sending the newsletter }\n",
        code: "missing-field",
        at: ("- name: Mailchimp", 0),
        names: "`recipients[Mailchimp (Intuit Inc.)].country`",
        waive_at: None,
    },
    Omission {
        what: "whether a DPO is appointed, written as a word of another language",
        from: "  appointed: true\n",
        to: "  appointed: ja\n",
        code: "wrong-type",
        at: ("appointed: ja", 0),
        names: "`dpo.appointed`",
        waive_at: None,
    },
];

fn omitted(o: &Omission) -> String {
    let yaml = example_yaml();
    assert_eq!(
        yaml.matches(o.from).count(),
        1,
        "{}: `{}` is once in the example site.yaml",
        o.what,
        o.from
    );
    yaml.replacen(o.from, o.to, 1)
}

/// Every file a diagnostic names is one of the site folder's.
fn assert_files_exist(site: &TestSite, outcome: &Outcome, what: &str) {
    for d in &outcome.diagnostics {
        assert!(
            site.path(&d.file).is_file(),
            "{what}: `{}` names {}, which the site does not have",
            d.message,
            d.file
        );
        assert_ne!(d.code.as_str(), "polis-bug", "{what}: {}", d.message);
    }
}

#[test]
fn every_requirement_of_the_shipped_texts_is_asked_for_at_its_item_in_site_yaml() {
    for o in OMISSIONS {
        let yaml = omitted(o);
        let site = site_yaml_only(&yaml);
        let outcome = site.run();
        let line = site.line(SITE, o.at.0) + o.at.1;
        assert_diagnostics(&outcome, &[(o.code, SITE, line)]);
        let d = &outcome.diagnostics[0];
        assert!(
            d.message.contains(o.names),
            "{}: the message names the item: {}",
            o.what,
            d.message
        );
        assert!(d.hint.is_some(), "{}: says what to add", o.what);
        assert_files_exist(&site, &outcome, o.what);
        // The whole output, the wording of the message and the hint included.
        let name: String = o
            .what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        insta::assert_snapshot!(format!("without_{name}"), check_output(&site));
    }
}

#[test]
fn five_omissions_are_five_errors_in_one_run() {
    let mut yaml = example_yaml();
    for o in &OMISSIONS[..5] {
        yaml = yaml.replacen(o.from, o.to, 1);
    }
    let site = site_yaml_only(&yaml);
    let outcome = site.run();
    let expected: Vec<(&str, &str, usize)> = OMISSIONS[..5]
        .iter()
        .map(|o| (o.code, SITE, site.line(SITE, o.at.0) + o.at.1))
        .collect();
    assert_diagnostics(&outcome, &expected);
    assert_files_exist(&site, &outcome, "five omissions");

    // The same through the binary, as CI reads it: every annotation names a file of the repository.
    let output = site.polis(&["check", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("::error file=site.yaml,line=")),
        "{stdout}"
    );
}

#[test]
fn a_waived_requirement_is_left_out_of_the_pages_instead_of_failing_them() {
    for o in OMISSIONS.iter().filter(|o| o.waive_at.is_some()) {
        let yaml = format!(
            "{}\nwaivers:\n  - rule: {}\n    at: \"{}\"\n    reason: decided with our lawyer\n",
            omitted(o),
            o.code,
            o.waive_at.unwrap()
        );
        let site = site_yaml_only(&yaml);
        let outcome = site.run();
        let codes: Vec<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            codes,
            ["waived"],
            "{}: {}",
            o.what,
            describe(&outcome.diagnostics)
        );
        assert_eq!(
            outcome.rendered.pages.len(),
            4,
            "{}: every page renders",
            o.what
        );
    }
}

#[test]
fn without_a_settings_page_the_policies_link_none() {
    let o = &OMISSIONS[4];
    let yaml = format!(
        "{}\nwaivers:\n  - rule: gdpr-cookie-settings\n    reason: the banner opens from the footer\n",
        omitted(o)
    );
    let outcome = site_yaml_only(&yaml).run();
    for p in &outcome.rendered.pages {
        assert!(
            !p.html.contains("cookie-instellingen\"") && !p.html.contains("cookie-settings\""),
            "{} {}",
            p.name,
            p.locale
        );
    }
    let cookies_en = page(&outcome, "cookies", "en");
    assert!(
        cookies_en.text.contains(
            "You can withdraw your consent at any time, as easily as you gave it: write to"
        ),
        "{}",
        cookies_en.text
    );
    let cookies_nl = page(&outcome, "cookies", "nl");
    assert!(
        cookies_nl.text.contains("Je kunt je toestemming op elk moment intrekken, even makkelijk als je ze gaf: mail naar"),
        "{}",
        cookies_nl.text
    );
}

#[test]
fn each_language_links_its_own_settings_page() {
    let outcome = site_yaml_only(&example_yaml()).run();
    assert!(
        page(&outcome, "cookies", "nl")
            .html
            .contains("href=\"https://www.lumen.example/nl/cookie-instellingen\"")
    );
    assert!(
        page(&outcome, "cookies", "en")
            .html
            .contains("href=\"https://www.lumen.example/en/cookie-settings\"")
    );
    assert!(
        !page(&outcome, "privacy", "en")
            .html
            .contains("/nl/cookie-instellingen")
    );
}

#[test]
fn a_missing_translation_is_one_error_naming_the_languages() {
    let site = site_yaml_only(&example_yaml().replacen(
        "locales: [nl, en]",
        "locales: [nl, en, fr, de]",
        1,
    ));
    let outcome = site.run();
    let legal_form: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("`company.legal_form`"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        legal_form,
        ["`company.legal_form` has no `fr` and `de` text"]
    );
}

#[test]
fn a_missing_section_comes_with_an_example() {
    let yaml = example_yaml();
    let start = yaml.find("\ndata:\n").unwrap() + 1;
    let end = yaml.find("\n# Why you process").unwrap() + 1;
    let site = site_yaml_only(&format!("{}{}", &yaml[..start], &yaml[end..]));
    let outcome = site.run();
    let d = outcome
        .diagnostics
        .iter()
        .find(|d| d.message == "`data` is missing")
        .expect("data is missing");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("data:\n  contact:\n    sources: [person]"),
        "{:?}",
        d.hint
    );
}

/// A key given twice is named and its first value read on, so the same `check` names the problems
/// the rest of site.yaml has too: a misspelled key elsewhere, and a fact a GDPR rule asks for.
#[test]
fn a_duplicate_key_does_not_hide_the_problems_after_it() {
    let yaml = example_yaml()
        .replacen(
            "  trade_name: Lumen\n",
            "  trade_name: Lumen\n  trade_name: Lumen Gent\n",
            1,
        )
        .replacen("dpo:", "dpoo:", 1)
        .replacen(OMISSIONS[2].from, OMISSIONS[2].to, 1);
    let site = site_yaml_only(&yaml);
    let output = site.polis(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON document");
    let found: Vec<(&str, &str, u64)> = doc["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default();
            (
                text("code"),
                text("file"),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let line = |needle: &str| site.line(SITE, needle) as u64;
    assert_eq!(
        found,
        [
            ("duplicate-key", SITE, line("trade_name: Lumen Gent")),
            ("unknown-key", SITE, line("dpoo:")),
            ("gdpr-retention", SITE, line(OMISSIONS[2].at.0)),
        ]
    );
}
