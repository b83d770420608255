//! The human printer: rustc-style text with the offending source line and a caret, every
//! character that could change what a terminal shows written as an escape.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity, Sources};

/// rustc-style text with the offending source line and a caret, coloured when `styled`.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Each file's lines, found once: thousands of problems in one file cost one pass over it.
    let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // Where each character of a long line starts, found once for all the problems on that line.
    let mut long_lines: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        // A file name, a key or a value can hold a line break or a terminal control: printed as
        // escapes, so no line of the output is anything but polis's (a CI log reads `::error` at
        // the start of a line as a command).
        let (file, message) = (printable(&d.file), printable(&d.message));
        let title = level.primary_title(message.as_ref()).id(d.code.as_str());
        let file_lines = sources.get(&d.file).map(|text| {
            &*lines
                .entry(d.file.as_str())
                .or_insert_with(|| text.lines().collect())
        });
        let line_text =
            file_lines.and_then(|l| d.line.checked_sub(1).and_then(|i| l.get(i)).copied());
        let long = line_text.filter(|l| l.len() > LONG_LINE);
        let line_text = line_text.filter(|l| l.len() <= LONG_LINE).map(visible_line);
        let mut placed = None;
        let mut report = match line_text.as_deref() {
            _ if long.is_some() => {
                let line = long.expect("matched");
                let starts = long_lines
                    .entry((d.file.as_str(), d.line))
                    .or_insert_with(|| line.char_indices().map(|(i, _)| i).collect());
                let (window, span) = window(line, starts, d.column, d.len);
                let cut_before = window.starts_with('…');
                let snippet = Snippet::source(visible_line(&window).into_owned())
                    .line_start(d.line)
                    .annotation(AnnotationKind::Primary.span(span));
                if cut_before {
                    // The snippet's own column would count from the cut: the place is given apart.
                    let origin = annotate_snippets::Origin::path(file.as_ref())
                        .line(d.line)
                        .char_column(d.column);
                    vec![title.element(snippet).element(origin)]
                } else {
                    vec![title.element(snippet.path(file.as_ref()))]
                }
            }
            Some(line_text) => {
                let start = char_to_byte(line_text, d.column.saturating_sub(1));
                let end = char_to_byte(line_text, d.column.saturating_sub(1) + d.len).max(start);
                let snippet = Snippet::source(line_text)
                    .line_start(d.line)
                    .path(file.as_ref())
                    .annotation(AnnotationKind::Primary.span(
                        start
                            ..end.max(start + usize::from(end == start && start < line_text.len())),
                    ));
                vec![title.element(snippet)]
            }
            // No line to show (a file that cannot be read): the place on a line of its own,
            // without the empty gutter of a snippet.
            None => {
                placed = Some(if d.line > 0 {
                    format!("{file}:{}:{}", d.line, d.column)
                } else {
                    file.into_owned()
                });
                vec![Group::with_title(title)]
            }
        };
        if let Some(hint) = &d.hint {
            report.push(Group::with_title(
                Level::HELP.secondary_title(printable(hint)),
            ));
        }
        match placed.take() {
            Some(place) => {
                let _ = writeln!(out, "{}\n  --> {place}", renderer.render(&report[..1]));
                for group in &report[1..] {
                    let _ = writeln!(out, "{}", renderer.render(std::slice::from_ref(group)));
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "{}\n", renderer.render(&report));
            }
        }
    }
    out
}

/// A source line longer than this (in bytes) is shown as a window around the problem: a line of
/// prose of half a megabyte is printed in part, once per problem on it, not whole.
const LONG_LINE: usize = 240;

/// Characters of a long line shown on each side of the problem.
const WINDOW: usize = 60;

/// The part of `line` (whose characters start at `starts`) around `len` characters from 1-based
/// `column`, marked `…` where it is cut, and the byte span of the problem in it.
fn window(
    line: &str,
    starts: &[usize],
    column: usize,
    len: usize,
) -> (String, std::ops::Range<usize>) {
    let byte = |char_index: usize| starts.get(char_index).copied().unwrap_or(line.len());
    let from_char = column.saturating_sub(1).min(starts.len());
    let to_char = (from_char + len.max(1)).min(starts.len());
    let shown_from = from_char.saturating_sub(WINDOW);
    let shown_to = (to_char + WINDOW).min(starts.len());
    let mut window = String::new();
    if shown_from > 0 {
        window.push('…');
    }
    let offset = window.len();
    window.push_str(&line[byte(shown_from)..byte(shown_to)]);
    if shown_to < starts.len() {
        window.push('…');
    }
    let start = offset + byte(from_char) - byte(shown_from);
    let end = (offset + byte(to_char) - byte(shown_from)).max(start + 1);
    (window, start..end)
}

/// Characters that change what a terminal or a log shows rather than showing themselves: controls
/// (line breaks, escape, bell, NUL) and the bidirectional overrides and isolates.
fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` with every unprintable character written as an escape: a line break as `\n`, others as
/// `\u{1b}`.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unprintable(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// A source line to show under a message: each unprintable character replaced by one that is
/// not, so that columns stay where they were.
fn visible_line(line: &str) -> std::borrow::Cow<'_, str> {
    if line.chars().any(is_unprintable) {
        line.chars()
            .map(|c| if is_unprintable(c) { '\u{fffd}' } else { c })
            .collect()
    } else {
        line.into()
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}
