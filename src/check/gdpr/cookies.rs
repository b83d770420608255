//! The cookie rules. A cookie may be set only when people were told what it does, who can read it
//! and how long it lasts, and, unless the site cannot work without it, only after they consented
//! (ePrivacy Directive Art. 5(3); CJEU Planet49, C-673/17). A third party that reads a cookie
//! receives data: it must be among the recipients, with a safeguard when it is outside the EEA
//! (GDPR Art. 13(1)(e)-(f)).

use std::collections::HashMap;

use super::{Out, SAFEGUARDS, SITE, first_locale, locale_skeleton, or};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::facts;
use crate::model::decode::nearest;
use crate::model::{Cookie, CookieCategory, LegalBasis, Party, Recipient, Site};

/// Checks every cookie of site.yaml: described in full, consented to, read only by a recipient.
pub(super) fn cookies(site: &Site, out: &mut Out) {
    let first = first_locale(site);
    let has_consent = site.purposes.iter().any(|p| p.basis == Some(LegalBasis::Consent));
    let skeleton = locale_skeleton(site);
    // Recipients by name as a provider writes it (case aside); the first of a name wins.
    let mut by_name: HashMap<String, &Recipient> = HashMap::new();
    for r in &site.recipients {
        by_name.entry(r.name.get(first).trim().to_ascii_lowercase()).or_insert(r);
    }
    for c in &site.cookies.list {
        let pos = or(c.name.pos, c.pos);
        completeness(c, pos, &skeleton, out);
        if !has_consent {
            consent(site, c, pos, out);
        }
        provider(site, c, pos, &by_name, out);
    }
}

/// What people must be told of a cookie: who sets it, whose it is, what kind, what for, how long.
fn completeness(c: &Cookie, pos: Pos, skeleton: &str, out: &mut Out) {
    let name = &c.name.value;
    let complete = c.provider.is_some() && c.party.is_some() && c.category.is_some() && c.purpose.is_some() && c.duration.is_some();
    if complete {
        return;
    }
    let missing: Vec<(&str, String)> = [
        (c.provider.is_none(), "provider", "`provider: ...` (who sets and reads it)".to_owned()),
        (c.party.is_none(), "party", "`party: first` or `party: third`".to_owned()),
        (c.category.is_none(), "category", "`category: necessary`, `preferences`, `statistics` or `marketing`".to_owned()),
        (c.purpose.is_none(), "purpose", format!("`purpose: {{ {skeleton} }}`")),
        (c.duration.is_none(), "duration", "`duration: 12 months` or `duration: session`".to_owned()),
    ]
    .into_iter()
    .filter(|(m, _, _)| *m)
    .map(|(_, field, example)| (field, example))
    .collect();
    let fields = missing.iter().map(|(f, _)| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    let examples = missing.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>().join("; ");
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

/// A cookie the site could work without, on a site where no purpose is based on consent.
fn consent(site: &Site, c: &Cookie, pos: Pos, out: &mut Out) {
    let name = &c.name.value;
    let Some(category) = c.category.filter(|c| *c != CookieCategory::Necessary) else { return };
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
             `- {{ key: analytics, name: {{ {} }}, basis: consent, data: [browsing] }}`; or, if the site cannot work \
             without it, `category: necessary`",
            locale_skeleton(site)
        )),
        [name.clone()],
    );
}

/// The party that reads a cookie: a third party must be a recipient, and one outside the EEA needs
/// a safeguard.
fn provider(site: &Site, c: &Cookie, pos: Pos, by_name: &HashMap<String, &Recipient>, out: &mut Out) {
    let first = first_locale(site);
    let name = &c.name.value;
    let Some(provider) = &c.provider else { return };
    let provider_name = provider.get(first).trim();
    let recipient = by_name.get(&provider_name.to_ascii_lowercase()).copied();
    match recipient {
        None if c.party == Some(Party::Third) => {
            let known: Vec<&str> = site.recipients.iter().map(|r| r.name.get(first)).collect();
            let near = nearest(provider_name, &known).map_or(String::new(), |n| format!(", or write the provider as `{n}`"));
            out.push(
                Diagnostic::warning(
                    Code::GdprCookieRecipient,
                    SITE,
                    or(provider.pos, pos),
                    format!(
                        "the third-party cookie `{name}` lets `{provider_name}` read data, but `{provider_name}` is not among \
                         the recipients (GDPR Art. 13(1)(e))"
                    ),
                )
                .hint(format!(
                    "add `- {{ name: {provider_name}, role: processor, service: {{ {} }}, country: ... }}` under \
                     `recipients:` in site.yaml{near}",
                    locale_skeleton(site)
                )),
                [name.clone(), provider_name.to_owned()],
            );
        }
        Some(r) if !r.country.value.is_empty() && !facts::in_eea(&r.country.value) && r.safeguard.is_none() => {
            out.push(
                Diagnostic::error(
                    Code::GdprCookieTransfer,
                    SITE,
                    or(provider.pos, pos),
                    format!(
                        "the cookie `{name}` sends data to `{provider_name}` in {}, outside the EEA, and site.yaml does not \
                         say how that transfer is safeguarded (GDPR Art. 13(1)(f))",
                        r.country.value
                    ),
                )
                .hint(format!("add `safeguard:` to the recipient `{provider_name}` under `recipients:` in site.yaml: {SAFEGUARDS}")),
                [name.clone(), provider_name.to_owned()],
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::check::gdpr::test_support::{assert_waived, edit, example, line_of, one, run, waive, with_code};
    use crate::diagnostics::{Code, Severity};

    #[test]
    fn every_cookie_is_described_in_full() {
        let yaml = edit(&edit(&example(), "      duration: session\n", ""), "      party: first\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieIncomplete);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "lumen_session")));
        assert!(
            d.message.contains("`lumen_session`") && d.message.contains("`party`, `duration`") && d.message.contains("C-673/17"),
            "{}",
            d.message
        );
        assert!(!d.message.contains("`provider`"));
        assert!(d.hint.as_deref().unwrap().contains("`duration: 12 months` or `duration: session`"));
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieIncomplete).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprCookieIncomplete, Some("lumen_session"), "being audited"), &[]),
            Code::GdprCookieIncomplete,
            Some("lumen_session"),
        );
    }

    #[test]
    fn cookies_that_need_consent_have_a_consent_purpose() {
        let yaml = example().replace("basis: consent", "basis: contract");
        let found = run(&yaml, &[]);
        let flagged: Vec<&str> = with_code(&found, Code::GdprCookieConsent).iter().map(|d| d.message.split('`').nth(1).unwrap()).collect();
        assert_eq!(flagged, ["lumen_lang", "_pk_id", "_pk_ses", "_mcid"]);
        assert!(found.iter().all(|d| d.severity == Severity::Error && d.message.contains("Art. 5(3)")));
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieConsent).is_empty());
        let waived = run(&waive(&yaml, Code::GdprCookieConsent, Some("lumen_lang"), "a preference, asked on the page"), &[]);
        assert_eq!(with_code(&waived, Code::GdprCookieConsent).len(), 3);
        assert_eq!(one(&waived, Code::Waived).message, "`gdpr-cookie-consent` waived for `lumen_lang`: a preference, asked on the page");
    }

    #[test]
    fn third_party_cookies_name_a_recipient() {
        let yaml =
            edit(&example(), "      provider: Matomo (InnoCraft)\n      party: third", "      provider: Matomo Cloud\n      party: third");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieRecipient);
        assert_eq!((d.severity, d.line, d.column), (Severity::Warning, line_of(&yaml, "Matomo Cloud"), 17));
        assert!(
            d.message.contains("`_pk_id`") && d.message.contains("`Matomo Cloud`") && d.message.contains("Art. 13(1)(e)"),
            "{}",
            d.message
        );
        assert!(d.hint.as_deref().unwrap().contains("- { name: Matomo Cloud, role: processor"));
        // A first-party cookie needs no recipient.
        let first = edit(&yaml, "      provider: Matomo Cloud\n      party: third", "      provider: Matomo Cloud\n      party: first");
        assert!(with_code(&run(&first, &[]), Code::GdprCookieRecipient).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprCookieRecipient, Some("_pk_id"), "same company"), &[]),
            Code::GdprCookieRecipient,
            Some("_pk_id"),
        );
    }

    #[test]
    fn cookies_sending_data_abroad_need_a_safeguard() {
        let yaml = edit(&example(), "    safeguard: data_privacy_framework\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieTransfer);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "provider: Mailchimp")));
        assert!(d.message.contains("`_mcid`") && d.message.contains("in US") && d.message.contains("Art. 13(1)(f)"), "{}", d.message);
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieTransfer).is_empty());
        let waived = run(&waive(&yaml, Code::GdprCookieTransfer, Some("_mcid"), "DPF certified"), &[]);
        assert!(with_code(&waived, Code::GdprCookieTransfer).is_empty());
        assert_eq!(one(&waived, Code::Waived).message, "`gdpr-cookie-transfer` waived for `_mcid`: DPF certified");
    }
}
