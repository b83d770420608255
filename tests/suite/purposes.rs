//! What a purpose declares beyond its basis brings its sentences, and only then: profiling
//! (Art. 4(4), with the objection of Art. 21), in Dutch and English.

use crate::support::*;
use polis::Outcome;

/// The privacy policy in `locale` as a reader sees it, one space between words.
fn privacy(outcome: &Outcome, locale: &str) -> String {
    let text = &page(outcome, "privacy", locale).text;
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `text` holds `sentence`, showing the text where it begins if not.
fn says(text: &str, locale: &str, sentence: &str) {
    let near = text
        .find(&sentence[..20])
        .map_or("", |at| &text[at..(at + 300).min(text.len())]);
    assert!(
        text.contains(sentence),
        "{locale} lacks `{sentence}`: {near}"
    );
}

fn edited(yaml: &str, from: &str, to: &str) -> String {
    assert_eq!(yaml.matches(from).count(), 1, "`{from}`");
    yaml.replacen(from, to, 1)
}

/// The example, with the customer e-mails (legitimate interests) or the newsletter (consent)
/// based on a profile.
fn profiling(purpose: &str) -> String {
    let key = format!("  - key: {purpose}\n");
    edited(
        &example_yaml(),
        &key,
        &format!(
            "{key}    profiling: {{ nl: we leiden uit je bestellingen af welke producten je interesseren, en: we infer from your orders which products interest you }}\n"
        ),
    )
}

#[test]
fn a_purpose_that_profiles_says_so_and_offers_the_objection() {
    let outcome = built(&profiling("customer_mail"));
    let (nl, en) = (privacy(&outcome, "nl"), privacy(&outcome, "en"));
    for sentence in [
        "Ons belang: onze klanten op de hoogte houden van wat we verkopen. Profilering: we leiden uit je bestellingen af welke producten je interesseren.",
        "Profilering is volgens de wet elke geautomatiseerde verwerking van persoonsgegevens om persoonlijke aspecten van iemand te evalueren",
        "Berust die profilering op ons gerechtvaardigd belang of dient ze direct marketing, dan kun je er bezwaar tegen maken: zie Je recht van bezwaar",
        "Profilering gebruiken we alleen zoals beschreven bij Waarvoor we je gegevens gebruiken",
        "We nemen over jou geen beslissingen die alleen op geautomatiseerde verwerking berusten, ook niet op basis van die profilering,",
        "Gebruiken we je gegevens op grond van ons gerechtvaardigd belang, ook voor profilering, dan heb je het recht",
        "Gebruiken we je gegevens voor direct marketing, ook voor profilering die daarmee verband houdt, dan heb je het recht om daar op elk moment bezwaar tegen te maken: we stoppen dan, zonder uitzondering.",
    ] {
        says(&nl, "nl", sentence);
    }
    for sentence in [
        "Our interest: keeping our customers informed of what we sell. Profiling: we infer from your orders which products interest you.",
        "Profiling, as the law defines it, is any automated processing of personal data to evaluate personal aspects of someone",
        "Where that profiling rests on our legitimate interests or serves direct marketing, you can object to it: see Your right to object",
        "We use profiling only as described under What we use your data for",
        "We make no decisions about you based solely on automated processing, including that profiling,",
        "Where we use your data on the basis of our legitimate interests, including profiling, you have the right to object",
        "Where we use your data for direct marketing, including profiling related to it, you can object at any time: we then stop, without exception.",
    ] {
        says(&en, "en", sentence);
    }
}

#[test]
fn without_profiling_the_policy_speaks_of_none() {
    let outcome = built(&example_yaml());
    let (nl, en) = (privacy(&outcome, "nl"), privacy(&outcome, "en"));
    for absent in [
        "Profilering:",
        "Profilering is volgens de wet",
        "ook voor profilering",
        "die profilering",
    ] {
        assert!(!nl.contains(absent), "nl says `{absent}`");
    }
    for absent in [
        "Profiling:",
        "Profiling, as the law",
        "including profiling related",
        "that profiling",
    ] {
        assert!(!en.contains(absent), "en says `{absent}`");
    }
}

#[test]
fn profiling_on_consent_is_no_ground_for_the_objection_of_art_21_1() {
    let outcome = built(&profiling("newsletter"));
    let en = privacy(&outcome, "en");
    assert!(en.contains("Profiling: we infer from your orders which products interest you."));
    assert!(
        en.contains("Where we use your data on the basis of our legitimate interests, you have")
    );
    assert!(en.contains("for direct marketing, including profiling related to it, you can object"));
    assert!(privacy(&outcome, "nl").contains(
        "Gebruiken we je gegevens voor direct marketing, ook voor profilering die daarmee verband houdt"
    ));
}
