//! Markdown to HTML: named links resolved, headings given ids and gathered for the table of contents.
//!
//! Also the escaper that keeps values data: a value inserted into Markdown by a template has every
//! character that Markdown or HTML would read as syntax turned into a character reference, which
//! CommonMark shows as the literal character.

use std::collections::HashSet;
use std::io::Write;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// Escapes a value for the Markdown that content templates produce (Tera's escape function).
pub fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut start = 0;
    for (i, c) in input.char_indices() {
        let replacement: Option<&str> = match c {
            '\n' | '\r' | '\t' => Some(" "),
            c if c.is_ascii_punctuation() && !matches!(c, '.' | ',' | ':' | ';' | '?' | '/' | '@' | '%' | '=' | '+' | '-') => None,
            _ => continue,
        };
        out.write_all(&input.as_bytes()[start..i])?;
        match replacement {
            Some(r) => out.write_all(r.as_bytes())?,
            None => write!(out, "&#{};", c as u32)?,
        }
        start = i + c.len_utf8();
    }
    out.write_all(&input.as_bytes()[start..])
}

/// A heading of the page, for the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The anchor.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A page's body as HTML, with what the theme and the checks need to know about it.
#[derive(Debug, Default)]
pub struct Html {
    /// The body.
    pub html: String,
    /// Headings of level 2 and 3.
    pub toc: Vec<TocEntry>,
    /// Named links that name nothing: the destination as written.
    pub unresolved: Vec<String>,
}

/// Renders `markdown`, resolving `@/page` and `@doc/key` link destinations with `resolve`.
pub fn to_html(markdown: &str, resolve: impl Fn(&str) -> Option<String>) -> Html {
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = Html::default();
    out.html.reserve(markdown.len() + markdown.len() / 2);
    // About one event per five bytes of Markdown in a table-heavy page: room for them at once.
    let mut events: Vec<Event> = Vec::with_capacity(markdown.len() / 5);
    let mut heading: Option<(HeadingLevel, Option<String>, usize)> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if dest_url.starts_with('@') => {
                let dest = match resolve(&dest_url) {
                    Some(url) => CowStr::from(url),
                    None => {
                        out.unresolved.push(dest_url.to_string());
                        dest_url
                    }
                };
                events.push(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
            }
            // A table can be wider than a phone: it scrolls in a region of its own, which must be
            // focusable (keyboard users scroll it) and named (screen readers announce it).
            Event::Start(Tag::Table(alignments)) => {
                let label = out.toc.last().map_or("Table", |t| t.title.as_str());
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
                    escape_attr(label)
                ))));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), events.len()));
                events.push(Event::Text(CowStr::from(""))); // replaced at the heading's end
            }
            Event::End(TagEnd::Heading(level)) => {
                let (_, id, at) = heading.take().expect("heading start before end");
                let text = plain_text(&events[at + 1..]);
                let id = unique_id(id.unwrap_or_else(|| slugify(&text)), &mut out.toc);
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    out.toc.push(TocEntry { level: level as u8, id: id.clone(), title: text });
                }
                events[at] = Event::Html(CowStr::from(format!("<{level} id=\"{}\">", escape_attr(&id))));
                events.push(Event::Html(CowStr::from(format!("</{level}>\n"))));
            }
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

fn unique_id(id: String, toc: &mut [TocEntry]) -> String {
    let taken: HashSet<&str> = toc.iter().map(|t| t.id.as_str()).collect();
    if !taken.contains(id.as_str()) {
        return id;
    }
    (2..).map(|n| format!("{id}-{n}")).find(|c| !taken.contains(c.as_str())).expect("an unused id")
}

/// "Wie we zijn" → "wie-we-zijn".
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "section".into() } else { slug }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        escape_markdown(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_cannot_become_markdown_or_html() {
        let value = "[click](javascript:alert(1)) <script>x</script> *bold* {{ x }}\n# h";
        let html = to_html(&format!("Name: {}", escaped(value)), |_| None).html;
        assert!(!html.contains("<a"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
        assert!(html.contains("[click](javascript:alert(1)) &lt;script&gt;x&lt;/script&gt; *bold* {{ x }} # h"), "{html}");
    }

    #[test]
    fn named_links_resolve_and_unknown_ones_are_reported() {
        let out = to_html("[a](@/cookies) [b](@/nope)", |d| (d == "@/cookies").then(|| "/nl/cookiebeleid/".to_owned()));
        assert!(out.html.contains(r#"<a href="/nl/cookiebeleid/">a</a>"#), "{}", out.html);
        assert_eq!(out.unresolved, vec!["@/nope"]);
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_region() {
        let html = to_html("## Cookies & more\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", |_| None).html;
        assert!(
            html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Cookies &amp; more\">\n<table>"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
    }

    #[test]
    fn headings_get_ids_and_a_toc() {
        let out = to_html("## Wie we zijn {#who-we-are}\n\n### Gegevens & meer\n\n## Wie we zijn\n", |_| None);
        assert!(out.html.contains(r#"<h2 id="who-we-are">Wie we zijn</h2>"#), "{}", out.html);
        let ids: Vec<&str> = out.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["who-we-are", "gegevens-meer", "wie-we-zijn"]);
    }
}
