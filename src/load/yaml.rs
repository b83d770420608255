//! YAML text to a tree of nodes that remember where they stand, so that every later complaint about
//! a value can name its line and column.
//!
//! serde-saphyr does the parsing: it rejects duplicate keys, and its budget bounds alias expansion
//! and nesting, so a hostile file cannot make polis run out of memory.

use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Pos};

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: Kind,
    /// Where the value starts.
    pub pos: Pos,
}

/// The shapes a YAML value takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as written so that `9000` can still be a postal code.
    Number(String),
    /// A string.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key as written.
    pub name: String,
    /// Where the key stands.
    pub pos: Pos,
}

impl Kind {
    /// The word a user reads in "expected a list, found a number".
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "nothing",
            Kind::Bool(_) => "true/false",
            Kind::Number(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// site.yaml needs five levels of nesting; anything near this limit is hostile.
const MAX_DEPTH: usize = 32;

/// Parses `text` (the contents of `file`) into a node tree, or explains where the YAML is broken.
pub fn parse(file: &str, text: &str) -> Result<Node, Diagnostic> {
    // Comments are checked as YAML but not kept: nothing reads them.
    let options = serde_saphyr::options! { budget: serde_saphyr::budget! { max_depth: MAX_DEPTH }, emit_comments: false };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(text, options) {
        Ok(Some(raw)) => Ok(into_node(raw, text)),
        Ok(None) => Ok(Node { kind: Kind::Map(Vec::new()), pos: Pos::new(1, 1, 1) }),
        Err(error) => Err(syntax_error(file, &error)),
    }
}

fn syntax_error(file: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let pos = error.location().map(|l| Pos::new(l.line() as usize, l.column() as usize, 1)).unwrap_or_else(|| Pos::new(1, 1, 1));
    let raw = error.to_string();
    // saphyr prefixes "error: line L column C: "; we print the place ourselves.
    let message = raw.lines().next().unwrap_or_default();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let message = match message.find(": ") {
        Some(i) if message.starts_with("line ") => &message[i + 2..],
        _ => message,
    };
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        let len = key.chars().count();
        return Diagnostic::error("duplicate-key", file, Pos { len, ..pos }, format!("`{key}` is given twice in the same mapping"))
            .hint("keep one of the two; YAML allows each key once per mapping");
    }
    if ["budget", "depth", "alias", "recursion", "limit"].iter().any(|w| message.contains(w)) {
        return Diagnostic::error("yaml-limit", file, pos, format!("the YAML is too large or too deeply nested: {message}"))
            .hint("site.yaml needs only a few levels of nesting and no repeated aliases; simplify the file");
    }
    Diagnostic::error("yaml-syntax", file, pos, format!("this is not valid YAML: {message}"))
        .hint("check the indentation and the quotes around this line; a value with `: ` or `#` in it needs quotes")
}

/// The parser's own view of a node, before positions become ours.
#[derive(Debug)]
enum Raw {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

fn into_node(raw: Spanned<Raw>, text: &str) -> Node {
    let pos = position(&raw.referenced);
    let kind = match raw.value {
        Raw::Null => Kind::Null,
        Raw::Bool(b) => Kind::Bool(b),
        // A number keeps the digits as written: `postal_code: 0712` is 0712, not 712 or octal.
        Raw::Number(n) => Kind::Number(written(&raw.referenced, text).unwrap_or(n)),
        Raw::Str(s) => Kind::Str(s),
        Raw::Seq(items) => Kind::Seq(items.into_iter().map(|i| into_node(i, text)).collect()),
        Raw::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let pos = Pos { len: k.value.chars().count(), ..position(&k.referenced) };
                    (Key { name: k.value, pos }, into_node(v, text))
                })
                .collect(),
        ),
    };
    Node { kind, pos }
}

/// The source text of a scalar, as written.
fn written(location: &serde_saphyr::Location, text: &str) -> Option<String> {
    let span = location.span();
    let start = span.byte_offset()? as usize;
    let len = span.byte_len()? as usize;
    let raw = text.get(start..start + len)?.trim();
    (!raw.is_empty() && !raw.contains(['\n', '#'])).then(|| raw.to_owned())
}

fn position(location: &serde_saphyr::Location) -> Pos {
    Pos::new(location.line() as usize, location.column() as usize, (location.span().len() as usize).max(1))
}

impl<'de> serde::Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Number(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Number(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Number(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Raw::Map(entries))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = parse("site.yaml", "a: 1\nb:\n  - x\n").unwrap();
        let Kind::Map(entries) = node.kind else { panic!() };
        assert_eq!(entries[1].0.pos, Pos::new(2, 1, 1));
        let Kind::Seq(items) = &entries[1].1.kind else { panic!() };
        assert_eq!(items[0].pos.line, 3);
        assert_eq!(items[0].kind, Kind::Str("x".into()));
    }

    #[test]
    fn numbers_keep_their_digits() {
        let node = parse("site.yaml", "a: 0712\nb: +3291234567\nc: 1e3\n").unwrap();
        let Kind::Map(entries) = node.kind else { panic!() };
        let values: Vec<Kind> = entries.into_iter().map(|(_, v)| v.kind).collect();
        assert_eq!(values, [Kind::Number("0712".into()), Kind::Number("+3291234567".into()), Kind::Number("1e3".into())]);
    }

    #[test]
    fn duplicate_keys_are_named() {
        let d = parse("site.yaml", "site:\n  theme: a\n  theme: b\n").unwrap_err();
        assert_eq!((d.code, d.line), ("duplicate-key", 3));
        assert!(d.message.contains("`theme`"), "{}", d.message);
    }
}
