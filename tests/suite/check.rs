//! What `polis check` says about a broken site, case by case: the example site (or the minimal
//! fixture) with an edit, the exact diagnostics it must report (code, file, and the place found by
//! the text there) and nothing else, and the whole output, wording of messages and hints included,
//! pinned in snapshots/suite__check__<case>.snap. `INSTA_UPDATE=always cargo test --test suite
//! check::` rewrites the snapshots; read the diff before committing it.

use crate::support::check::{after, at, check_cases, file, line};
use crate::support::*;

mod gdpr;

const SITE: &str = "site.yaml";
const PRIVACY_NL: &str = "content/privacy.nl.md";
const COOKIES_EN: &str = "content/cookies.en.md";
const PAGE_HTML: &str = "themes/default/templates/page.html";

/// The example site with `paragraph` appended to content/privacy.nl.md.
fn example_with_privacy_nl(paragraph: &str) -> TestSite {
    let site = example();
    site.edit(PRIVACY_NL, |t| append(t, paragraph));
    site
}

/// The example site.yaml alone (polis's own texts and theme), with `from` replaced by `to`.
fn example_yaml_with(from: &str, to: &str) -> TestSite {
    let mut yaml = example_yaml();
    replace(&mut yaml, from, to);
    site_yaml_only(&yaml)
}

/// The minimal fixture with one edit of its site.yaml.
fn minimal_with(from: &str, to: &str) -> TestSite {
    let site = fixture("minimal");
    site.edit(SITE, |y| replace(y, from, to));
    site
}

// ---------------------------------------------------------------------------------------------
// site.yaml: syntax

check_cases! {
    /// The minimal site has nothing to say: the baseline of the cases on it.
    the_minimal_site_is_clean: fixture("minimal") => [];

    malformed_yaml_is_a_syntax_error_where_the_parser_stops:
        example_with(|y| replace(y, "  trade_name: Lumen", "   trade_name: Lumen"))
        => [("yaml-syntax", SITE, after("   trade_name"))];

    /// The message names the key.
    a_duplicate_key_is_reported_at_the_second_one:
        example_with(|y| {
            replace(y, "  trade_name: Lumen\n", "  trade_name: Lumen\n  trade_name: Lumen Gent\n")
        })
        => [("duplicate-key", SITE, at("trade_name: Lumen Gent"))]
        says ["`trade_name`"];
}

// ---------------------------------------------------------------------------------------------
// site.yaml: keys, types and values

check_cases! {
    a_misspelled_optional_key_is_unknown_with_a_suggestion:
        example_with(|y| replace(y, "trade_name: Lumen", "trade_nam: Lumen"))
        => [("unknown-key", SITE, at("trade_nam:"))]
        says ["did you mean `trade_name`?"];

    /// Reported once: not again as a missing `legal_name`.
    a_misspelled_required_key_is_reported_once_with_a_suggestion:
        example_with(|y| replace(y, "legal_name: Atelier Lumen", "legal_nam: Atelier Lumen"))
        => [("unknown-key", SITE, at("legal_nam:"))]
        says ["legal_name"];

    a_number_where_a_list_belongs_is_the_wrong_type:
        example_with(|y| {
            let from = y.find("  phones:\n").expect("phones in the example");
            let to = y.find("  privacy_email:").expect("privacy_email in the example");
            y.replace_range(from..to, "  phones: 12\n");
        })
        => [("wrong-type", SITE, after("phones: "))];

    a_list_where_text_belongs_is_the_wrong_type:
        example_with(|y| replace(y, "legal_name: Atelier Lumen", "legal_name: [Atelier, Lumen]"))
        => [("wrong-type", SITE, after("legal_name: "))];

    locales_of_the_wrong_type_are_one_error_and_nothing_else:
        example_with(|y| replace(y, "locales: [nl, en]", "locales: { nl: x }"))
        => [("wrong-type", SITE, after("locales: "))];

    a_missing_field_of_a_one_line_mapping_is_reported_on_that_line:
        example_with(|y| {
            replace(
                y,
                "{ period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }",
                "{ period: 5 years }",
            )
        })
        => [("missing-field", SITE, line("{ period: 5 years }"))]
        says ["`data.contact.retention.from` is missing"];

    a_missing_required_field_is_reported_at_its_section:
        example_with(|y| delete_line(y, "privacy_email: privacy@lumen.example"))
        => [("missing-field", SITE, line("company:\n"))]
        says ["`company.privacy_email` is missing"];

    an_empty_string_is_an_unfilled_field:
        example_with(|y| replace(y, "email: hallo@lumen.example", "email: \"\""))
        => [("unfilled-field", SITE, at("\"\""))];

    a_localized_text_without_one_of_the_locales_is_a_missing_translation:
        example_with(|y| {
            replace(
                y,
                "legal_form: { nl: besloten vennootschap (BV), en: private limited company (BV) }",
                "legal_form: { nl: besloten vennootschap (BV) }",
            )
        })
        => [("missing-translation", SITE, after("legal_form: "))]
        says ["`company.legal_form` has no `en` text"];

    /// Not mistaken for a typo: the hint says to add the language to site.locales, and no
    /// "did you mean".
    a_localized_text_in_a_language_the_site_does_not_have_is_an_unknown_key:
        example_with(|y| {
            replace(y, "city: { nl: Gent, en: Ghent }", "city: { nl: Gent, en: Ghent, fr: Gand }")
        })
        => [("unknown-key", SITE, at("fr: Gand"))]
        says ["site.locales"];

    an_email_address_without_a_domain_ending_is_invalid:
        example_with(|y| replace(y, "email: hallo@lumen.example", "email: contact@mess-security"))
        => [("invalid-value", SITE, at("contact@mess-security"))];

    a_period_in_dutch_is_invalid:
        example_with(|y| replace(y, "period: 5 years", "period: 12 maanden"))
        => [("invalid-value", SITE, at("12 maanden"))]
        says ["`12 maanden` is not a period"];

    every_error_in_site_yaml_is_reported_in_one_run:
        example_with(|y| {
            replace(y, "email: hallo@lumen.example", "email: contact@mess-security");
            replace(y, "period: 5 years", "period: 12 maanden");
            replace(y, "country: BE                #", "country: Belgium            #");
        })
        => [
            ("invalid-value", SITE, at("Belgium")),
            ("invalid-value", SITE, at("contact@mess-security")),
            ("invalid-value", SITE, at("12 maanden")),
        ];

    errors_in_site_yaml_and_in_content_are_reported_in_one_run:
        {
            let site = example_with_privacy_nl("Fax: {{ company.fax }}");
            site.edit(SITE, |y| {
                replace(y, "email: hallo@lumen.example", "email: contact@mess-security")
            });
            site
        }
        => [
            ("invalid-value", SITE, at("contact@mess-security")),
            ("unfilled-field", PRIVACY_NL, at("company.fax")),
        ];

    errors_in_site_yaml_content_and_templates_are_reported_in_one_run:
        {
            let site = example_with_privacy_nl("Fax: {{ company.fax }}");
            site.edit(SITE, |y| {
                let with_fax = "legal_name: Atelier Lumen\n  fax: 09 123 45 68";
                replace(y, "legal_name: Atelier Lumen", with_fax)
            });
            site.edit(PAGE_HTML, |t| replace(t, "</footer>", "{{ company.slogan }}</footer>"));
            site
        }
        => [
            ("unfilled-field", PRIVACY_NL, line("company.fax")),
            ("unknown-key", SITE, line("fax:")),
            ("unfilled-field", PAGE_HTML, line("company.slogan")),
        ];
}

// ---------------------------------------------------------------------------------------------
// site.yaml alone: the requirements of the texts polis ships, and values checked against the law

check_cases! {
    a_country_name_is_an_invalid_value:
        example_yaml_with("country: BE                #", "country: Belgium            #")
        => [("invalid-value", SITE, line("Belgium"))];

    a_three_letter_country_code_is_an_invalid_value:
        example_yaml_with("    country: US\n", "    country: USA\n")
        => [("invalid-value", SITE, line("country: USA"))];

    a_misspelled_source_is_an_unknown_reference:
        example_yaml_with(
            "    sources: [public]\n    retention: { period: 3 years",
            "    sources: [publik]\n    retention: { period: 3 years",
        )
        => [("unknown-reference", SITE, line("[publik]"))];

    a_misspelled_legal_basis_is_one_error_not_its_consequences:
        example_yaml_with(
            "    basis: legitimate_interests\n    interest: { nl: niet",
            "    basis: legitimate_interest\n    interest: { nl: niet",
        )
        => [("invalid-value", SITE, line("legitimate_interest\n"))];

    /// Each of the two texts, at its own column, with the fix in quotes.
    a_comma_inside_a_text_says_to_quote_it:
        example_yaml_with(
            "    description:\n      nl: je e-mailadres, je voornaam en welke nieuwsbrieven je opent\n      en: your e-mail address, your first name and which newsletters you open\n",
            "    description: { nl: je naam, adres en telefoon, en: your name, address and phone }\n",
        )
        => [
            ("invalid-value", SITE, at("adres en telefoon")),
            ("invalid-value", SITE, at("address and phone")),
        ]
        says [
            "put the text in quotes: `nl: \"je naam, adres en telefoon\"`",
            "put the text in quotes: `en: \"your name, address and phone\"`",
        ];

    an_unknown_country_is_named_once:
        example_yaml_with("    country: DE\n", "    country: XK\n")
        => [("unknown-country", SITE, line("country: XK"))]
        says ["polis does not know the country `XK`"];

    /// An error: Art. 12(3) allows one month, extended by two at most for complex requests.
    a_response_time_of_two_months_is_too_long:
        example_yaml_with("response_time: 1 month", "response_time: 2 months")
        => [("invalid-value", SITE, line("response_time"))]
        says ["error[invalid-value]", "Art. 12(3)"];

    /// A warning, with the fix.
    a_response_time_of_30_days_is_not_a_month:
        example_yaml_with("response_time: 1 month", "response_time: 30 days")
        => [("invalid-value", SITE, line("response_time"))]
        says [
            "warning[invalid-value]",
            "write `response_time: 1 month`: a month is not always 30 days",
        ];

    a_response_time_of_two_weeks_is_within_the_law:
        example_yaml_with("response_time: 1 month", "response_time: 2 weeks") => [];

    /// Warnings, each with the fix.
    names_and_numbers_written_the_usual_wrong_way_get_a_warning_with_the_fix:
        {
            let mut yaml = example_yaml();
            let names = "  names: [Sofie Claes, Jonas Peeters]";
            replace(&mut yaml, names, "  names: \"Sofie Claes, Jonas Peeters\"");
            replace(&mut yaml, "  phone: +32 9 123 45 99", "  phone: +32 (0)9 123 45 99");
            site_yaml_only(&yaml)
        }
        => [
            ("invalid-value", SITE, line("  names:")),
            ("invalid-value", SITE, line("(0)9")),
        ]
        says [
            "list each person as an item: `names: [Sofie Claes, Jonas Peeters]`",
            "write `+32 9 123 45 99`",
            "check: 0 errors, 2 warnings",
        ];

    a_recipient_is_one_party_or_a_category:
        example_yaml_with("  - name: Combell\n", "  - name: Combell\n    category: Hosting\n")
        => [("invalid-value", SITE, line("category: Hosting"))];

    a_recipient_is_in_one_country_or_a_region:
        example_yaml_with("    region: eea ", "    country: BE\n    region: eea ")
        => [("invalid-value", SITE, line("    country: BE\n    region: eea"))]
        says ["a recipient has a `country` or a `region`, not both"];
}

// ---------------------------------------------------------------------------------------------
// Content

check_cases! {
    /// Each language compiles its own content templates: a broken one in Dutch must not hide a
    /// problem in the English cookie policy.
    a_content_file_that_does_not_compile_is_named_and_the_other_pages_still_render:
        {
            let site = example_with_privacy_nl("Naam: {{ company.name | }}");
            site.edit(COOKIES_EN, |t| append(t, "Fax: {{ company.fax }}"));
            site
        }
        => [
            ("template-syntax", PRIVACY_NL, line("company.name | }}")),
            ("unfilled-field", COOKIES_EN, line("company.fax")),
        ];

    a_field_the_site_does_not_have_is_an_unfilled_field_where_it_is_used:
        example_with_privacy_nl("Fax: {{ company.fax }}")
        => [("unfilled-field", PRIVACY_NL, at("company.fax"))]
        says ["`company.fax` is used here, but it has no value"];

    every_unfilled_field_of_a_content_file_is_reported:
        example_with_privacy_nl(
            "Fax: {{ company.fax }}, telex: {{ company.telex }}.\n\nOf bel {{ dpo.pager }}.",
        )
        => [
            ("unfilled-field", PRIVACY_NL, at("company.fax")),
            ("unfilled-field", PRIVACY_NL, at("company.telex")),
            ("unfilled-field", PRIVACY_NL, at("dpo.pager")),
        ];

    /// Reported where `de` is listed, since the files do not exist: the two pages and the pack.
    a_locale_without_texts_misses_its_pages_and_its_locale_pack:
        minimal_with("locales: [nl, en]", "locales: [nl, en, es]")
        => [
            ("missing-translation", SITE, at("es]")),
            ("missing-translation", SITE, at("es]")),
            ("missing-translation", SITE, at("es]")),
        ]
        says ["help: write content/privacy.es.md"];

    /// Reported at the site's own text, the file that exists.
    a_page_of_the_sites_own_in_one_language_only_is_a_missing_translation:
        {
            let site = example();
            site.edit("content/cookies.nl.md", |t| append(t, "Vragen over cookies? Mail ons."));
            site.remove(COOKIES_EN);
            site
        }
        => [("missing-translation", "content/cookies.nl.md", file())];

    a_link_to_a_page_that_does_not_exist_is_unresolved:
        example_with_privacy_nl("Zie [x](@/nope).")
        => [("unresolved-link", PRIVACY_NL, at("@/nope"))];

    a_link_to_a_document_that_does_not_exist_is_unresolved:
        example_with_privacy_nl("Zie [x](@doc/nope).")
        => [("unresolved-link", PRIVACY_NL, at("@doc/nope"))];

    every_unresolved_link_is_reported_where_it_is:
        {
            let site = example_with_privacy_nl("Of [y](@/nope) hier.");
            site.edit(PRIVACY_NL, |t| {
                replace(t, "\n## Wie we zijn", "\nZie [x](@/nope).\n\n## Wie we zijn")
            });
            site
        }
        => [
            ("unresolved-link", PRIVACY_NL, after("[x](")),
            ("unresolved-link", PRIVACY_NL, after("[y](")),
        ];
}

// ---------------------------------------------------------------------------------------------
// Placeholders and broken links in what a reader would see

check_cases! {
    /// Once, though the text is on a page in one language only.
    a_bracketed_instruction_in_content_is_placeholder_text_reported_once:
        example_with_privacy_nl("Zie [/link invoegen naar cookiepolicy].")
        => [("placeholder-text", PRIVACY_NL, at("[/link invoegen"))];

    /// Once, at site.yaml, though every page shows the value.
    a_bracketed_instruction_in_site_yaml_is_placeholder_text_in_site_yaml_reported_once:
        example_with(|y| {
            replace(
                y,
                "legal_form: { nl: besloten vennootschap (BV), en: private limited company (BV) }",
                "legal_form: \"[naam invullen]\"",
            )
        })
        => [("placeholder-text", SITE, at("[naam invullen]"))];

    todo_and_lorem_ipsum_in_content_are_placeholder_text:
        example_with_privacy_nl("TODO: nakijken.\n\nLorem ipsum dolor sit amet.")
        => [
            ("placeholder-text", PRIVACY_NL, at("TODO")),
            ("placeholder-text", PRIVACY_NL, at("Lorem")),
        ];

    a_link_to_hash_goes_nowhere:
        example_with_privacy_nl("Zie [hier](#).")
        => [("broken-link", PRIVACY_NL, after("[hier]("))];

    every_link_to_hash_is_reported_where_it_is:
        example_with_privacy_nl("Zie [hier](#).\n\nOf [daar](#).")
        => [
            ("broken-link", PRIVACY_NL, after("[hier](")),
            ("broken-link", PRIVACY_NL, after("[daar](")),
        ];
}

// ---------------------------------------------------------------------------------------------
// The site folder: what polis does not find, or will not use

check_cases! {
    /// Nothing could be read at all: exit 2, as for a usage error.
    a_folder_without_site_yaml_is_an_io_error:
        {
            let site = site_yaml_only("");
            site.remove(SITE);
            site
        }
        => [("io-error", SITE, file())]
        says ["help: run polis in a site folder", "exit: 2"];

    a_theme_that_is_not_there_is_unknown:
        minimal_with("  effective_date: 2026-01-01", "  effective_date: 2026-01-01\n  theme: fancy")
        => [("unknown-theme", SITE, at("fancy"))];

    content_files_for_no_page_are_unknown_pages:
        {
            let site = fixture("minimal");
            site.write("content/terms.nl.md", "---\ntitle: Voorwaarden\n---\nTekst.\n");
            site.write("content/privacy-nl.md", "---\ntitle: Privacy\n---\nTekst.\n");
            site
        }
        => [
            ("unknown-page", "content/privacy-nl.md", file()),
            ("unknown-page", "content/terms.nl.md", file()),
        ]
        says [
            "`privacy-nl.md` is not named `<page>.<locale>.md`",
            "polis has no page `terms`",
        ];

    /// A warning: `check` passes unless told to deny warnings (build's tests).
    a_text_in_a_language_the_site_does_not_have_is_not_published:
        {
            let site = example();
            let french = "---\ntitle: Politique de confidentialité\n---\nBonjour.\n";
            site.write("content/privacy.fr.md", french);
            site
        }
        => [("unknown-locale", "content/privacy.fr.md", file())]
        says ["exit: 0"];
}
