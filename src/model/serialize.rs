//! The model as data for other programs (`polis export json`, docs/export.md): every value as
//! site.yaml means it, without the positions that only diagnostics need. The types whose shape in
//! Rust is not the shape a reader wants (a text per language, a period, a DPO who is or is not
//! appointed) are written here by hand; the rest derive `Serialize` where they are declared.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{AutomatedDecisions, Date, Dpo, PageKind, Period, Retention, Str, Text};
use crate::diagnostics::Pos;

/// `{"nl": "Gent", "en": "Ghent"}`; a text that is the same in every language is `{"*": "Lumen"}`
/// (the export writes it out for each language).
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len()))?;
        for (locale, text) in &self.values {
            map.serialize_entry(locale, text)?;
        }
        map.end()
    }
}

/// The text alone.
impl Serialize for Str {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

/// `"2026-03-01"`.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// `"session"`, or `{"count": 13, "unit": "month"}`.
impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Period::Session => serializer.serialize_str("session"),
            Period::Span(count, unit) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("count", count)?;
                map.serialize_entry("unit", unit.key())?;
                map.end()
            }
        }
    }
}

/// `{"appointed": true, "names": [...], "email": ..., "phone": ...}`, `{"appointed": false,
/// "contact": {...}}`, or `null` when site.yaml does not say.
impl Serialize for Dpo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Dpo::Appointed {
                names,
                email,
                phone,
            } => {
                let mut map = serializer.serialize_map(Some(4))?;
                map.serialize_entry("appointed", &true)?;
                map.serialize_entry("names", names)?;
                map.serialize_entry("email", email)?;
                map.serialize_entry("phone", phone)?;
                map.end()
            }
            Dpo::NotAppointed { contact } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("appointed", &false)?;
                map.serialize_entry("contact", contact)?;
                map.end()
            }
            Dpo::Unspecified => serializer.serialize_none(),
        }
    }
}

/// `{"period": ..., "from": {...}}`, or `{"rule": {...}}`.
impl Serialize for Retention {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Retention::Period { period, from, .. } => {
                map.serialize_entry("period", period)?;
                map.serialize_entry("from", from)?;
            }
            Retention::Rule(rule) => map.serialize_entry("rule", rule)?,
        }
        map.end()
    }
}

/// `"none"`, the list, or `null` when site.yaml does not say.
impl Serialize for AutomatedDecisions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AutomatedDecisions::Unspecified => serializer.serialize_none(),
            AutomatedDecisions::None => serializer.serialize_str("none"),
            AutomatedDecisions::Some(list) => list.serialize(serializer),
        }
    }
}

/// `site.slugs` as written: `{"nl": {"privacy": "privacyverklaring"}}`.
pub(super) fn slugs<S: Serializer>(
    slugs: &[(String, PageKind, Str)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut locales: Vec<&str> = slugs.iter().map(|(l, _, _)| l.as_str()).collect();
    locales.dedup();
    let mut map = serializer.serialize_map(Some(locales.len()))?;
    for locale in locales {
        let pages: std::collections::BTreeMap<&str, &str> = slugs
            .iter()
            .filter(|(l, _, _)| l == locale)
            .map(|(_, p, s)| (p.as_str(), s.value.as_str()))
            .collect();
        map.serialize_entry(locale, &pages)?;
    }
    map.end()
}

/// A value that keeps where it is written, without the place.
pub(super) fn without_pos<T: Serialize, S: Serializer>(
    value: &Option<(T, Pos)>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.as_ref().map(|(v, _)| v).serialize(serializer)
}
