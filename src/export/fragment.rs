//! `polis export fragment`: each page's text as HTML without the theme's layout (no `html`,
//! `head`, `body` or navigation), for a CMS block or a server-side include: `<lang>/<page>.html`.
//!
//! The fragment is one `<article>` whose classes and attributes docs/export.md documents, so the
//! site that embeds it can style it: `polis-policy` and `polis-<page>` on the article, the title
//! as `<h1>`, then the text as the pages have it (headings with ids, tables in
//! `div.table-scroll` with labelled cells). Links to the other page are absolute, since the
//! fragment is read on another site; anchors within the page are `#id`. With `--id-prefix`, every
//! id of the fragment and every link to one starts with the prefix, so that `#contact` cannot
//! clash with an id of the page that embeds it. Values were escaped when the text was rendered,
//! and the title is escaped here.

use super::{Files, Links, Style};
use crate::render::{Page, markdown};

/// The fragment of every page, each id starting with `id_prefix`.
pub(super) fn pages(pages: &[Page], links: &Links, id_prefix: &str) -> Files {
    let mut files = Files::new();
    let style = Style::Absolute { id_prefix };
    for page in pages {
        let body = markdown::to_html(&page.markdown, |dest| {
            links.resolve(dest, &page.locale, page.name, style)
        });
        let mut html = format!(
            "<article class=\"polis-policy polis-{name}\" lang=\"{lang}\" data-polis-page=\"{name}\">\n<h1>{title}</h1>\n",
            name = page.name,
            lang = escape(&page.locale),
            title = escape(&page.title),
        );
        html.push_str(&prefixed(&body.html, id_prefix));
        if !html.ends_with('\n') {
            html.push('\n');
        }
        html.push_str("</article>\n");
        files.insert(
            format!("{}/{}.html", page.locale, page.name),
            html.into_bytes(),
        );
    }
    files
}

/// `html` with every id, and every link to an anchor in it, starting with `prefix`: the ids of
/// headings and footnotes, and the links of the text and of footnote references. Text and
/// attribute values hold no `"` (escaped as `&quot;`), so ` id="` and `href="#` are markup.
fn prefixed(html: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return html.to_owned();
    }
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// Text for HTML, in an element or a quoted attribute.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prefixed;

    #[test]
    fn ids_and_the_links_to_them_take_the_prefix() {
        let html = "<h2 id=\"contact\">C</h2><p><a href=\"#contact\">x</a> <a href=\"https://x.example/#a\">y</a> a &quot; id=&quot;z</p>";
        assert_eq!(
            prefixed(html, "p-"),
            "<h2 id=\"p-contact\">C</h2><p><a href=\"#p-contact\">x</a> <a href=\"https://x.example/#a\">y</a> a &quot; id=&quot;z</p>"
        );
        assert_eq!(prefixed(html, ""), html);
    }
}
