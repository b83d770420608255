//! What the Open Cookie Database (src/cookiedb.rs) knows of a declared cookie, held against what
//! site.yaml declares: a cookie declared strictly necessary that the database files under
//! analytics or marketing (the EDPB cookie banner taskforce's "cookies wrongly classified as
//! essential", 2023), and a declared duration shorter than the one the database records, which
//! would tell visitors the cookie goes sooner than it does (ePrivacy Art. 5(3), GDPR Art. 13(2)(a)).

use super::{Out, SITE, or};
use crate::cookiedb::{self, KnownCookie};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Cookie, CookieCategory, Period, Site, Unit};

/// Each declared cookie the database knows.
pub(super) fn known_cookies(site: &Site, out: &mut Out) {
    for cookie in &site.cookies.list {
        let name = cookie.name.value.trim_end_matches('*');
        let Some(known) = cookiedb::lookup(name) else {
            continue;
        };
        misclassified(site, cookie, &known, out);
        shorter(cookie, &known, out);
    }
}

/// A cookie declared necessary that the database calls analytics or marketing.
fn misclassified(site: &Site, cookie: &Cookie, known: &KnownCookie, out: &mut Out) {
    if cookie.category != Some(CookieCategory::Necessary) || !known.category.is_tracking() {
        return;
    }
    let name = &cookie.name.value;
    // The Belgian authority decided it for analytics cookies in so many words.
    let belgian = if site.company.address.country.value == "BE"
        && known.category == cookiedb::Category::Analytics
    {
        "; in Belgium the Data Protection Authority (GBA/APD) held that analytics cookies need consent (decision of 17 December 2019)"
    } else {
        ""
    };
    out.push(
        Diagnostic::warning(
            Code::GdprCookieMisclassified,
            SITE,
            or(cookie.name.pos, cookie.pos),
            format!(
                "`{name}` is declared strictly necessary, but the Open Cookie Database files it under {} ({}): \
                 a cookie for {} needs consent, and the EDPB cookie banner taskforce (2023) names such cookies \
                 \"wrongly classified as essential\"{belgian}",
                known.category.name(),
                known.platform,
                known.category.name().to_lowercase(),
            ),
        )
        .hint(format!(
            "declare its category as the database does (e.g. `category: {}`), or, if the site really cannot \
             work without it, say why with a waiver: `waivers: [{{ rule: gdpr-cookie-misclassified, at: {name}, reason: ... }}]`",
            if known.category == cookiedb::Category::Marketing { "marketing" } else { "statistics" }
        )),
        [name.as_str()],
    );
}

/// A declared duration shorter than the database's retention.
fn shorter(cookie: &Cookie, known: &KnownCookie, out: &mut Out) {
    let (Some(declared), Some(recorded)) = (cookie.duration, known.period) else {
        return;
    };
    if minutes(declared) >= minutes(recorded) {
        return;
    }
    let name = &cookie.name.value;
    out.push(
        Diagnostic::warning(
            Code::GdprCookieDuration,
            SITE,
            or(cookie.name.pos, cookie.pos),
            format!(
                "`{name}` is declared to last {declared}, but the Open Cookie Database records {} for it ({}): \
                 the policy would tell visitors it goes sooner than it does",
                known.retention, known.platform
            ),
        )
        .hint(format!(
            "check what the site sets (the browser's developer tools show the cookie's expiry) and declare it: \
             e.g. `duration: {recorded}`; if the site sets it for less, say so with a waiver: \
             `waivers: [{{ rule: gdpr-cookie-duration, at: {name}, reason: ... }}]`"
        )),
        [name.as_str()],
    );
}

/// A period in minutes, to compare (a month a twelfth of 365 days); a session is the shortest.
fn minutes(period: Period) -> u64 {
    let Period::Span(n, unit) = period else {
        return 0;
    };
    u64::from(n)
        * match unit {
            Unit::Minute => 1,
            Unit::Hour => 60,
            Unit::Day => 1_440,
            Unit::Week => 10_080,
            Unit::Month => 43_800,
            Unit::Year => 525_600,
        }
}
