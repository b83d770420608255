//! init's own tests: what it refuses, and what comes first.

use super::*;

fn request(country: &str, locales: &[&str]) -> Request {
    Request {
        country: country.into(),
        locales: locales.iter().map(|l| (*l).to_owned()).collect(),
        legal_name: None,
        website: None,
        email: None,
    }
}

#[test]
fn countries_and_languages_polis_cannot_write_for_are_refused() {
    assert_eq!(
        site_yaml(&request("XX", &["nl"])),
        Err(Refusal::UnknownCountry("XX".into()))
    );
    assert_eq!(
        site_yaml(&request("NL", &["es"])),
        Err(Refusal::UnknownLocale("es".into()))
    );
    assert_eq!(site_yaml(&request("NL", &[])), Err(Refusal::NoLocale));
    assert!(
        site_yaml(&request("nl", &["NL", "en"])).is_ok(),
        "codes in either case"
    );
}

#[test]
fn the_schema_comment_comes_first() {
    assert!(
        site_yaml(&request("BE", &["nl"]))
            .unwrap()
            .starts_with("# yaml-language-server: $schema=site.schema.json\n")
    );
    assert!(example().starts_with("# yaml-language-server: $schema=site.schema.json\n"));
}
