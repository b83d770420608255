//! The same facts in every language: people must get the same information whichever language of
//! the site they read (GDPR Art. 12(1); the Belgian DPA asks for it in every language of the site).
//!
//! Each page of the first language is compared with its translations on what can be compared
//! without understanding the text: the cookies and the recipients it names (a recipient under its
//! name in that language) and its numbers. A difference is pointed at where a content file writes
//! it, or else at the translation (the site's own page when the translation is the one polis ships).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Out, first_locale};
use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::model::Site;
use crate::render::{Page, Rendered};
use crate::text::{decode_entities, word_spans};

/// A Belgian company whose site is in Dutch alone or in French alone: the Belgian authority (GBA)
/// faulted a company for a privacy policy without complete Dutch and French versions (decision of
/// 17 December 2019); a site whose readers read one language says so with a waiver.
pub(super) fn belgian_languages(site: &Site, out: &mut Out) {
    if site.company.address.country.value != "BE" {
        return;
    }
    let locales = site.settings.locale_keys();
    let (only, missing) = match locales[..] {
        ["nl"] => ("Dutch", "fr"),
        ["fr"] => ("French", "nl"),
        _ => return,
    };
    let pos = site
        .settings
        .locales
        .first()
        .map_or(Pos::default(), |l| l.pos);
    out.push(
        Diagnostic::warning(
            Code::GdprBelgianLanguages,
            super::SITE,
            pos,
            format!(
                "the policies of this Belgian company are in {only} alone; the Belgian Data Protection Authority (GBA/APD) expects \
                 them in the languages of the people the site addresses, and faulted a policy without complete Dutch and French \
                 versions (decision of 17 December 2019; GDPR Art. 12(1))"
            ),
        )
        .hint(format!(
            "add `{missing}` to `site.locales`; if the site's readers read {only} only, say so with a waiver: \
             `waivers: [{{ rule: gdpr-belgian-languages, reason: ... }}]`"
        )),
        [missing],
    );
}

/// Compares each page of the first language with its translations.
pub(super) fn locales_differ(site: &Site, rendered: &Rendered, sources: &Sources, out: &mut Out) {
    use rayon::prelude::*;
    let first = first_locale(site);
    let mut locales: Vec<&str> = rendered.pages.iter().map(|p| p.locale.as_str()).collect();
    locales.sort_unstable();
    locales.dedup();
    // Per language, the names to look for: the cookies, then the recipients by their name in that
    // language. One pass over a page finds both.
    let names: HashMap<&str, Names> = locales
        .into_iter()
        .map(|locale| {
            let cookies = site.cookies.list.iter().map(|c| c.name.value.as_str());
            (
                locale,
                Names::new(cookies.chain(site.recipients.iter().map(|r| r.name.get(locale)))),
            )
        })
        .collect();
    // What each page states, every page side by side; then each page of the first language
    // against its translations.
    let facts: Vec<Facts> = rendered
        .pages
        .par_iter()
        .map(|page| Facts::of(site, page, &names[page.locale.as_str()]))
        .collect();
    let pages: Vec<(&Page, &Facts)> = rendered.pages.iter().zip(&facts).collect();
    let found: Vec<Out> = pages
        .iter()
        .filter(|(page, _)| page.locale == first)
        .map(|&reference| {
            let mut out = Out(Vec::new());
            for &other in pages
                .iter()
                .filter(|(p, _)| p.name == reference.0.name && p.locale != first)
            {
                differences(site, sources, reference, other, &mut out);
            }
            out
        })
        .collect();
    for more in found {
        out.0.extend(more.0);
    }
}

/// What a page states that each of its translations must state too.
struct Facts<'a> {
    /// The cookies it names.
    cookies: BTreeSet<&'a str>,
    /// The recipients it names, by their name in the first language.
    recipients: BTreeSet<&'a str>,
    /// Its digit sequences.
    numbers: HashSet<&'a str>,
}

impl<'a> Facts<'a> {
    fn of(site: &'a Site, page: &'a Page, names: &Names) -> Self {
        let words: Vec<&str> = word_spans(&page.text, is_word_char)
            .map(|(_, w)| w)
            .collect();
        let mut found = names.in_words(&words);
        let (cookies_found, recipients_found) = found.split_at_mut(site.cookies.list.len());
        // A cookie named by a plain word (`lang`, `session`) is also a word of the language (`hoe
        // lang`): it is named only where the page sets it apart, in a table cell or as code.
        let set_apart = set_apart(&page.html);
        for (cookie, found) in site.cookies.list.iter().zip(cookies_found.iter_mut()) {
            let name = cookie.name.value.as_str();
            if name.chars().all(char::is_alphabetic) {
                *found = set_apart.contains(name);
            }
        }
        let first = first_locale(site);
        Facts {
            cookies: site
                .cookies
                .list
                .iter()
                .zip(cookies_found)
                .filter(|(_, f)| **f)
                .map(|(c, _)| c.name.value.as_str())
                .collect(),
            recipients: site
                .recipients
                .iter()
                .zip(recipients_found)
                .filter(|(_, f)| **f)
                .map(|(r, _)| r.name.get(first))
                .collect(),
            numbers: numbers(&page.text),
        }
    }
}

/// Reports what `reference` (a page in the first language) and its translation `other` do not
/// both state.
fn differences(
    site: &Site,
    sources: &Sources,
    (reference, a): (&Page, &Facts),
    (other, b): (&Page, &Facts),
    out: &mut Out,
) {
    let first = first_locale(site);
    // A page has thousands of numbers, and they rarely differ: sorted only when they do.
    let kinds: [(&str, BTreeSet<&str>, BTreeSet<&str>); 3] = [
        (
            "cookies",
            a.cookies.difference(&b.cookies).copied().collect(),
            b.cookies.difference(&a.cookies).copied().collect(),
        ),
        (
            "recipients",
            a.recipients.difference(&b.recipients).copied().collect(),
            b.recipients.difference(&a.recipients).copied().collect(),
        ),
        (
            "numbers",
            only_in(&a.numbers, &b.numbers),
            only_in(&b.numbers, &a.numbers),
        ),
    ];
    for (kind, only_a, only_b) in kinds {
        let (only_a, only_b): (Vec<&str>, Vec<&str>) =
            (only_a.into_iter().collect(), only_b.into_iter().collect());
        if only_a.is_empty() && only_b.is_empty() {
            continue;
        }
        // Named as each page writes them (a recipient under its name in that language).
        let (written_a, written_b) = (
            as_written(site, kind, &only_a, first),
            as_written(site, kind, &only_b, &other.locale),
        );
        let list = |items: &[&str]| {
            items
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !only_a.is_empty() {
            parts.push(format!(
                "{} only in `{first}` ({})",
                list(&written_a),
                reference.source
            ));
        }
        if !only_b.is_empty() {
            parts.push(format!(
                "{} only in `{}` ({})",
                list(&written_b),
                other.locale,
                other.source
            ));
        }
        let (file, pos) = place(sources, (reference, &written_a), (other, &written_b));
        let mut subjects = vec![reference.name.to_string(), other.locale.clone()];
        if kind != "numbers" {
            // A waiver may name an item as the message does, or by its name in the first language.
            subjects.extend(
                only_a
                    .iter()
                    .chain(&only_b)
                    .chain(&written_a)
                    .chain(&written_b)
                    .map(|s| (*s).to_owned()),
            );
        }
        out.push(
            Diagnostic::error(
                Code::GdprLocalesDiffer,
                file,
                pos,
                format!(
                    "the {} page states different {kind} in `{first}` and `{}`: {}; people must get the same \
                     information in every language of the site (GDPR Art. 12(1); Belgian DPA cookie guidance)",
                    reference.name,
                    other.locale,
                    parts.join("; ")
                ),
            )
            .hint(format!(
                "make {} and {} say the same: translate what one of them says and the other leaves out",
                reference.source, other.source
            )),
            subjects,
        );
    }
}

/// Where a difference between `reference` and its translation `other` is reported: at the first
/// differing item where a content file writes it; otherwise at the translation, or at the site's
/// own file when the translation is the one polis ships. Two texts polis ships differ only by what
/// site.yaml says in each language.
fn place<'s>(
    sources: &'s Sources,
    (reference, written_a): (&'s Page, &[&str]),
    (other, written_b): (&'s Page, &[&str]),
) -> (&'s str, Pos) {
    let embedded = |page: &Page| page.origin == crate::load::Origin::Shipped;
    let fallback = match (embedded(reference), embedded(other)) {
        (true, true) => {
            let yaml = sources.get("site.yaml").map_or("", String::as_str);
            let at = written_b
                .iter()
                .chain(written_a)
                .find_map(|s| find_word(yaml, s));
            ("site.yaml", at.unwrap_or_default())
        }
        (false, true) => (reference.source.as_str(), Pos::default()),
        _ => (other.source.as_str(), Pos::default()),
    };
    written(sources, other, written_b)
        .or_else(|| written(sources, reference, written_a))
        .unwrap_or(fallback)
}

/// The items as a page in `locale` writes them: a recipient under its name in that language.
fn as_written<'s>(site: &'s Site, kind: &str, items: &[&'s str], locale: &str) -> Vec<&'s str> {
    let first = first_locale(site);
    let in_locale = |item: &str| {
        site.recipients
            .iter()
            .find(|r| r.name.get(first) == item)
            .map(|r| r.name.get(locale))
    };
    items
        .iter()
        .map(|&item| {
            if kind == "recipients" {
                in_locale(item).unwrap_or(item)
            } else {
                item
            }
        })
        .collect()
}

/// The page's content file and the place it writes the first of `items`, if it does.
fn written<'p>(sources: &Sources, page: &'p Page, items: &[&str]) -> Option<(&'p str, Pos)> {
    let text = sources.get(&page.source).map_or("", String::as_str);
    items
        .iter()
        .find_map(|s| find_word(text, s))
        .map(|pos| (page.source.as_str(), pos))
}

/// The texts a page sets apart from its prose: each table cell and code span, up to its first
/// tag, without a parenthesis after it (`lang (HTTP cookie)`), entities decoded. One pass.
fn set_apart(html: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let is_cell = ["td", "th", "code"].iter().any(|tag| {
            rest.strip_prefix(tag)
                .is_some_and(|after| after.starts_with(['>', ' ']))
        });
        if !is_cell {
            continue;
        }
        let Some(open) = rest.find('>') else { break };
        rest = &rest[open + 1..];
        let text = &rest[..rest.find('<').unwrap_or(rest.len())];
        let text = decode_entities(text);
        let name = text.split(" (").next().unwrap_or_default().trim();
        if !name.is_empty() {
            found.insert(name.to_owned());
        }
    }
    found
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `needle` first occurs in `text` not inside a longer word.
fn find_word_offset(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(needle).map(|i| i + from) {
        let end = at + needle.len();
        let before = text[..at].chars().next_back().is_some_and(is_word_char)
            && needle.starts_with(is_word_char);
        let after =
            text[end..].chars().next().is_some_and(is_word_char) && needle.ends_with(is_word_char);
        if !before && !after {
            return Some(at);
        }
        from = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Names (of cookies, of recipients) looked for as whole words in a page, indexed by their first
/// word: one pass over the page's words finds every name it mentions, however many there are.
struct Names<'n> {
    /// The words of each name (`Mailchimp (Intuit Inc.)` → Mailchimp, Intuit, Inc).
    words: Vec<Vec<&'n str>>,
    /// The names by their first word.
    by_first: HashMap<&'n str, Vec<usize>>,
}

impl<'n> Names<'n> {
    fn new(names: impl Iterator<Item = &'n str>) -> Self {
        let words: Vec<Vec<&str>> = names
            .map(|n| word_spans(n, is_word_char).map(|(_, w)| w).collect())
            .collect();
        let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, name) in words.iter().enumerate() {
            if let Some(first) = name.first() {
                by_first.entry(first).or_default().push(i);
            }
        }
        Names { words, by_first }
    }

    /// For each name, whether the page with these words names it.
    fn in_words(&self, page: &[&str]) -> Vec<bool> {
        let mut found = vec![false; self.words.len()];
        for (at, word) in page.iter().enumerate() {
            for &i in self.by_first.get(word).map_or(&[][..], Vec::as_slice) {
                if !found[i] && page[at..].starts_with(&self.words[i]) {
                    found[i] = true;
                }
            }
        }
        found
    }
}

fn find_word(text: &str, needle: &str) -> Option<Pos> {
    find_word_offset(text, needle).map(|at| Pos::at_offset(text, at, needle.chars().count()))
}

/// The digit sequences of a text.
fn numbers(text: &str) -> HashSet<&str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What `these` has and `those` lacks, in order.
fn only_in<'t>(these: &HashSet<&'t str>, those: &HashSet<&str>) -> BTreeSet<&'t str> {
    these
        .iter()
        .filter(|n| !those.contains(*n))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::gdpr::test_support::{
        assert_waived, edit, example, line_of, one, repo_file, run, waive, with_code,
    };
    use crate::diagnostics::{Code, Severity};

    #[test]
    fn every_language_states_the_same_facts() {
        // A number only the English cookie policy states.
        let cookies_en = edit(
            &repo_file("content/cookies.en.md"),
            "## What cookies are",
            "We keep 42 cookies.\n\n## What cookies are",
        );
        let found = run(&example(), &[("content/cookies.en.md", cookies_en.clone())]);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!(
            (d.severity, d.file.as_str()),
            (Severity::Error, "content/cookies.en.md")
        );
        assert_eq!((d.line, d.column), (line_of(&cookies_en, "42 cookies"), 9));
        assert!(d.message.contains("`42` only in `en`"), "{}", d.message);
        // A cookie only the Dutch privacy policy names.
        let privacy_nl = edit(
            &repo_file("content/privacy.nl.md"),
            "## Wie we zijn",
            "De cookie lumen_lang onthoudt je taal.\n\n## Wie we zijn",
        );
        let files = [("content/privacy.nl.md", privacy_nl.clone())];
        let found = run(&example(), &files);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            (
                "content/privacy.nl.md",
                line_of(&privacy_nl, "lumen_lang"),
                11
            )
        );
        assert!(
            d.message
                .contains("`lumen_lang` only in `nl` (content/privacy.nl.md)"),
            "{}",
            d.message
        );
        // A recipient only the English cookie policy names, by its English name.
        let cookies_en = edit(
            &repo_file("content/cookies.en.md"),
            "## What cookies are",
            "Our accountant reads this too.\n\n## What cookies are",
        );
        let found = run(&example(), &[("content/cookies.en.md", cookies_en.clone())]);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            (
                "content/cookies.en.md",
                line_of(&cookies_en, "Our accountant"),
                1
            )
        );
        assert!(
            d.message.contains("different recipients")
                && d.message.contains("`Our accountant` only in `en`"),
            "{}",
            d.message
        );
        let files_en = [("content/cookies.en.md", cookies_en)];
        let waived = run(
            &waive(
                &example(),
                Code::GdprLocalesDiffer,
                Some("Our accountant"),
                "the Dutch page follows",
            ),
            &files_en,
        );
        assert_waived(&waived, Code::GdprLocalesDiffer, Some("Our accountant"));
        assert!(with_code(&run(&example(), &[]), Code::GdprLocalesDiffer).is_empty());
        assert_waived(
            &run(
                &waive(
                    &example(),
                    Code::GdprLocalesDiffer,
                    Some("lumen_lang"),
                    "a Dutch-only remark",
                ),
                &files,
            ),
            Code::GdprLocalesDiffer,
            Some("lumen_lang"),
        );
    }

    /// A cookie named by a word of the language (`lang`; Dutch "hoe lang we ze bewaren") is named
    /// where a page sets it apart, in its table or as code, not by the word in a sentence.
    #[test]
    fn a_cookie_named_by_a_plain_word_is_not_found_in_prose() {
        let yaml = edit(&example(), "- name: lumen_session", "- name: lang");
        assert!(with_code(&run(&yaml, &[]), Code::GdprLocalesDiffer).is_empty());
        let privacy_nl = edit(
            &repo_file("content/privacy.nl.md"),
            "## Wie we zijn",
            "De cookie `lang` onthoudt je taal.\n\n## Wie we zijn",
        );
        let found = run(&yaml, &[("content/privacy.nl.md", privacy_nl)]);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert!(
            d.message
                .contains("`lang` only in `nl` (content/privacy.nl.md)"),
            "{}",
            d.message
        );
    }
}
