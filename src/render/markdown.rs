//! Markdown to HTML: named links resolved, headings given ids and gathered for the table of contents,
//! and each table cell labelled with its column's header (`data-label`), so that the theme can show
//! a row as a block of labelled values on a screen too narrow for the table.
//!
//! Also the escaper that keeps values data: a value inserted into Markdown by a template has every
//! character that Markdown or HTML would read as syntax backslash-escaped (`\*`, `\<`), which
//! CommonMark shows as the literal character. (Character references, `&#42;`, do the same and
//! cost a quarter more to parse.)

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// Escapes a value for the Markdown that content templates produce (Tera's escape function).
///
/// A value may stand at the start of a line (`{{ company.name }} is ...`), where `- `, `+ `,
/// `1. ` or `1) ` would start a list, `===` underline a heading and four spaces start a code block:
/// a value's first character is escaped for that too ("1. FC Köln" stays a name).
pub fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let digits = input.bytes().take_while(u8::is_ascii_digit).count();
    let starts_block = |i: usize, c: char| {
        (i == 0 && matches!(c, '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'))
    };
    let mut start = 0;
    for (i, c) in input.char_indices() {
        let replacement: Option<&str> = match c {
            // Four spaces at the start of a line would make a code block; a reference is no indent.
            ' ' | '\n' | '\r' | '\t' if i == 0 => Some("&#32;"),
            '\n' | '\r' | '\t' => Some(" "),
            c if starts_block(i, c) => None,
            c if c.is_ascii_punctuation()
                && !matches!(
                    c,
                    '.' | ',' | ':' | ';' | '?' | '/' | '@' | '%' | '=' | '+' | '-'
                ) =>
            {
                None
            }
            _ => continue,
        };
        out.write_all(&input.as_bytes()[start..i])?;
        match replacement {
            Some(r) => out.write_all(r.as_bytes())?,
            None => out.write_all(&[b'\\', c as u8])?,
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
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    // The events stream from the parser to the writer: a page of a thousand cookies is some
    // 40,000 of them, and holding them all would cost megabytes.
    let mut events = Events {
        parser: Parser::new_ext(markdown, options),
        resolve,
        pending: VecDeque::new(),
        toc: Vec::new(),
        ids: HashSet::new(),
        next_suffix: HashMap::new(),
        unresolved: Vec::new(),
        table: None,
    };
    pulldown_cmark::html::push_html(&mut html, &mut events);
    Html {
        html,
        toc: events.toc,
        unresolved: events.unresolved,
    }
}

/// The parser's events as polis writes them: named links resolved, headings with ids (gathered
/// for the table of contents), tables in a scrolling region with their cells labelled.
struct Events<'a, R> {
    parser: Parser<'a>,
    resolve: R,
    /// Events to hand out before reading more.
    pending: VecDeque<Event<'a>>,
    toc: Vec<TocEntry>,
    /// The ids of the headings in `toc`, and for each id given twice the first suffix that may be
    /// free: a page of 20,000 headings of one name numbers them in one pass, not one per heading.
    ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    unresolved: Vec<String>,
    /// The table being written, if any.
    table: Option<Table>,
}

/// What the cells of a table's body need from the table: their column's header and alignment.
struct Table {
    /// The opening tag of each column's cells, its header as the `data-label` and its alignment,
    /// written once per table: a table of a thousand rows opens its cells from these.
    opens: Vec<String>,
    alignments: Vec<Alignment>,
    /// The column of the next cell of the current row.
    column: usize,
}

impl<'a, R: Fn(&str) -> Option<String>> Iterator for Events<'a, R> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let event = self.parser.next()?;
        Some(match event {
            // A heading's id comes from its text, so its events are read to its end first.
            Event::Start(Tag::Heading { level, id, .. }) => {
                let mut inside = Vec::new();
                loop {
                    match self.parser.next() {
                        Some(Event::End(TagEnd::Heading(_))) | None => break,
                        Some(event) => inside.push(self.link(event)),
                    }
                }
                let text = plain_text(&inside);
                let id = self.unique_id(id.map_or_else(|| slugify(&text), |i| i.to_string()));
                let open = format!("<{level} id=\"{}\">", escape_attr(&id));
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    self.ids.insert(id.clone());
                    self.toc.push(TocEntry {
                        level: level as u8,
                        id,
                        title: text,
                    });
                }
                self.pending.extend(inside);
                self.pending
                    .push_back(Event::Html(CowStr::from(format!("</{level}>\n"))));
                Event::Html(CowStr::from(open))
            }
            // A table can be wider than its column (a value of one long word, on a wide screen; on
            // a narrow one the theme shows each row as a block): it scrolls in a region of its
            // own, which must be focusable (keyboard users scroll it) and named (screen readers
            // announce it).
            Event::Start(Tag::Table(alignments)) => {
                let label = self.toc.last().map_or("Table", |t| t.title.as_str());
                self.table = Some(Table {
                    opens: Vec::new(),
                    alignments: alignments.clone(),
                    column: 0,
                });
                self.pending.push_back(Event::Start(Tag::Table(alignments)));
                Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
                    escape_attr(label)
                )))
            }
            Event::End(TagEnd::Table) => {
                self.table = None;
                self.pending
                    .push_back(Event::Html(CowStr::from("</div>\n")));
                Event::End(TagEnd::Table)
            }
            // The header's cells are read first, for the labels of the body's cells.
            Event::Start(Tag::TableHead) => {
                self.table_head();
                Event::Start(Tag::TableHead)
            }
            Event::Start(Tag::TableRow) => {
                if let Some(table) = &mut self.table {
                    table.column = 0;
                }
                Event::Start(Tag::TableRow)
            }
            Event::Start(Tag::TableCell) => self.body_cell(),
            other => self.link(other),
        })
    }
}

impl<'a, R: Fn(&str) -> Option<String>> Events<'a, R> {
    /// `id`, or `id-2`, `id-3`, ... when a heading of the table of contents has it already.
    fn unique_id(&mut self, id: String) -> String {
        if !self.ids.contains(&id) {
            return id;
        }
        let first = self.next_suffix.get(&id).copied().unwrap_or(2);
        let (n, candidate) = (first..)
            .map(|n| (n, format!("{id}-{n}")))
            .find(|(_, c)| !self.ids.contains(c))
            .expect("an unused id");
        // Every suffix below `n` is taken; `n` itself only once the heading goes into the contents.
        self.next_suffix.insert(id, n);
        candidate
    }

    /// Reads the header row of a table to its end into `pending`, noting the text of each cell.
    fn table_head(&mut self) {
        let mut labels = Vec::new();
        let mut label = String::new();
        while let Some(event) = self.parser.next() {
            let event = self.link(event);
            match &event {
                Event::End(TagEnd::TableHead) => {
                    self.pending.push_back(event);
                    break;
                }
                Event::Text(text) | Event::Code(text) => label.push_str(text),
                Event::End(TagEnd::TableCell) => {
                    labels.push(escape_attr(std::mem::take(&mut label).trim()))
                }
                _ => {}
            }
            self.pending.push_back(event);
        }
        if let Some(table) = &mut self.table {
            table.opens = labels
                .iter()
                .enumerate()
                .map(|(column, label)| cell_open(label, table.alignments.get(column)))
                .collect();
        }
    }

    /// A cell of a table's body, opened with its column's header as its `data-label` (and its
    /// column's alignment, as pulldown-cmark writes it).
    fn body_cell(&mut self) -> Event<'a> {
        let Some(table) = &mut self.table else {
            return Event::Start(Tag::TableCell);
        };
        let column = table.column;
        table.column += 1;
        let open = match table.opens.get(column) {
            Some(open) => open.clone(),
            // A row longer than the header: pulldown-cmark drops the extra cells; nothing to label.
            None => cell_open("", table.alignments.get(column)),
        };
        Event::Html(CowStr::from(open))
    }

    /// A named link's destination resolved; any other event as it is.
    fn link(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with('@') => {
                let dest = match (self.resolve)(&dest_url) {
                    Some(url) => CowStr::from(url),
                    None => {
                        self.unresolved.push(dest_url.to_string());
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            other => other,
        }
    }
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
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// `<td data-label="…" style="text-align: …">`: a body cell's opening tag, the label already
/// escaped for an attribute (none when the header is empty).
fn cell_open(label: &str, alignment: Option<&Alignment>) -> String {
    let mut open = String::from("<td");
    if !label.is_empty() {
        open.push_str(&format!(" data-label=\"{label}\""));
    }
    open.push_str(match alignment {
        Some(Alignment::Left) => " style=\"text-align: left\">",
        Some(Alignment::Center) => " style=\"text-align: center\">",
        Some(Alignment::Right) => " style=\"text-align: right\">",
        _ => ">",
    });
    open
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
        assert!(
            html.contains(
                "[click](javascript:alert(1)) &lt;script&gt;x&lt;/script&gt; *bold* {{ x }} # h"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_value_at_the_start_of_a_line_starts_no_list_or_heading() {
        for value in ["1. FC Köln", "2) Hand", "- Acme", "+ Plus", "==="] {
            let html = to_html(
                &format!("Intro.\n{} is the trade name.\n", escaped(value)),
                |_| None,
            )
            .html;
            assert_eq!(
                html,
                format!("<p>Intro.\n{value} is the trade name.</p>\n"),
                "{value}"
            );
        }
        let html = to_html(
            &format!("{} (BV) is the trade name.\n", escaped("    Acme")),
            |_| None,
        )
        .html;
        assert_eq!(html, "<p>\u{20}   Acme (BV) is the trade name.</p>\n");
        // Elsewhere in a value these characters need no escape.
        assert_eq!(escaped("a-b 1. c"), "a-b 1. c");
    }

    #[test]
    fn every_escaped_character_shows_as_itself_in_text_and_in_table_cells() {
        let value = r#"a*b_c`d|e\f<g>&h[i](j)!#~^{x}"'$"#;
        let html = to_html(
            &format!("{v}\n\n| x |\n|---|\n| {v} |\n", v = escaped(value)),
            |_| None,
        )
        .html;
        let shown = r#"a*b_c`d|e\f&lt;g&gt;&amp;h[i](j)!#~^{x}"'$"#;
        assert!(html.contains(&format!("<p>{shown}</p>")), "{html}");
        assert!(
            html.contains(&format!("<td data-label=\"x\">{shown}</td>")),
            "{html}"
        );
    }

    #[test]
    fn named_links_resolve_and_unknown_ones_are_reported() {
        let out = to_html("[a](@/cookies) [b](@/nope)", |d| {
            (d == "@/cookies").then(|| "/nl/cookiebeleid/".to_owned())
        });
        assert!(
            out.html.contains(r#"<a href="/nl/cookiebeleid/">a</a>"#),
            "{}",
            out.html
        );
        assert_eq!(out.unresolved, vec!["@/nope"]);
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_region() {
        let html = to_html(
            "## Cookies & more\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            |_| None,
        )
        .html;
        assert!(
            html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Cookies &amp; more\">\n<table>"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
    }

    #[test]
    fn each_body_cell_is_labelled_with_its_columns_header() {
        let html = to_html(
            "| Naam | `Hoe` *lang* | |\n|---|--:|---|\n| a | b | c |\n| d |\n",
            |_| None,
        )
        .html;
        assert!(
            html.contains(
                "<thead><tr><th>Naam</th><th style=\"text-align: right\"><code>Hoe</code> <em>lang</em></th><th></th></tr></thead>"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<tr><td data-label=\"Naam\">a</td><td data-label=\"Hoe lang\" style=\"text-align: right\">b</td><td>c</td></tr>"
            ),
            "{html}"
        );
        // A short row is filled up with empty cells, labelled like any other.
        assert!(
            html.contains("<tr><td data-label=\"Naam\">d</td><td data-label=\"Hoe lang\" style=\"text-align: right\"></td><td></td></tr>"),
            "{html}"
        );
    }

    #[test]
    fn a_header_is_data_in_its_label() {
        let header = escaped(r#"Naam "x" <b> & [y](@/cookies)"#);
        let html = to_html(
            &format!("| {header} | [Duur](@/cookies) |\n|---|---|\n| 1 | 2 |\n"),
            |_| Some("/c/".to_owned()),
        )
        .html;
        assert!(
            html.contains(
                r#"<td data-label="Naam &quot;x&quot; &lt;b&gt; &amp; [y](@/cookies)">1</td>"#
            ),
            "{html}"
        );
        // A named link in a header resolves in the header, and its text is the label.
        assert!(
            html.contains(r#"<th><a href="/c/">Duur</a></th>"#),
            "{html}"
        );
        assert!(html.contains(r#"<td data-label="Duur">2</td>"#), "{html}");
    }

    #[test]
    fn the_labels_of_one_table_do_not_reach_the_next() {
        let html = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n| c |\n|---|\n| 3 |\n",
            |_| None,
        )
        .html;
        assert!(
            html.contains(r#"<td data-label="a">1</td><td data-label="b">2</td>"#),
            "{html}"
        );
        assert!(html.contains(r#"<td data-label="c">3</td>"#), "{html}");
    }

    #[test]
    fn a_named_link_in_a_heading_resolves_and_its_text_makes_the_id() {
        let out = to_html(
            "## See [cookies](@/cookies)\n\n| a |\n|---|\n| 1 |\n",
            |d| (d == "@/cookies").then(|| "/nl/cookiebeleid/".to_owned()),
        );
        assert!(
            out.html.contains(
                r#"<h2 id="see-cookies">See <a href="/nl/cookiebeleid/">cookies</a></h2>"#
            ),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"aria-label="See cookies">"#),
            "{}",
            out.html
        );
    }

    #[test]
    fn headings_get_ids_and_a_toc() {
        let out = to_html(
            "## Wie we zijn {#who-we-are}\n\n### Gegevens & meer\n\n## Wie we zijn\n",
            |_| None,
        );
        assert!(
            out.html.contains(r#"<h2 id="who-we-are">Wie we zijn</h2>"#),
            "{}",
            out.html
        );
        let ids: Vec<&str> = out.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["who-we-are", "gegevens-meer", "wie-we-zijn"]);
    }

    #[test]
    fn headings_of_one_name_are_numbered_in_order() {
        let out = to_html(
            "## A\n\n#### A\n\n## A\n\n## A-2\n\n## A\n\n### A\n",
            |_| None,
        );
        let ids: Vec<&str> = out.toc.iter().map(|t| t.id.as_str()).collect();
        // (An h4 is not in the contents: its id is not taken.)
        assert_eq!(ids, ["a", "a-2", "a-2-2", "a-3", "a-4"]);
        assert!(out.html.contains(r#"<h4 id="a-2">A</h4>"#), "{}", out.html);
    }
}
