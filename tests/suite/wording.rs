//! The words of each language in the country it is read in: Dutch of the Netherlands beside
//! Belgian Dutch, the language tag of each variant, and the typography the pages set.

use crate::support::{built, minimal_yaml, page, replace};
use polis::Outcome;

/// The minimal site of a company in the Netherlands, with `edit` applied to its site.yaml.
fn dutch(edit: impl FnOnce(&mut String)) -> String {
    let mut y = minimal_yaml();
    replace(
        &mut y,
        "    postal_code: \"1000\"\n    city: Brussel\n    country: BE\n  enterprise_number: BE 0123.456.749\n",
        "    postal_code: \"2511 AB\"\n    city: Den Haag\n    country: NL\n  enterprise_number: KvK 12345678\n",
    );
    edit(&mut y);
    y
}

/// The minimal site with a billing category and the logging measure.
fn with_billing(y: &mut String) {
    replace(
        y,
        "data:\n  contact:\n",
        "data:\n  billing:\n    sources: [person]\n    retention: { period: 7 years, from: de laatste factuur }\n  contact:\n",
    );
    replace(y, "    data: [contact]\n", "    data: [contact, billing]\n");
    replace(
        y,
        "automated_decisions: none\n",
        "automated_decisions: none\n\nsecurity: [logging]\n",
    );
}

/// `<html lang>` and every `hreflang` of a page.
fn tags(outcome: &Outcome, name: &str, locale: &str) -> Vec<String> {
    let html = &page(outcome, name, locale).html;
    ["<html lang=\"", "hreflang=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|rest| rest.split_once('"').map(|(tag, _)| tag.to_owned()))
        .collect()
}

#[test]
fn a_dutch_company_writes_dutch_of_the_netherlands() {
    let nl = built(&dutch(with_billing));
    let privacy = &page(&nl, "privacy", "nl").text;
    let cookies = &page(&nl, "cookies", "nl").text;
    for words in [
        "Factuur- en betaalgegevens",
        "We houden bij wie je gegevens inziet en wijzigt.",
        "Hoe lang elke cookie op je apparaat blijft",
    ] {
        assert!(privacy.contains(words), "{words} is not in {privacy}");
    }
    assert!(
        cookies.contains("een cookie op je apparaat plaatsen"),
        "{cookies}"
    );
    for belgian in ["toestel", "Facturatie", "inkijkt"] {
        assert!(
            !privacy.contains(belgian) && !cookies.contains(belgian),
            "{belgian}"
        );
    }
    assert_eq!(tags(&nl, "privacy", "nl")[0], "nl-NL");
    assert!(tags(&nl, "privacy", "en").contains(&"nl-NL".to_owned()));

    let mut be = minimal_yaml();
    with_billing(&mut be);
    let be = built(&be);
    let privacy = &page(&be, "privacy", "nl").text;
    assert!(
        privacy.contains("Facturatie- en betaalgegevens"),
        "{privacy}"
    );
    assert!(privacy.contains("op je toestel blijft"), "{privacy}");
    assert_eq!(tags(&be, "privacy", "nl")[0], "nl-BE");
}
