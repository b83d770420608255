//! Tera, for both kinds of templates: content (to Markdown, every unfilled field named in one run)
//! and theme (to HTML), and Tera's errors as diagnostics at the template's file, line and column.

use super::front_matter::Parsed;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::Input;

/// Renders one content template. An undefined field is reported, replaced by an empty string at
/// the same place, and rendering is tried again, so every unfilled field of the file is named.
pub(super) fn render_content(
    tera: &tera::Tera,
    parsed: &Parsed,
    context: &tera::Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let name = parsed.file.path.as_str();
    let mut body = parsed.body.clone();
    let mut failed = false;
    // Only a failed render needs a copy of the templates to patch.
    let mut patched: Option<tera::Tera> = None;
    for _ in 0..64 {
        match patched.as_ref().unwrap_or(tera).render(name, context) {
            Ok(md) => return (!failed).then_some(md),
            Err(e) => {
                failed = true;
                let d = template_error(&e, name, parsed.offset, &body);
                let patch = match e.kind() {
                    tera::ErrorKind::RenderingError(r) if d.code == Code::UnfilledField && r.filename() == name => {
                        Some(expression_range(&body, r.span().range.clone()))
                    }
                    _ => None,
                };
                diagnostics.push(d);
                let range = patch?;
                let width = range.len();
                body.replace_range(range, &format!("{:<width$}", "\"\""));
                if patched.get_or_insert_with(|| tera.clone()).add_raw_template(name, &body).is_err() {
                    return None;
                }
            }
        }
    }
    None
}

/// Widens the span of an undefined field (`fax`) to the whole expression (`company.fax`).
fn expression_range(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '"' | '\'');
    let start = source[..span.start].char_indices().rev().take_while(|(_, c)| is_part(*c)).last().map_or(span.start, |(i, _)| i);
    let end =
        source[span.end..].char_indices().find(|(_, c)| !(c.is_alphanumeric() || *c == '_')).map_or(source.len(), |(i, _)| span.end + i);
    // Never shorter than `""`.
    if end - start < 2 { start..(start + 2).min(source.len()) } else { start..end }
}

/// Renders the theme template `name`; an error points into the template it happened in.
pub(super) fn render_theme(theme: &tera::Tera, name: &str, context: tera::Context, input: &Input) -> Result<String, Diagnostic> {
    theme.render(name, &context).map_err(|e| {
        let file = match &e.kind() {
            tera::ErrorKind::RenderingError(r) => r.filename().to_owned(),
            _ => name.to_owned(),
        };
        let (path, text) = input.templates.get(&file).cloned().unwrap_or((file, String::new()));
        template_error(&e, &path, 0, &text)
    })
}

/// A Tera error as a diagnostic in `file`, whose template body starts `offset` lines into the file.
pub(super) fn template_error(e: &tera::Error, file: &str, offset: usize, source: &str) -> Diagnostic {
    let (report, syntax) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), true),
        tera::ErrorKind::RenderingError(r) => (Some(r), false),
        _ => (None, false),
    };
    let Some(r) = report else {
        return Diagnostic::error(Code::TemplateError, file, Pos::default(), e.to_string());
    };
    let span = r.span();
    let message = r.message();
    // Tera 2 (2.4) has no error kind for an undefined value: a missing variable or field is a
    // `RenderingError` like any other, and only its message ("Variable `x` is not defined.",
    // "Field `x` is not defined.", an implicit argument "not found in context") tells it apart.
    if !syntax && (message.contains("not defined") || message.contains("not found")) {
        let range = expression_range(source, span.range.clone());
        let expr = source.get(range.clone()).unwrap_or_default().trim();
        let at = Pos::at_offset(source, range.start, expr.chars().count());
        let pos = Pos { line: at.line + offset, ..at };
        let top = expr.split(['.', '[']).next().unwrap_or(expr);
        let hint = match top {
            "company" | "dpo" | "cookies" | "rights" | "site" => format!("fill in `{expr}` in site.yaml, or take it out of this text"),
            "authority" => {
                "polis knows no supervisory authority for the company's country: add `authority:` with `name` and `url` to site.yaml"
                    .to_owned()
            }
            _ => {
                format!("`{expr}` is not filled in here; site.yaml lacks it, or the text should check for it first (see docs/templates.md)")
            }
        };
        return Diagnostic::error(Code::UnfilledField, file, pos, format!("`{expr}` is used here, but it has no value")).hint(hint);
    }
    let pos = Pos::new(span.start_line + offset, span.start_col + 1, span.end_col.saturating_sub(span.start_col).max(1));
    let code = if syntax { Code::TemplateSyntax } else { Code::TemplateError };
    if syntax && message.contains("comment") && source.contains("{#") {
        return Diagnostic::error(code, file, pos, message.to_owned())
            .hint("`{#` starts a Tera comment; write a heading id with a space: `## Title { #id }`");
    }
    Diagnostic::error(code, file, pos, message.to_owned()).hint(if syntax {
        "fix the template syntax (Tera 2, docs/templates.md)"
    } else {
        "check the expression against docs/templates.md"
    })
}
