//! The GDPR rules, each broken once in the example site.yaml (with the texts and theme polis
//! ships), and waived: what `check` says, at which place, in which words.

use super::*;

/// The example site.yaml alone without the part from `start` up to (not including) `end`.
fn example_yaml_without(start: &str, end: &str) -> TestSite {
    let yaml = example_yaml();
    let from = yaml.find(start).expect("start");
    let to = from + yaml[from..].find(end).expect("end");
    site_yaml_only(&format!("{}{}", &yaml[..from], &yaml[to..]))
}

/// The example site.yaml alone with a waiver of `rule` at `at` appended.
fn example_yaml_waiving(rule: &str, at: &str) -> TestSite {
    site_yaml_only(&format!(
        "{}\nwaivers:\n  - rule: {rule}\n    at: \"{at}\"\n    reason: kept by law\n",
        example_yaml()
    ))
}

/// The example site.yaml alone, and the page `page` as texts of the site's own: the English one
/// as polis ships it, edited, the Dutch one as polis ships it.
fn own_texts_with(page: &str, edit: impl FnOnce(&mut String)) -> TestSite {
    let site = site_yaml_only(&example_yaml());
    let (en, nl) = (
        format!("content/{page}.en.md"),
        format!("content/{page}.nl.md"),
    );
    let mut text = site.read_repo(&en);
    edit(&mut text);
    site.write(&en, text);
    site.write(&nl, site.read_repo(&nl));
    site
}

check_cases! {
    a_privacy_policy_that_never_says_withdraw_is_told_of_the_right:
        own_texts_with("privacy", |t| {
            *t = t.replace("withdraw", "revoke").replace("Withdraw", "Revoke")
        })
        => [("gdpr-consent-withdrawal", "content/privacy.en.md", file())];

    a_site_that_names_no_recipients_is_told_to:
        example_yaml_without("recipients:\n  - name: Combell", "\nrights:")
        => [
            ("gdpr-recipients", SITE, file()),
            // (The part cut out holds automated_decisions too.)
            ("gdpr-automated-decisions", SITE, file()),
            ("gdpr-cookie-recipient", SITE, line("provider: Mailchimp (Intuit Inc.)")),
        ];

    the_record_of_processing_needs_whose_data_and_who_receives_it:
        {
            let mut yaml = example_yaml();
            // The first purpose that names its subjects.
            let subjects = "    subjects: { nl: sollicitanten, en: job applicants }\n";
            yaml = yaml.replacen(subjects, "", 1);
            replace(&mut yaml, "    purposes: [analytics]\n", "");
            site_yaml_only(&yaml)
        }
        => [
            ("gdpr-register", SITE, line("- key: recruitment\n")),
            ("gdpr-register", SITE, line("- name: Matomo (InnoCraft)")),
        ];

    automated_decisions_are_declared_either_way:
        example_yaml_with("automated_decisions: none\n", "")
        => [("gdpr-automated-decisions", SITE, file())];

    the_dpo_question_is_answered:
        example_yaml_without("dpo:  ", "# Where personal data")
        => [("gdpr-dpo", SITE, file())];

    outside_the_eea_an_authority_is_named:
        example_yaml_with("country: BE                #", "country: US                #")
        => [("gdpr-authority", SITE, at("US                #"))];

    /// The example moved to the Netherlands keeps its Belgian number, postal code and phones:
    /// each is reported where it is written, the phones as warnings.
    the_controller_s_identity_fits_its_country:
        example_yaml_with("country: BE                #", "country: NL                #")
        => [
            ("gdpr-identity", SITE, at("BE 0712.345.630")),
            ("gdpr-identity", SITE, at("\"9000\"")),
            ("gdpr-identity", SITE, at("+32 9 123 45 67")),
            ("gdpr-identity", SITE, at("+32 9 765 43 21")),
        ]
        says [
            "is not a Dutch Chamber of Commerce (KvK) number",
            "a postal code of `NL` is 4 digits and 2 capital letters, e.g. `1012 AB`",
            "warning[gdpr-identity]",
        ];

    /// A Belgian enterprise number whose check digits do not match is a mistyped one.
    a_belgian_enterprise_number_has_its_check_digits:
        example_yaml_with("BE 0712.345.630", "BE 0712.345.678")
        => [("gdpr-identity", SITE, at("BE 0712.345.678"))]
        says ["has the form but not the check digits of a Belgian enterprise number"];

    /// "Five years after Jan Janssens": a name is no event that starts a period.
    a_retention_period_starts_at_an_event_not_a_name:
        minimal_with("from: de laatste bestelling", "from: Jan Janssens")
        => [("gdpr-retention", SITE, at("Jan Janssens }"))]
        says ["`data.contact.retention.from` is `Jan Janssens`, a name site.yaml declares"];

    /// In one language only, as in both.
    a_recipient_named_in_one_language_is_no_event_either:
        example_yaml_with(
            "en: the end of our customer relationship }",
            "en: Combell }",
        )
        => [("gdpr-retention", SITE, at("Combell }"))]
        says ["`from: { nl: ..., en: ... }`"];

    /// Declared and used by no purpose: the policy would give it no purpose or legal basis.
    data_no_purpose_uses_is_an_error_at_the_data:
        minimal_with(
            "\npurposes:\n",
            "  technical:\n    sources: [person]\n    retention: { period: 1 year, from: je bezoek }\n\npurposes:\n",
        )
        => [("gdpr-legal-basis", SITE, at("technical:"))]
        says ["no purpose uses the data `technical`", "`data: [technical]`"];

    /// An adequacy decision is for a country: a region names none.
    an_adequacy_decision_names_its_country:
        example_yaml_with(
            "    region: eea                # or",
            "    region: mostly_eea\n    safeguard: adequacy   # or",
        )
        => [("gdpr-transfer-safeguard", SITE, at("adequacy   # or"))]
        says ["names a region, not the country the decision is for"];

    silence_about_cookies_is_an_error:
        example_yaml_without("# Cookies and similar technology", "# Your other documents")
        => [("gdpr-cookies", SITE, file())];

    a_third_party_cookie_names_a_recipient:
        example_yaml_with(
            "      provider: Mailchimp (Intuit Inc.)\n      party: third",
            "      provider: Hotjar Ltd\n      party: third",
        )
        => [("gdpr-cookie-recipient", SITE, at("Hotjar Ltd"))];

    every_language_states_the_same_facts:
        own_texts_with("cookies", |t| {
            replace(t, "## What cookies are", "We keep 42 cookies.\n\n## What cookies are")
        })
        => [("gdpr-locales-differ", "content/cookies.en.md", at("42 cookies"))];

    vague_words_are_named:
        example_yaml_with("en: Sending our newsletter", "en: Sending some newsletters")
        => [("gdpr-vague-language", SITE, at("some newsletters"))];

    /// Waived, a rule is not told again: the waiver is, as a note (with its reason).
    a_waived_rule_is_a_note:
        {
            let mut yaml = example_yaml();
            replace(&mut yaml, "automated_decisions: none\n", "");
            yaml.push_str("\nwaivers:\n  - rule: gdpr-automated-decisions\n");
            yaml.push_str("    reason: asked of our lawyer\n");
            site_yaml_only(&yaml)
        }
        => [("waived", SITE, line("rule: gdpr-automated-decisions"))];

    a_waiver_that_waives_nothing_is_unused:
        example_yaml_waiving("gdpr-retention", "contcat")
        => [("unused-waiver", SITE, after("    at: "))]
        says ["did you mean `contact`?"];
}
