//! Checks on the finished pages: what a reader would see that nobody should publish.
//!
//! Leftover template instructions ("[naam invullen]", "TODO", links to "#") are found in the text
//! of the rendered HTML, wherever they came from, then traced back to the file that holds them,
//! so the diagnostic points at site.yaml or the content file rather than at public/.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::render::{Page, Rendered};
use crate::text::{decode_entities, word_spans};

/// Words that only a template leaves behind.
const PLACEHOLDER_WORDS: &[&str] = &[
    "todo",
    "tbd",
    "fixme",
    "xxx",
    "lorem ipsum",
    "invullen",
    "invoegen",
    "insert link",
    "insert here",
    "placeholder",
];

/// Dutch instructions that also hide inside longer words ("naaminvullen"); all of one length.
const INSIDE_WORDS: [&str; 2] = ["invullen", "invoegen"];

/// Placeholders named one by one on a page; more are counted.
const MAX_PLACEHOLDERS: usize = 100;

/// Lints every page; `sources` lets a finding be traced back to the file it came from.
pub(crate) fn lint(rendered: &Rendered, sources: &Sources) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let ids: BTreeMap<&str, BTreeSet<String>> = rendered
        .pages
        .iter()
        .map(|p| (p.url.as_str(), element_ids(&p.html)))
        .collect();
    let mut written = LinksWritten::default();
    for page in &rendered.pages {
        placeholders(page, sources, &mut diagnostics);
        links(
            page,
            rendered,
            &ids,
            sources,
            &mut written,
            &mut diagnostics,
        );
    }
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// Where `text` holds a bracketed instruction (`[` and `]` on one line, at most 200 bytes apart),
/// in order.
fn brackets(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut bracketed = Vec::new();
    // Each `[` looks for the next `]` or line break; while it lies ahead, the `[`s before it share
    // it, so a line of a million `[` is read once, not once per `[`.
    let mut from = 0;
    let mut stop: Option<usize> = None;
    while let Some(open) = text[from..].find('[').map(|i| i + from) {
        let close = match stop {
            Some(at) if at > open => at,
            _ => {
                let at = text[open + 1..]
                    .find([']', '\n'])
                    .map_or(text.len(), |i| open + 1 + i);
                stop = Some(at);
                at
            }
        };
        if close == text.len() {
            break;
        } else if text.as_bytes()[close] == b'\n' {
            // No `[` before the line break closes.
            from = close;
        } else if close - open - 1 <= 200 {
            bracketed.push(open..close + 1);
            from = close + 1;
        } else {
            from = open + 1;
        }
    }
    bracketed
}

/// What opens a template instruction that did not run: Tera's `{{ value }}` and `{% tag %}`.
const TEMPLATE_MARKERS: [&str; 2] = ["{{", "{%"];

fn placeholders(page: &Page, sources: &Sources, out: &mut Vec<Diagnostic>) {
    let text = &page.text;
    let mut found: Vec<String> = Vec::new();
    // Bracketed instructions: "[naam invullen]", "[/link]", "[12]". Words inside them are part of
    // the same finding, not another one.
    let bracketed = brackets(text);
    found.extend(bracketed.iter().map(|r| text[r.clone()].to_owned()));
    for marker in TEMPLATE_MARKERS {
        if let Some(at) = text.find(marker) {
            let end = text[at..]
                .find(['}', '\n'])
                .map_or(text.len(), |e| at + e + 2)
                .min(text.len());
            found.push(text[at..end].to_owned());
        }
    }
    // ASCII lowercasing keeps every byte offset, so positions in `lower` are positions in `text`.
    let lower = text.to_ascii_lowercase();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    // Words and phrases (two words and a space) as whole words, and the Dutch
    // instructions that also hide inside longer words ("naaminvullen"): one pass over the words.
    let phrases: Vec<(&str, &str)> = PLACEHOLDER_WORDS
        .iter()
        .filter_map(|w| w.split_once(' '))
        .collect();
    let mut previous: Option<(usize, &str)> = None;
    for (s, word) in word_spans(&lower, char::is_alphanumeric) {
        if let Some((p, before)) = previous.replace((s, word))
            && phrases.contains(&(before, word))
            && &lower[p + before.len()..s] == " "
        {
            hits.push((p, s + word.len()));
        }
        if PLACEHOLDER_WORDS.contains(&word) {
            hits.push((s, s + word.len()));
        } else if word.len() > INSIDE_WORDS[0].len() {
            // (A search per word costs more than looking at each "i".)
            let bytes = word.as_bytes();
            for at in (0..bytes.len()).filter(|&i| bytes[i] == b'i') {
                if let Some(inside) = INSIDE_WORDS
                    .iter()
                    .find(|w| bytes[at..].starts_with(w.as_bytes()))
                {
                    hits.push((s + at, s + at + inside.len()));
                }
            }
        }
    }
    for (at, end) in hits {
        // (The brackets are in order and apart: the one that could hold `at` is found by halving.)
        let i = bracketed.partition_point(|r| r.end <= at);
        if !bracketed.get(i).is_some_and(|r| r.contains(&at)) {
            found.push(text[at..end].to_owned());
        }
    }
    found.sort();
    found.dedup();
    // Each finding is looked for in the sources; past a hundred on one page, the rest are counted.
    let more = found.len().saturating_sub(MAX_PLACEHOLDERS);
    found.truncate(MAX_PLACEHOLDERS);
    if more > 0 {
        out.push(
            Diagnostic::error(
                Code::PlaceholderText,
                own_file(page),
                Pos::default(),
                format!(
                    "{more} more placeholders show on the {} page ({})",
                    page.name, page.locale
                ),
            )
            .hint("fix the ones named above and run polis again"),
        );
    }
    for snippet in found {
        let (file, pos) = trace(&snippet, page, sources);
        // Not named after the page: the same value shows on every page, and is one thing to fix.
        out.push(
            Diagnostic::error(
                Code::PlaceholderText,
                file,
                pos,
                format!("`{snippet}` is a placeholder, and it shows on the published page"),
            )
            .hint("replace it with the real text; polis never publishes template instructions"),
        );
    }
}

/// The first source file (site.yaml, then the page's content) that holds `snippet`.
fn trace(snippet: &str, page: &Page, sources: &Sources) -> (String, Pos) {
    for file in ["site.yaml", page.source.as_str()] {
        if let Some(pos) = sources.get(file).and_then(|text| Pos::find(text, snippet)) {
            return (file.to_owned(), pos);
        }
    }
    (own_file(page).to_owned(), Pos::default())
}

/// The file a problem of `page` is reported in when no source holds it: its content file, or
/// site.yaml when that is a text polis ships (which shows only what site.yaml gives it).
fn own_file(page: &Page) -> &str {
    if page.origin == crate::load::Origin::Shipped {
        "site.yaml"
    } else {
        &page.source
    }
}

fn links(
    page: &Page,
    rendered: &Rendered,
    ids: &BTreeMap<&str, BTreeSet<String>>,
    sources: &Sources,
    written: &mut LinksWritten,
    out: &mut Vec<Diagnostic>,
) {
    for href in attribute_values(&page.html, "href") {
        let problem = if href.is_empty() || href == "#" {
            Some(format!(
                "a link on the {} page ({}) goes nowhere (`{href}`)",
                page.name, page.locale
            ))
        } else if let Some(anchor) = href.strip_prefix('#') {
            (!ids
                .get(page.url.as_str())
                .is_some_and(|s| s.contains(anchor)))
            .then(|| {
                format!(
                    "the link `{href}` on the {} page ({}) names no heading",
                    page.name, page.locale
                )
            })
        } else if href.starts_with("mailto:") {
            let address = href.trim_start_matches("mailto:");
            (!crate::model::is_email(address))
                .then(|| format!("`{address}` is not a complete e-mail address"))
        } else if href.contains("://") {
            (!crate::model::is_web_url(&href))
                .then(|| format!("`{href}` is not a valid web address"))
        } else if href.starts_with("tel:") {
            None
        } else {
            let (path, anchor) = href
                .split_once('#')
                .map_or((href.as_str(), None), |(p, a)| (p, Some(a)));
            let target = resolve_relative(&page.url, path);
            let file = if target.ends_with('/') {
                format!("{}index.html", target.trim_start_matches('/'))
            } else {
                target.trim_start_matches('/').to_owned()
            };
            if !rendered.files.contains_key(&file) {
                Some(format!(
                    "the link `{href}` on the {} page ({}) leads to no page of the site",
                    page.name, page.locale
                ))
            } else if let Some(anchor) = anchor {
                (!ids.get(target.as_str()).is_some_and(|s| s.contains(anchor))).then(|| {
                    format!(
                        "the link `{href}` on the {} page ({}) names no heading there",
                        page.name, page.locale
                    )
                })
            } else {
                None
            }
        };
        if let Some(message) = problem {
            // Every place a source writes the link: `](#)` twice is two things to fix.
            let places = written.places(&href, page, sources);
            let places = if places.is_empty() {
                vec![trace(&href, page, sources)]
            } else {
                places
            };
            for (file, pos) in places {
                let pos = Pos {
                    column: pos.column + 2,
                    len: href.chars().count().max(1),
                    ..pos
                };
                out.push(
                    Diagnostic::error(Code::BrokenLink, file, pos, message.clone()).hint(
                        "link to a page by name, `[text](@/cookies)`, or give the full address",
                    ),
                );
            }
        }
    }
}

/// Where each source file writes each Markdown link, `[text](dest)`, by its destination: found
/// in one pass over a file the first time a page from it has a broken link, so a page of many
/// broken links is checked in time linear in its sources, and a link is matched by its whole
/// destination (`#rights` is not found inside `#rights2`).
#[derive(Default)]
struct LinksWritten {
    files: BTreeMap<String, std::collections::HashMap<String, Vec<Pos>>>,
}

impl LinksWritten {
    /// Every place in site.yaml and the page's content file that writes a link to `href`, at the
    /// link's destination.
    fn places(&mut self, href: &str, page: &Page, sources: &Sources) -> Vec<(String, Pos)> {
        let mut places = Vec::new();
        for file in ["site.yaml", page.source.as_str()] {
            let Some(text) = sources.get(file) else {
                continue;
            };
            let index = self
                .files
                .entry(file.to_owned())
                .or_insert_with(|| link_destinations(text));
            if let Some(found) = index.get(href) {
                places.extend(found.iter().map(|pos| (file.to_owned(), *pos)));
            }
        }
        places
    }
}

/// The destination of every `](dest)` in `text`, with the place of its `](`, in one pass.
fn link_destinations(text: &str) -> std::collections::HashMap<String, Vec<Pos>> {
    let mut found: std::collections::HashMap<String, Vec<Pos>> = Default::default();
    // The line and column at `counted`, carried from one link to the next.
    let (mut line, mut column, mut counted) = (1, 1, 0);
    for (at, _) in text.match_indices("](") {
        for c in text[counted..at].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        counted = at;
        let rest = &text[at + 2..];
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        let dest = &rest[..end];
        found.entry(dest.to_owned()).or_default().push(Pos {
            line,
            column,
            len: dest.chars().count().max(1),
        });
    }
    found
}

/// `../../en/x/` from `/nl/a/` → `/en/x/`.
fn resolve_relative(base: &str, href: &str) -> String {
    if href.starts_with('/') {
        return href.to_owned();
    }
    let mut parts: Vec<&str> = base
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    for segment in href.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = href.ends_with('/') || href.is_empty();
    format!(
        "/{}{}",
        parts.join("/"),
        if trailing && !parts.is_empty() {
            "/"
        } else {
            ""
        }
    )
}

/// The values of every `name="..."` attribute, entity-decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let start = at + needle.len();
            html[start..]
                .find('"')
                .map(|end| decode_entities(&html[start..start + end]))
        })
        .collect()
}

fn element_ids(html: &str) -> BTreeSet<String> {
    attribute_values(html, "id").into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(
            resolve_relative("/nl/privacyverklaring/", "../../en/privacy-policy/"),
            "/en/privacy-policy/"
        );
        assert_eq!(
            resolve_relative("/nl/privacyverklaring/", "../../style.css"),
            "/style.css"
        );
    }

    #[test]
    fn placeholders_are_found_as_words_phrases_and_instructions() {
        let text = "Zie [naam invullen]. TODO: todos en xxxx blijven. Lorem Ipsum, hier naaminvullen, of Insert here. Reinsert links, insert, here.";
        let page = Page {
            name: crate::model::PageKind::Privacy,
            locale: "nl".into(),
            url: "/nl/p/".into(),
            source: "content/privacy.nl.md".into(),
            origin: crate::load::Origin::Site,
            html: String::new(),
            text: text.into(),
            toc: Vec::new(),
            title: String::new(),
            description: String::new(),
            markdown: String::new(),
        };
        let mut found = Vec::new();
        placeholders(&page, &Sources::new(), &mut found);
        let mut snippets: Vec<&str> = found
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap_or_default())
            .collect();
        snippets.sort_unstable();
        assert_eq!(
            snippets,
            [
                "Insert here",
                "Lorem Ipsum",
                "TODO",
                "[naam invullen]",
                "invullen"
            ]
        );
    }
}
