//! `polis export markdown`: each page as CommonMark with TOML front matter (`+++`), the form both
//! Hugo and Zola read from a content folder.
//!
//! The default language's page is `<page>.md` and another language's `<page>.<lang>.md`, which
//! both generators take as translations of one page. The front matter holds only the keys both
//! accept at the top (`title`, `description`, `slug`); the rest is under `[extra]`, which Zola
//! requires for keys of its own and Hugo reads as `.Params.extra`. There is no `date` at the top:
//! a policy is published before the day it takes effect, and Hugo leaves a page dated in the
//! future out of the site, without a word; the effective date is `extra.effective_date`.
//!
//! The text is the Markdown the content template rendered, with values escaped as on the pages,
//! heading ids written `{#id}`, the form both read, and named links relative: `#object` within
//! the page, `../cookiebeleid/` to the other, since both generators publish the files of one
//! folder side by side at their slugs (docs/export.md names what that assumes).

use std::collections::BTreeMap;

use super::{Files, Links, Style, slug};
use crate::model::Site;
use crate::render::{Page, View};

/// The Markdown file of every page.
pub(super) fn pages(
    site: &Site,
    pages: &[Page],
    views: &BTreeMap<String, View>,
    links: &Links,
) -> Files {
    let default = site
        .settings
        .locales
        .first()
        .map_or("", |l| l.value.as_str());
    let mut files = Files::new();
    for page in pages {
        let name = if page.locale == default {
            format!("{}.md", page.name)
        } else {
            format!("{}.{}.md", page.name, page.locale)
        };
        let mut text = front_matter(site, page, pages, views, links);
        text.push_str(&body(page, links));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        files.insert(name, text.into_bytes());
    }
    files
}

/// The front matter of `page`; its dates are the view's the page was rendered from.
fn front_matter(
    site: &Site,
    page: &Page,
    pages: &[Page],
    views: &BTreeMap<String, View>,
    links: &Links,
) -> String {
    let settings = &site.settings;
    let translations: Vec<String> = pages
        .iter()
        .filter(|p| p.name == page.name && p.locale != page.locale)
        .map(|p| {
            format!(
                "{{ lang = {}, url = {} }}",
                toml(&p.locale),
                toml(links.page(&p.locale, p.name))
            )
        })
        .collect();
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", toml(&page.title)));
    out.push_str(&format!("description = {}\n", toml(&page.description)));
    out.push_str(&format!("slug = {}\n", toml(slug(&page.url))));
    out.push_str("\n[extra]\n");
    out.push_str(&format!("lang = {}\n", toml(&page.locale)));
    out.push_str(&format!("page = {}\n", toml(page.name.as_str())));
    out.push_str(&format!(
        "url = {}\n",
        toml(links.page(&page.locale, page.name))
    ));
    let last_updated = views
        .get(&page.locale)
        .map_or("", |v| v.site.last_updated_iso.as_str());
    out.push_str(&format!(
        "effective_date = {}\n",
        settings.effective_date.iso()
    ));
    out.push_str(&format!("last_updated = {last_updated}\n"));
    out.push_str(&format!("translations = [{}]\n", translations.join(", ")));
    out.push_str("+++\n\n");
    out
}

/// The rendered Markdown of `page` with named links relative and heading ids as `{#id}`.
fn body(page: &Page, links: &Links) -> String {
    let markdown = &page.markdown;
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        let heading = line.trim_start().starts_with('#');
        let line = if heading {
            heading_id(line)
        } else {
            line.to_owned()
        };
        out.push_str(&resolve_links(&line, |dest| {
            links.resolve(dest, &page.locale, page.name, Style::Relative)
        }));
    }
    out
}

/// `## Wie we zijn { #who-we-are }` → `## Wie we zijn {#who-we-are}`: polis writes a space after
/// the brace (`{#` starts a Tera comment); Hugo and Zola read the id without it.
fn heading_id(line: &str) -> String {
    let (text, end) = line.split_at(line.trim_end().len());
    match text.rfind("{ #") {
        Some(at)
            if text.ends_with(" }") && !text[at + 3..text.len() - 2].contains([' ', '{', '}']) =>
        {
            format!("{}{{#{}}}{end}", &text[..at], &text[at + 3..text.len() - 2])
        }
        _ => line.to_owned(),
    }
}

/// Every `](@...)` link destination that `resolve` knows, replaced by what it says. Values never
/// hold one: the escaper wrote their brackets as `\]`, which is not a link.
fn resolve_links(text: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](@") {
        let escaped = rest[..at].ends_with('\\') && !rest[..at].ends_with("\\\\");
        let start = at + 2;
        let Some(len) = rest[start..].find([')', ' ', '\n']) else {
            break;
        };
        let dest = &rest[start..start + len];
        out.push_str(&rest[..start]);
        match resolve(dest).filter(|_| !escaped) {
            Some(url) => out.push_str(&url),
            None => out.push_str(dest),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub(super) fn toml(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_are_written_as_hugo_and_zola_read_them() {
        assert_eq!(
            heading_id("## Wie we zijn { #who-we-are }\n"),
            "## Wie we zijn {#who-we-are}\n"
        );
        assert_eq!(heading_id("## Geen id\n"), "## Geen id\n");
    }

    #[test]
    fn named_links_resolve_and_escaped_brackets_stay_text() {
        let resolve =
            |d: &str| (d == "@/cookies").then(|| "https://x.example/nl/cookiebeleid/".to_owned());
        assert_eq!(
            resolve_links("[zie](@/cookies) en [x](@/none)", resolve),
            "[zie](https://x.example/nl/cookiebeleid/) en [x](@/none)"
        );
        assert_eq!(
            resolve_links("a \\](@/cookies)", resolve),
            "a \\](@/cookies)"
        );
    }

    #[test]
    fn toml_strings_escape_what_would_end_them() {
        assert_eq!(
            toml("a \"b\" \\ c\nd\u{7}"),
            "\"a \\\"b\\\" \\\\ c\\nd\\u0007\""
        );
    }
}
