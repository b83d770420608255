//! `polis export fragment`: each page's text as HTML without the theme's layout (no `html`,
//! `head`, `body` or navigation), for a CMS block or a server-side include: `<lang>/<page>.html`.
//!
//! The fragment is one `<article>` whose classes and attributes docs/export.md documents, so the
//! site that embeds it can style it: `polis-policy` and `polis-<page>` on the article, the title
//! as `<h1>`, then the text as the pages have it (headings with ids, tables in
//! `div.table-scroll` with labelled cells). Links are absolute, since the fragment is read on
//! another site; values were escaped when the text was rendered, and the title is escaped here.

use super::{Files, Links};
use crate::render::{Page, markdown};

/// The fragment of every page.
pub(super) fn pages(pages: &[Page], links: &Links) -> Files {
    let mut files = Files::new();
    for page in pages {
        let body = markdown::to_html(&page.markdown, |dest| links.resolve(dest, &page.locale));
        let mut html = format!(
            "<article class=\"polis-policy polis-{name}\" lang=\"{lang}\" data-polis-page=\"{name}\">\n<h1>{title}</h1>\n",
            name = page.name,
            lang = escape(&page.locale),
            title = escape(&page.title),
        );
        html.push_str(&body.html);
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
