//! French and German: the sites of Belgium, France, Luxembourg, Germany and Austria pass, build a
//! page per language, carry their variant in `<html lang>` and name their supervisory authority
//! in their own words; the lints know the languages.

use crate::support::check::{check, check_output, line};
use crate::support::{TestSite, describe, fixture, main_text, page, replace};

/// The minimal site in `country`, in `locales`, with `edit` applied to its site.yaml.
fn minimal(country: &str, locales: &str, edit: impl FnOnce(&mut String)) -> TestSite {
    let site = fixture("minimal");
    site.edit("site.yaml", |y| {
        replace(y, "locales: [nl, en]", &format!("locales: [{locales}]"));
        let (postal_code, number) = identity(country);
        replace(
            y,
            "    postal_code: \"1000\"\n",
            &format!("    postal_code: \"{postal_code}\"\n"),
        );
        replace(
            y,
            "    country: BE\n  enterprise_number: BE 0123.456.749",
            &format!("    country: {country}\n  enterprise_number: {number}"),
        );
        edit(y);
    });
    site
}

/// A postal code and a register number of the form of `country`.
fn identity(country: &str) -> (&'static str, &'static str) {
    match country {
        "BE" => ("1000", "BE 0123.456.749"),
        "FR" => ("75001", "RCS Paris 732 829 320"),
        "LU" => ("L-1111", "B123456"),
        "DE" => ("80331", "Amtsgericht München HRB 123456"),
        "AT" => ("1010", "FN 123456a"),
        _ => panic!("no identity of {country}"),
    }
}

/// Asserts the site passes, and returns the visible text of `page` in `locale` and its
/// `<html lang>`.
#[track_caller]
fn passes(site: &TestSite, pages: usize, page_name: &str, locale: &str) -> (String, String) {
    let outcome = site.run();
    assert!(
        outcome.diagnostics.is_empty(),
        "{}",
        describe(&outcome.diagnostics)
    );
    assert_eq!(outcome.rendered.pages.len(), pages);
    let page = page(&outcome, page_name, locale);
    let lang = page
        .html
        .split_once("<html lang=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(lang, _)| lang.to_owned())
        .unwrap_or_default();
    (main_text(&page.html), lang)
}

#[test]
fn a_belgian_site_in_four_languages_passes_and_builds_eight_pages() {
    let site = minimal("BE", "nl, fr, de, en", |_| {});
    let (fr, lang) = passes(&site, 8, "privacy", "fr");
    assert_eq!(lang, "fr-BE");
    assert!(
        fr.contains("Vous avez le droit d'introduire une réclamation sur la manière dont nous traitons vos données auprès de l'autorité de contrôle : [Autorité de protection des données (APD)](https://www.autoriteprotectiondonnees.be)."),
        "{fr}"
    );
    assert!(
        fr.contains("Numéro d'entreprise (BCE) : BE 0123.456.749"),
        "{fr}"
    );
    assert!(fr.contains("(article 6, § 1er, b) du RGPD)"), "{fr}");
    let (de, lang) = passes(&site, 8, "privacy", "de");
    assert_eq!(lang, "de-BE");
    assert!(
        de.contains(
            "bei der Aufsichtsbehörde zu beschweren: [Belgische Datenschutzbehörde (GBA/APD)]"
        ),
        "{de}"
    );
    assert!(
        de.contains("Daten: Kontaktdaten."),
        "German nouns keep their capital: {de}"
    );
    let output = site.polis(&["build"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        site.read("public/fr/politique-cookies/index.html")
            .contains("article 10/2 de la loi du 30 juillet 2018")
    );
}

#[test]
fn a_french_site_names_the_cnil_and_its_cookie_rules() {
    let site = minimal("FR", "fr, en", |_| {});
    let (fr, lang) = passes(&site, 4, "privacy", "fr");
    assert_eq!(lang, "fr-FR");
    assert!(
        fr.contains("auprès de l'autorité de contrôle : [Commission Nationale de l'Informatique et des Libertés (CNIL)](https://www.cnil.fr)."),
        "{fr}"
    );
    assert!(
        fr.contains("(article 6, paragraphe 1, point b) du RGPD)"),
        "{fr}"
    );
    let (cookies, _) = passes(&site, 4, "cookies", "fr");
    for words in [
        "Cette règle figure à l'article 82 de la loi n° 78-17 du 6 janvier 1978",
        "La CNIL dispense de consentement un cookie de mesure d'audience à ces conditions",
        "la loi exige que refuser soit aussi simple qu'accepter",
    ] {
        assert!(cookies.contains(words), "{words} is not in {cookies}");
    }
    let (en, _) = passes(&site, 4, "cookies", "en");
    assert!(
        en.contains("the law requires refusing to be as easy as accepting"),
        "{en}"
    );
}

#[test]
fn a_luxembourg_site_in_three_languages_names_the_cnpd() {
    let site = minimal("LU", "fr, de, en", |_| {});
    let (fr, lang) = passes(&site, 6, "privacy", "fr");
    assert_eq!(lang, "fr-LU");
    assert!(
        fr.contains("auprès de l'autorité de contrôle : [Commission nationale pour la protection des données (CNPD)](https://cnpd.public.lu)."),
        "{fr}"
    );
    assert!(fr.contains("Numéro RCS : B123456"), "{fr}");
    let (de, _) = passes(&site, 6, "privacy", "de");
    assert!(
        de.contains("bei der Aufsichtsbehörde zu beschweren: [Luxemburgische Nationale Kommission für den Datenschutz (CNPD)]"),
        "{de}"
    );
}

#[test]
fn a_german_site_names_the_authority_of_its_land() {
    let site = minimal("DE", "de, en", |y| {
        replace(y, "    country: DE\n", "    country: DE\n    region: BY\n");
    });
    let (de, lang) = passes(&site, 4, "privacy", "de");
    assert_eq!(lang, "de-DE");
    assert!(
        de.contains("bei der Aufsichtsbehörde zu beschweren: [Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)](https://www.lda.bayern.de)."),
        "{de}"
    );
    assert!(de.contains("(Art. 6 Abs. 1 lit. b DSGVO)"), "{de}");
    assert!(
        de.contains("Handelsregister: Amtsgericht München HRB 123456"),
        "{de}"
    );
    let (cookies, _) = passes(&site, 4, "cookies", "de");
    assert!(cookies.contains("Diese Regel steht in § 25 des Telekommunikation-Digitale-Dienste-Datenschutz-Gesetzes (TDDDG)."), "{cookies}");
}

#[test]
fn a_region_polis_does_not_know_is_an_invalid_value_at_its_line() {
    let site = minimal("DE", "de, en", |y| {
        replace(
            y,
            "    country: DE\n",
            "    country: DE\n    region: Bayern\n",
        );
    });
    let printed = check(
        &site,
        &[("invalid-value", "site.yaml", line("region: Bayern"))],
        &["write one of BW, BY, BE"],
    );
    assert!(printed.contains("exit: 1"), "{printed}");
}

/// The federal authority hears no complaint about a company: without its Land, polis cannot name
/// the one that does, and asks for it at the company's country.
#[test]
fn a_german_company_without_its_land_is_asked_for_it() {
    let site = minimal("DE", "de, en", |_| {});
    let printed = check(
        &site,
        &[("gdpr-authority", "site.yaml", line("    country: DE\n"))],
        &[
            "answers to the supervisory authority of its Land (§ 40 BDSG)",
            "add `region:` under `company.address` with the Land of the registered office, one of BW, BY,",
        ],
    );
    assert!(printed.contains("exit: 1"), "{printed}");
    assert!(!printed.contains("Bundesbeauftragte"), "{printed}");
}

#[test]
fn an_austrian_site_names_the_datenschutzbehoerde_and_the_tkg() {
    let site = minimal("AT", "de, en", |_| {});
    let (de, lang) = passes(&site, 4, "privacy", "de");
    assert_eq!(lang, "de-AT");
    assert!(
        de.contains("bei der Aufsichtsbehörde zu beschweren: [Österreichische Datenschutzbehörde](https://www.dsb.gv.at)."),
        "{de}"
    );
    assert!(de.contains("Firmenbuchnummer: FN 123456a"), "{de}");
    let (cookies, _) = passes(&site, 4, "cookies", "de");
    assert!(
        cookies.contains("§ 165 Abs. 3 des Telekommunikationsgesetzes 2021 (TKG 2021)"),
        "{cookies}"
    );
    assert!(site.polis(&["build"]).status.success());
    assert!(
        site.read("public/de/datenschutzerklaerung/index.html")
            .contains("1. Jänner 2026")
    );
}

#[test]
fn a_belgian_site_in_dutch_alone_is_told_what_the_gba_expects() {
    let site = minimal("BE", "nl", |_| {});
    let printed = check(
        &site,
        &[("gdpr-belgian-languages", "site.yaml", line("locales: [nl]"))],
        &[
            "in Dutch alone",
            "decision of 17 December 2019",
            "add `fr` to `site.locales`",
        ],
    );
    insta::assert_snapshot!(printed);
    // A Flemish shop whose readers read Dutch says so, and the finding is a note.
    site.edit("site.yaml", |y| {
        y.push_str("\nwaivers:\n  - rule: gdpr-belgian-languages\n    reason: our customers are in Flanders and read Dutch\n");
    });
    let waived = check_output(&site);
    assert!(
        waived.contains("exit: 0") && waived.contains("waived"),
        "{waived}"
    );
}

#[test]
fn the_vague_language_lint_knows_french_and_german_hedges() {
    let site = minimal("BE", "nl, fr, de, en", |y| {
        replace(
            y,
            "    service: hosting van de website\n",
            "    service:\n      nl: hosting van de website\n      fr: nous pouvons héberger certaines données\n      de: eventuell Hosting bestimmter Daten\n      en: website hosting\n",
        );
    });
    let outcome = site.run();
    let words: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "gdpr-vague-language")
        .map(|d| d.message.split('`').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        words,
        ["pouvons", "certaines", "eventuell", "bestimmter"],
        "{}",
        describe(&outcome.diagnostics)
    );
}
