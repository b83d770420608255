//! The Markdown export in Hugo's own build: a policy dated in the future is published, and every
//! link between the policy pages resolves, where the files land in a section of the content folder.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::export::export;
use crate::support::machine::{Need, skip};
use crate::support::{TestSite, example_with, replace};

/// The example as a version that takes effect in the future, as a policy is published before
/// the day it takes effect.
pub(crate) fn dated_in_the_future() -> TestSite {
    example_with(|yaml| {
        replace(
            yaml,
            "  effective_date: 2026-03-01",
            "  effective_date: 2099-01-01",
        );
        replace(yaml, "    - date: 2026-03-01\n", "    - date: 2099-01-01\n");
    })
}

/// Every `href` of `html`.
fn hrefs(html: &str) -> Vec<&str> {
    html.split(" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href))
        .collect()
}

/// A Hugo site of two languages in `hugo`, published in a folder per language, without
/// `buildFuture`: the export's front matter must publish the pages by itself. Its page layout
/// shows the effective date from the front matter and links the translations.
fn hugo_site(hugo: &Path) {
    std::fs::write(
        hugo.join("config.toml"),
        "baseURL = \"https://www.lumen.example/\"\ndefaultContentLanguage = \"nl\"\ndefaultContentLanguageInSubdir = true\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n\
         [languages.nl]\nweight = 1\n[languages.en]\nweight = 2\n",
    )
    .unwrap();
    std::fs::create_dir_all(hugo.join("layouts/_default")).unwrap();
    std::fs::write(
        hugo.join("layouts/_default/single.html"),
        "<!DOCTYPE html><html lang=\"{{ .Lang }}\"><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\
         <p class=\"effective\">{{ .Params.extra.effective_date }}</p>\
         {{ range .Translations }}<a hreflang=\"{{ .Lang }}\" href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</html>\n",
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/_default/list.html"),
        "<!DOCTYPE html><title>{{ .Title }}</title>\n",
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/index.html"),
        "<!DOCTYPE html><title>home</title>\n",
    )
    .unwrap();
}

/// Checks that every link of the page at `url` other than to another site reaches a page that
/// `read` finds and, with an anchor, an id on it; how many it checked.
fn assert_links_resolve(
    url: &str,
    page: &str,
    read: &dyn Fn(&str) -> std::io::Result<String>,
) -> usize {
    let mut links = 0;
    for href in hrefs(page) {
        if href.starts_with("https://") || href.starts_with("mailto:") || href.starts_with("tel:") {
            continue;
        }
        // `#x` is on the page itself, `../slug/#x` beside it; Hugo's own links are absolute
        // paths.
        let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
        let target = if path.is_empty() {
            url.to_owned()
        } else if let Some(up) = path.strip_prefix("../") {
            let folder = url.trim_end_matches('/').rsplit_once('/').unwrap().0;
            format!("{folder}/{up}")
        } else {
            path.to_owned()
        };
        let html = read(&target).unwrap_or_else(|_| panic!("{url} links to {href}: no such page"));
        if !anchor.is_empty() {
            assert!(
                html.contains(&format!(" id=\"{anchor}\"")),
                "{url} links to {href}: no such id on {target}"
            );
        }
        links += 1;
    }
    links
}

/// Hugo builds a multilingual site from the Markdown export put in a section of its content
/// folder, `content/policies`, for a version dated in the future: Hugo's own output holds every
/// policy page, and every link between them, in-page anchors included, reaches a page Hugo wrote
/// and an id on it. Where Hugo is not installed the test says so and passes (Debian: `apt-get
/// install hugo`); CI sets POLIS_REQUIRE_HUGO.
#[test]
fn hugo_publishes_a_policy_dated_in_the_future_with_every_cross_link_resolving() {
    let installed = Command::new("hugo")
        .arg("version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = (!installed).then(|| "no `hugo`".to_owned());
    if skip(
        "the Hugo test",
        Need::Hugo,
        "hugo (apt-get install hugo)",
        missing,
    ) {
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("polis-hugo-")
        .tempdir()
        .unwrap();
    let hugo = dir.path();
    hugo_site(hugo);
    export(
        &dated_in_the_future(),
        "markdown",
        &hugo.join("content/policies"),
    );

    let built = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(hugo)
        .stdin(Stdio::null())
        .output()
        .expect("run hugo");
    assert!(
        built.status.success(),
        "hugo failed:\n{}\n{}",
        String::from_utf8_lossy(&built.stdout),
        String::from_utf8_lossy(&built.stderr)
    );
    let public = hugo.join("public");
    let pages = [
        "/nl/policies/privacyverklaring/",
        "/nl/policies/cookiebeleid/",
        "/en/policies/privacy-policy/",
        "/en/policies/cookie-policy/",
    ];
    let read = |url: &str| {
        std::fs::read_to_string(public.join(url.trim_start_matches('/')).join("index.html"))
    };
    let mut links = 0;
    for url in pages {
        let page = read(url).unwrap_or_else(|e| panic!("Hugo published no {url}: {e}"));
        assert!(
            page.contains("<p class=\"effective\">2099-01-01</p>"),
            "{url}: the effective date as data"
        );
        links += assert_links_resolve(url, &page, &read);
    }
    assert!(
        links >= 12,
        "the policies link to each other and within themselves: {links}"
    );
    let page = read("/nl/policies/privacyverklaring/").unwrap();
    assert!(page.contains("<h1>Privacyverklaring</h1>"));
    assert!(page.contains("id=\"who-we-are\""), "heading ids kept");
    assert!(page.contains("<table>"), "tables");
    assert!(
        page.contains("hreflang=\"en\" href=\"/en/policies/privacy-policy/\""),
        "Hugo links the translations: {page}"
    );
    assert!(
        page.contains("href=\"../cookiebeleid/\""),
        "the other page beside it"
    );
    assert!(page.contains("href=\"#object\""), "an anchor in the page");
    // What polis keeps to know the folder is its own is not published by Hugo.
    let published: Vec<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("polis-output"))
        .collect();
    assert_eq!(published, Vec::<String>::new());
    assert!(hugo.join("content/.policies.polis-output").is_file());
}
