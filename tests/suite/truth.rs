//! Every sentence of the shipped texts states the law or the reader's rights, or comes from a fact
//! site.yaml declares. A minimal site (only what polis requires) reads none of the sentences a
//! company would have to have said; each declared fact brings its sentence, in Dutch as written in
//! Belgium and in the Netherlands, and in English.

use crate::support::*;
use polis::Outcome;

/// The text of every page in `locale`, one after the other, as a reader sees it (one space between
/// words, whatever the markup).
fn text(outcome: &Outcome, locale: &str) -> String {
    let all = outcome
        .rendered
        .pages
        .iter()
        .filter(|p| p.locale == locale)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn edited(yaml: &str, from: &str, to: &str) -> String {
    assert_eq!(yaml.matches(from).count(), 1, "`{from}`");
    yaml.replacen(from, to, 1)
}

/// Sentences that state a fact about a company, which only a declaration in site.yaml may bring:
/// `(nl, en)`, each a part of the sentence.
const UNDECLARED: &[(&str, &str)] = &[
    ("verwerkersovereenkomst", "data processing agreement"),
    ("verkopen je gegevens nooit", "never sell"),
    (
        "alleen de gegevens die ze nodig hebben",
        "only the data they need",
    ),
    ("sterk wachtwoord", "strong password"),
    ("back-ups", "back-ups"),
    ("firewall", "firewall"),
    ("houden een register bij", "record of all processing"),
    ("geheimhoudingsplicht", "confidentiality"),
    ("schrijven we die afweging op", "write down that assessment"),
    ("laten we je dat meteen weten", "we tell you straight away"),
    ("neemt een medewerker", "made by a member of our staff"),
    ("zakelijke klant", "business customer"),
    ("particuliere klanten", "private customers"),
    ("gaan we eerst na", "we first check"),
    (
        "alleen met je toestemming",
        "only send you the newsletter with your consent",
    ),
    (
        "alleen om je sollicitatie te behandelen",
        "only to handle your application",
    ),
    ("per e-mail", "by e-mail"),
    ("Wat er veranderde", "What changed"),
    ("rechter, de politie", "a court, the police"),
    ("Laat het ons eerst weten", "Tell us first"),
    ("gewoon computerbestand", "ordinary computer file"),
    ("vragen we per categorie", "we ask you, for each category"),
    (
        "Cookies van derden gebruiken we niet",
        "We use no third-party cookies",
    ),
    (
        "We nemen over jou geen beslissingen",
        "We make no decisions about you",
    ),
    (
        "met niemand buiten onze organisatie",
        "no one outside our organisation",
    ),
];

#[test]
fn a_minimal_site_reads_no_fact_it_did_not_declare() {
    // Only what polis requires; automated decisions and cookies left to a waiver, so that not even
    // their `none` is said.
    let yaml = format!(
        "{}\nwaivers:\n  - rule: gdpr-automated-decisions\n    reason: asked of our lawyer\n",
        edited(
            &edited(&minimal_yaml(), "automated_decisions: none\n", ""),
            "      party: first\n",
            "      party: third\n"
        )
    );
    let outcome = built(&yaml);
    let (nl, en) = (text(&outcome, "nl"), text(&outcome, "en"));
    for (dutch, english) in UNDECLARED {
        assert!(
            !nl.contains(dutch),
            "the minimal site's Dutch pages say `{dutch}`"
        );
        assert!(
            !en.contains(english),
            "the minimal site's English pages say `{english}`"
        );
    }
    // What the law says, and the reader's rights, are there.
    for (dutch, english) in [
        ("art. 32 AVG", "Art. 32 GDPR"),
        ("recht op vergetelheid", "right to be forgotten"),
        (
            "gestructureerde, gangbare en machineleesbare vorm",
            "structured, commonly used and machine-readable format",
        ),
        (
            "Je hebt het recht om een klacht in te dienen",
            "You have the right to lodge a complaint",
        ),
        (
            "Je hebt het recht om niet onderworpen te worden",
            "You have the right not to be subject",
        ),
    ] {
        assert!(nl.contains(dutch), "the Dutch pages lack `{dutch}`");
        assert!(en.contains(english), "the English pages lack `{english}`");
    }
}

#[test]
fn the_right_to_object_stands_apart() {
    let outcome = built(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        )
        .unwrap(),
    );
    for (locale, heading) in [
        ("nl", "Je recht van bezwaar"),
        ("en", "Your right to object"),
    ] {
        let page = page(&outcome, "privacy", locale);
        assert!(
            page.html.contains(&format!(">{heading}</h2>")),
            "{locale}: a heading of its own"
        );
        let section = page
            .html
            .split("id=\"object\"")
            .nth(1)
            .unwrap()
            .split("<h2")
            .next()
            .unwrap();
        assert!(section.contains("<strong>"), "{locale}: in bold");
    }
}

/// `(the declaration, what it replaces in the minimal site.yaml, [(locale, variant country, sentence)])`
struct Fact {
    what: &'static str,
    from: &'static str,
    to: &'static str,
    sentences: &'static [(&'static str, &'static str)],
}

const FACTS: &[Fact] = &[
    Fact {
        what: "a security measure",
        from: "automated_decisions: none\n",
        to: "automated_decisions: none\nsecurity: [encryption_in_transit]\n",
        sentences: &[
            (
                "nl",
                "versleutelen het verkeer tussen je browser en onze website",
            ),
            (
                "en",
                "encrypt the traffic between your browser and our website",
            ),
        ],
    },
    Fact {
        what: "a security measure in the site's own words",
        from: "automated_decisions: none\n",
        to: "automated_decisions: none\nsecurity: [{ nl: laten elk jaar een audit doen, en: have an audit every year }]\n",
        sentences: &[
            ("nl", "laten elk jaar een audit doen"),
            ("en", "have an audit every year"),
        ],
    },
    Fact {
        what: "e-mail about changes",
        from: "  effective_date: 2026-01-01\n",
        to: "  effective_date: 2026-01-01\n  email_about_changes: true\n",
        sentences: &[
            ("nl", "dan laten we het je ook per e-mail weten"),
            ("en", "we also tell you by e-mail"),
        ],
    },
    Fact {
        what: "no automated decisions",
        from: "automated_decisions: none\n",
        to: "automated_decisions: none\n",
        sentences: &[
            (
                "nl",
                "We nemen over jou geen beslissingen die alleen op geautomatiseerde verwerking berusten",
            ),
            (
                "en",
                "We make no decisions about you based solely on automated processing",
            ),
        ],
    },
    Fact {
        what: "an automated decision with profiling",
        from: "automated_decisions: none\n",
        to: "automated_decisions:\n  - decision: Of je op factuur mag betalen\n    logic: Je betaalgeschiedenis\n    consequences: Anders betaal je vooraf\n    profiling: true\n",
        sentences: &[
            (
                "nl",
                "Of je op factuur mag betalen (met profilering). Hoe het werkt: Je betaalgeschiedenis. Wat het voor jou betekent: Anders betaal je vooraf.",
            ),
            (
                "nl",
                "die alleen op geautomatiseerde verwerking berusten, ook op basis van profilering:",
            ),
            (
                "en",
                "based solely on automated processing, including profiling:",
            ),
            (
                "en",
                "Of je op factuur mag betalen (with profiling). How it works: Je betaalgeschiedenis. What it means for you: Anders betaal je vooraf.",
            ),
            (
                "en",
                "you have the right to have one of our staff review it",
            ),
        ],
    },
    Fact {
        what: "no recipients",
        from: "recipients:\n  - name: Hosting BV\n    role: processor\n    purposes: [orders]\n    service: hosting van de website\n    country: BE\n",
        to: "recipients: none\n",
        sentences: &[
            (
                "nl",
                "We delen je gegevens met niemand buiten onze organisatie.",
            ),
            (
                "en",
                "We share your data with no one outside our organisation.",
            ),
        ],
    },
    Fact {
        what: "no cookies",
        from: "cookies:\n  settings_url: https://www.example.be/cookies\n  list:\n    - name: session\n      provider: Voorbeeld BV\n      party: first\n      category: necessary\n      purpose: Sessie\n      duration: session\n",
        to: "cookies: none\n",
        sentences: &[
            (
                "nl",
                "Onze website gebruikt geen cookies en geen vergelijkbare technieken.",
            ),
            (
                "en",
                "Our website uses no cookies and no similar technology.",
            ),
        ],
    },
    Fact {
        what: "only first-party cookies",
        from: "      party: first\n",
        to: "      party: first\n",
        sentences: &[
            ("nl", "Cookies van derden gebruiken we niet."),
            ("en", "We use no third-party cookies."),
        ],
    },
    Fact {
        what: "consent asked per category",
        from: "  settings_url: https://www.example.be/cookies\n",
        to: "  settings_url: https://www.example.be/cookies\n  consent: per_category\n# a statistics cookie\n",
        sentences: &[
            (
                "nl",
                "Bij je eerste bezoek vragen we per categorie of je die cookies toestaat.",
            ),
            (
                "en",
                "On your first visit we ask you, for each category, whether you allow those cookies.",
            ),
        ],
    },
    Fact {
        what: "consent asked once for all",
        from: "  settings_url: https://www.example.be/cookies\n",
        to: "  settings_url: https://www.example.be/cookies\n  consent: all_or_nothing\n# a statistics cookie\n",
        sentences: &[
            (
                "nl",
                "Bij je eerste bezoek vragen we of je deze cookies toestaat.",
            ),
            (
                "en",
                "On your first visit we ask you whether you allow these cookies.",
            ),
        ],
    },
    Fact {
        what: "a purpose's description",
        from: "    name: Bestellingen\n",
        to: "    name: Bestellingen\n    description: { nl: we leveren aan huis, en: we deliver to your door }\n",
        sentences: &[
            ("nl", "Bestellingen: we leveren aan huis. Gegevens:"),
            ("en", "Bestellingen: we deliver to your door. Data:"),
        ],
    },
    Fact {
        what: "where the company processes",
        from: "  privacy_email: privacy@example.be\n",
        to: "  privacy_email: privacy@example.be\n  processing_location: { nl: op servers in de EU, en: on servers in the EU }\n",
        sentences: &[
            ("nl", "Waar we je gegevens verwerken: op servers in de EU"),
            ("en", "Where we process your data: on servers in the EU"),
        ],
    },
    Fact {
        what: "a marketing preferences page",
        from: "  privacy_email: privacy@example.be\n",
        to: "  privacy_email: privacy@example.be\n  marketing_opt_out_email: nee@example.be\n  marketing_preferences_url: https://www.example.be/voorkeuren\n",
        sentences: &[
            (
                "nl",
                "Welke reclame je krijgt, kies je op je voorkeurenpagina",
            ),
            (
                "en",
                "Which marketing you receive, you choose on your preferences page",
            ),
        ],
    },
    Fact {
        what: "limits on rights",
        from: "automated_decisions: none\n",
        to: "automated_decisions: none\nrights:\n  limits: { nl: geen inzage tijdens een fraudeonderzoek, en: no access during a fraud investigation }\n",
        sentences: &[
            (
                "nl",
                "Op deze beperkingen beroepen we ons: geen inzage tijdens een fraudeonderzoek",
            ),
            (
                "en",
                "We rely on these limits: no access during a fraud investigation",
            ),
        ],
    },
    Fact {
        what: "a category of recipients, mostly in the EEA",
        from: "recipients:\n",
        to: "recipients:\n  - category: { nl: Koerierdiensten, en: Courier services }\n    service: { nl: leveren, en: delivering }\n    region: mostly_eea\n    safeguard: standard_contractual_clauses\n",
        sentences: &[
            (
                "nl",
                "Koerierdiensten (vooral in de EER, deels daarbuiten): Standaardcontractbepalingen",
            ),
            (
                "en",
                "Courier services (mostly in the EEA, partly outside it): Standard contractual clauses",
            ),
        ],
    },
    Fact {
        what: "local storage and a third party's country",
        from: "      party: first\n",
        to: "      party: third\n      type: local_storage\n      country: US\n",
        sentences: &[
            ("nl", "session (lokale opslag)"),
            ("nl", "Voorbeeld BV (Verenigde Staten)"),
            ("en", "session (local storage)"),
            ("en", "Voorbeeld BV (United States)"),
        ],
    },
];

/// The facts above marked `# a statistics cookie` make the cookie one, which needs consent, and so
/// a purpose based on consent.
fn with_consent_purpose(yaml: String) -> String {
    if !yaml.contains("# a statistics cookie\n") {
        return yaml;
    }
    edited(
        &edited(
            &yaml,
            "      category: necessary\n",
            "      category: statistics\n",
        ),
        "purposes:\n",
        "purposes:\n  - key: statistics\n    name: Statistieken\n    basis: consent\n    data: [contact]\n",
    )
}

#[test]
fn each_declared_fact_brings_its_sentence_in_every_language_and_variant() {
    for fact in FACTS {
        let yaml = with_consent_purpose(edited(&minimal_yaml(), fact.from, fact.to));
        for country in ["BE", "NL"] {
            let yaml = edited(
                &yaml,
                "  effective_date: 2026-01-01\n",
                &format!("  effective_date: 2026-01-01\n  variant: {country}\n"),
            );
            let outcome = built(&yaml);
            for (locale, sentence) in fact.sentences {
                let text = text(&outcome, locale);
                let near = text
                    .find(&sentence[..12])
                    .map_or("", |at| &text[at..(at + 300).min(text.len())]);
                assert!(
                    text.contains(sentence),
                    "{} ({locale}, {country}): `{sentence}` is not on the pages: {near}",
                    fact.what
                );
            }
        }
    }
}

#[test]
fn a_dutch_company_is_written_to_as_in_the_netherlands() {
    let be = built(&minimal_yaml());
    let nl = built(&edited(
        &minimal_yaml(),
        "    postal_code: \"1000\"\n    city: Brussel\n    country: BE\n  enterprise_number: BE 0123.456.749\n",
        "    postal_code: \"2511 AB\"\n    city: Den Haag\n    country: NL\n  enterprise_number: KvK 12345678\n",
    ));
    let privacy = |o: &Outcome, l: &str| page(o, "privacy", l).text.clone();
    assert!(privacy(&be, "nl").contains("Ondernemingsnummer: BE 0123.456.749"));
    assert!(privacy(&be, "nl").contains("art. 6, lid 1, b) AVG"));
    assert!(privacy(&be, "en").contains("Enterprise number: BE 0123.456.749"));
    assert!(privacy(&nl, "nl").contains("KvK-nummer: KvK 12345678"));
    assert!(privacy(&nl, "nl").contains("art. 6 lid 1 sub b AVG"));
    assert!(!privacy(&nl, "nl").contains("Ondernemingsnummer"));
    assert!(privacy(&nl, "en").contains("Chamber of Commerce (KvK) number: KvK 12345678"));
    // The authority follows the country too.
    assert!(privacy(&nl, "nl").contains("Autoriteit Persoonsgegevens"));
}

#[test]
fn transfers_say_what_their_safeguard_gives() {
    let abroad = |safeguard: &str| {
        edited(
            &minimal_yaml(),
            "    country: BE\n\ncookies:",
            &format!(
                "    country: BE\n  - name: Cloud Inc.\n    role: processor\n    service: opslag\n    country: US\n    purposes: [orders]\n    safeguard: {safeguard}\n\ncookies:"
            ),
        )
    };
    let dpf = built(&abroad("data_privacy_framework"));
    let en = page(&dpf, "privacy", "en");
    assert!(
        en.html
            .contains("href=\"https://www.dataprivacyframework.gov/list\"")
    );
    assert!(!en.text.contains("You can get a copy"));
    let scc = built(&abroad("standard_contractual_clauses"));
    assert!(page(&scc, "privacy", "en").text.contains(
        "You can get a copy of the standard contractual clauses or other safeguards above"
    ));
    assert!(page(&scc, "privacy", "nl").text.contains(
        "Een kopie van de standaardcontractbepalingen of andere waarborgen hierboven vraag je op"
    ));
    // A derogation is no protection, and says which case of Art. 49 applies.
    let derogation = built(&abroad(
        "derogation\n    derogation: { nl: je uitdrukkelijke toestemming, en: your explicit consent }",
    ));
    assert!(page(&derogation, "privacy", "en").text.contains(
        "no adequacy decision and no appropriate safeguards; we transfer your data under a derogation in Art. 49 GDPR: your explicit consent"
    ));
    let without = site_yaml_only(&abroad("derogation")).run();
    assert_eq!(
        without
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["gdpr-transfer-safeguard"]
    );
    assert!(
        !page(&scc, "privacy", "en")
            .text
            .contains("Data Privacy Framework List")
    );
}

#[test]
fn without_cookies_that_need_consent_there_is_no_choice_to_speak_of() {
    // The minimal site has only a necessary cookie, and a settings page.
    let outcome = built(&minimal_yaml());
    assert!(!text(&outcome, "en").contains("You choose which cookies you allow"));
    assert!(!text(&outcome, "en").contains("You can change your choice at any time"));
    assert!(!text(&outcome, "nl").contains("Welke cookies je toestaat, kies je"));
    assert!(!text(&outcome, "nl").contains("Je keuze pas je op elk moment aan"));
    // With a cookie that needs consent, both are there.
    let example = built(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        )
        .unwrap(),
    );
    assert!(
        text(&example, "en").contains("You choose which cookies you allow in your cookie settings")
    );
    assert!(
        text(&example, "nl")
            .contains("Je keuze pas je op elk moment aan in je cookie-instellingen")
    );
}
