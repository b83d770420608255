//! The GDPR completeness lint: what a privacy notice and a cookie policy must say
//! (../shared/reference/gdpr-checklist.md), checked against site.yaml and the rendered pages.
//!
//! Every rule has a stable `gdpr-...` code, cites its article, points at the value in site.yaml
//! (or the line of the content file) that needs work, and says what to add. A site can waive a rule,
//! for one key or for the whole site, under `waivers:`; a waived finding is still reported, as a
//! `waived` warning at the waiver, so nothing is ever left out silently.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::facts;
use crate::model::decode::nearest;
use crate::model::{CookieCategory, Dpo, LegalBasis, Party, Recipient, Retention, Site, Text};
use crate::render::{Page, Rendered};
use crate::text::word_spans;

const SITE: &str = "site.yaml";

const BASES: &str = "consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests";
const SAFEGUARDS: &str =
    "adequacy, data_privacy_framework, standard_contractual_clauses, binding_corporate_rules, code_of_conduct, certification or derogation";

/// Phrases that state the right to withdraw consent, per locale (lowercase).
const WITHDRAWAL: &[(&str, &[&str])] = &[("nl", &["intrekken", "intrekt", "trek je toestemming"]), ("en", &["withdraw"])];

/// Vague qualifiers (WP260 rev.01, paragraph 13), per locale: words that are vague wherever they
/// stand, and modal verbs that are vague when they hedge what is done with data.
const VAGUE: &[(&str, &[&str], &[&str])] = &[
    ("en", &["some", "possible", "possibly", "certain"], &["may", "might"]),
    ("nl", &["mogelijk", "mogelijke", "bepaalde", "eventueel"], &["kunnen", "kan", "kunt"]),
];

/// A modal verb hedges when its clause is about us or about the data: "we may share", "your data
/// may be shared". "Businesses that cannot pay" or "that could become customers" state a fact about
/// someone else, and are not what WP260 warns against.
const HEDGED: &[(&str, &[&str])] = &[
    ("en", &["we", "data", "information", "details", "cookie", "cookies"]),
    ("nl", &["we", "wij", "gegevens", "persoonsgegevens", "informatie", "cookie", "cookies"]),
];

/// A diagnostic and the keys it concerns (purpose key, cookie name, recipient name, data key, ...),
/// which a waiver's `at` is matched against.
struct Finding {
    diagnostic: Diagnostic,
    subjects: Vec<String>,
}

struct Out(Vec<Finding>);

impl Out {
    fn push<S: Into<String>>(&mut self, diagnostic: Diagnostic, subjects: impl IntoIterator<Item = S>) {
        let mut subjects: Vec<String> = subjects.into_iter().map(Into::into).filter(|s| !s.is_empty()).collect();
        subjects.dedup();
        self.0.push(Finding { diagnostic, subjects });
    }
}

/// Checks `site` and its rendered pages for what GDPR Art. 12-14 and ePrivacy Art. 5(3) require.
pub fn lint(site: &Site, rendered: &Rendered, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Out(Vec::new());
    let yaml = sources.get(SITE).map_or("", String::as_str);
    // Comparing the languages reads every page word by word: it runs beside the other rules.
    let (languages, ()) = rayon::join(
        || {
            let mut out = Out(Vec::new());
            locales_differ(site, rendered, sources, &mut out);
            out.0
        },
        || {
            purposes(site, &mut out);
            consent_withdrawal(site, rendered, &mut out);
            data(site, &mut out);
            recipients(site, yaml, &mut out);
            controller(site, yaml, &mut out);
            cookies(site, &mut out);
            vague_language(site, sources, &mut out);
        },
    );
    out.0.extend(languages);
    let mut diagnostics = apply_waivers(site, out.0);
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

fn first_locale(site: &Site) -> &str {
    site.settings.locales.first().map_or("", |l| l.value.as_str())
}

/// Every variant of a text, without repeats: the keys a waiver may name it by.
fn names(text: &Text) -> Vec<String> {
    let mut all: Vec<String> = text.all().map(str::to_owned).collect();
    all.sort();
    all.dedup();
    all
}

/// A non-default position, or the fallback.
fn or(pos: Pos, fallback: Pos) -> Pos {
    if pos == Pos::default() { fallback } else { pos }
}

/// Where a top-level key such as `dpo:` is written, or the whole file.
fn top_key(yaml: &str, key: &str) -> Pos {
    let needle = format!("{key}:");
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if line.starts_with(&needle) {
            return Pos::at_offset(yaml, offset, key.chars().count());
        }
        offset += line.len();
    }
    Pos::default()
}

// ---------------------------------------------------------------------------------------------
// Purposes: Art. 13(1)(c), 13(1)(d), 13(2)(c).

fn purposes(site: &Site, out: &mut Out) {
    for p in &site.purposes {
        let key = &p.key.value;
        match p.basis {
            None => out.push(
                Diagnostic::error(
                    Code::GdprLegalBasis,
                    SITE,
                    p.key.pos,
                    format!("the purpose `{key}` does not say on which legal basis the data is processed (GDPR Art. 13(1)(c))"),
                )
                .hint(format!("add `basis:` to the purpose `{key}` in site.yaml: {BASES} (GDPR Art. 6(1))")),
                [key.clone()],
            ),
            Some(LegalBasis::LegitimateInterests) if p.interest.is_none() => out.push(
                Diagnostic::error(
                    Code::GdprLegitimateInterest,
                    SITE,
                    or(p.basis_pos, p.key.pos),
                    format!("the purpose `{key}` is based on legitimate interests but does not say which interest (GDPR Art. 13(1)(d))"),
                )
                .hint(format!(
                    "add `interest:` to the purpose `{key}` in site.yaml, saying in every language what you gain from it: \
                     `interest: {{ {} }}`",
                    locale_skeleton(site)
                )),
                [key.clone()],
            ),
            _ => {}
        }
    }
}

/// `nl: ..., en: ...` for the site's locales.
fn locale_skeleton(site: &Site) -> String {
    site.settings.locales.iter().map(|l| format!("{}: ...", l.value)).collect::<Vec<_>>().join(", ")
}

fn consent_withdrawal(site: &Site, rendered: &Rendered, out: &mut Out) {
    let consent: Vec<&str> = site.purposes.iter().filter(|p| p.basis == Some(LegalBasis::Consent)).map(|p| p.key.value.as_str()).collect();
    if consent.is_empty() {
        return;
    }
    let listed = consent.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    for page in rendered.pages.iter().filter(|p| p.name == crate::model::PageKind::Privacy) {
        let Some((_, phrases)) = WITHDRAWAL.iter().find(|(l, _)| *l == page.locale) else { continue };
        let text = page.text.to_lowercase();
        if phrases.iter().any(|p| text.contains(p)) {
            continue;
        }
        let (is, they) = if consent.len() == 1 { ("purpose", "is") } else { ("purposes", "are") };
        out.push(
            Diagnostic::error(
                Code::GdprConsentWithdrawal,
                &page.source,
                Pos::default(),
                format!(
                    "the {is} {listed} {they} based on consent, but the privacy policy in `{}` does not tell people they can \
                     withdraw their consent at any time (GDPR Art. 13(2)(c))",
                    page.locale
                ),
            )
            .hint(format!(
                "add to {} a paragraph saying that consent can be withdrawn at any time, as easily as it was given, and how \
                 (it must contain \"{}\"); site.yaml needs nothing more",
                page.source, phrases[0]
            )),
            [page.locale.clone(), page.source.clone()],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Data categories: Art. 13(2)(a), 14(2)(f).

fn data(site: &Site, out: &mut Out) {
    for d in &site.data {
        let key = &d.key.value;
        if d.retention.is_none() {
            out.push(
                Diagnostic::error(
                    Code::GdprRetention,
                    SITE,
                    d.key.pos,
                    format!("the data `{key}` does not say how long it is kept, or how that is decided (GDPR Art. 13(2)(a))"),
                )
                .hint(format!(
                    "add `retention:` under `data.{key}` in site.yaml: a period and what starts it, \
                     `retention: {{ period: 2 years, from: {{ {} }} }}`, or a rule in words, `retention: {{ rule: {{ {} }} }}`",
                    locale_skeleton(site),
                    locale_skeleton(site)
                )),
                [key.clone()],
            );
        }
        if d.sources.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::GdprSource,
                    SITE,
                    d.key.pos,
                    format!(
                        "the data `{key}` does not say where it comes from; data not collected from the person must name its \
                         source (GDPR Art. 14(2)(f))"
                    ),
                )
                .hint(format!(
                    "add `sources:` under `data.{key}` in site.yaml: `sources: [person]` if people give it to you themselves, \
                     otherwise the keys of `sources:` it comes from, e.g. `sources: [public]`"
                )),
                [key.clone()],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Recipients: Art. 13(1)(e), 13(1)(f).

fn recipients(site: &Site, yaml: &str, out: &mut Out) {
    if site.recipients.is_empty() {
        out.push(
            Diagnostic::warning(
                Code::GdprRecipients,
                SITE,
                top_key(yaml, "recipients"),
                "site.yaml names no recipients; the privacy policy must name the recipients or categories of recipients of \
                 the data (GDPR Art. 13(1)(e))",
            )
            .hint(
                "add `recipients:` to site.yaml with each party that receives data (hosting, mailing, accountant...): \
                 `- { name: ..., role: processor, service: ..., country: BE }`; if really nobody does, waive it: \
                 `waivers: [{ rule: gdpr-recipients, reason: ... }]`",
            ),
            ["recipients"],
        );
    }
    let first = first_locale(site);
    for r in &site.recipients {
        let country = &r.country.value;
        if country.is_empty() || facts::in_eea(country) || r.safeguard.is_some() {
            continue;
        }
        let name = r.name.get(first);
        out.push(
            Diagnostic::error(
                Code::GdprTransferSafeguard,
                SITE,
                or(r.country.pos, r.name.pos),
                format!(
                    "the recipient `{name}` processes data in {country}, outside the EEA, but site.yaml does not say how that \
                     transfer is safeguarded (GDPR Art. 13(1)(f))"
                ),
            )
            .hint(format!("add `safeguard:` to the recipient `{name}` in site.yaml: {SAFEGUARDS} (GDPR Art. 45-49)")),
            names(&r.name),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The controller: Art. 13(1)(b), 13(2)(d).

fn controller(site: &Site, yaml: &str, out: &mut Out) {
    if matches!(site.dpo, Dpo::Unspecified) {
        out.push(
            Diagnostic::error(
                Code::GdprDpo,
                SITE,
                top_key(yaml, "dpo"),
                "site.yaml does not say whether a data protection officer is appointed (GDPR Art. 13(1)(b))",
            )
            .hint(
                "add `dpo:` to site.yaml: `appointed: true` with `names`, `email` (and `phone`), or `appointed: false` with a \
                 `contact` who answers privacy questions",
            ),
            ["dpo"],
        );
    }
    let country = &site.company.address.country;
    if site.authority.is_none() && facts::authority(&country.value).is_none() {
        let place = if country.value.is_empty() { "the company's country".to_owned() } else { format!("`{}`", country.value) };
        out.push(
            Diagnostic::error(
                Code::GdprAuthority,
                SITE,
                or(country.pos, top_key(yaml, "company")),
                format!(
                    "polis knows no supervisory authority for {place}, so the policy cannot name where people can lodge a \
                     complaint (GDPR Art. 13(2)(d))"
                ),
            )
            .hint(
                "add `authority:` to site.yaml with the supervisory authority that hears complaints: `name`, `url` \
                 (and `address`, `email`)",
            ),
            ["authority"],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Cookies: ePrivacy Art. 5(3), Planet49, Art. 13(1)(e)-(f).

fn cookies(site: &Site, out: &mut Out) {
    let first = first_locale(site);
    let has_consent = site.purposes.iter().any(|p| p.basis == Some(LegalBasis::Consent));
    let skeleton = locale_skeleton(site);
    // Recipients by name as a provider writes it (case aside); the first of a name wins.
    let mut by_name: HashMap<String, &Recipient> = HashMap::new();
    for r in &site.recipients {
        by_name.entry(r.name.get(first).trim().to_ascii_lowercase()).or_insert(r);
    }
    for c in &site.cookies.list {
        let name = &c.name.value;
        let pos = or(c.name.pos, c.pos);
        let complete = c.provider.is_some() && c.party.is_some() && c.category.is_some() && c.purpose.is_some() && c.duration.is_some();
        if !complete {
            let missing: Vec<(&str, String)> = [
                (c.provider.is_none(), "provider", "`provider: ...` (who sets and reads it)".to_owned()),
                (c.party.is_none(), "party", "`party: first` or `party: third`".to_owned()),
                (c.category.is_none(), "category", "`category: necessary`, `preferences`, `statistics` or `marketing`".to_owned()),
                (c.purpose.is_none(), "purpose", format!("`purpose: {{ {skeleton} }}`")),
                (c.duration.is_none(), "duration", "`duration: 12 months` or `duration: session`".to_owned()),
            ]
            .into_iter()
            .filter(|(m, _, _)| *m)
            .map(|(_, field, example)| (field, example))
            .collect();
            let fields = missing.iter().map(|(f, _)| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            let examples = missing.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>().join("; ");
            out.push(
                Diagnostic::error(
                    Code::GdprCookieIncomplete,
                    SITE,
                    pos,
                    format!(
                        "the cookie `{name}` does not say its {fields}; people must be told what each cookie does, who can \
                         read it and how long it lasts (ePrivacy Directive Art. 5(3), CJEU Planet49, C-673/17)"
                    ),
                )
                .hint(format!("add to the cookie `{name}` in site.yaml: {examples}")),
                [name.clone()],
            );
        }
        if let Some(category) = c.category.filter(|c| *c != CookieCategory::Necessary)
            && !has_consent
        {
            out.push(
                Diagnostic::error(
                    Code::GdprCookieConsent,
                    SITE,
                    pos,
                    format!(
                        "the cookie `{name}` is a {} cookie, which needs prior consent, but no purpose in site.yaml is based \
                         on consent (ePrivacy Directive Art. 5(3))",
                        category.key()
                    ),
                )
                .hint(format!(
                    "add a purpose with `basis: consent` for it under `purposes:` in site.yaml, e.g. \
                     `- {{ key: analytics, name: {{ {} }}, basis: consent, data: [browsing] }}`; or, if the site cannot work \
                     without it, `category: necessary`",
                    locale_skeleton(site)
                )),
                [name.clone()],
            );
        }
        let Some(provider) = &c.provider else { continue };
        let provider_name = provider.get(first).trim();
        let recipient = by_name.get(&provider_name.to_ascii_lowercase()).copied();
        match recipient {
            None if c.party == Some(Party::Third) => {
                let known: Vec<&str> = site.recipients.iter().map(|r| r.name.get(first)).collect();
                let near = nearest(provider_name, &known).map_or(String::new(), |n| format!(", or write the provider as `{n}`"));
                out.push(
                    Diagnostic::warning(
                        Code::GdprCookieRecipient,
                        SITE,
                        or(provider.pos, pos),
                        format!(
                            "the third-party cookie `{name}` lets `{provider_name}` read data, but `{provider_name}` is not among \
                             the recipients (GDPR Art. 13(1)(e))"
                        ),
                    )
                    .hint(format!(
                        "add `- {{ name: {provider_name}, role: processor, service: {{ {} }}, country: ... }}` under \
                         `recipients:` in site.yaml{near}",
                        locale_skeleton(site)
                    )),
                    [name.clone(), provider_name.to_owned()],
                );
            }
            Some(r) if !r.country.value.is_empty() && !facts::in_eea(&r.country.value) && r.safeguard.is_none() => {
                out.push(
                    Diagnostic::error(
                        Code::GdprCookieTransfer,
                        SITE,
                        or(provider.pos, pos),
                        format!(
                            "the cookie `{name}` sends data to `{provider_name}` in {}, outside the EEA, and site.yaml does not \
                             say how that transfer is safeguarded (GDPR Art. 13(1)(f))",
                            r.country.value
                        ),
                    )
                    .hint(format!("add `safeguard:` to the recipient `{provider_name}` under `recipients:` in site.yaml: {SAFEGUARDS}")),
                    [name.clone(), provider_name.to_owned()],
                );
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The same facts in every language (Belgian DPA: the information in every language of the site).

fn locales_differ(site: &Site, rendered: &Rendered, sources: &Sources, out: &mut Out) {
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
            (locale, Names::new(cookies.chain(site.recipients.iter().map(|r| r.name.get(locale)))))
        })
        .collect();
    // Each page of the first language with its translations, side by side.
    let references: Vec<&Page> = rendered.pages.iter().filter(|p| p.locale == first).collect();
    let found: Vec<Out> = references
        .par_iter()
        .map(|reference| {
            let mut out = Out(Vec::new());
            let a = Facts::of(site, reference, &names[first]);
            for other in rendered.pages.iter().filter(|p| p.name == reference.name && p.locale != first) {
                let b = Facts::of(site, other, &names[other.locale.as_str()]);
                differences(site, sources, (reference, &a), (other, &b), &mut out);
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
        let words: Vec<&str> = word_spans(&page.text, is_word_char).map(|(_, w)| w).collect();
        let found = names.in_words(&words);
        let (cookies_found, recipients_found) = found.split_at(site.cookies.list.len());
        let first = first_locale(site);
        Facts {
            cookies: site.cookies.list.iter().zip(cookies_found).filter(|(_, f)| **f).map(|(c, _)| c.name.value.as_str()).collect(),
            recipients: site.recipients.iter().zip(recipients_found).filter(|(_, f)| **f).map(|(r, _)| r.name.get(first)).collect(),
            numbers: numbers(&page.text),
        }
    }
}

/// Reports what `reference` (a page in the first language) and its translation `other` do not
/// both state.
fn differences(site: &Site, sources: &Sources, (reference, a): (&Page, &Facts), (other, b): (&Page, &Facts), out: &mut Out) {
    let first = first_locale(site);
    // A page has thousands of numbers, and they rarely differ: sorted only when they do.
    let kinds: [(&str, BTreeSet<&str>, BTreeSet<&str>); 3] = [
        ("cookies", a.cookies.difference(&b.cookies).copied().collect(), b.cookies.difference(&a.cookies).copied().collect()),
        (
            "recipients",
            a.recipients.difference(&b.recipients).copied().collect(),
            b.recipients.difference(&a.recipients).copied().collect(),
        ),
        ("numbers", only_in(&a.numbers, &b.numbers), only_in(&b.numbers, &a.numbers)),
    ];
    for (kind, only_a, only_b) in kinds {
        let (only_a, only_b): (Vec<&str>, Vec<&str>) = (only_a.into_iter().collect(), only_b.into_iter().collect());
        if only_a.is_empty() && only_b.is_empty() {
            continue;
        }
        // Named as each page writes them (a recipient under its name in that language).
        let (written_a, written_b) = (as_written(site, kind, &only_a, first), as_written(site, kind, &only_b, &other.locale));
        let list = |items: &[&str]| items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if !only_a.is_empty() {
            parts.push(format!("{} only in `{first}` ({})", list(&written_a), reference.source));
        }
        if !only_b.is_empty() {
            parts.push(format!("{} only in `{}` ({})", list(&written_b), other.locale, other.source));
        }
        // Point at the first differing item where a content file writes it; otherwise at the
        // translation, or at the site's own file when the translation is the one polis ships.
        let embedded = |page: &Page| page.origin == crate::load::Origin::Shipped;
        let fallback = if embedded(other) && !embedded(reference) { &reference.source } else { &other.source };
        let (file, pos) = written(sources, other, &written_b)
            .or_else(|| written(sources, reference, &written_a))
            .unwrap_or((fallback.as_str(), Pos::default()));
        let mut subjects = vec![reference.name.to_string(), other.locale.clone()];
        if kind != "numbers" {
            // A waiver may name an item as the message does, or by its name in the first language.
            subjects.extend(only_a.iter().chain(&only_b).chain(&written_a).chain(&written_b).map(|s| (*s).to_owned()));
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

/// The items as a page in `locale` writes them: a recipient under its name in that language.
fn as_written<'s>(site: &'s Site, kind: &str, items: &[&'s str], locale: &str) -> Vec<&'s str> {
    let first = first_locale(site);
    let in_locale = |item: &str| site.recipients.iter().find(|r| r.name.get(first) == item).map(|r| r.name.get(locale));
    items.iter().map(|&item| if kind == "recipients" { in_locale(item).unwrap_or(item) } else { item }).collect()
}

/// The page's content file and the place it writes the first of `items`, if it does.
fn written<'p>(sources: &Sources, page: &'p Page, items: &[&str]) -> Option<(&'p str, Pos)> {
    let text = sources.get(&page.source).map_or("", String::as_str);
    items.iter().find_map(|s| find_word(text, s)).map(|pos| (page.source.as_str(), pos))
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
        let before = text[..at].chars().next_back().is_some_and(is_word_char) && needle.starts_with(is_word_char);
        let after = text[end..].chars().next().is_some_and(is_word_char) && needle.ends_with(is_word_char);
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
        let words: Vec<Vec<&str>> = names.map(|n| word_spans(n, is_word_char).map(|(_, w)| w).collect()).collect();
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
    text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect()
}

/// What `these` has and `those` lacks, in order.
fn only_in<'t>(these: &HashSet<&'t str>, those: &HashSet<&str>) -> BTreeSet<&'t str> {
    these.iter().filter(|n| !those.contains(*n)).copied().collect()
}

// ---------------------------------------------------------------------------------------------
// Vague language: Art. 12(1) and the WP260 transparency guidelines.

/// The vague words of `text` in `locale`: byte offset and the word as written.
fn vague_words<'t>(text: &'t str, locale: &str) -> Vec<(usize, &'t str)> {
    let Some((_, always, modals)) = VAGUE.iter().find(|(l, _, _)| *l == locale) else { return Vec::new() };
    let hedged = HEDGED.iter().find(|(l, _)| *l == locale).map_or(&[][..], |(_, w)| *w);
    let words: Vec<(usize, &str)> = word_spans(text, char::is_alphanumeric).collect();
    let mut found = Vec::new();
    // The word lists are lowercase ASCII, so comparing without regard to case needs no copy.
    let is_one_of = |list: &[&str], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    for &(at, word) in &words {
        if is_one_of(always, word) {
            found.push((at, word));
        } else if is_one_of(modals, word) {
            let (start, end) = clause(text, at);
            let mut in_clause = words.iter().filter(|(o, _)| *o >= start && *o < end && *o != at);
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

fn vague_language(site: &Site, sources: &Sources, out: &mut Out) {
    let yaml = sources.get(SITE).map_or("", String::as_str);
    let locales: Vec<&str> = site.settings.locales.iter().map(|l| l.value.as_str()).collect();
    for (text, field, subject) in own_texts(site) {
        for (locale, value) in &text.values {
            let checked: Vec<&str> = if locale == "*" { locales.clone() } else { vec![locale.as_str()] };
            let mut hits: Vec<(usize, &str)> = checked.iter().flat_map(|l| vague_words(value, l)).collect();
            hits.sort_unstable();
            hits.dedup();
            for (at, word) in hits {
                let pos = value_pos(yaml, text, value, at, word);
                let language = if locale == "*" { String::new() } else { format!(" (`{locale}`)") };
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
        let Some(name) = file.strip_prefix("content/").and_then(|n| n.strip_suffix(".md")) else { continue };
        let Some((_, locale)) = name.rsplit_once('.') else { continue };
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
        texts.extend(s.name.iter().map(|t| (t, format!("the name of the source `{k}`"), k.clone())));
        texts.extend(s.description.iter().map(|t| (t, format!("the description of the source `{k}`"), k.clone())));
    }
    for d in &site.data {
        let k = &d.key.value;
        texts.extend(d.name.iter().map(|t| (t, format!("the name of the data `{k}`"), k.clone())));
        texts.extend(d.description.iter().map(|t| (t, format!("the description of the data `{k}`"), k.clone())));
        match &d.retention {
            Some(Retention::Rule(t)) => texts.push((t, format!("the retention rule of the data `{k}`"), k.clone())),
            Some(Retention::Period { from, .. }) => texts.push((from, format!("the retention `from` of the data `{k}`"), k.clone())),
            None => {}
        }
    }
    for p in &site.purposes {
        let k = &p.key.value;
        texts.push((&p.name, format!("the name of the purpose `{k}`"), k.clone()));
        texts.extend(p.description.iter().map(|t| (t, format!("the description of the purpose `{k}`"), k.clone())));
        texts.extend(p.interest.iter().map(|t| (t, format!("the interest of the purpose `{k}`"), k.clone())));
    }
    let first = first_locale(site);
    for r in &site.recipients {
        let name = r.name.get(first).to_owned();
        texts.push((&r.service, format!("the service of the recipient `{name}`"), name));
    }
    for c in &site.cookies.list {
        let k = &c.name.value;
        texts.extend(c.purpose.iter().map(|t| (t, format!("the purpose of the cookie `{k}`"), k.clone())));
    }
    for c in &site.settings.changes {
        let date = c.date.iso();
        texts.push((&c.summary, format!("the summary of the change of {date}"), date));
    }
    texts
}

/// The position of the word at byte `at` of `value`, found in site.yaml near the text's position;
/// the text's own position when the value is not written there as is (quoted with escapes, folded).
fn value_pos(yaml: &str, text: &Text, value: &str, at: usize, word: &str) -> Pos {
    if text.pos.line == 0 || value.is_empty() {
        return text.pos;
    }
    let line_start: usize = yaml.split_inclusive('\n').take(text.pos.line - 1).map(str::len).sum();
    if line_start > yaml.len() {
        return text.pos;
    }
    let Some(found) = yaml[line_start..].find(value).map(|i| i + line_start) else { return text.pos };
    let pos = Pos::at_offset(yaml, found + at, word.chars().count());
    // A value further down than the text's entries can be is someone else's.
    if pos.line > text.pos.line + text.values.len() + 1 { text.pos } else { pos }
}

/// The text with template tags (`{{ }}`, `{% %}`, `{# #}`), heading attributes (`{ #id }`) and
/// link targets (`](...)`) blanked out, byte for byte, so offsets stay those of the original.
fn mask_template(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let find = |from: usize, close: &[u8]| {
        bytes[from.min(bytes.len())..].windows(close.len()).position(|w| w == close).map(|i| from + i + close.len())
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

// ---------------------------------------------------------------------------------------------
// Waivers.

fn apply_waivers(site: &Site, findings: Vec<Finding>) -> Vec<Diagnostic> {
    let mut used = vec![false; site.waivers.len()];
    let mut diagnostics = Vec::new();
    for finding in findings {
        let mut waived = false;
        for (i, w) in site.waivers.iter().enumerate() {
            let at = w.at.as_ref().map(|a| a.value.as_str());
            if w.rule.value == finding.diagnostic.code.as_str() && at.is_none_or(|a| finding.subjects.iter().any(|s| s == a)) {
                used[i] = true;
                waived = true;
            }
        }
        if !waived {
            diagnostics.push(finding.diagnostic);
        }
    }
    let subjects = known_subjects(site);
    for (w, used) in site.waivers.iter().zip(used) {
        let rule = &w.rule.value;
        let place = w.at.as_ref().map_or("the whole site".to_owned(), |a| format!("`{}`", a.value));
        if !Code::named(rule).is_some_and(Code::waivable) {
            let rules: Vec<&str> = Code::ALL.iter().filter(|c| c.waivable()).map(|c| c.as_str()).collect();
            let hint = match nearest(rule, &rules) {
                Some(near) => format!("did you mean `{near}`? The GDPR rules are: {}", rules.join(", ")),
                None => format!("the GDPR rules are: {}", rules.join(", ")),
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownRule,
                    SITE,
                    w.rule.pos,
                    format!("a waiver names the rule `{rule}`, which polis does not have"),
                )
                .hint(hint),
            );
        } else if used {
            diagnostics.push(
                Diagnostic::note(Code::Waived, SITE, w.rule.pos, format!("`{rule}` waived for {place}: {}", w.reason.value))
                    .hint("the finding is not reported as a problem; remove the waiver once it is fixed"),
            );
        } else {
            let pos = w.at.as_ref().map_or(w.rule.pos, |a| a.pos);
            let near =
                w.at.as_ref()
                    .filter(|a| !subjects.contains(&a.value))
                    .and_then(|a| nearest(&a.value, &subjects.iter().map(String::as_str).collect::<Vec<_>>()))
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            diagnostics.push(
                Diagnostic::warning(Code::UnusedWaiver, SITE, pos, format!("the waiver of `{rule}` for {place} matches nothing"))
                    .hint(format!("remove the waiver, or check that `at` names the key the finding is about{near}")),
            );
        }
    }
    diagnostics
}

/// The keys a waiver's `at` can name.
fn known_subjects(site: &Site) -> Vec<String> {
    let mut all: Vec<String> = ["recipients", "dpo", "authority"].map(str::to_owned).into();
    all.extend(site.settings.locales.iter().map(|l| l.value.clone()));
    all.extend(site.purposes.iter().map(|p| p.key.value.clone()));
    all.extend(site.data.iter().map(|d| d.key.value.clone()));
    all.extend(site.sources.iter().map(|s| s.key.value.clone()));
    all.extend(site.recipients.iter().flat_map(|r| names(&r.name)));
    all.extend(site.cookies.list.iter().map(|c| c.name.value.clone()));
    all.extend(crate::model::PageKind::ALL.map(|p| p.to_string()));
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostics::Severity;

    fn repo_file(name: &str) -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
    }

    fn example() -> String {
        repo_file("site.yaml")
    }

    /// `text` with the first `from` replaced by `to`; `from` must be there.
    fn edit(text: &str, from: &str, to: &str) -> String {
        assert!(text.contains(from), "`{from}` is not in the text");
        text.replacen(from, to, 1)
    }

    /// `text` without the part from `start` up to (not including) `end`.
    fn cut(text: &str, start: &str, end: &str) -> String {
        let a = text.find(start).expect("start");
        let b = a + text[a..].find(end).expect("end");
        format!("{}{}", &text[..a], &text[b..])
    }

    /// site.yaml with one waiver appended.
    fn waive(yaml: &str, rule: impl std::fmt::Display, at: Option<&str>, reason: &str) -> String {
        let at = at.map_or(String::new(), |a| format!("    at: \"{a}\"\n"));
        format!("{yaml}\nwaivers:\n  - rule: {rule}\n{at}    reason: {reason}\n")
    }

    /// The 1-based line of the first `needle` in `text`.
    fn line_of(text: &str, needle: &str) -> usize {
        Pos::find(text, needle).expect("needle").line
    }

    /// Loads a site made of `yaml` and `files` (the rest comes from what polis ships), renders it
    /// and runs this lint on it.
    fn run(yaml: &str, files: &[(&str, String)]) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (input, site) = load(dir.path());
        let (rendered, _) = crate::render::render(&site, &input);
        lint(&site, &rendered, &input.sources)
    }

    /// The site in `root`, read and decoded.
    fn load(root: &Path) -> (crate::load::Input, Site) {
        let (input, _) = crate::load::load(root);
        let (site, _) = crate::model::decode_site("site.yaml", input.site_yaml.as_ref().expect("site.yaml is read"));
        (input, site)
    }

    fn with_code(diagnostics: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
        diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// The only diagnostic with `code`.
    fn one(diagnostics: &[Diagnostic], code: Code) -> &Diagnostic {
        let found = with_code(diagnostics, code);
        assert_eq!(found.len(), 1, "{diagnostics:#?}");
        found[0]
    }

    /// `rule` is not reported, and a `waived` warning says so.
    fn assert_waived(diagnostics: &[Diagnostic], rule: Code, at: Option<&str>) {
        assert!(with_code(diagnostics, rule).is_empty(), "{diagnostics:#?}");
        let place = at.map_or("the whole site".to_owned(), |a| format!("`{a}`"));
        let waived = one(diagnostics, Code::Waived);
        assert_eq!(waived.severity, Severity::Note);
        assert!(waived.message.starts_with(&format!("`{rule}` waived for {place}: ")), "{}", waived.message);
        assert!(with_code(diagnostics, Code::UnusedWaiver).is_empty(), "{diagnostics:#?}");
    }

    #[test]
    fn the_example_is_clean() {
        let (input, site) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
        let (rendered, diags) = crate::render::render(&site, &input);
        assert!(diags.is_empty(), "{diags:#?}");
        let found = lint(&site, &rendered, &input.sources);
        assert!(found.is_empty(), "{found:#?}");
        // The same site read from a copy, with the texts polis ships.
        assert!(run(&example(), &[]).is_empty());
    }

    #[test]
    fn every_purpose_has_a_legal_basis() {
        let yaml = edit(&example(), "    basis: legal_obligation\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprLegalBasis);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "site.yaml"));
        assert_eq!((d.line, d.column), (line_of(&yaml, "key: accounting"), 10));
        assert!(d.message.contains("`accounting`") && d.message.contains("Art. 13(1)(c)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("add `basis:`"));
        assert!(with_code(&run(&example(), &[]), Code::GdprLegalBasis).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprLegalBasis, Some("accounting"), "decided later"), &[]),
            Code::GdprLegalBasis,
            Some("accounting"),
        );
    }

    #[test]
    fn legitimate_interests_name_the_interest() {
        let interest = "    interest: { nl: niet leveren aan bedrijven die hun facturen niet kunnen betalen, en: not delivering to businesses that cannot pay their invoices }\n";
        let yaml = edit(&example(), interest, "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprLegitimateInterest);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.line, line_of(&yaml, "key: credit") + 2, "points at `basis:`");
        assert!(d.message.contains("`credit`") && d.message.contains("Art. 13(1)(d)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("interest: { nl: ..., en: ... }"));
        // Another basis needs no interest.
        let contract = edit(
            &yaml,
            "    basis: legitimate_interests\n    data: [creditworthiness]",
            "    basis: contract\n    data: [creditworthiness]",
        );
        assert!(with_code(&run(&contract, &[]), Code::GdprLegitimateInterest).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprLegitimateInterest, Some("credit"), "obvious"), &[]),
            Code::GdprLegitimateInterest,
            Some("credit"),
        );
    }

    #[test]
    fn consent_comes_with_the_right_to_withdraw_it() {
        let text = repo_file("content/privacy.en.md").replace("withdraw", "revoke").replace("Withdraw", "Revoke");
        let files = [("content/privacy.en.md", text)];
        let found = run(&example(), &files);
        let d = one(&found, Code::GdprConsentWithdrawal);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "content/privacy.en.md"));
        assert!(d.message.contains("`newsletter`, `analytics`, `recruitment`") && d.message.contains("Art. 13(2)(c)"), "{}", d.message);
        // Without a purpose based on consent there is nothing to withdraw.
        let no_consent = example().replace("basis: consent", "basis: contract");
        assert!(with_code(&run(&no_consent, &files), Code::GdprConsentWithdrawal).is_empty());
        assert!(with_code(&run(&example(), &[]), Code::GdprConsentWithdrawal).is_empty());
        assert_waived(
            &run(&waive(&example(), Code::GdprConsentWithdrawal, Some("en"), "said on the cookie page"), &files),
            Code::GdprConsentWithdrawal,
            Some("en"),
        );
    }

    #[test]
    fn every_data_category_says_how_long_it_is_kept() {
        let retention =
            "    retention: { period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }\n";
        let yaml = edit(&example(), retention, "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprRetention);
        assert_eq!((d.severity, d.line, d.column), (Severity::Error, line_of(&yaml, "  contact:\n"), 3));
        assert!(d.message.contains("`contact`") && d.message.contains("Art. 13(2)(a)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("retention: { period: 2 years"));
        let rule = edit(&example(), retention, "    retention: { rule: { nl: tot je het ons vraagt, en: until you ask us } }\n");
        assert!(with_code(&run(&rule, &[]), Code::GdprRetention).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprRetention, Some("contact"), "kept by law"), &[]), Code::GdprRetention, Some("contact"));
    }

    #[test]
    fn transfers_outside_the_eea_are_safeguarded() {
        let yaml = edit(&example(), "    safeguard: data_privacy_framework\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprTransferSafeguard);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "country: US")));
        assert!(d.message.contains("`Mailchimp (Intuit Inc.)`") && d.message.contains("Art. 13(1)(f)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("standard_contractual_clauses"));
        // Inside the EEA nothing is needed.
        let eea = edit(&yaml, "country: US", "country: IE");
        assert!(with_code(&run(&eea, &[]), Code::GdprTransferSafeguard).is_empty());
        let waived = run(&waive(&yaml, Code::GdprTransferSafeguard, Some("Mailchimp (Intuit Inc.)"), "DPF certified"), &[]);
        assert_waived(&waived, Code::GdprTransferSafeguard, Some("Mailchimp (Intuit Inc.)"));
        // The cookie's own rule is another finding, waived on its own.
        assert_eq!(with_code(&waived, Code::GdprCookieTransfer).len(), 1);
    }

    #[test]
    fn recipients_are_named() {
        let yaml = cut(&example(), "recipients:\n  - name: Combell", "\nrights:");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprRecipients);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("Art. 13(1)(e)"), "{}", d.message);
        assert!(with_code(&run(&example(), &[]), Code::GdprRecipients).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprRecipients, None, "we share nothing"), &[]), Code::GdprRecipients, None);
    }

    #[test]
    fn the_dpo_question_is_answered() {
        let yaml = cut(&example(), "dpo:  ", "# Where personal data");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprDpo);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "site.yaml"));
        assert!(d.message.contains("Art. 13(1)(b)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("appointed: false"));
        let none = cut(&example(), "dpo:  ", "# Where personal data").replacen(
            "# Where personal data",
            "dpo:\n  appointed: false\n  contact: { nl: onze zaakvoerder, en: our manager }\n\n# Where personal data",
            1,
        );
        assert!(with_code(&run(&none, &[]), Code::GdprDpo).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprDpo, Some("dpo"), "being decided"), &[]), Code::GdprDpo, Some("dpo"));
    }

    #[test]
    fn an_authority_hears_complaints() {
        let yaml = edit(&example(), "country: BE                #", "country: US                #");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprAuthority);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "country: US")));
        assert!(d.message.contains("`US`") && d.message.contains("Art. 13(2)(d)"), "{}", d.message);
        let named = format!("{yaml}\nauthority:\n  name: Federal Trade Commission\n  url: https://www.ftc.gov\n");
        assert!(with_code(&run(&named, &[]), Code::GdprAuthority).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprAuthority, Some("authority"), "EU representative answers"), &[]),
            Code::GdprAuthority,
            Some("authority"),
        );
    }

    #[test]
    fn data_names_its_sources() {
        let yaml = edit(&example(), "  contact:\n    sources: [person]\n", "  contact:\n");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprSource);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "  contact:\n")));
        assert!(d.message.contains("`contact`") && d.message.contains("Art. 14(2)(f)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("sources: [person]"));
        assert!(with_code(&run(&example(), &[]), Code::GdprSource).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprSource, Some("contact"), "obvious"), &[]), Code::GdprSource, Some("contact"));
    }

    #[test]
    fn every_cookie_is_described_in_full() {
        let yaml = edit(&edit(&example(), "      duration: session\n", ""), "      party: first\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieIncomplete);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "lumen_session")));
        assert!(
            d.message.contains("`lumen_session`") && d.message.contains("`party`, `duration`") && d.message.contains("C-673/17"),
            "{}",
            d.message
        );
        assert!(!d.message.contains("`provider`"));
        assert!(d.hint.as_deref().unwrap().contains("`duration: 12 months` or `duration: session`"));
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieIncomplete).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprCookieIncomplete, Some("lumen_session"), "being audited"), &[]),
            Code::GdprCookieIncomplete,
            Some("lumen_session"),
        );
    }

    #[test]
    fn cookies_that_need_consent_have_a_consent_purpose() {
        let yaml = example().replace("basis: consent", "basis: contract");
        let found = run(&yaml, &[]);
        let flagged: Vec<&str> = with_code(&found, Code::GdprCookieConsent).iter().map(|d| d.message.split('`').nth(1).unwrap()).collect();
        assert_eq!(flagged, ["lumen_lang", "_pk_id", "_pk_ses", "_mcid"]);
        assert!(found.iter().all(|d| d.severity == Severity::Error && d.message.contains("Art. 5(3)")));
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieConsent).is_empty());
        let waived = run(&waive(&yaml, Code::GdprCookieConsent, Some("lumen_lang"), "a preference, asked on the page"), &[]);
        assert_eq!(with_code(&waived, Code::GdprCookieConsent).len(), 3);
        assert_eq!(one(&waived, Code::Waived).message, "`gdpr-cookie-consent` waived for `lumen_lang`: a preference, asked on the page");
    }

    #[test]
    fn third_party_cookies_name_a_recipient() {
        let yaml =
            edit(&example(), "      provider: Matomo (InnoCraft)\n      party: third", "      provider: Matomo Cloud\n      party: third");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieRecipient);
        assert_eq!((d.severity, d.line, d.column), (Severity::Warning, line_of(&yaml, "Matomo Cloud"), 17));
        assert!(
            d.message.contains("`_pk_id`") && d.message.contains("`Matomo Cloud`") && d.message.contains("Art. 13(1)(e)"),
            "{}",
            d.message
        );
        assert!(d.hint.as_deref().unwrap().contains("- { name: Matomo Cloud, role: processor"));
        // A first-party cookie needs no recipient.
        let first = edit(&yaml, "      provider: Matomo Cloud\n      party: third", "      provider: Matomo Cloud\n      party: first");
        assert!(with_code(&run(&first, &[]), Code::GdprCookieRecipient).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprCookieRecipient, Some("_pk_id"), "same company"), &[]),
            Code::GdprCookieRecipient,
            Some("_pk_id"),
        );
    }

    #[test]
    fn cookies_sending_data_abroad_need_a_safeguard() {
        let yaml = edit(&example(), "    safeguard: data_privacy_framework\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprCookieTransfer);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "provider: Mailchimp")));
        assert!(d.message.contains("`_mcid`") && d.message.contains("in US") && d.message.contains("Art. 13(1)(f)"), "{}", d.message);
        assert!(with_code(&run(&example(), &[]), Code::GdprCookieTransfer).is_empty());
        let waived = run(&waive(&yaml, Code::GdprCookieTransfer, Some("_mcid"), "DPF certified"), &[]);
        assert!(with_code(&waived, Code::GdprCookieTransfer).is_empty());
        assert_eq!(one(&waived, Code::Waived).message, "`gdpr-cookie-transfer` waived for `_mcid`: DPF certified");
    }

    #[test]
    fn every_language_states_the_same_facts() {
        // A number only the English cookie policy states.
        let cookies_en = edit(&repo_file("content/cookies.en.md"), "## What cookies are", "We keep 42 cookies.\n\n## What cookies are");
        let found = run(&example(), &[("content/cookies.en.md", cookies_en.clone())]);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "content/cookies.en.md"));
        assert_eq!((d.line, d.column), (line_of(&cookies_en, "42 cookies"), 9));
        assert!(d.message.contains("`42` only in `en`"), "{}", d.message);
        // A cookie only the Dutch privacy policy names.
        let privacy_nl =
            edit(&repo_file("content/privacy.nl.md"), "## Wie we zijn", "De cookie lumen_lang onthoudt je taal.\n\n## Wie we zijn");
        let files = [("content/privacy.nl.md", privacy_nl.clone())];
        let found = run(&example(), &files);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!((d.file.as_str(), d.line, d.column), ("content/privacy.nl.md", line_of(&privacy_nl, "lumen_lang"), 11));
        assert!(d.message.contains("`lumen_lang` only in `nl` (content/privacy.nl.md)"), "{}", d.message);
        // A recipient only the English cookie policy names, by its English name.
        let cookies_en =
            edit(&repo_file("content/cookies.en.md"), "## What cookies are", "Our accountant reads this too.\n\n## What cookies are");
        let found = run(&example(), &[("content/cookies.en.md", cookies_en.clone())]);
        let d = one(&found, Code::GdprLocalesDiffer);
        assert_eq!((d.file.as_str(), d.line, d.column), ("content/cookies.en.md", line_of(&cookies_en, "Our accountant"), 1));
        assert!(d.message.contains("different recipients") && d.message.contains("`Our accountant` only in `en`"), "{}", d.message);
        let files_en = [("content/cookies.en.md", cookies_en)];
        let waived = run(&waive(&example(), Code::GdprLocalesDiffer, Some("Our accountant"), "the Dutch page follows"), &files_en);
        assert_waived(&waived, Code::GdprLocalesDiffer, Some("Our accountant"));
        assert!(with_code(&run(&example(), &[]), Code::GdprLocalesDiffer).is_empty());
        assert_waived(
            &run(&waive(&example(), Code::GdprLocalesDiffer, Some("lumen_lang"), "a Dutch-only remark"), &files),
            Code::GdprLocalesDiffer,
            Some("lumen_lang"),
        );
    }

    #[test]
    fn site_yaml_text_avoids_vague_words() {
        let yaml = edit(&example(), "en: Sending our newsletter", "en: Sending some newsletters");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprVagueLanguage);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Warning, "site.yaml"));
        assert_eq!(Pos::new(d.line, d.column, d.len), Pos::find(&yaml, "some newsletters").map(|p| Pos { len: 4, ..p }).unwrap());
        assert!(d.message.contains("`some`") && d.message.contains("Art. 12(1)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("the name of the purpose `newsletter` (`en`)"));
        // A modal verb is vague when it hedges what is done with data ...
        let hedged = edit(&example(), "nl: Onze nieuwsbrief sturen", "nl: We kunnen je een nieuwsbrief sturen");
        let found = run(&hedged, &[]);
        let d = one(&found, Code::GdprVagueLanguage);
        assert_eq!(d.line, line_of(&hedged, "We kunnen"));
        assert!(d.message.contains("`kunnen`"));
        // ... not when it says what others can do ("businesses that could become customers").
        assert!(example().contains("die hun facturen niet kunnen betalen") && example().contains("die onze klant kunnen worden"));
        assert!(with_code(&run(&example(), &[]), Code::GdprVagueLanguage).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprVagueLanguage, Some("newsletter"), "marketing wants it"), &[]),
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
        assert_eq!((d.file.as_str(), d.line, d.column, d.len), ("content/cookies.en.md", line_of(&text, "We may share"), 19, 3));
        // Only the site's own files: what polis ships is not the site's text.
        let mut sources = Sources::new();
        sources.insert("<polis>/content/cookies.en.md".into(), "We may share some data.".into());
        let (_, site) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(lint(&site, &Rendered::default(), &sources).is_empty());
        sources.insert("content/cookies.en.md".into(), "We may share some data.".into());
        assert_eq!(lint(&site, &Rendered::default(), &sources).len(), 2);
        let waived = run(&waive(&example(), Code::GdprVagueLanguage, Some("content/cookies.en.md"), "legal wording"), &files);
        assert_waived(&waived, Code::GdprVagueLanguage, Some("content/cookies.en.md"));
    }

    #[test]
    fn waivers_name_a_rule_and_are_used() {
        let found = run(&waive(&example(), "gdpr-retension", Some("contact"), "typo"), &[]);
        let d = one(&found, Code::UnknownRule);
        assert_eq!(d.severity, Severity::Error);
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean `gdpr-retention`?"));
        let yaml = waive(&example(), Code::GdprRetention, Some("contcat"), "kept by law");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::UnusedWaiver);
        assert_eq!((d.severity, d.line), (Severity::Warning, line_of(&yaml, "at: \"contcat\"")));
        assert!(d.hint.as_deref().unwrap().ends_with("did you mean `contact`?"));
        let whole_site = waive(&example(), Code::GdprDpo, None, "just in case");
        assert_eq!(one(&run(&whole_site, &[]), Code::UnusedWaiver).message, "the waiver of `gdpr-dpo` for the whole site matches nothing");
    }
}
