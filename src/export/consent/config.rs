//! The banner's behaviour from the cookie facts: the consent cookie, the categories with the
//! cookies to clear and the providers, and the settings a regulator sets (opt-in, equal buttons).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::html;
use crate::export::ExportError;
use crate::model::{Cookie, CookieCategory, Period, Site, Unit};

/// The configuration without its words (`language`), at `revision`.
pub(super) fn config(site: &Site, revision: u32) -> Result<Value, ExportError> {
    let (name, days) = consent_cookie(site)?;
    let mut categories = Map::new();
    for category in CookieCategory::ALL.map(|(_, c)| c) {
        let cookies: Vec<&Cookie> = site
            .cookies
            .list
            .iter()
            .filter(|c| c.category == Some(category))
            .collect();
        if cookies.is_empty() && category != CookieCategory::Necessary {
            continue;
        }
        categories.insert(
            category.key().to_owned(),
            self::category(site, category, &cookies),
        );
    }
    Ok(json!({
        "mode": "opt-in",
        "revision": revision,
        "cookie": { "name": name, "expiresAfterDays": days },
        "guiOptions": {
            "consentModal": { "equalWeightButtons": true, "flipButtons": false },
            "preferencesModal": { "equalWeightButtons": true, "flipButtons": false }
        },
        "categories": categories,
    }))
}

/// A category: necessary is on and cannot be turned off; every other is off until chosen, and
/// its cookies are cleared when it is refused.
fn category(site: &Site, category: CookieCategory, cookies: &[&Cookie]) -> Value {
    if category == CookieCategory::Necessary {
        return json!({ "enabled": true, "readOnly": true });
    }
    let names: Vec<Value> = cookies.iter().map(|c| json!({ "name": name(c) })).collect();
    json!({
        "enabled": false,
        "readOnly": false,
        "autoClear": { "cookies": names, "reloadPage": false },
        "services": services(site, cookies),
    })
}

/// The providers of `cookies`, each with its cookies, by a key made of its name.
fn services(site: &Site, cookies: &[&Cookie]) -> Value {
    let locale = site
        .settings
        .locales
        .first()
        .map_or("", |l| l.value.as_str());
    let mut services: BTreeMap<String, (String, Vec<Value>)> = BTreeMap::new();
    for cookie in cookies {
        let Some(provider) = &cookie.provider else {
            continue;
        };
        let label = provider.get(locale);
        let entry = services
            .entry(service_key(label))
            .or_insert_with(|| (html(label), Vec::new()));
        entry.1.push(json!({ "name": name(cookie) }));
    }
    services
        .into_iter()
        .map(|(key, (label, cookies))| (key, json!({ "label": label, "cookies": cookies })))
        .collect::<Map<String, Value>>()
        .into()
}

/// `Matomo (InnoCraft)` → `matomo-innocraft`.
fn service_key(provider: &str) -> String {
    let mut key = String::new();
    for c in provider.chars() {
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_owned()
}

/// A cookie's name as the library matches it: a wildcard of site.yaml (`_pk_id.*`) as a
/// regular expression written `/^_pk_id\..*$/`, which the module makes a `RegExp`; a cookie
/// name cannot start with `/` (RFC 6265), so no name reads as one by mistake.
pub(super) fn name(cookie: &Cookie) -> String {
    let name = &cookie.name.value;
    if !name.contains('*') {
        return name.clone();
    }
    let mut pattern = String::from("/^");
    for c in name.chars() {
        match c {
            '*' => pattern.push_str(".*"),
            '\\' | '^' | '$' | '.' | '|' | '?' | '+' | '(' | ')' | '[' | ']' | '{' | '}' | '/' => {
                pattern.push('\\');
                pattern.push(c);
            }
            c => pattern.push(c),
        }
    }
    pattern.push_str("$/");
    pattern
}

/// The consent cookie's name and lifetime in days: the cookie `cookies.consent_cookie` names,
/// which the cookie table must declare with a duration (a regulator asks for it there).
fn consent_cookie(site: &Site) -> Result<(String, Value), ExportError> {
    let cookies = &site.cookies;
    let Some(named) = &cookies.consent_cookie else {
        return Err(ExportError::Consent(format!(
            "site.yaml:{}: `cookies` names no consent cookie; add the cookie in which the banner \
             stores the choice to `cookies.list` (category necessary, with its duration) and name \
             it: `consent_cookie: <its name>`",
            cookies.pos.line
        )));
    };
    let Some(cookie) = cookies.list.iter().find(|c| c.name.value == named.value) else {
        return Err(ExportError::Consent(format!(
            "site.yaml:{}: `consent_cookie: {}` is not a cookie of `cookies.list`; declare it \
             there (category necessary, with its duration)",
            named.pos.line, named.value
        )));
    };
    match cookie.duration.map(days) {
        Some(Some(days)) => Ok((cookie.name.value.clone(), number(days))),
        _ => Err(ExportError::Consent(format!(
            "site.yaml:{}: the consent cookie `{}` needs a duration that is not `session`: the \
             banner keeps the choice that long, e.g. `duration: 6 months`",
            cookie.pos.line, cookie.name.value
        ))),
    }
}

/// `182`, not `182.0`, where the number is whole.
fn number(days: f64) -> Value {
    if days.fract() == 0.0 && days < f64::from(u32::MAX) {
        // Whole and in range: the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = days as u64;
        Value::from(whole)
    } else {
        Value::from(days)
    }
}

/// A period in days, never longer than it (a month is a twelfth of 365 days, rounded down);
/// `None` for a session.
fn days(period: Period) -> Option<f64> {
    let Period::Span(n, unit) = period else {
        return None;
    };
    let n = f64::from(n);
    Some(match unit {
        Unit::Minute => n / 1440.0,
        Unit::Hour => n / 24.0,
        Unit::Day => n,
        Unit::Week => n * 7.0,
        Unit::Month => (n * 365.0 / 12.0).floor(),
        Unit::Year => n * 365.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Str;

    fn named(name: &str) -> Cookie {
        Cookie {
            name: Str {
                value: name.to_owned(),
                ..Str::default()
            },
            ..Cookie::default()
        }
    }

    #[test]
    fn a_wildcard_is_a_regular_expression_and_a_name_is_itself() {
        assert_eq!(name(&named("_pk_id.*")), r"/^_pk_id\..*$/");
        assert_eq!(name(&named("_hjSession_*")), "/^_hjSession_.*$/");
        assert_eq!(name(&named("lumen_consent")), "lumen_consent");
    }

    #[test]
    fn a_lifetime_is_never_longer_than_declared() {
        assert_eq!(days(Period::Span(6, Unit::Month)), Some(182.0));
        assert_eq!(days(Period::Span(12, Unit::Month)), Some(365.0));
        assert_eq!(days(Period::Span(1, Unit::Year)), Some(365.0));
        assert_eq!(days(Period::Session), None);
    }

    #[test]
    fn a_provider_is_a_service_key() {
        assert_eq!(service_key("Matomo (InnoCraft)"), "matomo-innocraft");
        assert_eq!(
            service_key("Mailchimp (Intuit Inc.)"),
            "mailchimp-intuit-inc"
        );
    }
}
