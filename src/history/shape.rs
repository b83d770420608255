//! The shape of an archived version's facts: each section the comparison reads is what
//! `polis archive` writes (a mapping, a list of items with their keys, each field of its kind), so
//! that a facts.json edited by hand (`company: 5`, `recipients: "x"`, a purpose whose key is null)
//! is `archive-invalid` at its line instead of compared as if the section were empty, which made
//! the changes section claim "legal name: none → Atelier Lumen".
//!
//! Only the sections and fields this polis compares are checked: a field it does not know (from a
//! later polis) is passed over, as the comparison passes it over.

use serde_json::Value;

use super::sections::{Field, Kind, Section, Shape};
use crate::diagnostics::Pos;

/// The most wrong values named in one file: one is enough to know it was not written by polis.
const MAX_NAMED: usize = 10;

/// One step of the way to a value in the facts.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A value of the wrong shape: where it is, from the facts object, and what it should be.
#[derive(Debug)]
pub(super) struct Misshapen {
    path: Vec<Step>,
    /// What the value should be: "a mapping", "a text".
    expected: &'static str,
    /// The invisible character a text holds, and what it is, which `polis archive` never writes
    /// (site.yaml refuses it): the changes section would show it on the current pages.
    invisible: Option<(char, &'static str)>,
}

impl Misshapen {
    /// The path in the terms of facts.json: `facts.purposes[0].key`.
    pub(super) fn path(&self) -> String {
        let mut path = String::from("facts");
        for step in &self.path {
            match step {
                Step::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Step::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        path
    }

    /// What is wrong with the value, for a message about `file`.
    pub(super) fn message(&self, file: &str) -> String {
        match self.invisible {
            Some((c, what)) => format!(
                "`{}` in {file} contains the invisible character U+{:04X} ({what}), which `polis archive` never writes",
                self.path(),
                c as u32
            ),
            None => format!(
                "`{}` in {file} should be {}, as `polis archive` writes it",
                self.path(),
                self.expected
            ),
        }
    }

    /// Where the value is in `text`, the file's JSON (read again with its positions, which the
    /// parsed facts do not keep: only when a value is wrong).
    pub(super) fn pos(&self, text: &str) -> Pos {
        let mut ignored = Vec::new();
        let Some(root) = crate::yaml::parse("facts.json", text, &mut ignored) else {
            return Pos::new(1, 1, 1);
        };
        let mut node = match root.get("facts") {
            Some(facts) => facts,
            None => return root.pos,
        };
        for step in &self.path {
            let next = match (step, &node.kind) {
                (Step::Key(key), _) => node.get(key),
                (Step::Index(i), crate::yaml::Kind::Seq(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        node.pos
    }
}

/// The values of `facts` (an archived version's `facts` object) that are not of the shape the
/// comparison reads, at most [`MAX_NAMED`].
pub(super) fn misshapen(facts: &Value) -> Vec<Misshapen> {
    let mut found = Vec::new();
    for section in Section::ALL {
        let spec = section.spec();
        let path: Vec<Step> = spec.at.iter().map(|k| Step::Key((*k).to_owned())).collect();
        let Some(value) = spec.at.iter().try_fold(facts, |v, k| v.get(k)) else {
            continue;
        };
        match (spec.shape, value) {
            (_, Value::Null) => {}
            (Shape::One, Value::Object(_)) => fields(value, spec.fields, &path, &mut found),
            (Shape::One, _) => found.push(Misshapen {
                path,
                expected: "a mapping",
                invisible: None,
            }),
            // "none": no automated decisions, as site.yaml says it.
            (_, Value::String(s)) if section == Section::AutomatedDecisions && s == "none" => {}
            (_, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let mut at = path.clone();
                    at.push(Step::Index(i));
                    self::item(spec.shape, item, spec.fields, at, &mut found);
                }
            }
            _ => found.push(Misshapen {
                path,
                expected: "a list",
                invisible: None,
            }),
        }
    }
    if found.is_empty() {
        texts(facts, &mut Vec::new(), &mut found);
    }
    found.truncate(MAX_NAMED);
    found
}

/// The texts anywhere in `value` (at `at`) that hold a control or an invisible character, as
/// site.yaml's decoder refuses them, at most [`MAX_NAMED`].
fn texts(value: &Value, at: &mut Vec<Step>, found: &mut Vec<Misshapen>) {
    if found.len() >= MAX_NAMED {
        return;
    }
    match value {
        Value::String(s) => {
            let bad = s.chars().find_map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    Some((c, "a control character"))
                } else {
                    crate::model::decode::invisible(c).map(|what| (c, what))
                }
            });
            if let Some(bad) = bad {
                found.push(Misshapen {
                    path: at.clone(),
                    expected: "a text",
                    invisible: Some(bad),
                });
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                texts(item, at, found);
                at.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                at.push(Step::Key(key.clone()));
                texts(item, at, found);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Checks one item of a list section: a mapping with its key (`Keyed`) or name (`Named`), and its
/// fields; a measure of `security` is a text.
fn item(shape: Shape, item: &Value, fields: &[Field], at: Vec<Step>, found: &mut Vec<Misshapen>) {
    let (name, kind) = match shape {
        Shape::Whole => {
            if !item.is_string() {
                found.push(Misshapen {
                    path: at,
                    expected: "a text",
                    invisible: None,
                });
            }
            return;
        }
        Shape::One => return,
        Shape::Keyed(key) => (key, Kind::Plain),
        Shape::Named(name) => (name, Kind::Text),
    };
    if !item.is_object() {
        found.push(Misshapen {
            path: at,
            expected: "a mapping",
            invisible: None,
        });
        return;
    }
    let identity = item.get(name).unwrap_or(&Value::Null);
    if !of_kind(identity, kind) {
        let mut path = at.clone();
        path.push(Step::Key(name.to_owned()));
        found.push(Misshapen {
            path,
            expected: expected(kind),
            invisible: None,
        });
    }
    self::fields(item, fields, &at, found);
}

/// Checks the fields of `item` that are present (a null is an absent field).
fn fields(item: &Value, fields: &[Field], at: &[Step], found: &mut Vec<Misshapen>) {
    for field in fields {
        let Some(value) = field.get(item) else {
            continue;
        };
        if !of_kind(value, field.kind) {
            let mut path = at.to_vec();
            path.extend(field.key.split('.').map(|k| Step::Key(k.to_owned())));
            found.push(Misshapen {
                path,
                expected: expected(field.kind),
                invisible: None,
            });
        }
    }
}

/// Whether `value` is of the shape `kind` is written in.
fn of_kind(value: &Value, kind: Kind) -> bool {
    let strings = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
    match kind {
        Kind::Text => match value {
            Value::String(_) => true,
            Value::Object(map) => map.values().all(Value::is_string),
            _ => false,
        },
        Kind::Plains | Kind::Data | Kind::Sources => strings(value),
        Kind::Retention => value.is_object(),
        Kind::Bool => value.is_boolean(),
        Kind::Plain
        | Kind::Period
        | Kind::Basis
        | Kind::Role
        | Kind::Country
        | Kind::Safeguard
        | Kind::Category
        | Kind::Party
        | Kind::Consent
        | Kind::Reopen => value.is_string(),
    }
}

/// What a value of `kind` is, for a message.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "a text (one, or one per language)",
        Kind::Plains | Kind::Data | Kind::Sources => "a list of texts",
        Kind::Retention => "a mapping",
        Kind::Bool => "true or false",
        _ => "a text",
    }
}
