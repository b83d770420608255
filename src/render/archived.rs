//! Archived pages republished: each page as it was published, one folder deeper than it was
//! (`/nl/privacyverklaring/2026-03-01/` beside `/nl/privacyverklaring/`), with a notice at the top
//! of its main content that it is no longer in effect and links to the version in effect and to
//! the index of versions.
//!
//! A page one folder deeper keeps its links only if each relative link climbs one folder more:
//! `../../style.css` becomes `../../../style.css`, `../cookiebeleid/` `../../cookiebeleid/`. Links
//! within the page (`#rights`) and absolute ones stay as they are. Nothing else of the page changes.

use super::versions::VERSIONS;

/// The words of the notice, in the page's language, escaped here.
pub(super) struct Notice {
    /// "Deze versie gold van 1 maart 2026 tot 1 april 2026."
    pub(super) text: String,
    /// The link to the version in effect.
    pub(super) current: String,
    /// The link to the index of versions.
    pub(super) versions: String,
}

/// The archived `html` as it is republished one folder deeper, with `notice`; `None` when it has
/// neither a `<main>` nor a `<body>` to show the notice in.
pub(super) fn republish(html: &str, notice: &Notice) -> Option<String> {
    let deeper = one_folder_deeper(html);
    let tags = tags(&deeper);
    let at = tags
        .iter()
        .find(|t| t.name == "main" && !t.closing)
        .or_else(|| tags.iter().find(|t| t.name == "body" && !t.closing))?
        .end;
    let block = format!(
        "\n<div class=\"archived-version\" role=\"note\"><p><strong>{}</strong> <a href=\"../\">{}</a> · <a href=\"../{VERSIONS}/\">{}</a></p></div>",
        escape(&notice.text),
        escape(&notice.current),
        escape(&notice.versions)
    );
    Some(format!("{}{block}{}", &deeper[..at], &deeper[at..]))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A start or end tag of an HTML document: where it ends (after its `>`), its name in lowercase,
/// and its attributes' values as byte ranges, by lowercase name.
struct Tag {
    end: usize,
    name: String,
    closing: bool,
    values: Vec<(String, std::ops::Range<usize>)>,
}

/// The tags of `html`, in order; comments, and the text of `<script>` and `<style>`, are passed over.
fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let (end, values) = attributes(html, name_start + name_len);
        i = end;
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            i = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| end + e);
        }
        found.push(Tag {
            end,
            name,
            closing,
            values,
        });
    }
    found
}

/// The attributes of a tag whose name ends at `from`: where the tag ends, and each value's range.
fn attributes(html: &str, from: usize) -> (usize, Vec<(String, std::ops::Range<usize>)>) {
    let bytes = html.as_bytes();
    let mut values = Vec::new();
    let mut j = from;
    loop {
        while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
            j += 1;
        }
        if j >= bytes.len() {
            return (bytes.len(), values);
        }
        if bytes[j] == b'>' {
            return (j + 1, values);
        }
        let name_start = j;
        while j < bytes.len()
            && !bytes[j].is_ascii_whitespace()
            && !matches!(bytes[j], b'=' | b'>' | b'/')
        {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let range = match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = html[j + 1..]
                    .find(quote as char)
                    .map_or(bytes.len(), |e| j + 1 + e);
                let range = j + 1..end;
                j = (end + 1).min(bytes.len());
                range
            }
            _ => {
                let start = j;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
                start..j
            }
        };
        values.push((name, range));
    }
}

/// `html` with every relative link (`href`, `src`) one folder longer.
fn one_folder_deeper(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut copied = 0;
    for tag in tags(html) {
        for (name, range) in tag.values {
            if (name == "href" || name == "src") && is_relative(&html[range.clone()]) {
                out.push_str(&html[copied..range.start]);
                out.push_str("../");
                copied = range.start;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether a link leads to another document relative to this one's folder: not empty, not within
/// the page (`#x`, `?x`), not from the root (`/x`, `//host`), not with a scheme (`https:`, `mailto:`).
fn is_relative(link: &str) -> bool {
    let scheme = link.find(':').is_some_and(|colon| {
        let before = &link[..colon];
        before.starts_with(|c: char| c.is_ascii_alphabetic())
            && before
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    !(link.is_empty() || link.starts_with(['#', '?', '/']) || scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_one_folder_more_and_nothing_else_changes() {
        let page = r##"<html><head><link rel="stylesheet" href="../../style.css"><script>var a = "<a href='x'>";</script></head>
<body><!-- <a href="y"> --><a href="#rights">r</a> <a href='../cookiebeleid/'>c</a> <a href=2025-06-15/>v</a>
<a href="https://x.example/">x</a> <a href="mailto:a@b.example">m</a> <img alt="" src="logo.png"> <a href="/nl/">n</a></body></html>"##;
        let expected = r##"<html><head><link rel="stylesheet" href="../../../style.css"><script>var a = "<a href='x'>";</script></head>
<body><!-- <a href="y"> --><a href="#rights">r</a> <a href='../../cookiebeleid/'>c</a> <a href=../2025-06-15/>v</a>
<a href="https://x.example/">x</a> <a href="mailto:a@b.example">m</a> <img alt="" src="../logo.png"> <a href="/nl/">n</a></body></html>"##;
        assert_eq!(one_folder_deeper(page), expected);
    }

    #[test]
    fn the_notice_opens_the_main_content_escaped() {
        let notice = Notice {
            text: "Gold <tot> nu".into(),
            current: "Nu".into(),
            versions: "Alle".into(),
        };
        let html = republish(
            "<body><header>h</header><main id=\"m\">text</main></body>",
            &notice,
        )
        .unwrap();
        assert_eq!(
            html,
            "<body><header>h</header><main id=\"m\">\n<div class=\"archived-version\" role=\"note\"><p><strong>Gold &lt;tot&gt; \
             nu</strong> <a href=\"../\">Nu</a> · <a href=\"../versions/\">Alle</a></p></div>text</main></body>"
        );
        assert_eq!(republish("just text", &notice), None);
    }
}
