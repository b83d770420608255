//! The model as data for other programs, in the two documents polis writes it in ([`Shape`]):
//! the facts an archived version records (docs/archive.md) and `polis export json`
//! (docs/export.md). Every value is written as site.yaml means it, without the positions that only
//! diagnostics need. The types whose shape in Rust is not the shape a reader wants (a text per
//! language, a period, a DPO who is or is not appointed) are written here by hand; the rest derive
//! `Serialize` where they are declared, an optional field skipped by [`absent`].

use std::cell::RefCell;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{AutomatedDecisions, Date, Dpo, Localized, PageKind, Period, Retention, Str, Text};
use crate::diagnostics::Pos;

/// The document the model is written into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Shape {
    /// The archive's facts: values as site.yaml writes them (a text the same in every language as
    /// one string, a period as `12 months`), and what site.yaml leaves out absent, so that a later
    /// polis which knows more fields writes the same facts for a site that does not use them.
    #[default]
    Archive,
    /// `polis export json`: every text in each of these languages, a period as
    /// `{"count": 12, "unit": "month"}`, and what site.yaml leaves out as `null`.
    Export(Vec<String>),
}

thread_local! {
    /// The shape being written on this thread: serde hands a `Serialize` no context of its own.
    static SHAPE: RefCell<Shape> = const { RefCell::new(Shape::Archive) };
}

/// Runs `write` (which serializes the model) with the model written in `shape`.
pub fn in_shape<T>(shape: Shape, write: impl FnOnce() -> T) -> T {
    /// Puts the shape before back, also when `write` unwinds.
    struct Restore(Shape);
    impl Drop for Restore {
        fn drop(&mut self) {
            SHAPE.set(std::mem::take(&mut self.0));
        }
    }
    let _restore = Restore(SHAPE.replace(shape));
    write()
}

/// Whether an optional field is left out: in the archive's facts, when site.yaml leaves it out.
pub(super) fn absent<T>(value: &Option<T>) -> bool {
    value.is_none() && SHAPE.with_borrow(|shape| *shape == Shape::Archive)
}

/// `"Lumen"` for a text the same in every language in the archive, `{"nl": "Lumen", "en":
/// "Lumen"}` in the export; `{"nl": "Gent", "en": "Ghent"}` for one text per language.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SHAPE.with_borrow(|shape| match (&self.text, shape) {
            (Localized::Same(text), Shape::Archive) => serializer.serialize_str(&text.value),
            (Localized::Same(text), Shape::Export(locales)) => {
                let mut map = serializer.serialize_map(Some(locales.len()))?;
                for locale in locales {
                    map.serialize_entry(locale, &text.value)?;
                }
                map.end()
            }
            (Localized::PerLocale(values), _) => {
                let mut map = serializer.serialize_map(Some(values.len()))?;
                for (locale, text) in values {
                    map.serialize_entry(locale, &text.value)?;
                }
                map.end()
            }
        })
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

/// `"session"`; a span as site.yaml writes it in the archive, `"13 months"`, and as
/// `{"count": 13, "unit": "month"}` in the export.
impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let archive = SHAPE.with_borrow(|shape| *shape == Shape::Archive);
        match self {
            Period::Session => serializer.serialize_str("session"),
            Period::Span(..) if archive => serializer.collect_str(self),
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
                if !absent(phone) {
                    map.serialize_entry("phone", phone)?;
                }
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
