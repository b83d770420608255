//! Vague language: a privacy notice must be clear and plain (GDPR Art. 12(1)), and the WP260
//! transparency guidelines name the qualifiers that are not ("some", "possibly", "may").
//!
//! Only what the site writes itself is checked, where it is written: every text value in site.yaml,
//! and the site's own content files with their template tags masked out; what polis ships is not
//! the site's text. A modal verb counts only where it hedges what is done with data.

use super::{Out, SITE, first_locale};
use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::model::{Dpo, Retention, Site, Text};
use crate::text::word_spans;

/// Vague qualifiers (WP260 rev.01, paragraph 13), per locale: words that are vague wherever they
/// stand, and modal verbs that are vague when they hedge what is done with data.
const VAGUE: &[(&str, &[&str], &[&str])] = &[
    (
        "en",
        &["some", "possible", "possibly", "certain"],
        &["may", "might"],
    ),
    (
        "nl",
        &["mogelijk", "mogelijke", "bepaalde", "eventueel"],
        &["kunnen", "kan", "kunt"],
    ),
];

/// A modal verb hedges when its clause is about us or about the data: "we may share", "your data
/// may be shared". "Businesses that cannot pay" or "that could become customers" state a fact about
/// someone else, and are not what WP260 warns against.
const HEDGED: &[(&str, &[&str])] = &[
    (
        "en",
        &["we", "data", "information", "details", "cookie", "cookies"],
    ),
    (
        "nl",
        &[
            "we",
            "wij",
            "gegevens",
            "persoonsgegevens",
            "informatie",
            "cookie",
            "cookies",
        ],
    ),
];

/// The vague words of `text` in `locale`: byte offset and the word as written.
fn vague_words<'t>(text: &'t str, locale: &str) -> Vec<(usize, &'t str)> {
    let Some((_, always, modals)) = VAGUE.iter().find(|(l, _, _)| *l == locale) else {
        return Vec::new();
    };
    let hedged = HEDGED
        .iter()
        .find(|(l, _)| *l == locale)
        .map_or(&[][..], |(_, w)| *w);
    let words: Vec<(usize, &str)> = word_spans(text, char::is_alphanumeric).collect();
    let mut found = Vec::new();
    // The word lists are lowercase ASCII, so comparing without regard to case needs no copy.
    let is_one_of = |list: &[&str], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    for &(at, word) in &words {
        if is_one_of(always, word) {
            found.push((at, word));
        } else if is_one_of(modals, word) {
            let (start, end) = clause(text, at);
            let mut in_clause = words
                .iter()
                .filter(|(o, _)| *o >= start && *o < end && *o != at);
            if in_clause.any(|(_, w)| is_one_of(hedged, w)) {
                found.push((at, word));
            }
        }
    }
    found
}

/// The byte range of the clause around `at`: between punctuation or line breaks.
fn clause(text: &str, at: usize) -> (usize, usize) {
    let boundary = |c: char| ".,;:!?()[]|\n—–".contains(c);
    let start = text[..at].rfind(boundary).map_or(0, |i| i + 1);
    let end = text[at..].find(boundary).map_or(text.len(), |i| at + i);
    (start, end)
}

fn vague_message(word: &str) -> String {
    format!(
        "`{word}` is a vague qualifier; a privacy notice must use clear and plain language that says what is done, not what \
         might be (GDPR Art. 12(1), WP260 transparency guidelines)"
    )
}

/// Flags the vague words of every text the site writes itself, in site.yaml and in content/.
pub(super) fn vague_language(site: &Site, sources: &Sources, out: &mut Out) {
    let yaml = sources.get(SITE).map_or("", String::as_str);
    let locales: Vec<&str> = site
        .settings
        .locales
        .iter()
        .map(|l| l.value.as_str())
        .collect();
    for (text, field, subject) in own_texts(site) {
        for (locale, value) in &text.values {
            let checked: Vec<&str> = if locale == "*" {
                locales.clone()
            } else {
                vec![locale.as_str()]
            };
            let mut hits: Vec<(usize, &str)> =
                checked.iter().flat_map(|l| vague_words(value, l)).collect();
            hits.sort_unstable();
            hits.dedup();
            for (at, word) in hits {
                let pos = value_pos(yaml, text, value, at, word);
                let language = if locale == "*" {
                    String::new()
                } else {
                    format!(" (`{locale}`)")
                };
                out.push(
                    Diagnostic::warning(Code::GdprVagueLanguage, SITE, pos, vague_message(word)).hint(format!(
                        "rewrite {field}{language} in site.yaml without `{word}`: say what happens (\"we share\", not \"we may \
                         share\"; \"these cookies\", not \"some cookies\")"
                    )),
                    [subject.clone(), word.to_lowercase()],
                );
            }
        }
    }
    for (file, text) in sources {
        let Some(name) = file
            .strip_prefix("content/")
            .and_then(|n| n.strip_suffix(".md"))
        else {
            continue;
        };
        let Some((_, locale)) = name.rsplit_once('.') else {
            continue;
        };
        let masked = mask_template(text);
        for (at, word) in vague_words(&masked, locale) {
            let pos = Pos::at_offset(text, at, word.chars().count());
            out.push(
                Diagnostic::warning(Code::GdprVagueLanguage, file, pos, vague_message(word)).hint(format!(
                    "rewrite this sentence without `{word}`: say what happens (\"we share\", not \"we may share\"; \"these \
                     cookies\", not \"some cookies\")"
                )),
                [file.clone(), word.to_lowercase()],
            );
        }
    }
}

/// The texts a site writes itself in site.yaml: the text, how to name it in a hint, and its key.
fn own_texts(site: &Site) -> Vec<(&Text, String, String)> {
    let mut texts = Vec::new();
    if let Dpo::NotAppointed { contact } = &site.dpo {
        texts.push((contact, "`dpo.contact`".to_owned(), "dpo".to_owned()));
    }
    for s in &site.sources {
        let k = &s.key.value;
        texts.extend(
            s.name
                .iter()
                .map(|t| (t, format!("the name of the source `{k}`"), k.clone())),
        );
        texts.extend(
            s.description
                .iter()
                .map(|t| (t, format!("the description of the source `{k}`"), k.clone())),
        );
    }
    for d in &site.data {
        let k = &d.key.value;
        texts.extend(
            d.name
                .iter()
                .map(|t| (t, format!("the name of the data `{k}`"), k.clone())),
        );
        texts.extend(
            d.description
                .iter()
                .map(|t| (t, format!("the description of the data `{k}`"), k.clone())),
        );
        match &d.retention {
            Some(Retention::Rule(t)) => texts.push((
                t,
                format!("the retention rule of the data `{k}`"),
                k.clone(),
            )),
            Some(Retention::Period { from, .. }) => texts.push((
                from,
                format!("the retention `from` of the data `{k}`"),
                k.clone(),
            )),
            None => {}
        }
    }
    for p in &site.purposes {
        let k = &p.key.value;
        texts.push((&p.name, format!("the name of the purpose `{k}`"), k.clone()));
        texts.extend(p.description.iter().map(|t| {
            (
                t,
                format!("the description of the purpose `{k}`"),
                k.clone(),
            )
        }));
        texts.extend(
            p.interest
                .iter()
                .map(|t| (t, format!("the interest of the purpose `{k}`"), k.clone())),
        );
    }
    let first = first_locale(site);
    for r in &site.recipients {
        let name = r.name.get(first).to_owned();
        texts.push((
            &r.service,
            format!("the service of the recipient `{name}`"),
            name,
        ));
    }
    for c in &site.cookies.list {
        let k = &c.name.value;
        texts.extend(
            c.purpose
                .iter()
                .map(|t| (t, format!("the purpose of the cookie `{k}`"), k.clone())),
        );
    }
    for c in &site.settings.changes {
        let date = c.date.iso();
        texts.push((
            &c.summary,
            format!("the summary of the change of {date}"),
            date,
        ));
    }
    texts
}

/// The position of the word at byte `at` of `value`, found in site.yaml near the text's position;
/// the text's own position when the value is not written there as is (quoted with escapes, folded).
pub(super) fn value_pos(yaml: &str, text: &Text, value: &str, at: usize, word: &str) -> Pos {
    if text.pos.line == 0 || value.is_empty() {
        return text.pos;
    }
    let line_start: usize = yaml
        .split_inclusive('\n')
        .take(text.pos.line - 1)
        .map(str::len)
        .sum();
    if line_start > yaml.len() {
        return text.pos;
    }
    let Some(found) = yaml[line_start..].find(value).map(|i| i + line_start) else {
        return text.pos;
    };
    let pos = Pos::at_offset(yaml, found + at, word.chars().count());
    // A value further down than the text's entries can be is someone else's.
    if pos.line > text.pos.line + text.values.len() + 1 {
        text.pos
    } else {
        pos
    }
}

/// The text with template tags (`{{ }}`, `{% %}`, `{# #}`), heading attributes (`{ #id }`) and
/// link targets (`](...)`) blanked out, byte for byte, so offsets stay those of the original.
fn mask_template(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let find = |from: usize, close: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(close.len())
            .position(|w| w == close)
            .map(|i| from + i + close.len())
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let end = if rest.starts_with(b"{{") {
            Some(find(i + 2, b"}}").unwrap_or(bytes.len()))
        } else if rest.starts_with(b"{%") {
            Some(find(i + 2, b"%}").unwrap_or(bytes.len()))
        } else if rest.starts_with(b"{#") {
            Some(find(i + 2, b"#}").unwrap_or(bytes.len()))
        } else if rest.starts_with(b"{ #") {
            find(i + 3, b"}")
        } else if rest.starts_with(b"](") {
            find(i + 2, b")")
        } else {
            None
        };
        match end {
            Some(end) => {
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            None => i += 1,
        }
    }
    // Only whole characters were blanked (every range starts and ends at an ASCII byte).
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::check::gdpr::lint;
    use crate::check::gdpr::test_support::{
        assert_waived, edit, example, line_of, load, one, repo_file, run, waive, with_code,
    };
    use crate::diagnostics::{Code, Pos, Severity, Sources};
    use crate::render::Rendered;

    #[test]
    fn site_yaml_text_avoids_vague_words() {
        let yaml = edit(
            &example(),
            "en: Sending our newsletter",
            "en: Sending some newsletters",
        );
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprVagueLanguage);
        assert_eq!(
            (d.severity, d.file.as_str()),
            (Severity::Warning, "site.yaml")
        );
        assert_eq!(
            Pos::new(d.line, d.column, d.len),
            Pos::find(&yaml, "some newsletters")
                .map(|p| Pos { len: 4, ..p })
                .unwrap()
        );
        assert!(
            d.message.contains("`some`") && d.message.contains("Art. 12(1)"),
            "{}",
            d.message
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .contains("the name of the purpose `newsletter` (`en`)")
        );
        // A modal verb is vague when it hedges what is done with data ...
        let hedged = edit(
            &example(),
            "nl: Onze nieuwsbrief sturen",
            "nl: We kunnen je een nieuwsbrief sturen",
        );
        let found = run(&hedged, &[]);
        let d = one(&found, Code::GdprVagueLanguage);
        assert_eq!(d.line, line_of(&hedged, "We kunnen"));
        assert!(d.message.contains("`kunnen`"));
        // ... not when it says what others can do ("businesses that could become customers").
        assert!(
            example().contains("die hun facturen niet kunnen betalen")
                && example().contains("die onze klant kunnen worden")
        );
        assert!(with_code(&run(&example(), &[]), Code::GdprVagueLanguage).is_empty());
        assert_waived(
            &run(
                &waive(
                    &yaml,
                    Code::GdprVagueLanguage,
                    Some("newsletter"),
                    "marketing wants it",
                ),
                &[],
            ),
            Code::GdprVagueLanguage,
            Some("newsletter"),
        );
    }

    #[test]
    fn content_files_avoid_vague_words() {
        let text = edit(
            &repo_file("content/cookies.en.md"),
            "## What cookies are",
            "{# some note #}We may share cookie data. {{ company.name }} may grow.\n\n## What cookies are",
        );
        let files = [("content/cookies.en.md", text.clone())];
        let found = run(&example(), &files);
        let d = one(&found, Code::GdprVagueLanguage);
        assert_eq!(
            (d.file.as_str(), d.line, d.column, d.len),
            (
                "content/cookies.en.md",
                line_of(&text, "We may share"),
                19,
                3
            )
        );
        // Only the site's own files: what polis ships is not the site's text.
        let mut sources = Sources::new();
        sources.insert(
            "<polis>/content/cookies.en.md".into(),
            "We may share some data.".into(),
        );
        let (_, site) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(lint(&site, Some(&Rendered::default()), &sources, &[]).is_empty());
        sources.insert(
            "content/cookies.en.md".into(),
            "We may share some data.".into(),
        );
        assert_eq!(
            lint(&site, Some(&Rendered::default()), &sources, &[]).len(),
            2
        );
        let waived = run(
            &waive(
                &example(),
                Code::GdprVagueLanguage,
                Some("content/cookies.en.md"),
                "legal wording",
            ),
            &files,
        );
        assert_waived(
            &waived,
            Code::GdprVagueLanguage,
            Some("content/cookies.en.md"),
        );
    }
}
