//! What a scan saw, held against what site.yaml declares: the pure core of `polis scan`, with no
//! browser and no file, so that every finding is tested on observations written by hand.
//!
//! A stored name (cookie or storage key, EDPB Guidelines 2/2023 treat both alike) is declared when
//! a cookie of site.yaml names it: the same name, a name with `*` standing for any characters
//! (`_pk_id.*`), or the stem of an Open Cookie Database wildcard row (`_pk_id` for
//! `_pk_id.1.a3f2`).

use std::collections::BTreeSet;

use crate::cookiedb::{self, KnownCookie};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::model::{Cookie, CookieCategory, Period, Site, Unit};

/// The file every finding is at.
const SITE: &str = "site.yaml";

/// When a visit looked: before any choice, after "reject all", after "accept all".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Moment {
    /// Before anyone chose: only strictly necessary cookies may be stored (ePrivacy Art. 5(3)).
    BeforeChoice,
    /// After "reject all".
    AfterReject,
    /// After "accept all".
    AfterAccept,
}

impl Moment {
    /// How the output names the visit.
    pub fn words(self) -> &'static str {
        match self {
            Moment::BeforeChoice => "before any choice",
            Moment::AfterReject => "after \"reject all\"",
            Moment::AfterAccept => "after \"accept all\"",
        }
    }
}

/// A cookie as the browser held it at the end of a visit.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenCookie {
    /// Its name.
    pub name: String,
    /// The domain it is set on (`.shop.example`).
    pub domain: String,
    /// Its path.
    pub path: String,
    /// How many days it lives from when it was seen; `None` for a session cookie.
    pub days: Option<f64>,
    /// Whether its domain is another site's than the scanned one.
    pub third_party: bool,
    /// Whether scripts cannot read it (`HttpOnly`).
    pub http_only: bool,
}

/// A key of localStorage or sessionStorage.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeenKey {
    /// The origin whose storage holds it.
    pub origin: String,
    /// The key.
    pub key: String,
    /// sessionStorage rather than localStorage.
    pub session: bool,
}

/// What one visit saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// When it looked.
    pub moment: Moment,
    /// The cookies stored.
    pub cookies: Vec<SeenCookie>,
    /// The storage keys.
    pub storage: Vec<SeenKey>,
    /// The hosts of requests to other sites.
    pub hosts: BTreeSet<String>,
}

impl Visit {
    /// A visit at `moment` that saw nothing yet.
    pub fn new(moment: Moment) -> Self {
        Visit {
            moment,
            cookies: Vec::new(),
            storage: Vec::new(),
            hosts: BTreeSet::new(),
        }
    }
}

/// Everything a scan (or a file of evidence) saw, visit by visit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observations {
    /// The visits, in the order they ran.
    pub visits: Vec<Visit>,
}

/// The findings of `obs` on `site`, sorted by line; `lookup` finds a name in the Open Cookie
/// Database (`cookiedb::lookup`, or a table of a test's own).
pub fn findings(
    site: &Site,
    obs: &Observations,
    lookup: impl Fn(&str) -> Option<KnownCookie>,
) -> Vec<Diagnostic> {
    let declared = &site.cookies.list;
    let mut out = Vec::new();
    let mut reported: BTreeSet<(Code, String)> = BTreeSet::new();
    let mut seen = vec![false; declared.len()];
    let mut push = |code: Code, what: &str, d: Diagnostic, out: &mut Vec<Diagnostic>| {
        if reported.insert((code, what.to_owned())) {
            out.push(d);
        }
    };
    for visit in &obs.visits {
        for c in &visit.cookies {
            let Some(i) = declared_as(declared, &c.name, &lookup) else {
                let d = undeclared(site, &c.name, Stored::Cookie(c), &lookup);
                push(Code::ScanUndeclared, &c.name, d, &mut out);
                continue;
            };
            seen[i] = true;
            let cookie = &declared[i];
            if let Some(d) = too_early(cookie, &c.name, visit.moment) {
                push(d.code, &c.name, d, &mut out);
            }
            if let Some(d) = too_long(cookie, c) {
                push(Code::ScanDuration, &c.name, d, &mut out);
            }
        }
        for k in &visit.storage {
            match declared_as(declared, &k.key, &lookup) {
                Some(i) => seen[i] = true,
                None => {
                    let d = undeclared(site, &k.key, Stored::Key(k), &lookup);
                    push(Code::ScanUndeclared, &k.key, d, &mut out);
                }
            }
        }
        for host in &visit.hosts {
            if !site.recipients.iter().any(|r| names_host(r, host)) {
                push(Code::ScanHost, host, unnamed_host(site, host), &mut out);
            }
        }
    }
    for (cookie, _) in declared.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        out.push(unseen(cookie, obs));
    }
    out.sort_by(|a, b| (a.line, a.code, &a.message).cmp(&(b.line, b.code, &b.message)));
    out
}

/// The index of the cookie of site.yaml that declares the stored `name`.
fn declared_as(
    declared: &[Cookie],
    name: &str,
    lookup: &impl Fn(&str) -> Option<KnownCookie>,
) -> Option<usize> {
    let stem = lookup(name)
        .filter(|k| k.wildcard)
        .map(|k| k.name.trim_end_matches(['.', '_', '-']));
    declared.iter().position(|c| {
        let d = c.name.value.as_str();
        d == name
            || (d.contains('*') && glob(d, name))
            || stem.is_some_and(|s| !s.is_empty() && d.trim_end_matches(['.', '_', '-']) == s)
    })
}

/// Whether `name` matches `pattern`, where `*` stands for any characters.
fn glob(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// What was stored: a cookie or a storage key.
enum Stored<'a> {
    Cookie(&'a SeenCookie),
    Key(&'a SeenKey),
}

fn undeclared(
    site: &Site,
    name: &str,
    stored: Stored<'_>,
    lookup: &impl Fn(&str) -> Option<KnownCookie>,
) -> Diagnostic {
    let known = lookup(name);
    let (what, party, kind, duration) = match stored {
        Stored::Cookie(c) => (
            format!("the cookie `{name}` (domain `{}`)", c.domain),
            if c.third_party { "third" } else { "first" },
            None,
            Some(c.days.map_or("session".to_owned(), days_written)),
        ),
        Stored::Key(k) => (
            format!(
                "`{name}` in the {} of {}",
                if k.session {
                    "sessionStorage"
                } else {
                    "localStorage"
                },
                k.origin
            ),
            "first",
            Some("local_storage"),
            None,
        ),
    };
    let provider = known
        .as_ref()
        .map_or("\"[fill in: who sets and reads it]\"".to_owned(), |k| {
            k.platform.to_owned()
        });
    let category = known.as_ref().map_or(
        "\"[fill in: necessary, preferences, statistics or marketing]\"",
        |k| category_of(k.category).key(),
    );
    let duration = known
        .as_ref()
        .and_then(|k| k.period)
        .map(|p| p.to_string())
        .or(duration)
        .unwrap_or_else(|| "\"[fill in: how long it lasts]\"".to_owned());
    let kind = kind.map_or(String::new(), |k| format!(", type: {k}"));
    Diagnostic::error(
        Code::ScanUndeclared,
        SITE,
        site.cookies.pos,
        format!("the site stores {what}, which no cookie of site.yaml names"),
    )
    .hint(format!(
        "declare it under `cookies.list:` (ePrivacy Directive Art. 5(3)): `- {{ name: {name}{kind}, \
         provider: {provider}, party: {party}, category: {category}, purpose: \"[fill in: what it \
         does]\", duration: {duration} }}`"
    ))
}

/// The site.yaml category closest to the database's.
fn category_of(category: cookiedb::Category) -> CookieCategory {
    match category {
        cookiedb::Category::Necessary
        | cookiedb::Category::Functional
        | cookiedb::Category::Security => CookieCategory::Necessary,
        cookiedb::Category::Personalization => CookieCategory::Preferences,
        cookiedb::Category::Analytics => CookieCategory::Statistics,
        cookiedb::Category::Marketing => CookieCategory::Marketing,
    }
}

/// A cookie that needs consent, stored before any choice or after "reject all".
fn too_early(cookie: &Cookie, name: &str, moment: Moment) -> Option<Diagnostic> {
    let category = cookie
        .category
        .filter(|c| *c != CookieCategory::Necessary)?;
    let code = match moment {
        Moment::BeforeChoice => Code::ScanBeforeConsent,
        Moment::AfterReject => Code::ScanAfterReject,
        Moment::AfterAccept => return None,
    };
    Some(
        Diagnostic::error(
            code,
            SITE,
            cookie.pos,
            format!(
                "the {} cookie `{name}` is stored {}; without consent only strictly necessary \
                 cookies may be (ePrivacy Directive Art. 5(3))",
                category.key(),
                moment.words()
            ),
        )
        .hint(format!(
            "set `{name}` only once people accept {} cookies (load what sets it from the \
             banner's consent), or, if the site cannot work without it, say `category: necessary`",
            category.key()
        )),
    )
}

/// A cookie that lives longer than site.yaml says.
fn too_long(cookie: &Cookie, seen: &SeenCookie) -> Option<Diagnostic> {
    let declared = cookie.duration?;
    let days = seen.days?;
    let longer = match declared {
        Period::Session => true,
        Period::Span(..) => {
            let limit = period_days(declared);
            days > limit + (limit * 0.01).max(1.0 / 1440.0)
        }
    };
    if !longer {
        return None;
    }
    let pos = if cookie.duration_pos.line == 0 {
        cookie.pos
    } else {
        cookie.duration_pos
    };
    Some(
        Diagnostic::error(
            Code::ScanDuration,
            SITE,
            pos,
            format!(
                "the cookie `{}` lives {}, longer than its `duration: {declared}`",
                seen.name,
                days_written(days)
            ),
        )
        .hint(format!(
            "write `duration: {}`, or make the cookie expire sooner (its Expires or Max-Age)",
            days_written(days)
        )),
    )
}

/// The days a period lasts at most (a month of 31 days, a year of 366).
fn period_days(period: Period) -> f64 {
    match period {
        Period::Session => 0.0,
        Period::Span(n, unit) => {
            let per = match unit {
                Unit::Minute => 1.0 / 1440.0,
                Unit::Hour => 1.0 / 24.0,
                Unit::Day => 1.0,
                Unit::Week => 7.0,
                Unit::Month => 31.0,
                Unit::Year => 366.0,
            };
            f64::from(n) * per
        }
    }
}

/// A life in days as site.yaml writes a duration: "400 days", "2 hours", "30 minutes", to the
/// nearest minute (a cookie is read a moment after it was set).
fn days_written(days: f64) -> String {
    let minutes = (days * 1440.0).round().max(1.0);
    let (n, unit) = if minutes >= 1440.0 {
        ((minutes / 1440.0).round(), Unit::Day)
    } else if minutes >= 60.0 {
        ((minutes / 60.0).round(), Unit::Hour)
    } else {
        (minutes, Unit::Minute)
    };
    Period::Span(n as u32, unit).to_string()
}

fn unseen(cookie: &Cookie, obs: &Observations) -> Diagnostic {
    let visits: Vec<&str> = obs.visits.iter().map(|v| v.moment.words()).collect();
    let accepted = obs.visits.iter().any(|v| v.moment == Moment::AfterAccept);
    Diagnostic::note(
        Code::ScanUnseen,
        SITE,
        cookie.pos,
        format!(
            "no visit saw the cookie `{}` ({})",
            cookie.name.value,
            visits.join(", ")
        ),
    )
    .hint(if accepted {
        "remove it from site.yaml if the site no longer sets it, or scan the page that sets it"
            .to_owned()
    } else {
        "no visit accepted cookies: name the banner's buttons (`--accept`, `--reject` or site.yaml's \
         `scan:`) so that the scan sees what consent allows"
            .to_owned()
    })
}

/// Whether `recipient` names `host`: in its `hosts`, or by a word of its name in the host.
fn names_host(recipient: &crate::model::Recipient, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let listed = recipient.hosts.iter().any(|h| {
        let h = h.value.trim_start_matches('.').to_ascii_lowercase();
        host == h || host.ends_with(&format!(".{h}"))
    });
    listed
        || recipient.name.all().any(|name| {
            name.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 4)
                .any(|w| host.contains(&w.to_lowercase()))
        })
}

fn unnamed_host(site: &Site, host: &str) -> Diagnostic {
    let pos = site
        .section_keys
        .iter()
        .find(|(k, _)| *k == "recipients")
        .map_or(Pos::default(), |(_, p)| *p);
    Diagnostic::warning(
        Code::ScanHost,
        SITE,
        pos,
        format!(
            "the site sends requests to `{host}`, which no recipient of site.yaml names (GDPR \
             Art. 13(1)(e))"
        ),
    )
    .hint(format!(
        "add `hosts: [{host}]` to the recipient whose service it is, or add that recipient"
    ))
}

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
