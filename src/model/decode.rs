//! The small toolkit that turns YAML nodes into typed values while collecting every problem.
//!
//! serde stops at the first error; a user fixing site.yaml wants them all. A [`Cx`] walks the tree,
//! reports unknown keys (with the nearest known one), wrong types and missing fields, and hands back
//! a default value so that decoding goes on. Rendering still runs on such a site, so that the same
//! run names the problems of content and templates too; but an error stops the page checks and the
//! write, so a default never reaches a published page.

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::yaml::{Key, Kind, Node};

/// How a value that is still to be written starts: `[fill in: the company's registered name]`.
/// `polis init` writes every fact it cannot know in this form, which decodes as text wherever a
/// value goes, and is reported as `unfilled-field` at its line until it is replaced.
pub const PLACEHOLDER: &str = "[fill in";

/// Whether `value` holds a placeholder that `polis init` wrote.
pub fn is_placeholder(value: &str) -> bool {
    value.contains(PLACEHOLDER)
}

/// Whether `value` is still to be filled in: empty, or a placeholder (both reported where they
/// are written, and not checked for a form they have not been given yet).
pub fn is_unfilled(value: &str) -> bool {
    value.trim().is_empty() || is_placeholder(value)
}

/// Decoding state: the file being read, the site's locales, and the problems found so far.
pub struct Cx<'a> {
    /// The file the nodes come from, for diagnostics.
    pub file: &'a str,
    /// The site's locales; every localized text needs one entry each.
    pub locales: Vec<String>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// The key whose value is being decoded, so a missing field inside it is reported there.
    owner: Option<Pos>,
}

/// A mapping whose keys have been checked against the known ones.
pub struct Map<'n> {
    /// The dotted path of the mapping in site.yaml, e.g. `company.address`.
    pub path: String,
    /// Where the mapping starts: its key (`company:`) when it has one, else its first entry.
    pub pos: Pos,
    entries: &'n [(Key, Node)],
    /// Known keys that an unknown key here is a misspelling of: already reported, so not
    /// reported again as missing.
    misspelled: Vec<String>,
}

impl<'n> Map<'n> {
    /// The node under `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and node under `key`, if present.
    pub fn entry(&self, key: &str) -> Option<&'n (Key, Node)> {
        self.entries.iter().find(|(k, _)| k.name == key)
    }

    /// The entries in the order written.
    pub fn entries(&self) -> &'n [(Key, Node)] {
        self.entries
    }

    /// Whether `key` is absent because it was misspelled (and reported as such).
    pub fn is_misspelled(&self, key: &str) -> bool {
        self.misspelled.iter().any(|m| m == key)
    }

    /// `path.key`.
    pub fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// A string with the place it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Str {
    /// The text.
    pub value: String,
    /// Where it is written.
    pub pos: Pos,
    /// The column of its first character, when site.yaml writes it on one line as it reads
    /// ([`Node::text_column`]).
    pub text_column: Option<usize>,
}

impl Str {
    /// Where the `len` characters at byte `at` of the value stand in site.yaml, when it writes
    /// the value as it reads.
    pub fn place(&self, at: usize, len: usize) -> Option<Pos> {
        let before = self.value.get(..at)?;
        let column = self.text_column?;
        Some(Pos::new(
            self.pos.line,
            column + before.chars().count(),
            len,
        ))
    }
}

impl<'a> Cx<'a> {
    /// A new decoding context for `file`.
    pub fn new(file: &'a str, locales: Vec<String>) -> Self {
        Cx {
            file,
            locales,
            diagnostics: Vec::new(),
            owner: None,
        }
    }

    /// Records an error at `pos`.
    pub fn error(
        &mut self,
        code: Code,
        pos: Pos,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, self.file, pos, message).hint(hint));
    }

    /// Records a warning at `pos`.
    pub fn warning(
        &mut self,
        code: Code,
        pos: Pos,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(code, self.file, pos, message).hint(hint));
    }

    fn wrong_type(&mut self, path: &str, node: &Node, expected: &str) {
        let hint = format!("write `{path}` as {expected}");
        self.wrong_type_with(path, node, expected, hint);
    }

    /// [`Cx::wrong_type`] with its own `hint`.
    fn wrong_type_with(&mut self, path: &str, node: &Node, expected: &str, hint: String) {
        let message = format!(
            "`{path}` should be {expected}, but it is {}",
            node.kind.describe()
        );
        self.error(Code::WrongType, node.pos, message, hint);
    }

    /// Where the value being decoded is written: its key, when it has one.
    pub fn owner_pos(&self, node: &Node) -> Pos {
        self.owner.unwrap_or(node.pos)
    }

    /// Checks that `node` is a mapping whose keys are all in `known`, and returns it.
    pub fn map<'n>(&mut self, node: &'n Node, path: &str, known: &[&str]) -> Option<Map<'n>> {
        let pos = self.owner.take().unwrap_or(node.pos);
        match &node.kind {
            Kind::Map(entries) => {
                let mut misspelled = Vec::new();
                for (key, _) in entries {
                    if !known.contains(&key.name.as_str()) {
                        misspelled.extend(self.unknown_key(path, key, known).map(str::to_owned));
                    }
                }
                Some(Map {
                    path: path.to_owned(),
                    pos,
                    entries,
                    misspelled,
                })
            }
            Kind::Null => Some(Map {
                path: path.to_owned(),
                pos,
                entries: &[],
                misspelled: Vec::new(),
            }),
            _ => {
                self.wrong_type(path, node, "a mapping of `key: value` lines");
                None
            }
        }
    }

    /// A mapping whose keys are free (data categories, documents): returns its entries.
    pub fn entries<'n>(&mut self, node: &'n Node, path: &str) -> &'n [(Key, Node)] {
        match &node.kind {
            Kind::Map(entries) => entries,
            Kind::Null => &[],
            _ => {
                self.wrong_type(path, node, "a mapping of `key: value` lines");
                &[]
            }
        }
    }

    /// Reports an unknown key; returns the known key it is a misspelling of, if any.
    fn unknown_key<'k>(&mut self, path: &str, key: &Key, known: &[&'k str]) -> Option<&'k str> {
        let place = if path.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{path}`")
        };
        let message = format!("unknown key `{}` {place}", key.name);
        let near = nearest(&key.name, known);
        let hint = match near {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys allowed here are: {}", known.join(", ")),
        };
        self.error(Code::UnknownKey, key.pos, message, hint);
        near
    }

    /// Decodes `node`, the value of the key at `key_pos`, so that a mapping knows its key.
    fn decode_owned<T>(
        &mut self,
        key_pos: Pos,
        node: &Node,
        path: &str,
        decode: impl FnOnce(&mut Self, &Node, &str) -> T,
    ) -> T {
        self.owner = Some(key_pos);
        let value = decode(self, node, path);
        self.owner = None;
        value
    }

    /// Decodes `map.key` with `decode` when present; reports it missing otherwise.
    pub fn required<T: Default>(
        &mut self,
        map: &Map<'_>,
        key: &str,
        decode: impl FnOnce(&mut Self, &Node, &str) -> T,
    ) -> T {
        let path = map.child(key);
        match map.entry(key) {
            Some((k, node)) if !matches!(node.kind, Kind::Null) => {
                self.decode_owned(k.pos, node, &path, decode)
            }
            Some((k, _)) => {
                self.error(
                    Code::UnfilledField,
                    k.pos,
                    format!("`{path}` is empty"),
                    format!("fill in `{path}` in site.yaml"),
                );
                T::default()
            }
            None if map.misspelled.iter().any(|m| m == key) => T::default(),
            None => {
                let pos = map.pos;
                let place = if map.path.is_empty() {
                    "the top level"
                } else {
                    &map.path
                };
                let hint = match example(&path) {
                    Some(example) => {
                        format!("add `{key}:` under {place} in site.yaml, e.g.\n{example}")
                    }
                    None => format!("add `{key}:` under `{place}` in site.yaml"),
                };
                self.error(
                    Code::MissingField,
                    Pos { len: 1, ..pos },
                    format!("`{path}` is missing"),
                    hint,
                );
                T::default()
            }
        }
    }

    /// Decodes `map.key` when present and not null.
    pub fn optional<T>(
        &mut self,
        map: &Map<'_>,
        key: &str,
        decode: impl FnOnce(&mut Self, &Node, &str) -> T,
    ) -> Option<T> {
        let (k, node) = map
            .entry(key)
            .filter(|(_, n)| !matches!(n.kind, Kind::Null))?;
        let path = map.child(key);
        Some(self.decode_owned(k.pos, node, &path, decode))
    }

    /// A scalar as a string; numbers are kept as written (`9000`). Empty text is reported.
    pub fn string(&mut self, node: &Node, path: &str) -> Str {
        self.string_at(node, &|| path.to_owned())
    }

    /// [`Cx::string`], with the path written only for a problem: a site.yaml of 20,000 texts
    /// in two languages has 40,000 of them, and nearly all are fine.
    pub fn string_at(&mut self, node: &Node, path: &dyn Fn() -> String) -> Str {
        let value = match &node.kind {
            Kind::Str(s) => s.clone(),
            Kind::Number(n) => n.clone(),
            _ => {
                self.wrong_type(&path(), node, "text");
                return Str::default();
            }
        };
        if value.trim().is_empty() {
            let path = path();
            self.error(
                Code::UnfilledField,
                node.pos,
                format!("`{path}` is empty"),
                format!("fill in `{path}` in site.yaml"),
            );
        } else if is_placeholder(&value) {
            self.placeholder(node.pos, &path(), &value);
        }
        // Invisible characters have no place in a published text: controls make invalid HTML, and
        // a direction override turns the rest of a paragraph around.
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            let message = format!(
                "`{}` contains the invisible control character U+{:04X}",
                path(),
                c as u32
            );
            self.error(
                Code::InvalidValue,
                node.pos,
                message,
                "retype the text; it was probably pasted from another program",
            );
        } else if let Some((c, what)) = value
            .chars()
            .find_map(|c| invisible(c).map(|what| (c, what)))
        {
            let message = format!(
                "`{}` contains the invisible character U+{:04X} ({what})",
                path(),
                c as u32
            );
            self.error(
                Code::InvalidValue,
                node.pos,
                message,
                "retype the text; it was probably pasted from another program",
            );
        }
        Str {
            value,
            pos: node.pos,
            text_column: node.text_column,
        }
    }

    /// Reports the placeholder `value` of `path`, with what it asks for as the hint.
    fn placeholder(&mut self, pos: Pos, path: &str, value: &str) {
        let asked = value
            .find(PLACEHOLDER)
            .map(|at| &value[at + PLACEHOLDER.len()..])
            .map(|rest| {
                rest.split(']')
                    .next()
                    .unwrap_or(rest)
                    .trim_start_matches(':')
                    .trim()
            })
            .filter(|asked| !asked.is_empty());
        let hint = match asked {
            Some(asked) => format!("replace the placeholder with {asked}"),
            None => "replace the placeholder with the value".to_owned(),
        };
        self.error(
            Code::UnfilledField,
            Pos {
                len: value.chars().count().max(1),
                ..pos
            },
            format!("`{path}` is not filled in yet"),
            hint,
        );
    }

    /// Text that must have a form (an e-mail address, a slug): reported with `code` when `valid`
    /// says no, as "`value` is not {what}" with `hint`.
    pub fn formatted(
        &mut self,
        node: &Node,
        path: &str,
        valid: impl Fn(&str) -> bool,
        code: Code,
        what: &str,
        hint: impl Into<String>,
    ) -> Str {
        let s = self.string(node, path);
        if !is_unfilled(&s.value) && !valid(&s.value) {
            self.error(code, s.pos, format!("`{}` is not {what}", s.value), hint);
        }
        s
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, node: &Node, path: &str) -> bool {
        match &node.kind {
            Kind::Bool(b) => *b,
            Kind::Str(s) if is_placeholder(s) => {
                self.placeholder(node.pos, path, s);
                false
            }
            // YAML 1.1 read `yes`, `no`, `on` and `off` as booleans; YAML 1.2, as polis reads
            // site.yaml, reads them as text. Whoever wrote one meant a boolean.
            Kind::Str(s) => {
                let meant = match s.trim().to_lowercase().as_str() {
                    "yes" | "y" | "on" | "ja" => Some(true),
                    "no" | "n" | "off" | "nee" => Some(false),
                    _ => None,
                };
                let hint = match meant {
                    Some(b) => {
                        format!("`{s}` is text in site.yaml, not a yes or no: write `{path}: {b}`")
                    }
                    None => format!("write `{path}` as `true` or `false`"),
                };
                self.wrong_type_with(path, node, "`true` or `false`", hint);
                false
            }
            _ => {
                self.wrong_type(path, node, "`true` or `false`");
                false
            }
        }
    }

    /// A list of items decoded by `item`.
    pub fn list<T>(
        &mut self,
        node: &Node,
        path: &str,
        mut item: impl FnMut(&mut Self, &Node, &str) -> T,
    ) -> Vec<T> {
        self.owner = None;
        match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| item(self, n, &format!("{path}[{i}]")))
                .collect(),
            _ => {
                self.wrong_type(path, node, "a list (`[a, b]` or lines starting with `- `)");
                Vec::new()
            }
        }
    }

    /// One of a fixed set of words; reports the nearest when it is none of them.
    pub fn choice<T: Copy + Default>(
        &mut self,
        node: &Node,
        path: &str,
        choices: &[(&str, T)],
    ) -> T {
        let s = self.string(node, path);
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == s.value) {
            return *v;
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let hint = match nearest(&s.value, &names) {
            Some(near) => format!(
                "did you mean `{near}`? The choices are: {}",
                names.join(", ")
            ),
            None => format!("the choices are: {}", names.join(", ")),
        };
        if !is_unfilled(&s.value) {
            self.error(
                Code::InvalidValue,
                node.pos,
                format!("`{}` is not a valid value for `{path}`", s.value),
                hint,
            );
        }
        T::default()
    }
}

/// What a section or value that site.yaml must have looks like, for the hint that asks for it
/// (the commented example site.yaml has the rest).
fn example(path: &str) -> Option<&'static str> {
    Some(match path {
        "site" => {
            "site:\n  base_url: https://www.example.com\n  locales: [nl, en]\n  effective_date: 2026-03-01"
        }
        "company" => {
            "company:\n  legal_name: Example BV\n  legal_form: { nl: besloten vennootschap, en: private limited company }\n  \
             address: { street: Korenlei 12, postal_code: \"9000\", city: Gent, country: BE }\n  enterprise_number: BE 0712.345.630\n  \
             website: https://www.example.com\n  email: hello@example.com\n  privacy_email: privacy@example.com"
        }
        "company.address" => {
            "address: { street: Korenlei 12, postal_code: \"9000\", city: Gent, country: BE }"
        }
        "data" => {
            "data:\n  contact:\n    sources: [person]\n    retention: { period: 2 years, from: { nl: ons laatste contact, en: our last contact } }"
        }
        "purposes" => {
            "purposes:\n  - key: orders\n    name: { nl: Je bestellingen leveren, en: Delivering your orders }\n    basis: contract\n    \
             data: [contact]"
        }
        "site.base_url" => "base_url: https://www.example.com",
        "site.locales" => "locales: [nl, en]",
        "site.effective_date" => "effective_date: 2026-03-01",
        _ => return None,
    })
}

/// What an invisible character that changes or hides text is, if `c` is one: the bidirectional
/// embeddings, overrides, isolates and marks (an unclosed U+202E reverses what follows it),
/// zero-width spaces and joiners of words, fillers that show as blanks, the soft hyphen, the line
/// and paragraph separators, interlinear annotations, the byte order mark, and the tag characters
/// (text no one sees).
pub(crate) fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "a text-direction control",
        '\u{200e}' | '\u{200f}' | '\u{061c}' => "a text-direction mark",
        '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{180e}' => "a zero-width character",
        '\u{3164}' | '\u{115f}' | '\u{1160}' | '\u{ffa0}' => "a filler that shows as blank",
        '\u{00ad}' => "a soft hyphen",
        '\u{2028}' | '\u{2029}' => "a line or paragraph separator",
        '\u{fff9}'..='\u{fffb}' => "an interlinear annotation mark",
        '\u{feff}' => "a byte order mark",
        '\u{e0000}'..='\u{e007f}' => "a tag character",
        _ => return None,
    })
}

/// The known word closest to `word`, if one is close enough to be what the user meant.
pub fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(distance, k)| *distance <= (k.len().max(word.len()) / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_words_only() {
        assert_eq!(
            nearest("legal_nam", &["legal_name", "trade_name"]),
            Some("legal_name")
        );
        assert_eq!(nearest("adress", &["address", "email"]), Some("address"));
        assert_eq!(nearest("zzzzzz", &["address", "email"]), None);
    }
}
