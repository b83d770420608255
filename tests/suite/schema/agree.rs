//! Sites the schema and the decoder agree on: mistakes both reject, each at its place; what the
//! texts need, which both ask for; forms the example does not use, which both accept.

use super::*;

/// Mistakes the schema must flag: `(the example's text, replaced by this, the JSON pointer of the
/// place the schema reports)`.
const BROKEN: &[(&str, &str, &str)] = &[
    (
        "legal_name: Atelier Lumen",
        "legal_nam: Atelier Lumen",
        "/company",
    ),
    (
        "basis: contract\n",
        "basis: contractt\n",
        "/purposes/0/basis",
    ),
    (
        "period: 5 years",
        "period: 12 maanden",
        "/data/contact/retention/period",
    ),
    (
        "duration: session",
        "duration: until closed",
        "/cookies/list/0/duration",
    ),
    (
        "country: BE                #",
        "country: be                #",
        "/company/address/country",
    ),
    (
        "effective_date: 2026-03-01",
        "effective_date: 2026-02-30",
        "/site/effective_date",
    ),
    (
        "date: 2025-06-15",
        "date: 2025-02-29",
        "/site/changes/1/date",
    ),
    (
        "privacy_email: privacy@lumen.example",
        "privacy_email: privacy@lumen",
        "/company/privacy_email",
    ),
    (
        "website: https://www.lumen.example",
        "website: www.lumen.example",
        "/company/website",
    ),
    (
        "privacy: privacy-policy",
        "privacy: Privacy_Policy",
        "/site/slugs/en/privacy",
    ),
    ("appointed: true", "appointed: false", "/dpo"),
    (
        "category: marketing",
        "category: advertising",
        "/cookies/list/5/category",
    ),
    (
        "safeguard: data_privacy_framework",
        "safeguard: privacy_shield",
        "/recipients/2/safeguard",
    ),
    (
        "response_time: 1 month",
        "response_time: a month",
        "/rights/response_time",
    ),
    (
        "response_time: 1 month",
        "response_time: 9999999999 months",
        "/rights/response_time",
    ),
    (
        "number: +32 9 123 45 67",
        "number: call us",
        "/company/phones/0",
    ),
    (
        "city: { nl: Gent, en: Ghent }",
        "city: {}",
        "/company/address/city",
    ),
    (
        "locales: [nl, en]",
        "locales: [nl, english]",
        "/site/locales/1",
    ),
    ("terms_of_sale:", "Terms of sale:", "/documents"),
];

/// Mistakes the schema must flag, each at its place; the decoder rejects every one of them too.
#[test]
fn broken_sites_are_rejected_by_the_schema_and_the_decoder() {
    let yaml = example_yaml();
    for (from, to, at) in BROKEN {
        let broken = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&broken));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{at}: ")) || e.starts_with(&format!("{at}/"))),
            "`{to}`: the schema should report a problem at {at}; it reported:\n{}",
            errors.join("\n")
        );
        let decoded = decoder_diagnostics(&broken);
        assert!(
            !decoded.is_empty(),
            "`{to}`: the schema rejects it but the decoder accepts it"
        );
    }
}

/// What the texts need and `check` asks for at an item, the schema requires there too (with if/then
/// where it depends on another value), so an editor flags it while the user types.
#[test]
fn the_schema_requires_what_check_asks_for() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "    interest: { nl: niet leveren aan bedrijven die hun facturen niet kunnen betalen, en: not delivering to businesses that cannot pay their invoices }\n",
            "",
            "/purposes/2",
            "gdpr-legitimate-interest",
        ),
        (
            "    safeguard: data_privacy_framework\n",
            "",
            "/recipients/2",
            "gdpr-transfer-safeguard",
        ),
        (
            "    retention: { period: 3 years, from: { nl: ons laatste contact, en: our last contact } }\n",
            "",
            "/data/correspondence",
            "gdpr-retention",
        ),
        (
            "      duration: 13 months\n",
            "",
            "/cookies/list/3",
            "gdpr-cookie-incomplete",
        ),
        (
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }\n",
            "",
            "/cookies",
            "gdpr-cookie-settings",
        ),
        (
            "    basis: legal_obligation\n",
            "",
            "/purposes/1",
            "gdpr-legal-basis",
        ),
        (
            "  contact:\n    sources: [person]\n",
            "  contact:\n",
            "/data/contact",
            "gdpr-source",
        ),
    ];
    let yaml = example_yaml();
    for (from, to, at, code) in cases {
        let broken = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&broken));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{at}: ")) && e.contains("is a required property")),
            "without `{}`: the schema should require it at {at}; it reported:\n{}",
            from.trim(),
            errors.join("\n")
        );
        let codes: Vec<String> = run(&broken)
            .iter()
            .map(|d| d.code.as_str().to_owned())
            .collect();
        assert_eq!(codes, [*code], "without `{}`", from.trim());
    }
    // A recipient in the EEA, and a site whose cookies are all necessary, need neither.
    let eea = edited(
        &edited(&yaml, "    safeguard: data_privacy_framework\n", ""),
        "    country: US\n",
        "    country: IE\n",
    );
    assert!(schema_errors(&to_json(&eea)).is_empty());
}

/// Forms the decoder accepts that the example does not use: the schema accepts them too.
#[test]
fn other_accepted_forms_pass_the_schema() {
    let dpo = "  appointed: true\n  names: [Sofie Claes, Jonas Peeters]\n  email: dpo@lumen.example\n  phone: +32 9 123 45 99\n";
    let cases: &[(&str, &str)] = &[
        (
            dpo,
            "  appointed: false\n  contact: { nl: onze zaakvoerder, en: our managing director }\n",
        ),
        ("names: [Sofie Claes, Jonas Peeters]", "names: Sofie Claes"),
        (
            "retention: { period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }",
            "retention: { rule: { nl: tot je je uitschrijft, en: until you unsubscribe } }",
        ),
        (
            "- label: { nl: Winkel, en: Shop }\n      number: +32 9 765 43 21",
            "- +32 9 765 43 21",
        ),
        ("  person: {}\n", "  person:\n"),
        (
            "sources: [person]\n    retention: { period: 3 years",
            "sources: person\n    retention: { period: 3 years",
        ),
        ("postal_code: \"9000\"", "postal_code: 9000"),
        ("duration: 30 minutes", "duration: 1 hour"),
        (
            "rights:\n",
            "authority:\n  name: Gegevensbeschermingsautoriteit\n  url: { nl: https://www.gegevensbeschermingsautoriteit.be, en: https://www.dataprotectionauthority.be }\n  \
             email: contact@apd-gba.be\nwaivers:\n  - rule: gdpr-vague-language\n    at: nl\n    reason: legal wording\nrights:\n",
        ),
    ];
    let yaml = example_yaml();
    for (from, to) in cases {
        let variant = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&variant));
        assert!(
            errors.is_empty(),
            "`{to}` should pass the schema:\n{}",
            errors.join("\n")
        );
        let decoded = decoder_diagnostics(&variant);
        assert!(
            decoded.is_empty(),
            "`{to}` should pass the decoder:\n{}",
            describe(&decoded)
        );
    }
}
