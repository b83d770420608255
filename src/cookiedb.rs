//! The Open Cookie Database, shipped in the binary: what a known cookie is (its platform, category,
//! retention and controller), so that `check` can tell a "strictly necessary" tracker from a
//! necessary cookie, `polis init` and the hints can offer the facts of `_ga`, and `polis scan` can
//! name what a site really sets.
//!
//! The data is a snapshot of jkwakman/Open-Cookie-Database (Apache-2.0; licence and source in
//! `data/` and NOTICE), converted once by `data/open-cookie-database.py` into the columns polis
//! reads. It is parsed on the first lookup and kept for the run. A name is looked up exactly first,
//! then among the database's wildcard rows, whose name is a prefix (`_ga_` matches `_ga_ABC123`):
//! the longest prefix wins. Of two rows with one name, the first in the file is the one kept.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::Period;

/// The converted snapshot: a header line, then one tab-separated row per cookie.
const DATA: &str = include_str!("../data/open-cookie-database.tsv");

/// At most this many rows are read from the snapshot, whatever it holds.
const MAX_ROWS: usize = 20_000;

/// A name longer than this is no cookie of the database (its longest is under 50); lookups of
/// longer names return `None` without searching.
pub const MAX_NAME: usize = 256;

/// The category the database files a cookie under, in its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Needed for the site to work at all; the database files a handful of rows so, most of its
    /// necessary cookies are under [`Category::Functional`].
    Necessary,
    /// Makes the site work (sessions, consent state, load balancing).
    Functional,
    /// Remembers a visitor's choices (language, layout).
    Personalization,
    /// Measures visits and behaviour.
    Analytics,
    /// Advertising and tracking across sites.
    Marketing,
    /// Protects the site and its visitors (bot detection, fraud).
    Security,
}

impl Category {
    /// Every category with the word the database writes for it.
    pub const ALL: [(&'static str, Category); 6] = [
        ("Necessary", Category::Necessary),
        ("Functional", Category::Functional),
        ("Personalization", Category::Personalization),
        ("Analytics", Category::Analytics),
        ("Marketing", Category::Marketing),
        ("Security", Category::Security),
    ];

    /// The word the database writes for it: `Analytics`.
    pub fn name(self) -> &'static str {
        Category::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(name, _)| name)
    }

    fn parse(word: &str) -> Option<Category> {
        Category::ALL
            .iter()
            .find(|(name, _)| *name == word)
            .map(|(_, c)| *c)
    }

    /// Whether the category is one of those a cookie wrongly declared strictly necessary most
    /// often has (EDPB cookie banner taskforce, 2023): analytics or marketing.
    pub fn is_tracking(self) -> bool {
        matches!(self, Category::Analytics | Category::Marketing)
    }
}

/// What the database knows of one cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCookie {
    /// The name as the database writes it: the whole name, or for a wildcard row its prefix.
    pub name: &'static str,
    /// Whether [`KnownCookie::name`] is a prefix (`_ga_` for `_ga_ABC123`).
    pub wildcard: bool,
    /// The platform that sets it: `Google Analytics`, `Matomo`, `Hotjar`.
    pub platform: &'static str,
    /// What it is for.
    pub category: Category,
    /// The domain it is set on, when the database names one (`.linkedin.com`,
    /// `facebook.com (3rd party)`).
    pub domain: Option<&'static str>,
    /// How long it lasts, as the database writes it: `2 years`, `session`, `Varies`.
    pub retention: &'static str,
    /// The retention as a polis period, where it reads as one (`2 years`, `30 minutes`,
    /// `session`); `None` for `Varies`, `Unknown`, `1 week to 1 year`.
    pub period: Option<Period>,
    /// Who controls the data it holds: `Google`, `Hotjar`.
    pub controller: &'static str,
}

/// The parsed snapshot: every row, and the exact and wildcard names to their row.
struct Db {
    rows: Vec<KnownCookie>,
    exact: HashMap<&'static str, usize>,
    prefix: HashMap<&'static str, usize>,
}

fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| parse(DATA))
}

fn parse(data: &'static str) -> Db {
    let mut db = Db {
        rows: Vec::new(),
        exact: HashMap::new(),
        prefix: HashMap::new(),
    };
    let rows = data
        .lines()
        .filter(|line| !line.starts_with('#'))
        .take(MAX_ROWS);
    for row in rows.filter_map(parse_row) {
        let index = db.rows.len();
        let names = if row.wildcard {
            &mut db.prefix
        } else {
            &mut db.exact
        };
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(row.name) {
            e.insert(index);
            db.rows.push(row);
        }
    }
    db
}

/// One row, `platform category name domain retention controller wildcard`; `None` for a row
/// that is not one (its words are the snapshot's, so a test reads them all).
fn parse_row(line: &'static str) -> Option<KnownCookie> {
    let [
        platform,
        category,
        name,
        domain,
        retention,
        controller,
        wildcard,
    ] = line.split('\t').collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let wildcard = match wildcard {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    if name.is_empty() || name.len() > MAX_NAME {
        return None;
    }
    Some(KnownCookie {
        name,
        wildcard,
        platform,
        category: Category::parse(category)?,
        domain: (!domain.is_empty()).then_some(domain),
        retention,
        period: retention_period(retention),
        controller,
    })
}

/// The database's retention as a polis period, where it is one.
fn retention_period(retention: &str) -> Option<Period> {
    let lower = retention.trim().to_ascii_lowercase();
    match lower.as_str() {
        "session" | "sessions" | "session cookie" | "end of session (browser)" => {
            Some(Period::Session)
        }
        _ => Period::parse(&lower, false),
    }
}

/// What the database knows of the cookie named `name`: the row of that exact name, else the
/// wildcard row whose prefix is the longest that `name` starts with. Names are compared as
/// browsers do, case and all.
pub fn lookup(name: &str) -> Option<KnownCookie> {
    if name.is_empty() || name.len() > MAX_NAME {
        return None;
    }
    let db = db();
    let index = db.exact.get(name).or_else(|| {
        (1..=name.len())
            .rev()
            .filter(|end| name.is_char_boundary(*end))
            .find_map(|end| db.prefix.get(&name[..end]))
    })?;
    db.rows.get(*index).cloned()
}

/// Every row the database holds (without the repeated names), in its order: for a tool that
/// lists or searches them.
pub fn all() -> &'static [KnownCookie] {
    &db().rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    #[test]
    fn google_analytics_is_found_by_its_exact_name() {
        let ga = lookup("_ga").expect("_ga is in the database");
        assert_eq!(ga.name, "_ga");
        assert!(!ga.wildcard);
        assert_eq!(ga.platform, "Google Analytics");
        assert_eq!(ga.category, Category::Analytics);
        assert_eq!(ga.retention, "2 years");
        assert_eq!(ga.period, Some(Period::Span(2, Unit::Year)));
        assert_eq!(ga.controller, "Google");
    }

    #[test]
    fn a_measurement_id_cookie_finds_the_wildcard_row() {
        let ga4 = lookup("_ga_ABC123XYZ").expect("_ga_ is a wildcard row");
        assert_eq!((ga4.name, ga4.wildcard), ("_ga_", true));
        assert_eq!(ga4.platform, "Google Analytics");
    }

    #[test]
    fn matomo_visitor_id_takes_the_longest_prefix() {
        // `_pk_id` (Matomo) and `_pk_id.` (Piwik, Matomo's former name) both match; the longer wins.
        let pk = lookup("_pk_id.1.abcd").expect("_pk_id. is a wildcard row");
        assert_eq!((pk.name, pk.wildcard), ("_pk_id.", true));
        assert_eq!(pk.category, Category::Analytics);
        assert_eq!(pk.period, Some(Period::Span(13, Unit::Month)));
        let short = lookup("_pk_idx").expect("_pk_id is a wildcard row too");
        assert_eq!((short.name, short.platform), ("_pk_id", "Matomo"));
    }

    #[test]
    fn hotjar_session_matches_its_own_prefix_not_a_longer_one() {
        let hj = lookup("_hjSession_123").expect("_hjSession_ is a wildcard row");
        assert_eq!((hj.name, hj.platform), ("_hjSession_", "Hotjar"));
        assert_eq!(hj.period, Some(Period::Span(30, Unit::Minute)));
        let user = lookup("_hjSessionUser_123").expect("_hjSessionUser_ is a wildcard row");
        assert_eq!(user.name, "_hjSessionUser_");
        assert_eq!(user.period, Some(Period::Span(365, Unit::Day)));
    }

    #[test]
    fn an_unknown_or_oversized_name_is_not_found() {
        assert_eq!(lookup("polis_unknown_cookie"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup(&"_ga_".repeat(100)), None);
        // An exact row matches only its whole name: `_ga` does not make `_gax` known.
        assert_eq!(lookup("_gaxq").map(|c| c.name), None);
    }

    #[test]
    fn names_compare_case_and_all() {
        assert_eq!(lookup("_GA"), None);
    }

    #[test]
    fn every_row_of_the_snapshot_is_read() {
        let rows = DATA.lines().filter(|l| !l.starts_with('#')).count();
        let read = DATA
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(parse_row)
            .count();
        assert_eq!(
            read, rows,
            "a row of data/open-cookie-database.tsv does not parse"
        );
        assert!(rows > 2000);
        // The few repeated names are kept once.
        assert!(all().len() <= rows && all().len() > rows - 50);
    }

    #[test]
    fn retention_reads_as_a_period_where_it_is_one() {
        assert_eq!(retention_period("Session"), Some(Period::Session));
        assert_eq!(
            retention_period("End of session (browser)"),
            Some(Period::Session)
        );
        assert_eq!(
            retention_period("13 Months"),
            Some(Period::Span(13, Unit::Month))
        );
        assert_eq!(
            retention_period("24 hours"),
            Some(Period::Span(24, Unit::Hour))
        );
        assert_eq!(retention_period("Varies"), None);
        assert_eq!(retention_period("1 week to 1 year"), None);
    }

    #[test]
    fn consent_state_cookies_are_functional() {
        let c = lookup("CookieConsent").expect("Cookiebot's cookie is in the database");
        assert_eq!(c.category, Category::Functional);
        assert!(!c.category.is_tracking());
        assert_eq!(Category::Marketing.name(), "Marketing");
    }
}
