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

use super::hedges::{HEDGED, VAGUE};

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
    // The word lists are lowercase; an ASCII word is compared without a copy, another ("Éventuel",
    // "Können") lowercased first.
    let is_one_of = |list: &[&str], word: &str| {
        if word.is_ascii() {
            list.iter().any(|w| w.eq_ignore_ascii_case(word))
        } else {
            let lower = word.to_lowercase();
            list.contains(&lower.as_str())
        }
    };
    // How many of the words before each word are about us or the data, and where clauses end: a
    // modal verb's clause is looked up by halving, so a text of many modals is read once.
    let mut hedged_before = Vec::with_capacity(words.len() + 1);
    hedged_before.push(0usize);
    for &(_, word) in &words {
        let last = *hedged_before.last().expect("starts with 0");
        hedged_before.push(last + usize::from(is_one_of(hedged, word)));
    }
    let boundaries: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| CLAUSE_BOUNDARY.contains(c))
        .map(|(i, _)| i)
        .collect();
    let mut found = Vec::new();
    for &(at, word) in &words {
        if is_one_of(always, word) {
            found.push((at, word));
        } else if is_one_of(modals, word) {
            let (start, end) = clause(&boundaries, text.len(), at);
            let first = words.partition_point(|&(o, _)| o < start);
            let past = words.partition_point(|&(o, _)| o < end);
            // (A modal verb is not one of the hedged words, so it does not count itself.)
            if hedged_before[past] > hedged_before[first] {
                found.push((at, word));
            }
        }
    }
    found
}

/// What ends a clause: punctuation and line breaks.
const CLAUSE_BOUNDARY: &str = ".,;:!?()[]|\n—–";

/// The byte range of the clause around `at`, from the sorted offsets of `boundaries` in a text of
/// `len` bytes.
fn clause(boundaries: &[usize], len: usize, at: usize) -> (usize, usize) {
    let next = boundaries.partition_point(|&b| b < at);
    let start = next.checked_sub(1).map_or(0, |i| boundaries[i] + 1);
    let end = boundaries.get(next).copied().unwrap_or(len);
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
    let locales = site.settings.locale_keys();
    for (text, field, subject) in own_texts(site) {
        for (locale, written) in text.written() {
            let value = written.value.as_str();
            let checked: Vec<&str> = match locale {
                None => locales.clone(),
                Some(locale) => vec![locale],
            };
            let mut hits: Vec<(usize, &str)> =
                checked.iter().flat_map(|l| vague_words(value, l)).collect();
            hits.sort_unstable();
            hits.dedup();
            for (at, word) in hits {
                // A value not written as it reads (with escapes, folded) is pointed at as a whole.
                let pos = written.place(at, word.chars().count()).unwrap_or(text.pos);
                let language = locale.map_or_else(String::new, |l| format!(" (`{l}`)"));
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
        // A text in a language the site does not list makes no page, and no reader reads it.
        let Some((_, locale)) = name.rsplit_once('.').filter(|(_, l)| locales.contains(l)) else {
            continue;
        };
        let masked = mask_template(text);
        let mut places = Places::new(text);
        for (at, word) in vague_words(&masked, locale) {
            let pos = places.at(at, word.chars().count());
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

/// Lines and columns of offsets in a text, given in increasing order: each is counted on from
/// the one before, so many findings in one long text are placed in one reading of it.
struct Places<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'t> Places<'t> {
    fn new(text: &'t str) -> Self {
        Places {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The position of byte `at` (not before the last one asked for), covering `len` characters.
    fn at(&mut self, at: usize, len: usize) -> Pos {
        if at < self.offset {
            return Pos::at_offset(self.text, at, len);
        }
        for c in self.text[self.offset..at].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = at;
        Pos::new(self.line, self.column, len)
    }
}

/// The text with template tags (`{{ }}`, `{% %}`, `{# #}`), heading attributes (`{ #id }`) and
/// link targets (`](...)`) blanked out, byte for byte, so offsets stay those of the original.
fn mask_template(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    // For each closing mark, the offset from which it is known not to occur: an opening without
    // its close (`](` and no `)` after it) is looked for once, not once per opening.
    let mut absent_from: Vec<(&[u8], usize)> = Vec::new();
    let mut find = |from: usize, close: &'static [u8]| {
        if absent_from.iter().any(|&(c, at)| c == close && from >= at) {
            return None;
        }
        let found = bytes[from.min(bytes.len())..]
            .windows(close.len())
            .position(|w| w == close)
            .map(|i| from + i + close.len());
        if found.is_none() {
            absent_from.push((close, from));
        }
        found
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
