//! Hostile and malformed values in site.yaml, one table: each case is one edit of the minimal
//! site and the exact diagnostics a user is owed (code, and the line that holds `at`), in one run,
//! and the whole output of `polis check` for every case, in one snapshot.

use crate::support::*;

const SITE: &str = "site.yaml";

/// An edit of the minimal site.yaml (`from` → `to`, `from` occurring once) and what it must give:
/// `(code, text on the diagnostic's line)`; an empty text means the whole file (line 0).
struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    expected: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "a day that does not exist",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-02-30",
        expected: &[("invalid-value", "effective_date:")],
    },
    Case {
        name: "a month that does not exist",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-13-01",
        expected: &[("invalid-value", "effective_date:")],
    },
    Case {
        name: "a date in words",
        from: "effective_date: 2026-01-01",
        to: "effective_date: yesterday",
        expected: &[("invalid-value", "effective_date:")],
    },
    Case {
        name: "a date as a number",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 20260101",
        expected: &[("invalid-value", "effective_date:")],
    },
    Case {
        name: "a javascript: base URL",
        from: "base_url: https://www.example.be",
        to: "base_url: \"javascript:alert(1)\"",
        expected: &[("invalid-value", "base_url:")],
    },
    Case {
        name: "a base URL without a dotted host",
        from: "base_url: https://www.example.be",
        to: "base_url: http://localhost",
        expected: &[("invalid-value", "base_url:")],
    },
    Case {
        name: "a base URL with a space",
        from: "base_url: https://www.example.be",
        to: "base_url: https://exa mple.be",
        expected: &[("invalid-value", "base_url:")],
    },
    Case {
        name: "a data: website",
        from: "website: https://www.example.be",
        to: "website: \"data:text/html,<script>alert(1)</script>\"",
        expected: &[("invalid-value", "website:")],
    },
    Case {
        name: "an address without a domain ending",
        from: "email: info@example.be",
        to: "email: info@example",
        expected: &[("invalid-value", "  email:")],
    },
    Case {
        name: "an address in angle brackets",
        from: "email: info@example.be",
        to: "email: \"<info@example.be>\"",
        expected: &[("invalid-value", "  email:")],
    },
    Case {
        name: "no language",
        from: "locales: [nl, en]",
        to: "locales: []",
        expected: &[("invalid-value", "locales:")],
    },
    Case {
        name: "a country with a space",
        from: "    country: BE\n  enterprise",
        to: "    country: \"B E\"\n  enterprise",
        expected: &[("invalid-value", "country: \"B E\"")],
    },
    Case {
        name: "a postal code as a list",
        from: "postal_code: \"1000\"",
        to: "postal_code: [1, 2]",
        expected: &[("wrong-type", "postal_code:")],
    },
    Case {
        name: "a text without one of the languages",
        from: "legal_name: Voorbeeld BV",
        to: "legal_name: { nl: Voorbeeld BV }",
        expected: &[("missing-translation", "legal_name:")],
    },
    Case {
        name: "a text in a language the site does not have",
        from: "legal_name: Voorbeeld BV",
        to: "legal_name: { nl: Voorbeeld BV, en: Example BV, fr: Exemple SRL }",
        expected: &[("unknown-key", "legal_name:")],
    },
    Case {
        name: "an empty name",
        from: "legal_name: Voorbeeld BV",
        to: "legal_name: \"\"",
        expected: &[("unfilled-field", "legal_name:")],
    },
    Case {
        name: "a name of spaces",
        from: "legal_name: Voorbeeld BV",
        to: "legal_name: \"   \"",
        expected: &[("unfilled-field", "legal_name:")],
    },
    Case {
        name: "a name left null",
        from: "legal_name: Voorbeeld BV",
        to: "legal_name: ~",
        expected: &[("unfilled-field", "legal_name:")],
    },
    Case {
        name: "appointed as a word",
        from: "appointed: false",
        to: "appointed: nee",
        expected: &[("wrong-type", "appointed:")],
    },
    Case {
        name: "a DPO appointed without names",
        from: "  appointed: false\n  contact: Jan Janssens",
        to: "  appointed: true\n  email: dpo@example.be",
        expected: &[("missing-field", "dpo:")],
    },
    Case {
        name: "a negative retention",
        from: "period: 5 years",
        to: "period: -1 years",
        expected: &[("invalid-value", "retention:")],
    },
    Case {
        name: "a retention of 99,999,999,999 years",
        from: "period: 5 years",
        to: "period: 99999999999 years",
        expected: &[("invalid-value", "retention:")],
    },
    Case {
        name: "a retention in eons",
        from: "period: 5 years",
        to: "period: 5 eons",
        expected: &[("invalid-value", "retention:")],
    },
    Case {
        name: "a cookie kept forever",
        from: "duration: session",
        to: "duration: forever",
        expected: &[("invalid-value", "duration:")],
    },
    Case {
        name: "a cookie duration in scientific notation",
        from: "duration: session",
        to: "duration: 1e9 days",
        expected: &[("invalid-value", "duration:")],
    },
    Case {
        name: "a misspelled legal basis",
        from: "basis: contract",
        to: "basis: contrct",
        expected: &[("invalid-value", "basis:")],
    },
    Case {
        name: "a legal basis as a list",
        from: "basis: contract",
        to: "basis: [contract]",
        expected: &[("wrong-type", "basis:")],
    },
    Case {
        name: "a purpose naming data that does not exist",
        from: "data: [contact]",
        to: "data: [contacts]",
        expected: &[("unknown-reference", "data: [contacts]")],
    },
    Case {
        name: "a purpose key with a space",
        from: "key: orders",
        to: "key: my orders",
        expected: &[("invalid-value", "key: my orders")],
    },
    Case {
        name: "two purposes with one key",
        from: "    data: [contact]\n",
        to: "    data: [contact]\n  - key: orders\n    name: Nog eens\n    basis: contract\n    subjects: klanten\n    data: [contact]\n",
        expected: &[("duplicate-key", "  - key: orders\n    name: Nog eens")],
    },
    Case {
        name: "a cookie listed twice",
        from: "      duration: session",
        to: "      duration: session\n    - { name: session, provider: X, party: first, category: necessary, purpose: Y, duration: session }",
        expected: &[("duplicate-key", "- { name: session")],
    },
    Case {
        name: "a recipient who is the boss",
        from: "role: processor",
        to: "role: boss",
        expected: &[("invalid-value", "role:")],
    },
    Case {
        name: "a second party",
        from: "party: first",
        to: "party: second",
        expected: &[("invalid-value", "party:")],
    },
    Case {
        name: "a cookie category polis does not know",
        from: "category: necessary",
        to: "category: tracking",
        expected: &[("invalid-value", "category:")],
    },
    Case {
        name: "an ftp settings page",
        from: "settings_url: https://www.example.be/cookies",
        to: "settings_url: ftp://www.example.be/cookies",
        expected: &[("invalid-value", "settings_url:")],
    },
    Case {
        name: "a misspelled top-level key",
        from: "dpo:\n",
        to: "dpoo:\n",
        expected: &[("unknown-key", "dpoo:")],
    },
    Case {
        name: "a tab for indentation",
        from: "  appointed: false",
        to: "\tappointed: false",
        expected: &[("yaml-syntax", "appointed:")],
    },
    Case {
        name: "a section given twice",
        from: "dpo:\n",
        to: "site: {}\ndpo:\n",
        expected: &[("duplicate-key", "site: {}")],
    },
    Case {
        name: "a quote never closed",
        from: "legal_form: BV",
        to: "legal_form: \"BV",
        // Where the quote opened, not where the YAML stopped making sense (issue 26).
        expected: &[("yaml-syntax", "legal_form: \"BV")],
    },
    Case {
        name: "an anchor that names itself",
        from: "legal_form: BV",
        to: "legal_form: &a [*a]",
        expected: &[("yaml-syntax", "legal_form:")],
    },
    Case {
        name: "a slug with a space",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-01-01\n  slugs: { nl: { privacy: \"privacy beleid\" } }",
        expected: &[("invalid-value", "slugs:")],
    },
    Case {
        name: "a slug that starts with a dash",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-01-01\n  slugs: { nl: { privacy: -x } }",
        expected: &[("invalid-value", "slugs:")],
    },
    Case {
        name: "an absolute output folder",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-01-01\n  output: /etc",
        expected: &[("unsafe-path", "output:")],
    },
    Case {
        name: "a theme that is a path",
        from: "effective_date: 2026-01-01",
        to: "effective_date: 2026-01-01\n  theme: ../x",
        expected: &[("unsafe-path", "theme:")],
    },
    Case {
        name: "a waiver of a rule polis does not have",
        from: "      duration: session",
        to: "      duration: session\nwaivers:\n  - { rule: gdpr-nope, reason: because }",
        expected: &[("unknown-rule", "gdpr-nope")],
    },
    Case {
        name: "a phone number in words",
        from: "  email: info@example.be",
        to: "  email: info@example.be\n  phones: [{ number: call me }]",
        expected: &[("invalid-value", "phones:")],
    },
    Case {
        name: "a NUL in a value",
        from: "legal_form: BV",
        to: "legal_form: \"B\\0V\"",
        expected: &[("invalid-value", "legal_form:")],
    },
    Case {
        name: "a NUL in a key",
        from: "legal_form: BV",
        to: "legal_form: BV\n  \"x\\0y\": 1",
        expected: &[("unknown-key", "x\\0y")],
    },
    Case {
        name: "a merge of something that is no mapping",
        from: "legal_form: BV",
        to: "legal_form: BV\n  <<: 5",
        expected: &[("yaml-syntax", "<<: 5")],
    },
    Case {
        name: "a list as a key",
        from: "legal_form: BV",
        to: "legal_form: BV\n  ? [a]\n  : 1",
        expected: &[("yaml-syntax", "? [a]")],
    },
    Case {
        name: "a second document",
        from: "dpo:\n",
        to: "---\ndpo:\n",
        expected: &[("yaml-syntax", "---")],
    },
    Case {
        name: "a purpose without a basis",
        from: "    basis: contract\n",
        to: "",
        expected: &[("gdpr-legal-basis", "key: orders")],
    },
    Case {
        name: "a marketing cookie without a consent purpose, nor how the banner asks",
        from: "category: necessary",
        to: "category: marketing",
        expected: &[
            ("gdpr-cookie-settings", "cookies:"),
            ("gdpr-cookie-consent", "- name: session"),
        ],
    },
];

#[test]
fn every_hostile_value_gets_its_diagnostic_and_nothing_else() {
    let mut failures = Vec::new();
    let mut printed = String::new();
    for case in CASES {
        let site = fixture("minimal");
        site.edit(SITE, |y| replace(y, case.from, case.to));
        printed.push_str(&format!(
            "## {}\n{}\n",
            case.name,
            check::check_output(&site)
        ));
        let outcome = site.run();
        let expected: Vec<(String, String, usize)> = case
            .expected
            .iter()
            .map(|(code, at)| {
                (
                    code.to_string(),
                    SITE.to_owned(),
                    if at.is_empty() {
                        0
                    } else {
                        site.line(SITE, at)
                    },
                )
            })
            .collect();
        let found: Vec<(String, String, usize)> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity != polis::diagnostics::Severity::Note)
            .map(|d| (d.code.as_str().to_owned(), d.file.clone(), d.line))
            .collect();
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}\n{}",
                case.name,
                describe(&outcome.diagnostics)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
    // What `polis check` prints for each case, the wording included.
    insta::assert_snapshot!(printed);
}
