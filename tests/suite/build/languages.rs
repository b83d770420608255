//! A language is files: a site adds one by its content texts and its locale pack, with no change
//! to polis; what such a pack lacks is reported in it, by its key.

use super::*;

const COOKIES_EN: &str = "content/cookies.en.md";

/// The minimal fixture with a language polis ships nothing for, added by files alone: the English
/// texts and locale pack copied under `xx` (its name in its pack changed, so that its pages can be
/// told apart), and `xx` added to `site.locales`.
fn minimal_with_a_made_up_locale() -> TestSite {
    let site = fixture("minimal");
    for page in ["privacy", "cookies"] {
        let text = site.read_repo(&format!("content/{page}.en.md"));
        site.write(&format!("content/{page}.xx.md"), text);
    }
    let pack = site
        .read_repo("themes/default/i18n/en.yaml")
        .replace("language_name: English", "language_name: Xish");
    site.write("themes/default/i18n/xx.yaml", pack);
    site.edit(SITE, |y| {
        replace(y, "locales: [nl, en]", "locales: [nl, en, xx]")
    });
    site
}

#[test]
fn a_language_is_added_by_its_texts_and_its_locale_pack() {
    let site = minimal_with_a_made_up_locale();
    let output = site.polis(&["build"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("  /xx/privacy-policy/  (privacy xx, from content/privacy.xx.md)"),
        "{}",
        stdout(&output)
    );
    let privacy = site.read("public/xx/privacy-policy/index.html");
    assert!(privacy.contains("<html lang=\"xx\""), "{privacy}");
    // The copied words: the pack's (a period, a country, the language's own name) and the text's.
    for words in ["five years", "Belgium", "Xish", "Privacy policy"] {
        assert!(privacy.contains(words), "{words} is not on the page");
    }
    let cookies = site.read("public/xx/cookie-policy/index.html");
    assert!(
        cookies.contains("until you close your browser"),
        "{cookies}"
    );
    // The shipped languages keep polis's texts.
    assert!(
        site.read("public/nl/privacyverklaring/index.html")
            .contains("<html lang=\"nl-BE\"")
    );
}

#[test]
fn a_word_the_made_up_locale_pack_lacks_is_reported_in_it_by_its_key() {
    let site = minimal_with_a_made_up_locale();
    const PACK: &str = "themes/default/i18n/xx.yaml";
    site.edit(PACK, |p| {
        replace(p, "session: until you close your browser\n", "")
    });
    let outcome = site.run();
    assert_diagnostics_at(&outcome, &[("missing-translation", PACK, 1, 1)]);
    let missing = &outcome.diagnostics[0];
    assert_eq!(missing.message, "the locale pack has no `session`");
    assert_eq!(
        missing.hint.as_deref(),
        Some(&*format!("add `session` to {PACK}"))
    );
}

#[test]
fn a_slug_of_a_locale_pack_is_a_slug() {
    let site = minimal_with_a_made_up_locale();
    const PACK: &str = "themes/default/i18n/xx.yaml";
    site.edit(PACK, |p| {
        replace(p, "  privacy: privacy-policy", "  privacy: ../../escape")
    });
    let (line, column) = site.pos(PACK, "../../escape");
    let outcome = site.run();
    assert_diagnostics_at(&outcome, &[("invalid-value", PACK, line, column)]);
    assert_eq!(
        outcome.diagnostics[0].message,
        "`slugs.privacy` is not a slug"
    );
}

#[test]
fn a_text_of_the_sites_own_beside_polis_s_in_another_language_is_still_told() {
    let site = minimal_with_a_made_up_locale();
    let own = site.read_repo(COOKIES_EN) + "\nOne more sentence of our own.\n";
    site.write(COOKIES_EN, own);
    // Replacing the shipped English text leaves the shipped Dutch one saying something else; the
    // made-up language replaces nothing and is not told.
    let outcome = site.run();
    assert_diagnostics(&outcome, &[("missing-translation", COOKIES_EN, 0)]);
    assert_eq!(
        outcome.diagnostics[0].message,
        "content/cookies.en.md replaces the text polis ships, but the `nl` page would still use polis's"
    );
}
