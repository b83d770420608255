//! The versions of a page in the words of one language: `versions` (docs/templates.md), each with
//! the hand-written summary of site.changes and what changed in the facts, line by line, from
//! what history found: "Nieuwe ontvanger: Mollie (rol: verwerker; land: Nederland)",
//! "Facturatiegegevens: bewaartermijn: 5 jaar … → 7 jaar …".

use std::collections::BTreeSet;

use serde_json::Value;
use tera::value::Key;

use super::localize::{Localizer, fill};
use crate::history::{Change, History, Kind, Names, Section, Step, What, text_in};
use crate::load::Archived;
use crate::model::{Date, PageKind, Period, Site};

type V = tera::Value;

/// The folder of a page's index of versions, beside the folders of its archived versions.
pub(super) const VERSIONS: &str = "versions";

/// Where `page` was published at `url` in `locale`: the versions of the page, newest first: the
/// one in effect, the archived ones and the dates site.changes names, each with its summary, its
/// changes (in the facts, since the archived version before it) and, when archived, its link.
pub(super) fn versions(
    l: &mut Localizer,
    site: &Site,
    history: &History,
    archive: &[Archived],
    page: PageKind,
    url: &str,
) -> Vec<V> {
    let effective = site.settings.effective_date;
    let mut dates: BTreeSet<Date> = site.settings.changes.iter().map(|c| c.date).collect();
    dates.insert(effective);
    dates.extend(history.earlier.iter().map(|(d, _)| *d));
    let key = (page.as_str().to_owned(), l.locale.to_owned());
    dates
        .into_iter()
        .rev()
        .map(|date| {
            let mut v = tera::Map::default();
            v.insert(Key::Str("date"), l.date(date).into());
            v.insert(Key::Str("date_iso"), date.iso().into());
            v.insert(Key::Str("current"), (date == effective).into());
            if let Some(change) = site.settings.changes.iter().find(|c| c.date == date) {
                v.insert(Key::Str("summary"), l.text(&change.summary).into());
            }
            let lines: Vec<V> = history
                .steps
                .iter()
                .filter(|s| s.date == date)
                .flat_map(|s| {
                    s.changes
                        .iter()
                        .filter(move |c| c.section.on(page))
                        .map(move |c| (s, c))
                })
                .filter_map(|(step, change)| line(l, step, change).map(V::from))
                .collect();
            v.insert(Key::Str("changes"), lines.into());
            let archived = history
                .earlier
                .iter()
                .any(|(d, i)| *d == date && archive[*i].pages.contains_key(&key));
            if date == effective {
                v.insert(Key::Str("url"), url.into());
            } else if archived {
                v.insert(Key::Str("url"), format!("{url}{}/", date.iso()).into());
                v.insert(Key::Str("href"), format!("{}/", date.iso()).into());
            }
            v.into()
        })
        .collect()
}

/// One change in words, in the patterns of the pack's `history.format`: "{what}: {name}" for an
/// item added (with its fields) or removed, "{what} {name}: {field}: {before} → {after}; …" for
/// one changed. `None` for a change that
/// reads the same in this language (a text changed in another one).
fn line(l: &mut Localizer, step: &Step, change: &Change) -> Option<String> {
    let section = change.section.key();
    let name = item_name(l, change);
    match &change.what {
        What::Added => {
            let head = l
                .pack_str(&format!("history.sections.{section}.added"))
                .replace("{name}", &name);
            let details: Vec<String> = change
                .section
                .fields()
                .iter()
                .filter(|f| Some(f.key) != change.section.name_field())
                .filter_map(|f| f.get(&change.item).map(|v| (f, v)))
                .map(|(f, v)| {
                    let field = l.pack_str(&format!("history.fields.{}", f.name()));
                    let value = value(l, f.kind, Some(v), &step.names);
                    fill(
                        &l.pack_str("history.format.field"),
                        &[("field", &field), ("value", &value)],
                    )
                })
                .collect();
            Some(if details.is_empty() {
                head
            } else {
                let fields = details.join(&l.pack_str("history.format.separator"));
                fill(
                    &l.pack_str("history.format.added"),
                    &[("head", &head), ("fields", &fields)],
                )
            })
        }
        What::Removed => Some(
            l.pack_str(&format!("history.sections.{section}.removed"))
                .replace("{name}", &name),
        ),
        What::Changed(fields) => {
            let mut parts = Vec::new();
            for c in fields {
                let old = value(l, c.field.kind, c.old.as_ref(), &step.names);
                let new = value(l, c.field.kind, c.new.as_ref(), &step.names);
                if old != new {
                    let field = l.pack_str(&format!("history.fields.{}", c.field.name()));
                    parts.push(fill(
                        &l.pack_str("history.format.field_changed"),
                        &[("field", &field), ("old", &old), ("new", &new)],
                    ));
                }
            }
            if parts.is_empty() {
                return None;
            }
            let head = l
                .pack_str(&format!("history.sections.{section}.changed"))
                .replace("{name}", &name);
            let fields = parts.join(&l.pack_str("history.format.separator"));
            Some(fill(
                &l.pack_str("history.format.changed"),
                &[("head", &head), ("fields", &fields)],
            ))
        }
    }
}

/// The name of the item a change is about: its name or title in this language, a known data
/// category's or source's name from the locale pack, a measure in the pack's words.
fn item_name(l: &mut Localizer, change: &Change) -> String {
    let item = &change.item;
    if change.section == Section::Security {
        return measure(l, item);
    }
    let Some(field) = change.section.name_field() else {
        return String::new();
    };
    if let Some(name) = item.get(field).and_then(|v| text_in(v, l.locale)) {
        return name.to_owned();
    }
    let key = item.get("key").and_then(Value::as_str).unwrap_or_default();
    match change.section {
        Section::Data => known(l, "data_categories", key),
        Section::Sources => known(l, "sources", key),
        _ => key.to_owned(),
    }
}

/// The locale pack's name for a key polis knows (`data_categories.contact.name`), else the key.
fn known(l: &Localizer, section: &str, key: &str) -> String {
    l.pack
        .scalar(&format!("{section}.{key}.name"))
        .unwrap_or_else(|| key.to_owned())
}

/// A security measure: one polis knows in the pack's words, or the site's own.
fn measure(l: &Localizer, item: &Value) -> String {
    match item {
        Value::String(key) => l
            .pack
            .scalar(&format!("security.{key}"))
            .unwrap_or_else(|| key.clone()),
        other => text_in(other, l.locale).unwrap_or_default().to_owned(),
    }
}

/// A value in words. A key this polis has no words for (written by a later one) is shown as it is.
fn value(l: &mut Localizer, kind: Kind, value: Option<&Value>, names: &Names) -> String {
    let Some(value) = value else {
        return l.pack_str("history.none");
    };
    // The pack's names of keys start with a capital as a table cell does; here they follow a colon.
    let word = |l: &Localizer, path: String, key: &str| {
        l.pack
            .scalar(&path)
            .map_or_else(|| key.to_owned(), |w| l.in_sentence(&w))
    };
    let s = value.as_str().unwrap_or_default();
    match kind {
        Kind::Text => text_in(value, l.locale).unwrap_or_default().to_owned(),
        Kind::Plain => value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned),
        Kind::Plains => {
            let items: Vec<String> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            l.list(&items)
        }
        Kind::Period => Period::parse(s, true).map_or_else(|| s.to_owned(), |p| l.period(p)),
        Kind::Retention => match (
            value.get("period").and_then(Value::as_str),
            value.get("from"),
            value.get("rule"),
        ) {
            (Some(period), Some(from), _) => {
                let period =
                    Period::parse(period, false).map_or_else(|| period.to_owned(), |p| l.period(p));
                let from = text_in(from, l.locale).unwrap_or_default().to_owned();
                l.pack_str("retention_from")
                    .replace("{period}", &period)
                    .replace("{from}", &from)
            }
            (_, _, Some(rule)) => text_in(rule, l.locale).unwrap_or_default().to_owned(),
            _ => String::new(),
        },
        Kind::Basis => word(l, format!("legal_bases.{s}.name"), s),
        Kind::Role => word(l, format!("roles.{s}"), s),
        Kind::Country => l
            .pack
            .scalar(&format!("countries.{s}"))
            .unwrap_or_else(|| s.to_owned()),
        Kind::Safeguard => word(l, format!("safeguards.{s}.name"), s),
        Kind::Category => word(l, format!("cookie_categories.{s}.name"), s),
        Kind::Party => word(l, format!("parties.{s}"), s),
        Kind::Consent => word(l, format!("history.consent.{s}"), s),
        Kind::Reopen => word(l, format!("history.reopen.{s}"), s),
        Kind::Bool => l.pack_str(if value.as_bool() == Some(true) {
            "history.yes"
        } else {
            "history.no"
        }),
        Kind::Data | Kind::Sources => {
            let (items, section) = if kind == Kind::Data {
                (&names.data, "data_categories")
            } else {
                (&names.sources, "sources")
            };
            let keys: Vec<&str> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let named: Vec<String> = keys
                .iter()
                .map(|key| {
                    let item = items
                        .iter()
                        .find(|i| i.get("key").and_then(Value::as_str) == Some(key));
                    match item
                        .and_then(|i| i.get("name"))
                        .and_then(|n| text_in(n, l.locale))
                    {
                        Some(name) => name.to_owned(),
                        None => known(l, section, key),
                    }
                })
                .collect();
            l.list(&named)
        }
    }
}
