//! The one type every stage reports problems with, and the three ways to print them.
//!
//! A stage never stops at the first problem: it pushes a [`Diagnostic`] and carries on, so that one
//! run names everything a user has to fix. Output formats are documented in README.md and are
//! stable: tests and CI scripts read them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is. Errors fail `build` and `check`; warnings fail `check --deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
    /// Information that never fails a run, such as a rule the site waived and why.
    Note,
}

/// A problem in one place of one file of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem: `unknown-key`, `unfilled-field`, ...
    pub code: &'static str,
    /// The file, relative to the site folder, with `/` separators (`site.yaml`, `content/privacy.nl.md`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// How many characters of the line the problem covers (at least 1 when a line is known).
    #[serde(skip)]
    pub len: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place; use the builder methods to add a hint or change the severity.
    pub fn error(code: &'static str, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: pos.line,
            column: pos.column,
            len: pos.len.max(1),
            message: message.into(),
            hint: None,
        }
    }

    /// A note at a place: printed, never a failure.
    pub fn note(code: &'static str, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Self::error(code, file, pos, message) }
    }

    /// A warning at a place.
    pub fn warning(code: &'static str, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(code, file, pos, message) }
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A place in a file: 1-based line and column (in characters), and a length in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    /// 1-based line, 0 for "the whole file".
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Characters covered.
    pub len: usize,
}

impl Pos {
    /// A position that covers `len` characters.
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Pos { line, column, len }
    }

    /// The position of byte `offset` in `text` (which must lie on a char boundary), covering `len` chars.
    pub fn at_offset(text: &str, offset: usize, len: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Pos { line, column, len }
    }

    /// The first place `needle` occurs in `text`, if it does.
    pub fn find(text: &str, needle: &str) -> Option<Self> {
        if needle.is_empty() {
            return None;
        }
        text.find(needle).map(|at| Pos::at_offset(text, at, needle.chars().count()))
    }
}

/// The source text of the files diagnostics point into, for printing the offending line.
pub type Sources = BTreeMap<String, String>;

/// Sorts diagnostics the way every output format lists them: by file, line, column, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column, a.code, &a.message).cmp(&(&b.file, b.line, b.column, b.code, &b.message)));
}

/// Counts errors and warnings (notes are neither).
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let of = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    (of(Severity::Error), of(Severity::Warning))
}

/// rustc-style text with the offending source line and a caret, coloured when `styled`.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, styled: bool) -> String {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let line_text = sources.get(&d.file).and_then(|text| (d.line > 0).then(|| text.lines().nth(d.line - 1)).flatten());
        let mut report = match line_text {
            Some(line_text) => {
                let start = char_to_byte(line_text, d.column.saturating_sub(1));
                let end = char_to_byte(line_text, d.column.saturating_sub(1) + d.len).max(start);
                let snippet = Snippet::source(line_text)
                    .line_start(d.line)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end.max(start + usize::from(end == start && start < line_text.len()))));
                vec![title.element(snippet)]
            }
            None => {
                let place = if d.line > 0 { format!("{}:{}:{}", d.file, d.line, d.column) } else { d.file.clone() };
                vec![title.element(annotate_snippets::Origin::path(place))]
            }
        };
        if let Some(hint) = &d.hint {
            report.push(Group::with_title(Level::HELP.secondary_title(hint.as_str())));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    out
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// One JSON document: `{"version":1,"errors":N,"warnings":N,"diagnostics":[...]}`.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diagnostics);
    let doc = serde_json::json!({
        "version": 1,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": diagnostics,
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("diagnostics serialize");
    out.push('\n');
    out
}

/// GitHub Actions workflow commands, one a line, escaped as the runner expects.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = format!("file={}", escape_property(&d.file));
        if d.line > 0 {
            let _ = write!(props, ",line={}", d.line);
        }
        if d.column > 0 {
            let _ = write!(props, ",col={}", d.column);
        }
        let _ = write!(props, ",title={}", escape_property(&format!("polis {}", d.code)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        let _ = writeln!(out, "::{command} {props}::{}", escape_data(&message));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closing line of a run: "2 errors, 1 warning".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diagnostics);
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    let notes = diagnostics.len() - errors - warnings;
    let mut line = format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    if notes > 0 {
        line.push_str(&format!(", {}", plural(notes, "note")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a: é\nbb: [x\n";
        assert_eq!(Pos::find(text, "[x"), Some(Pos::new(2, 5, 2)));
        assert_eq!(Pos::at_offset(text, 3, 1), Pos::new(1, 4, 1));
    }

    #[test]
    fn github_commands_escape_newlines_and_separators() {
        let d = Diagnostic::error("unknown-key", "a,b:c.yaml", Pos::new(3, 2, 1), "50% done\nnext").hint("use x");
        assert_eq!(
            render_github(&[d]),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=2,title=polis unknown-key::50%25 done%0Anext%0Ahelp: use x\n"
        );
    }
}
