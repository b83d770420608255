//! The diagnostics of text that gives no tree: what the parser could not read, told where the
//! mistake likely is (an alias of no anchor, a quote left open), and a bound passed.

use granit_parser::{ErrorKind, ScanError};

use super::pos;
use crate::diagnostics::{Code, Diagnostic, Pos};

/// The characters after which a quote opens a value (rather than standing inside one).
const OPENS_VALUE: &str = " \t:-[{,";

/// What a problem of the parser is, said where the user can fix it.
pub(super) fn syntax_error(file: &str, text: &str, error: &ScanError) -> Diagnostic {
    let at = pos(error.marker(), 1);
    let message = error.info();
    if matches!(error.kind(), ErrorKind::RecursionLimitExceeded) || message.contains("limit") {
        return limit(file, at, &message);
    }
    if matches!(error.kind(), ErrorKind::UnknownAnchor) {
        // `*name` repeats the value marked `&name`; text that starts with `*` is easily meant as text.
        let written = error
            .marker()
            .byte_offset()
            .and_then(|o| text.get(o..))
            .unwrap_or_default();
        let alias: String = written
            .chars()
            .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
            .collect();
        let name = alias.trim_start_matches('*');
        return Diagnostic::error(
            Code::YamlSyntax,
            file,
            Pos { len: alias.chars().count().max(1), ..at },
            format!("`{alias}` repeats a value marked `&{name}`, but no value has that mark"),
        )
        .hint(format!("if this is text, put it in quotes: \"{alias}\"; to repeat a value, mark it first with `&{name}`"));
    }
    // A quote left open runs on over the lines after it, and the parser stops where the text no
    // longer fits, lines later: the place to fix is where the quote opened.
    if let Some((opened, quote)) = unclosed_quote(text, at.line) {
        return Diagnostic::error(
            Code::YamlSyntax,
            file,
            opened,
            format!("this {quote} opens a quoted value that is not closed on its line"),
        )
        .hint(format!(
            "close it with {quote} at the end of the value on this line (the YAML stops making sense on line {}: {message})",
            at.line
        ));
    }
    Diagnostic::error(Code::YamlSyntax, file, at, format!("this is not valid YAML: {message}"))
        .hint("check the indentation and the quotes around this line; a value with `: ` or `#` in it needs quotes")
}

/// The first quote in `text` before line `before` that opens a value and is not closed on its
/// own line, and the quote character. A value in quotes may go on over lines in YAML, but in a
/// site.yaml that fails to parse, such a quote is the likely mistake.
fn unclosed_quote(text: &str, before: usize) -> Option<(Pos, char)> {
    for (index, line) in text.lines().enumerate().take(before.saturating_sub(1)) {
        let mut open: Option<(usize, char)> = None;
        let mut previous = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((column, c)) = chars.next() {
            match open {
                Some((_, '"')) if c == '\\' => {
                    chars.next();
                }
                Some((_, q)) if c == q => {
                    // `''` inside single quotes is one quote.
                    if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                    } else {
                        open = None;
                    }
                }
                Some(_) => {}
                None if c == '#' && previous.is_whitespace() => break,
                None if (c == '"' || c == '\'') && OPENS_VALUE.contains(previous) => {
                    open = Some((column, c));
                }
                None => {}
            }
            previous = c;
        }
        if let Some((column, quote)) = open {
            return Some((Pos::new(index + 1, column + 1, 1), quote));
        }
    }
    None
}

/// A bound passed: the file is too large or too deep to be a site.yaml.
pub(super) fn limit(file: &str, at: Pos, message: &str) -> Diagnostic {
    Diagnostic::error(
        Code::YamlLimit,
        file,
        at,
        format!("the YAML is too large or too deeply nested: {message}"),
    )
    .hint("site.yaml needs only a few levels of nesting and no repeated aliases; simplify the file")
}
