//! No default that claims: a key of site.yaml names a category, and what the category holds for
//! this company is the company's own sentence. Each test reads a page (or the register) for the
//! sentence a default used to add, and for the one the declaration brings.

use crate::support::*;
use polis::Outcome;

/// The reader's text of the page `name` in `locale`, one space between words.
fn words(outcome: &Outcome, name: &str, locale: &str) -> String {
    let text = &page(outcome, name, locale).text;
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn edited(yaml: &str, from: &str, to: &str) -> String {
    assert_eq!(yaml.matches(from).count(), 1, "`{from}`");
    yaml.replacen(from, to, 1)
}

#[test]
fn a_known_data_key_prints_its_name_and_nothing_it_does_not_declare() {
    let outcome = built(&minimal_yaml());
    for (locale, name, claim) in [
        (
            "nl",
            "Contactgegevens",
            "adres, e-mailadres en telefoonnummer",
        ),
        (
            "en",
            "Contact details",
            "address, e-mail address and phone number",
        ),
    ] {
        let text = words(&outcome, "privacy", locale);
        assert!(text.contains(name), "{locale}: {text}");
        assert!(!text.contains(claim), "{locale}: `{claim}` undeclared");
    }
    // The company's own description is printed as it wrote it.
    let outcome = built(&edited(
        &minimal_yaml(),
        "    sources: [person]\n",
        "    description: { nl: je e-mailadres, en: your e-mail address }\n    sources: [person]\n",
    ));
    for (locale, sentence) in [
        (
            "nl",
            "<strong>Contactgegevens</strong>: je e-mailadres</li>",
        ),
        (
            "en",
            "<strong>Contact details</strong>: your e-mail address</li>",
        ),
    ] {
        let html = &page(&outcome, "privacy", locale).html;
        assert!(html.contains(sentence), "{locale}: {html}");
    }
}

#[test]
fn a_security_key_says_the_measure_and_no_more() {
    let yaml = edited(
        &minimal_yaml(),
        "automated_decisions: none\n",
        "automated_decisions: none\nsecurity: [backups, personal_accounts]\n",
    );
    let outcome = built(&yaml);
    let (nl, en) = (
        words(&outcome, "privacy", "nl"),
        words(&outcome, "privacy", "en"),
    );
    assert!(nl.contains("We maken back-ups."), "{nl}");
    assert!(nl.contains("We laten elke medewerker inloggen met een eigen account."));
    assert!(en.contains("We make back-ups."), "{en}");
    assert!(en.contains("We have every member of staff sign in with their own account."));
    for claim in ["terugzetten", "regelmatig", "sterk wachtwoord"] {
        assert!(!nl.contains(claim), "nl: `{claim}`");
    }
    for claim in ["restore", "regularly", "strong password"] {
        assert!(!en.contains(claim), "en: `{claim}`");
    }
}

#[test]
fn init_offers_a_description_where_the_company_owns_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = polis_command(dir.path())
        .args(["init", "--country", "NL", "--locales", "nl,en"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run polis init");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    // The wording polis suggests is a comment beside a value the company fills in.
    assert!(
        yaml.contains("    # nl, for instance: je naam, adres, e-mailadres en telefoonnummer\n"),
        "{yaml}"
    );
    assert!(yaml.contains("    description:\n      nl: \"[fill in: what you hold"));
    // No data category that no purpose uses.
    assert!(!yaml.contains("  technical:"), "{yaml}");
}

#[test]
fn data_from_others_than_the_person_says_when_they_are_told() {
    let four = edited(
        &minimal_yaml(),
        "locales: [nl, en]",
        "locales: [nl, fr, de, en]",
    );
    let sentences = [
        (
            "nl",
            "dan moeten we je dat volgens de wet binnen een redelijke termijn laten weten, en uiterlijk binnen een maand. Gebruiken we ze om contact met je op te nemen, dan uiterlijk bij ons eerste contact met je",
        ),
        (
            "en",
            "the law requires us to tell you within a reasonable period, and at the latest within one month. If we use the data to contact you, we must tell you at the latest when we first contact you",
        ),
        (
            "fr",
            "la loi nous oblige à vous en informer dans un délai raisonnable, et au plus tard dans un délai d'un mois",
        ),
        (
            "de",
            "verpflichtet uns das Gesetz, Sie innerhalb einer angemessenen Frist darüber zu informieren, spätestens innerhalb eines Monats",
        ),
    ];
    // Data people give themselves: Art. 14(3) does not apply, and is not said.
    let own = built(&four);
    for (locale, sentence) in sentences {
        let text = words(&own, "privacy", locale);
        assert!(!text.contains(sentence), "{locale}: {text}");
    }
    let public = built(&edited(
        &four,
        "sources: [person]",
        "sources: [person, public]",
    ));
    for (locale, sentence) in sentences {
        let text = words(&public, "privacy", locale);
        assert!(text.contains(sentence), "{locale}: {text}");
    }
}

#[test]
fn transfers_say_where_on_which_decision_and_at_what_risk() {
    let yaml = edited(
        &minimal_yaml(),
        "    country: BE\n\ncookies:",
        "    country: BE\n  - category: Koeriers\n    role: controller\n    purposes: [orders]\n    \
         service: leveren\n    region: mostly_eea\n    safeguard: standard_contractual_clauses\n  \
         - name: Zwitserse Bank\n    role: controller\n    purposes: [orders]\n    service: betalen\n    \
         country: CH\n    safeguard: adequacy\n  - name: Verre Partner\n    role: controller\n    \
         purposes: [orders]\n    service: leveren\n    country: IN\n    safeguard: derogation\n    \
         derogation: je uitdrukkelijke toestemming\n\ncookies:",
    );
    let outcome = built(&yaml);
    let (nl, en) = (
        words(&outcome, "privacy", "nl"),
        words(&outcome, "privacy", "en"),
    );
    // A recipient mostly in the EEA is not one "outside the EEA" as a whole.
    assert!(
        nl.contains(
            "Deze ontvangers verwerken je gegevens helemaal of voor een deel buiten de EER."
        ),
        "{nl}"
    );
    assert!(
        !nl.contains("Deze ontvangers verwerken je gegevens buiten de EER."),
        "{nl}"
    );
    assert!(
        en.contains("These recipients process your data wholly or partly outside the EEA."),
        "{en}"
    );
    // The adequacy decision is the one for the recipient's country.
    assert!(
        nl.contains("Adequaatheidsbesluit van de Europese Commissie voor dat land (art. 45 AVG)"),
        "{nl}"
    );
    assert!(en.contains("for that country (Art. 45 GDPR)"), "{en}");
    // A derogation states the risk of a transfer without protection (Art. 49(1)(a)).
    assert!(nl.contains("Voor zo'n land bevestigt geen adequaatheidsbesluit dat het je gegevens even goed beschermt als de EER, en verbinden geen passende waarborgen de ontvanger aan afdwingbare rechten en doeltreffende rechtsmiddelen voor jou (art. 46 AVG)"), "{nl}");
    assert!(en.contains("For such a country, no adequacy decision confirms that it protects your data as well as the EEA does, and no appropriate safeguards bind the recipient to enforceable rights and effective legal remedies for you (Art. 46 GDPR)"), "{en}");
}

#[test]
fn who_reads_a_first_party_cookie_follows_from_its_provider() {
    let outcome = built(&example_yaml());
    let (nl, en) = (
        words(&outcome, "cookies", "nl"),
        words(&outcome, "cookies", "en"),
    );
    // Not a blanket claim above a table that names Matomo as provider of `_pk_id`.
    assert!(!nl.contains("Eigen cookies plaatsen we zelf, en alleen onze website leest ze."));
    assert!(!en.contains("We set first-party cookies ourselves, and only our website reads them."));
    assert!(
        nl.contains("Die we zelf plaatsen, leest alleen onze website."),
        "{nl}"
    );
    assert!(
        nl.contains("Deze eigen cookies plaatst een andere partij dan wij, en die partij leest ze ook: Matomo (InnoCraft) : _pk_id, _pk_ses"),
        "{nl}"
    );
    assert!(
        en.contains("These first-party cookies are set by a party other than us, which also reads them: Matomo (InnoCraft) : _pk_id, _pk_ses"),
        "{en}"
    );
    // A site whose first-party cookies are all its own names no other reader.
    let own = built(&minimal_yaml());
    let text = words(&own, "cookies", "nl");
    assert!(
        text.contains("Die we zelf plaatsen, leest alleen onze website."),
        "{text}"
    );
    assert!(!text.contains("een andere partij dan wij"), "{text}");
}
