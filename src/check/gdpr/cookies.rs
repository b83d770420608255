//! The cookie rules. A cookie may be set only when people were told what it does, who can read it
//! and how long it lasts, and, unless the site cannot work without it, only after they consented
//! (ePrivacy Directive Art. 5(3); CJEU Planet49, C-673/17). A third party that reads a cookie
//! receives data: it must be among the recipients, with a safeguard when it is outside the EEA
//! (GDPR Art. 13(1)(e)-(f)).

use std::collections::HashMap;

use super::{Out, SITE, first_locale, locale_skeleton, or};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::model::decode::nearest;
use crate::model::{Cookie, CookieCategory, Declared, LegalBasis, Party, Recipient, Site};

/// Checks every cookie of site.yaml: described in full, consented to, read only by a recipient.
pub(super) fn cookies(site: &Site, out: &mut Out) {
    if site.cookies.declared == Declared::Silent && !site.misspelled.iter().any(|m| m == "cookies")
    {
        out.push(
            Diagnostic::error(
                Code::GdprCookies,
                SITE,
                site.cookies.pos,
                "site.yaml does not say which cookies the website uses; the cookie policy must name each one, or say \
                 that there are none (ePrivacy Directive Art. 5(3))",
            )
            .hint(
                "list them under `cookies:`, `list: [{ name: ..., provider: ..., party: first, category: necessary, \
                 purpose: ..., duration: ... }]` (similar technology such as local storage too); if the website sets \
                 none, write `cookies: none`",
            ),
            ["cookies"],
        );
    }
    let first = first_locale(site);
    let has_consent = site
        .purposes
        .iter()
        .any(|p| p.basis == Some(LegalBasis::Consent));
    let skeleton = locale_skeleton(site);
    // Recipients by name as a provider writes it (case aside); the first of a name wins.
    let mut by_name: HashMap<String, &Recipient> = HashMap::new();
    for r in &site.recipients {
        by_name
            .entry(r.name.get(first).trim().to_ascii_lowercase())
            .or_insert(r);
    }
    for c in &site.cookies.list {
        let pos = or(c.name.pos, c.pos);
        completeness(c, pos, &skeleton, out);
        if !has_consent {
            consent(site, c, pos, out);
        }
        provider(site, c, pos, &by_name, out);
    }
    settings_page(site, out);
}

/// Where cookies need consent, the page where people give and withdraw it, and how they are asked:
/// withdrawing must be as easy as consenting (GDPR Art. 7(3)), and the policies say both.
fn settings_page(site: &Site, out: &mut Out) {
    let missing: Vec<&str> = [
        (
            "settings_url",
            site.cookies.settings_url.is_none() && site.cookies.settings.is_none(),
        ),
        ("consent", site.cookies.consent.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    if missing.is_empty() {
        return;
    }
    let needing: Vec<String> = site
        .cookies
        .list
        .iter()
        .filter(|c| c.category.is_some_and(|k| k != CookieCategory::Necessary))
        .map(|c| format!("`{}`", c.name.value))
        .collect();
    let Some(first) = needing.first() else { return };
    let named = if needing.len() == 1 {
        format!("the cookie {first} needs")
    } else {
        format!("{} cookies need", needing.len())
    };
    let (said, hint) = match missing.as_slice() {
        ["settings_url"] => ("where people give or withdraw it", SETTINGS_URL.to_owned()),
        ["consent"] => ("how people are asked for it", CONSENT.to_owned()),
        _ => (
            "where people give or withdraw it, nor how they are asked",
            format!("{SETTINGS_URL}; and {CONSENT}"),
        ),
    };
    out.push(
        Diagnostic::error(
            Code::GdprCookieSettings,
            SITE,
            site.cookies.pos,
            format!(
                "{named} consent, but site.yaml does not say {said}; the cookie policy says both, and withdrawing must \
                 be as easy as consenting (GDPR Art. 7(3))"
            ),
        )
        .hint(hint),
        missing,
    );
}

/// What people must be told of a cookie: who sets it, whose it is, what kind, what for, how long.
fn completeness(c: &Cookie, pos: Pos, skeleton: &str, out: &mut Out) {
    let name = &c.name.value;
    let complete = c.provider.is_some()
        && c.party.is_some()
        && c.category.is_some()
        && c.purpose.is_some()
        && c.duration.is_some();
    if complete {
        return;
    }
    let missing: Vec<(&str, String)> = [
        (
            c.provider.is_none(),
            "provider",
            "`provider: ...` (who sets and reads it)".to_owned(),
        ),
        (
            c.party.is_none(),
            "party",
            "`party: first` or `party: third`".to_owned(),
        ),
        (
            c.category.is_none(),
            "category",
            "`category: necessary`, `preferences`, `statistics` or `marketing`".to_owned(),
        ),
        (
            c.purpose.is_none(),
            "purpose",
            format!("`purpose: {{ {skeleton} }}`"),
        ),
        (
            c.duration.is_none(),
            "duration",
            "`duration: 12 months` or `duration: session`".to_owned(),
        ),
    ]
    .into_iter()
    .filter(|(m, _, _)| *m)
    .map(|(_, field, example)| (field, example))
    .collect();
    let fields = missing
        .iter()
        .map(|(f, _)| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let examples = missing
        .iter()
        .map(|(_, e)| e.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    out.push(
        Diagnostic::error(
            Code::GdprCookieIncomplete,
            SITE,
            pos,
            format!(
                "the cookie `{name}` does not say its {fields}; people must be told what each cookie does, who can \
                 read it and how long it lasts (ePrivacy Directive Art. 5(3), CJEU Planet49, C-673/17)"
            ),
        )
        .hint(format!("add to the cookie `{name}` in site.yaml: {examples}")),
        [name.clone()],
    );
}

/// A key of site.yaml's `data:` for the example purpose of a cookie, so that the example is no
/// `unknown-reference`: what cookies read (`browsing`, `technical`) when the site declares it,
/// else its first key, else what the key stands for.
fn data_example(site: &Site) -> String {
    let declared = |key: &str| site.data.iter().any(|d| d.key.value == key);
    ["browsing", "technical"]
        .into_iter()
        .find(|k| declared(k))
        .map(str::to_owned)
        .or_else(|| site.data.first().map(|d| d.key.value.clone()))
        .unwrap_or_else(|| "<a key under data:>".to_owned())
}

/// A cookie the site could work without, on a site where no purpose is based on consent.
fn consent(site: &Site, c: &Cookie, pos: Pos, out: &mut Out) {
    let name = &c.name.value;
    let Some(category) = c.category.filter(|c| *c != CookieCategory::Necessary) else {
        return;
    };
    out.push(
        Diagnostic::error(
            Code::GdprCookieConsent,
            SITE,
            pos,
            format!(
                "the cookie `{name}` is a {} cookie, which needs prior consent, but no purpose in site.yaml is based \
                 on consent (ePrivacy Directive Art. 5(3))",
                category.key()
            ),
        )
        .hint(format!(
            "add a purpose with `basis: consent` for it under `purposes:` in site.yaml, e.g. \
             `- {{ key: analytics, name: {{ {} }}, basis: consent, data: [{}] }}`; or, if the site cannot work \
             without it, `category: necessary`",
            locale_skeleton(site),
            data_example(site)
        )),
        [name.clone()],
    );
}

const SETTINGS_URL: &str = "add `settings_url:` under `cookies:` in site.yaml, the page where people change their choice, \
     e.g. `settings_url: https://www.example.com/cookie-settings` (or one per language: `settings_url: { nl: https://..., \
     en: https://... }`); or, when the cookie banner itself reopens the choice, `settings: banner`";

const CONSENT: &str = "add `consent:` under `cookies:` in site.yaml: `per_category` when the banner asks for each category, \
     `all_or_nothing` when it asks once for all";

/// The party that reads a cookie: a third party must be a recipient (whose safeguard, outside the
/// EEA, the recipient rule asks for).
fn provider(
    site: &Site,
    c: &Cookie,
    pos: Pos,
    by_name: &HashMap<String, &Recipient>,
    out: &mut Out,
) {
    let first = first_locale(site);
    let name = &c.name.value;
    let Some(provider) = &c.provider else { return };
    let provider_name = provider.get(first).trim();
    let recipient = by_name.get(&provider_name.to_ascii_lowercase()).copied();
    if recipient.is_none() && c.party == Some(Party::Third) {
        let known: Vec<&str> = site.recipients.iter().map(|r| r.name.get(first)).collect();
        // "Google" for "Google Ireland Ltd. (Google Analytics)": the recipient is listed under a longer name.
        let near = same_party(provider_name, &known).or_else(|| nearest(provider_name, &known));
        let hint = match near {
            Some(n) => {
                format!(
                    "if `{provider_name}` is the recipient `{n}`, write the provider as `{n}`; otherwise add it under `recipients:`"
                )
            }
            None => format!(
                "add `- {{ name: {provider_name}, role: processor, service: {{ {} }}, country: ... }}` under `recipients:` in \
                 site.yaml",
                locale_skeleton(site)
            ),
        };
        out.push(
            Diagnostic::warning(
                Code::GdprCookieRecipient,
                SITE,
                or(provider.pos, pos),
                format!(
                    "the third-party cookie `{name}` lets `{provider_name}` read data, but `{provider_name}` is not among the \
                     recipients (GDPR Art. 13(1)(e))"
                ),
            )
            .hint(hint),
            [name.clone(), provider_name.to_owned()],
        );
    }
}

/// The recipient whose name holds every word of `provider`'s, or whose words `provider` holds all
/// of: the same party, written shorter or longer.
fn same_party<'k>(provider: &str, recipients: &[&'k str]) -> Option<&'k str> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let p = words(provider);
    if p.is_empty() {
        return None;
    }
    recipients.iter().copied().find(|r| {
        let r = words(r);
        !r.is_empty() && (p.iter().all(|w| r.contains(w)) || r.iter().all(|w| p.contains(w)))
    })
}

#[cfg(test)]
mod tests {
    use crate::check::gdpr::test_support::{
        assert_waived, edit, example, line_of, one, run, waive, with_code,
    };
    use crate::diagnostics::{Code, Severity};

    #[test]
    fn every_cookie_is_described_in_full() {
        let yaml = edit(
            &edit(&example(), "      duration: session\n", ""),
            "      party: first\n",
            "",
        );
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieIncomplete);
        assert_eq!(
            (d.severity, d.line),
            (Severity::Error, line_of(&yaml, "lumen_session"))
        );
        assert!(
            d.message.contains("`lumen_session`")
                && d.message.contains("`party`, `duration`")
                && d.message.contains("C-673/17"),
            "{}",
            d.message
        );
        assert!(!d.message.contains("`provider`"));
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .contains("`duration: 12 months` or `duration: session`")
        );
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieIncomplete).is_empty());
        assert_waived(
            &run(
                &waive(
                    &yaml,
                    Code::GdprCookieIncomplete,
                    Some("lumen_session"),
                    "being audited",
                ),
                &[],
            ),
            Code::GdprCookieIncomplete,
            Some("lumen_session"),
        );
    }

    #[test]
    fn cookies_that_need_consent_have_a_consent_purpose() {
        let yaml = example().replace("basis: consent", "basis: contract");
        let found = run(&yaml, &[]);
        let flagged: Vec<&str> = with_code(&found, Code::GdprCookieConsent)
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(flagged, ["lumen_lang", "_pk_id", "_pk_ses", "_mcid"]);
        assert!(
            found
                .iter()
                .all(|d| d.severity == Severity::Error && d.message.contains("Art. 5(3)"))
        );
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieConsent).is_empty());
        let waived = run(
            &waive(
                &yaml,
                Code::GdprCookieConsent,
                Some("lumen_lang"),
                "a preference, asked on the page",
            ),
            &[],
        );
        assert_eq!(with_code(&waived, Code::GdprCookieConsent).len(), 3);
        assert_eq!(
            one(&waived, Code::Waived).message,
            "`gdpr-cookie-consent` waived for `lumen_lang`: a preference, asked on the page"
        );
    }

    #[test]
    fn third_party_cookies_name_a_recipient() {
        let yaml = edit(
            &example(),
            "      provider: Mailchimp (Intuit Inc.)\n      party: third",
            "      provider: Hotjar Ltd\n      party: third",
        );
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieRecipient);
        assert_eq!(
            (d.severity, d.line, d.column),
            (Severity::Warning, line_of(&yaml, "Hotjar Ltd"), 17)
        );
        assert!(
            d.message.contains("`_mcid`")
                && d.message.contains("`Hotjar Ltd`")
                && d.message.contains("Art. 13(1)(e)"),
            "{}",
            d.message
        );
        // "Hotjar Ltd" is no recipient's name, and has words no recipient has: add it.
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "add `- { name: Hotjar Ltd, role: processor, service: { nl: ..., en: ... }, country: ... }` \
                 under `recipients:` in site.yaml"
            )
        );
        // A first-party cookie needs no recipient.
        let first = edit(
            &yaml,
            "      provider: Hotjar Ltd\n      party: third",
            "      provider: Hotjar Ltd\n      party: first",
        );
        assert!(with_code(&run(&first, &[]), Code::GdprCookieRecipient).is_empty());
        assert_waived(
            &run(
                &waive(
                    &yaml,
                    Code::GdprCookieRecipient,
                    Some("_mcid"),
                    "same company",
                ),
                &[],
            ),
            Code::GdprCookieRecipient,
            Some("_mcid"),
        );
    }

    #[test]
    fn a_provider_written_shorter_than_its_recipient_is_pointed_to_it() {
        let yaml = edit(
            &example(),
            "      provider: Mailchimp (Intuit Inc.)\n      party: third",
            "      provider: Mailchimp\n      party: third",
        );
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieRecipient);
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "if `Mailchimp` is the recipient `Mailchimp (Intuit Inc.)`, write the provider as `Mailchimp (Intuit Inc.)`; otherwise add it under `recipients:`"
            )
        );
        assert_eq!(
            super::same_party(
                "Google",
                &["Combell", "Google Ireland Ltd. (Google Analytics)"]
            ),
            Some("Google Ireland Ltd. (Google Analytics)")
        );
        assert_eq!(
            super::same_party("Google Ireland", &["Google"]),
            Some("Google")
        );
        assert_eq!(super::same_party("Meta", &["Metaphor BV"]), None);
    }

    #[test]
    fn silence_about_cookies_is_an_error_and_none_is_said_in_so_many_words() {
        let start = example().find("# Cookies and similar technology").unwrap();
        let end = example().find("# Your other documents").unwrap();
        let silent = format!("{}{}", &example()[..start], &example()[end..]);
        let found = run(&silent, &[]);
        let d = one(&found, Code::GdprCookies);
        assert_eq!((d.severity, d.line), (Severity::Error, 0));
        assert!(d.hint.as_deref().unwrap().contains("write `cookies: none`"));
        let none = format!("{silent}\ncookies: none\n");
        assert!(with_code(&run(&none, &[]), Code::GdprCookies).is_empty());
        assert_waived(
            &run(
                &waive(&silent, Code::GdprCookies, None, "not yet audited"),
                &[],
            ),
            Code::GdprCookies,
            None,
        );
    }

    #[test]
    fn cookies_that_need_consent_say_how_the_banner_asks() {
        let yaml = edit(&example(), "  consent: per_category\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieSettings);
        assert_eq!(d.line, line_of(&yaml, "\ncookies:") + 1);
        assert!(
            d.message.contains("how people are asked for it"),
            "{}",
            d.message
        );
        assert!(d.hint.as_deref().unwrap().contains("`per_category`"));
    }
}
