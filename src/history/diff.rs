//! What changed from one version's facts to the next, as JSON values, in the fields this polis
//! knows: items added, removed or changed, and texts changed in some languages only.

use serde_json::Value;

use super::Stale;
use super::sections::{Field, Kind, Section, Shape, text_in};
use crate::model::Date;

/// One item added, removed or changed.
#[derive(Debug, Clone)]
pub struct Change {
    /// The section it belongs to.
    pub section: Section,
    /// The item as the version that has it states it (the older one for an item removed).
    pub item: Value,
    /// What happened to it.
    pub what: What,
}

/// What happened to an item.
#[derive(Debug, Clone)]
pub enum What {
    /// It is new.
    Added,
    /// It is gone.
    Removed,
    /// Some of its fields changed.
    Changed(Vec<FieldChange>),
}

/// A field that changed, with its value before and after (absent: not stated).
#[derive(Debug, Clone)]
pub struct FieldChange {
    /// The field.
    pub field: &'static Field,
    /// Before.
    pub old: Option<Value>,
    /// After.
    pub new: Option<Value>,
}

/// The value at `at` in `facts`; `Null` when there is none.
fn at<'v>(facts: &'v Value, at: &[&str]) -> &'v Value {
    at.iter()
        .try_fold(facts, |v, k| v.get(*k))
        .unwrap_or(&Value::Null)
}

/// The list at `at` in `facts`, empty when there is none (`automated_decisions: "none"`).
pub(super) fn list<'v>(facts: &'v Value, path: &[&str]) -> &'v [Value] {
    at(facts, path).as_array().map_or(&[], Vec::as_slice)
}

/// An item in the older version and, with its index, in the newer one; either may be absent.
type Pair<'v> = (Option<&'v Value>, Option<(usize, &'v Value)>);

/// The items of a section in two versions paired up: `(old, new)`, either absent. In the order of
/// the newer version, then the items it no longer has.
fn pairs<'v>(section: Section, old: &'v Value, new: &'v Value) -> Vec<Pair<'v>> {
    let spec = section.spec();
    if let Shape::One = spec.shape {
        let (o, n) = (at(old, spec.at), at(new, spec.at));
        return match (o.is_object(), n.is_object()) {
            (false, false) => Vec::new(),
            _ => vec![(
                Some(o).filter(|v| v.is_object()).or(Some(&Value::Null)),
                Some((0, n)),
            )],
        };
    }
    let (old_items, new_items) = (list(old, spec.at), list(new, spec.at));
    let same = |a: &Value, b: &Value| match spec.shape {
        Shape::Keyed(key) => a.get(key).is_some_and(|k| Some(k) == b.get(key)),
        Shape::Named(field) => shares_a_text(a.get(field), b.get(field)),
        Shape::Whole | Shape::One => a == b,
    };
    let mut taken = vec![false; old_items.len()];
    let mut paired = Vec::new();
    for (i, item) in new_items.iter().enumerate() {
        let found = (0..old_items.len()).find(|&j| !taken[j] && same(&old_items[j], item));
        if let Some(j) = found {
            taken[j] = true;
        }
        paired.push((found.map(|j| &old_items[j]), Some((i, item))));
    }
    paired.extend(
        old_items
            .iter()
            .zip(taken)
            .filter(|(_, t)| !t)
            .map(|(item, _)| (Some(item), None)),
    );
    paired
}

/// Whether two texts are the same in at least one language: a recipient renamed in one language
/// is still the same recipient.
fn shares_a_text(a: Option<&Value>, b: Option<&Value>) -> bool {
    let texts = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Object(map)) => map
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    };
    let b = texts(b);
    texts(a).iter().any(|t| b.contains(t))
}

/// Whether a field's two values state the same: a text the same in every language of the site,
/// anything else the same value.
fn same_value(kind: Kind, a: Option<&Value>, b: Option<&Value>, locales: &[String]) -> bool {
    match (kind, a, b) {
        (Kind::Text, Some(a), Some(b)) => !locales.iter().any(|l| text_differs(a, b, l)),
        (Kind::Retention, Some(a), Some(b)) => {
            let (from_a, from_b) = (
                a.get("from").or(a.get("rule")),
                b.get("from").or(b.get("rule")),
            );
            a.get("period") == b.get("period")
                && a.get("rule").is_some() == b.get("rule").is_some()
                && same_value(Kind::Text, from_a, from_b, locales)
        }
        _ => a == b,
    }
}

/// Whether a text says something else in `locale` than before. A language one of the two
/// versions lacks is no change of the text: it is a language added to (or dropped from) the site.
fn text_differs(a: &Value, b: &Value, locale: &str) -> bool {
    matches!((text_in(a, locale), text_in(b, locale)), (Some(x), Some(y)) if x != y)
}

/// What changed from the facts `old` to `new`, section by section, in the fields this polis knows.
pub fn diff(old: &Value, new: &Value, locales: &[String]) -> Vec<Change> {
    let mut changes = Vec::new();
    for section in Section::ALL {
        for (o, n) in pairs(section, old, new) {
            match (o, n) {
                (None, Some((_, n))) => changes.push(Change {
                    section,
                    item: n.clone(),
                    what: What::Added,
                }),
                (Some(o), None) => changes.push(Change {
                    section,
                    item: o.clone(),
                    what: What::Removed,
                }),
                (Some(o), Some((_, n))) => {
                    let fields: Vec<FieldChange> = section
                        .fields()
                        .iter()
                        .filter(|f| !same_value(f.kind, f.get(o), f.get(n), locales))
                        .map(|f| FieldChange {
                            field: f,
                            old: f.get(o).cloned(),
                            new: f.get(n).cloned(),
                        })
                        .collect();
                    if !fields.is_empty() {
                        changes.push(Change {
                            section,
                            item: n.clone(),
                            what: What::Changed(fields),
                        });
                    }
                }
                (None, None) => {}
            }
        }
    }
    changes
}

/// The texts of `new` that changed since `old` in some languages and not in others.
pub(super) fn stale(old: &Value, new: &Value, locales: &[String], since: Date) -> Vec<Stale> {
    let mut found = Vec::new();
    for section in Section::ALL {
        for (o, n) in pairs(section, old, new) {
            let (Some(o), Some((index, n))) = (o, n) else {
                continue;
            };
            for field in section.fields().iter().filter(|f| f.kind == Kind::Text) {
                let (Some(a), Some(b)) = (field.get(o), field.get(n)) else {
                    continue;
                };
                let both = locales
                    .iter()
                    .filter(|l| text_in(a, l).is_some() && text_in(b, l).is_some());
                let (changed, same): (Vec<&String>, Vec<&String>) =
                    both.partition(|l| text_differs(a, b, l));
                if changed.is_empty() || !b.is_object() {
                    continue;
                }
                let id = item_id(section, n, locales.first().map_or("", String::as_str));
                let path = match id.as_deref() {
                    Some(id) => format!("{}.{id}.{}", section.path(), field.key),
                    None => format!("{}.{}", section.path(), field.key),
                };
                for locale in same {
                    let mut subjects = item_subjects(section, n);
                    subjects.push(locale.clone());
                    found.push(Stale {
                        section,
                        index,
                        field,
                        path: path.clone(),
                        changed: changed.iter().map(|l| (*l).clone()).collect(),
                        locale: locale.clone(),
                        subjects,
                        since,
                    });
                }
            }
        }
    }
    found
}

/// How an item is named in a message: its key, or its name in the first language.
fn item_id(section: Section, item: &Value, first: &str) -> Option<String> {
    match section.spec().shape {
        Shape::One => None,
        Shape::Keyed(key) => item.get(key).and_then(Value::as_str).map(str::to_owned),
        Shape::Named(field) => item
            .get(field)
            .and_then(|t| text_in(t, first))
            .map(str::to_owned),
        Shape::Whole => text_in(item, first).map(str::to_owned),
    }
}

/// The keys a waiver may name an item by: its key, or every variant of its name.
fn item_subjects(section: Section, item: &Value) -> Vec<String> {
    let mut subjects = match section.spec().shape {
        Shape::One => vec![
            section
                .path()
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned(),
        ],
        Shape::Keyed(key) => item
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect(),
        Shape::Named(field) => match item.get(field) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Object(map)) => map
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        },
        Shape::Whole => Vec::new(),
    };
    subjects.dedup();
    subjects
}

/// A change in a message, in English: "added recipient `Mollie`", "changed data category
/// `billing` (retention)".
pub(super) fn describe(change: &Change, first: &str) -> String {
    let noun = change.section.noun();
    let id =
        item_id(change.section, &change.item, first).map_or(String::new(), |id| format!(" `{id}`"));
    match &change.what {
        What::Added => format!("added {noun}{id}"),
        What::Removed => format!("removed {noun}{id}"),
        What::Changed(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.field.key).collect();
            format!("changed {noun}{id} ({})", names.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json as facts;

    use super::*;

    fn locales() -> Vec<String> {
        vec!["nl".into(), "en".into()]
    }

    #[test]
    fn recipients_are_added_removed_and_changed_by_name() {
        let old = facts!({ "recipients": [
            { "name": "Plausible", "role": "processor", "service": "stats", "country": "EE" },
            { "name": { "nl": "Onze boekhouder", "en": "Our accountant" }, "role": "controller", "service": "audit", "country": "BE" },
        ]});
        let new = facts!({ "recipients": [
            { "name": { "nl": "Onze accountant", "en": "Our accountant" }, "role": "controller", "service": "audit", "country": "BE" },
            { "name": "Mollie", "role": "processor", "service": "payments", "country": "NL" },
        ]});
        let changes = diff(&old, &new, &locales());
        let described: Vec<String> = changes.iter().map(|c| describe(c, "nl")).collect();
        assert_eq!(
            described,
            [
                "changed recipient `Onze accountant` (name)",
                "added recipient `Mollie`",
                "removed recipient `Plausible`"
            ]
        );
    }

    #[test]
    fn a_text_written_once_or_per_language_is_the_same_fact() {
        let old = facts!({ "company": { "legal_name": "Lumen" }, "data": [{ "key": "billing", "retention": { "period": "5 years", "from": "x" } }] });
        let new = facts!({ "company": { "legal_name": { "nl": "Lumen", "en": "Lumen" } }, "data": [{ "key": "billing", "retention": { "period": "7 years", "from": { "nl": "x", "en": "x" } } }] });
        let changes = diff(&old, &new, &locales());
        assert_eq!(
            changes
                .iter()
                .map(|c| describe(c, "nl"))
                .collect::<Vec<_>>(),
            ["changed data category `billing` (retention)"]
        );
    }

    #[test]
    fn fields_this_polis_does_not_know_are_passed_over() {
        let old = facts!({ "cookies": { "list": [{ "name": "_ga", "duration": "2 years", "partitioned": true }] }, "future": 1 });
        let new = facts!({ "cookies": { "list": [{ "name": "_ga", "duration": "2 years" }] } });
        assert!(diff(&old, &new, &locales()).is_empty());
    }

    #[test]
    fn a_text_changed_in_one_language_only_is_stale_in_the_other() {
        let old = facts!({ "purposes": [{ "key": "credit", "name": { "nl": "Krediet", "en": "Credit" } }] });
        let new = facts!({ "purposes": [{ "key": "credit", "name": { "nl": "Kredietwaardigheid", "en": "Credit" } }] });
        let since = Date {
            year: 2026,
            month: 3,
            day: 1,
        };
        let found = stale(&old, &new, &locales(), since);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (
                found[0].path.as_str(),
                found[0].locale.as_str(),
                &found[0].changed[..]
            ),
            ("purposes.credit.name", "en", &["nl".to_owned()][..])
        );
        assert_eq!(found[0].subjects, ["credit", "en"]);
    }
}
