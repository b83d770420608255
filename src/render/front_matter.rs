//! A content file's front matter (`title`, `description`) split from its body, the Tera template
//! that renders to Markdown. Positions in the front matter are positions in the file.

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::ContentFile;
use crate::yaml;

/// A content file split into front matter and body.
pub(super) struct Parsed<'a> {
    /// The file.
    pub(super) file: &'a ContentFile,
    /// `title:`, empty when the front matter lacks it (reported).
    pub(super) title: String,
    /// `description:`.
    pub(super) description: Option<String>,
    /// What follows the front matter: a Tera template producing Markdown.
    pub(super) body: String,
    /// Lines before the body, added to template line numbers.
    pub(super) offset: usize,
}

/// Splits `file`; without front matter, or with a broken one, the title is empty and the problem reported.
pub(super) fn split_front_matter<'a>(
    file: &'a ContentFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed<'a> {
    let mut parsed = Parsed {
        file,
        title: String::new(),
        description: None,
        body: file.text.clone(),
        offset: 0,
    };
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                &file.path,
                Pos::new(1, 1, 1),
                "the page has no front matter with its title",
            )
            .hint("start the file with three lines: `---`, `title: ...`, `---`"),
        );
        return parsed;
    };
    let Some(end) = rest
        .find("\n---\n")
        .or_else(|| rest.find("\n---\r\n"))
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
    else {
        diagnostics.push(
            Diagnostic::error(
                Code::YamlSyntax,
                &file.path,
                Pos::new(1, 1, 3),
                "the front matter is not closed",
            )
            .hint("end it with a line `---`"),
        );
        return parsed;
    };
    let yaml_text = &rest[..end + 1];
    let after = rest[end + 1..].split_once('\n').map_or("", |(_, b)| b);
    parsed.offset = yaml_text.matches('\n').count() + 2;
    parsed.body = after.to_owned();
    // Pad so that positions in the front matter are positions in the file.
    if let Some(node) = yaml::parse(&file.path, &format!("\n{yaml_text}"), diagnostics) {
        let mut cx = crate::model::decode::Cx::new(&file.path, Vec::new());
        if let Some(m) = cx.map(&node, "", &["title", "description"]) {
            parsed.title = cx.required(&m, "title", |cx, n, p| cx.string(n, p)).value;
            parsed.description = cx
                .optional(&m, "description", |cx, n, p| cx.string(n, p))
                .map(|s| s.value);
        }
        for d in &mut cx.diagnostics {
            if d.code == Code::MissingField {
                d.line = 1;
                d.column = 1;
            }
        }
        diagnostics.extend(cx.diagnostics);
    }
    parsed
}
