//! The Markdown export as Zola reads it. Zola is neither in Debian nor on this machine, so its
//! build cannot run here as Hugo's does (hugo.rs): what is checked is the shape Zola takes, from
//! its page front matter (`PageFrontMatter` of getzola/zola's components/content): every top-level
//! key one Zola reads, the file of each language where Zola looks for it, and every link between
//! the pages resolving at the permalinks Zola gives them in a section, for a version dated in the
//! future.

use std::collections::BTreeMap;

use crate::export::{export, out_dir, text};
use crate::hugo::dated_in_the_future;

/// The top-level keys of Zola's page front matter; anything else Zola drops without a word.
const ZOLA_PAGE_KEYS: [&str; 15] = [
    "title",
    "description",
    "updated",
    "date",
    "draft",
    "render",
    "slug",
    "path",
    "taxonomies",
    "weight",
    "authors",
    "aliases",
    "template",
    "in_search_index",
    "extra",
];

/// The section the export goes into, as README shows: `content/policies/`.
const SECTION: &str = "policies";

/// The front matter of an exported page, parsed as TOML, and its body.
fn split(page: &str) -> (toml::Table, &str) {
    let rest = page.strip_prefix("+++\n").expect("TOML front matter");
    let (front, body) = rest.split_once("\n+++\n").expect("its end");
    (front.parse().expect("valid TOML"), body)
}

/// `link` (relative, with or without `#fragment`) from the page at `from` (`/policies/x/`).
fn resolve(from: &str, link: &str) -> (String, Option<String>) {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (link, None),
    };
    if path.is_empty() {
        return (from.to_owned(), fragment);
    }
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    (format!("/{}/", parts.join("/")), fragment)
}

/// The destinations of a page's Markdown links: `[text](destination)`.
fn links(body: &str) -> Vec<&str> {
    body.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(d, _)| d))
        .collect()
}

#[test]
fn zola_takes_the_markdown_export_as_it_is_dated_in_the_future_every_link_resolving() {
    let (_dir, out) = out_dir();
    let files = export(&dated_in_the_future(), "markdown", &out);
    // Zola's languages: the default one in `name.md`, each other in `name.<lang>.md`.
    let mut at: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut headings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, lang) in [
        ("privacy.md", "nl"),
        ("cookies.md", "nl"),
        ("privacy.en.md", "en"),
        ("cookies.en.md", "en"),
    ] {
        let page = text(&files, file);
        let (front, body) = split(&page);
        for key in front.keys() {
            assert!(ZOLA_PAGE_KEYS.contains(&key.as_str()), "{file}: `{key}`");
        }
        assert!(
            !front.contains_key("date") && !front.contains_key("draft"),
            "{file}: nothing that would keep the page back"
        );
        let extra = front["extra"].as_table().expect("[extra]");
        assert_eq!(
            extra["effective_date"]
                .as_datetime()
                .map(ToString::to_string),
            Some("2099-01-01".to_owned()),
            "{file}: the effective date as data"
        );
        assert_eq!(extra["lang"].as_str(), Some(lang), "{file}");
        let slug = front["slug"].as_str().expect("a slug");
        assert!(!slug.is_empty() && !slug.contains('/'), "{file}: `{slug}`");
        let prefix = if lang == "nl" {
            String::new()
        } else {
            format!("/{lang}")
        };
        let permalink = format!("{prefix}/{SECTION}/{slug}/");
        let ids = body
            .lines()
            .filter_map(|l| l.rsplit_once("{#").and_then(|(_, id)| id.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        headings.insert(permalink.clone(), ids);
        at.insert(file.to_owned(), (permalink, body.to_owned()));
    }
    let mut checked = 0;
    for (file, (permalink, body)) in &at {
        for link in links(body) {
            if link.contains(':') {
                continue; // mailto:, https: — outside the policies
            }
            let (target, fragment) = resolve(permalink, link);
            let ids = headings
                .get(&target)
                .unwrap_or_else(|| panic!("{file}: `{link}` leads to {target}, no page"));
            if let Some(fragment) = fragment {
                assert!(ids.contains(&fragment), "{file}: `{link}`: no #{fragment}");
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links between the pages");
}
