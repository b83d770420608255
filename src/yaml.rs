//! YAML text to a tree of nodes that remember where they stand, so that every later complaint about
//! a value can name its line and column.
//!
//! granit-parser (the parser under serde-saphyr) reads the text; the tree is built here from its
//! events, because polis wants its own tree with positions rather than Rust types, and going
//! through serde cost more than twice the parse itself. Nesting and alias expansion are bounded, so
//! a hostile file cannot make polis run out of memory.
//!
//! Reading does not stop at a problem after which the tree can still be read: a key given twice
//! is reported and its first value kept, so the stages after load still run and one `polis check`
//! names every problem. Only text that is not YAML, or that passes a bound, gives no tree.

use std::collections::HashMap;

use granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::diagnostics::{Code, Diagnostic, Pos};

use errors::{limit, syntax_error};

mod errors;

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

impl Node {
    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
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

/// Nodes that aliases may add by repeating what an anchor names. Real files share a few small
/// values this way; an "alias bomb" asks for billions.
const MAX_ALIAS_NODES: usize = 100_000;

/// Bytes of text (keys and scalars) that aliases may add: a few nodes of megabytes each, repeated,
/// are as costly as a bomb of many small ones, and each copy is held in memory and printed on
/// pages. Real files repeat a few short texts.
const MAX_ALIAS_BYTES: usize = 1 << 20;

/// What a node holds, for the alias budget: its nodes (itself included) and the bytes of its keys
/// and scalars.
#[derive(Debug, Clone, Copy)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    /// A scalar of `bytes` bytes.
    fn scalar(bytes: usize) -> Size {
        Size { nodes: 1, bytes }
    }
}

/// Parses `text` (the contents of `file`) into a node tree, pushing every problem found onto
/// `problems`; `None` when the text is not YAML or passes a bound (its problem is pushed).
///
/// granit-parser reads the text into events with their spans; this builds the tree from them. It
/// resolves scalars by the YAML 1.2 core schema (`yes` and `no` are text; `true` and `false` are
/// not), bounds nesting and what aliases may repeat, and applies merge keys (`<<: *defaults`).
/// What the tree can do without is reported and left out: a key given twice in one mapping (the
/// first value stays), a list or mapping as a key (with its value), a `<<` of something not a
/// mapping. Comments are read as YAML but not kept: nothing reads them.
pub fn parse(file: &str, text: &str, problems: &mut Vec<Diagnostic>) -> Option<Node> {
    let parser = Parser::new_from_str_with_options(
        text,
        granit_parser::options! { emit_comments: false, flow_nesting_limit: MAX_DEPTH, block_nesting_limit: MAX_DEPTH },
    );
    build(file, text, parser, problems)
}

/// What the parser gives for each event.
type ParseResult<'a> = Result<(Event<'a>, Span), ScanError>;

/// The tree of the events, up to the end of the stream.
fn build<'a>(
    file: &str,
    text: &str,
    events: impl Iterator<Item = ParseResult<'a>>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let mut tree = Tree {
        file,
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: Size {
            nodes: MAX_ALIAS_NODES,
            bytes: MAX_ALIAS_BYTES,
        },
        root: None,
        problems,
    };
    for event in events {
        let read = match event {
            Ok((Event::StreamEnd, _)) => break,
            Ok((event, span)) => tree.event(event, &span),
            Err(error) => Err(syntax_error(file, text, &error)),
        };
        if let Err(fatal) = read {
            tree.problems.push(fatal);
            return None;
        }
    }
    Some(tree.root.unwrap_or(Node {
        kind: Kind::Map(Vec::new()),
        pos: Pos::new(1, 1, 1),
    }))
}

fn pos(marker: &Marker, len: usize) -> Pos {
    Pos::new(marker.line(), marker.col() + 1, len.max(1))
}

/// The nodes being built: one frame per open list or mapping.
struct Tree<'a> {
    file: &'a str,
    text: &'a str,
    stack: Vec<Frame>,
    /// Anchored nodes by the parser's anchor id, with their size.
    anchors: HashMap<usize, (Node, Size)>,
    /// What aliases may still add.
    alias_budget: Size,
    root: Option<Node>,
    /// The problems the tree reads on after.
    problems: &'a mut Vec<Diagnostic>,
}

struct Frame {
    pos: Pos,
    anchor: usize,
    /// This collection's size so far, for the alias budget.
    size: Size,
    shape: Shape,
}

enum Shape {
    Seq(Vec<Node>),
    Map {
        entries: Keyed,
        /// What the next node is for; `None` when it is a key.
        next: Option<Next>,
        /// Mappings named by `<<`, merged when the mapping ends.
        merges: Vec<Node>,
    },
}

/// What a node read inside a mapping, after a key, is for.
enum Next {
    /// The value of this key.
    Value(Key),
    /// The mappings a plain `<<` merges in.
    Merge,
    /// Nodes left out (a key given twice, a key that is a list): so many still to come.
    Dropped(usize),
}

impl Tree<'_> {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), Diagnostic> {
        // A block scalar's span runs on over the blank space after it; what is underlined is the text.
        let len = match span.byte_range().and_then(|r| self.text.get(r)) {
            Some(written) if written.ends_with(char::is_whitespace) => {
                written.trim_end().chars().count()
            }
            _ => span.len(),
        };
        let at = pos(&span.start, len);
        match event {
            // What a second document holds is most of a site, not a part the first can do without.
            Event::DocumentStart(..) if self.root.is_some() => {
                return Err(Diagnostic::error(Code::YamlSyntax, self.file, at, "this file holds a second YAML document")
                    .hint("a site is described by one document; remove the `---` line and what follows, or merge the two"));
            }
            Event::Scalar(value, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                if self.takes_key() {
                    let name = value.into_owned();
                    if anchor != 0 {
                        let node = Node {
                            kind: Kind::Str(name.clone()),
                            pos: at,
                        };
                        self.anchors
                            .insert(anchor, (node, Size::scalar(name.len())));
                    }
                    let pos = Pos {
                        len: span.len().max(1),
                        ..at
                    };
                    self.key(Key { name, pos }, plain);
                } else {
                    let size = Size::scalar(value.len());
                    let kind = resolve(value, style, tag.as_deref());
                    self.finish(Node { kind, pos: at }, anchor, size);
                }
            }
            Event::Alias(id) => self.alias(id, at)?,
            Event::SequenceStart(_, anchor, _) => self.open(at, anchor, Shape::Seq(Vec::new()))?,
            Event::MappingStart(_, anchor, _) => {
                let map = Shape::Map {
                    entries: Keyed::default(),
                    next: None,
                    merges: Vec::new(),
                };
                self.open(at, anchor, map)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            _ => {}
        }
        Ok(())
    }

    /// Repeats the node that anchor `id` names, within the budget of what aliases may repeat.
    fn alias(&mut self, id: usize, at: Pos) -> Result<(), Diagnostic> {
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(Diagnostic::error(
                Code::YamlSyntax,
                self.file,
                at,
                "this alias names no anchor",
            )
            .hint("define the anchor (`&name`) before the alias (`*name`) uses it"));
        };
        if size.nodes > self.alias_budget.nodes {
            return Err(limit(self.file, at, "aliases repeat too many values"));
        }
        if size.bytes > self.alias_budget.bytes {
            return Err(limit(
                self.file,
                at,
                &format!(
                    "aliases repeat more than {} MiB of text",
                    MAX_ALIAS_BYTES >> 20
                ),
            ));
        }
        self.alias_budget.nodes -= size.nodes;
        self.alias_budget.bytes -= size.bytes;
        let (node, size) = (node.clone(), *size);
        if !self.takes_key() {
            self.finish(Node { pos: at, ..node }, 0, size);
            return Ok(());
        }
        match node.kind {
            Kind::Str(name) | Kind::Number(name) => self.key(Key { name, pos: at }, false),
            // The key is read; its value is left out with it.
            _ => self.complex_key(at, 1),
        }
        Ok(())
    }

    /// Whether the next node is a mapping key.
    fn takes_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                shape: Shape::Map { next: None, .. },
                ..
            })
        )
    }

    /// Reads `key` in the open mapping; a key the mapping has already is reported, and its value
    /// left out, so the first value stays.
    fn key(&mut self, key: Key, maybe_merge: bool) {
        let Some(Frame {
            shape: Shape::Map { entries, next, .. },
            size,
            ..
        }) = self.stack.last_mut()
        else {
            unreachable!("a key is read only inside a mapping")
        };
        size.bytes += key.name.len();
        if entries.has(&key.name) {
            *next = Some(Next::Dropped(1));
            self.problems.push(
                Diagnostic::error(
                    Code::DuplicateKey,
                    self.file,
                    key.pos,
                    format!("`{}` is given twice in the same mapping", key.name),
                )
                .hint("keep one of the two; YAML allows each key once per mapping, and polis reads the first"),
            );
        } else if maybe_merge && key.name == "<<" {
            *next = Some(Next::Merge);
        } else {
            *next = Some(Next::Value(key));
        }
    }

    /// Reports a list or mapping used as a key, and leaves out the `dropped` nodes still to come
    /// for it (the key itself, when it is still to be read, and its value).
    fn complex_key(&mut self, at: Pos, dropped: usize) {
        if let Some(Frame {
            shape: Shape::Map { next, .. },
            ..
        }) = self.stack.last_mut()
        {
            *next = Some(Next::Dropped(dropped));
        }
        self.problems.push(
            Diagnostic::error(
                Code::YamlSyntax,
                self.file,
                at,
                "a mapping key here is a list or a mapping",
            )
            .hint("keys in site.yaml are words, such as `name:`"),
        );
    }

    fn open(&mut self, at: Pos, anchor: usize, shape: Shape) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(limit(self.file, at, "more than 32 levels of nesting"));
        }
        if self.takes_key() {
            self.complex_key(at, 2);
        }
        self.stack.push(Frame {
            pos: at,
            anchor,
            size: Size { nodes: 1, bytes: 0 },
            shape,
        });
        Ok(())
    }

    /// Ends the innermost open list or mapping.
    fn close(&mut self) {
        let frame = self
            .stack
            .pop()
            .expect("the parser closes only what it opened");
        let kind = match frame.shape {
            Shape::Seq(items) => Kind::Seq(items),
            Shape::Map {
                mut entries,
                merges,
                ..
            } => {
                for merged in merges {
                    entries.merge(merged);
                }
                Kind::Map(entries.entries)
            }
        };
        self.finish(
            Node {
                kind,
                pos: frame.pos,
            },
            frame.anchor,
            frame.size,
        );
    }

    /// Puts a finished node where it belongs: in its list, under its key, or at the root.
    fn finish(&mut self, node: Node, anchor: usize, size: Size) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        parent.size.nodes += size.nodes;
        parent.size.bytes += size.bytes;
        let (entries, next, merges) = match &mut parent.shape {
            Shape::Seq(items) => return items.push(node),
            Shape::Map {
                entries,
                next,
                merges,
            } => (entries, next, merges),
        };
        match next.take().expect("a value follows its key") {
            Next::Value(key) => entries.push(key, node),
            Next::Dropped(more) if more > 1 => *next = Some(Next::Dropped(more - 1)),
            Next::Dropped(_) => {}
            Next::Merge => match node.kind {
                Kind::Map(_) => merges.push(node),
                Kind::Seq(items) if items.iter().all(|i| matches!(i.kind, Kind::Map(_))) => {
                    merges.extend(items)
                }
                _ => self.problems.push(
                    Diagnostic::error(
                        Code::YamlSyntax,
                        self.file,
                        node.pos,
                        "`<<` merges a mapping, but this is not one",
                    )
                    .hint("write `<<: *name`, where `&name` marks a mapping"),
                ),
            },
        }
    }
}

/// The entries of a mapping being read, and their keys in a set once there are many: a mapping of
/// 20,000 keys is checked for a repeated key in one pass, not one pass per key.
#[derive(Default)]
struct Keyed {
    entries: Vec<(Key, Node)>,
    names: Option<std::collections::HashSet<String>>,
}

impl Keyed {
    /// Below this many entries, looking through them is faster than a set.
    const SMALL: usize = 32;

    fn has(&mut self, name: &str) -> bool {
        if self.entries.len() < Self::SMALL {
            return self.entries.iter().any(|(k, _)| k.name == name);
        }
        let entries = &self.entries;
        self.names
            .get_or_insert_with(|| entries.iter().map(|(k, _)| k.name.clone()).collect())
            .contains(name)
    }

    fn push(&mut self, key: Key, value: Node) {
        if let Some(names) = &mut self.names {
            names.insert(key.name.clone());
        }
        self.entries.push((key, value));
    }

    /// Adds the entries of `merged` that the mapping does not have: keys written in it win.
    fn merge(&mut self, merged: Node) {
        let Kind::Map(more) = merged.kind else { return };
        for (key, value) in more {
            if !self.has(&key.name) {
                self.push(key, value);
            }
        }
    }
}

/// The value of a scalar, by the YAML 1.2 core schema. Numbers keep their digits as written:
/// `postal_code: 0712` is 0712, not 712 or octal.
fn resolve(value: std::borrow::Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    let core = tag.and_then(Tag::core_suffix);
    if style != ScalarStyle::Plain
        || core == Some("str")
        || tag.is_some_and(|t| core.is_none() && t.handle() == "!" && t.suffix().is_empty())
    {
        return Kind::Str(value.into_owned());
    }
    match value.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        v if is_number(v) => Kind::Number(value.into_owned()),
        _ => Kind::Str(value.into_owned()),
    }
}

/// A YAML 1.2 core schema integer or float: `12`, `-0.5`, `1e3`, `0x1F`, `0o17`, `.inf`, `.nan`.
fn is_number(v: &str) -> bool {
    if let Some(hex) = v.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !exponent.is_empty()
        && digits(exponent)
        && digits(whole)
        && digits(fraction)
        && (!whole.is_empty() || !fraction.is_empty())
}

#[cfg(test)]
mod tests;
