//! Checks across the model that decoding one value at a time cannot make: references between
//! sections of site.yaml, keys and slugs that must be unique, and the inventory of pages and
//! locales (a text for every page in every language, the theme's strings for each language). Never
//! stops at the first problem. Render relies on these checks: it renders what
//! there is and passes over what is missing without a word, since it has been reported here.

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::facts;
use crate::load::{self, ContentFile, Input, Origin};
use crate::model::decode::nearest;
use crate::model::{PageKind, Site, Str};
use crate::yaml::{Kind, Node};

/// Known source keys that need no declaration: the locale packs name them.
pub const KNOWN_SOURCES: &[&str] = &["person", "website", "public", "partners"];

/// Every problem across `site` and the files read with it.
pub fn validate(site: &Site, input: &Input) -> Vec<Diagnostic> {
    let mut out = references(site);
    slugs(site, input, &mut out);
    own_words(site, &mut out);
    countries(site, input, &mut out);
    inventory(site, input, &mut out);
    out
}

/// A data category or source polis does not know has no name or description in the locale packs:
/// the site gives its own, once for every language.
fn own_words(site: &Site, out: &mut Vec<Diagnostic>) {
    for d in &site.data {
        let key = &d.key.value;
        if key.is_empty() || facts::KNOWN_DATA_CATEGORIES.contains(&key.as_str()) {
            continue;
        }
        let missing: Vec<&str> = [
            ("name", d.name.is_none()),
            ("description", d.description.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, missing)| missing.then_some(field))
        .collect();
        if missing.is_empty() {
            continue;
        }
        let fields = missing
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let example = missing
            .iter()
            .map(|f| format!("{f}: {{ {} }}", skeleton(site)))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Diagnostic::error(
                Code::MissingField,
                "site.yaml",
                d.key.pos,
                format!("`data.{key}` has no {fields}, and it is not a data category polis knows"),
            )
            .hint(format!(
                "add to `data.{key}` what people read of it: `{example}`; polis knows: {}",
                facts::KNOWN_DATA_CATEGORIES.join(", ")
            )),
        );
    }
    for s in &site.sources {
        let key = &s.key.value;
        if key.is_empty() || KNOWN_SOURCES.contains(&key.as_str()) || s.name.is_some() {
            continue;
        }
        out.push(
            Diagnostic::error(
                Code::MissingField,
                "site.yaml",
                s.key.pos,
                format!("`sources.{key}` has no name, and it is not a source polis knows"),
            )
            .hint(format!(
                "add `name: {{ {} }}` to `sources.{key}`; polis knows: {}",
                skeleton(site),
                KNOWN_SOURCES.join(", ")
            )),
        );
    }
}

/// `nl: ..., en: ...` for the site's locales.
fn skeleton(site: &Site) -> String {
    site.settings
        .locales
        .iter()
        .map(|l| format!("{}: ...", l.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every country site.yaml names has a name in the words of every language, reported once where
/// it is written (a malformed code was reported by decoding).
fn countries(site: &Site, input: &Input, out: &mut Vec<Diagnostic>) {
    // Each code with the section that writes it, for the hint (a recipient may give a region).
    let codes = std::iter::once(("company", &site.company.address.country))
        .chain(site.recipients.iter().map(|r| ("recipients", &r.country)))
        .chain(
            site.cookies
                .list
                .iter()
                .filter_map(|c| Some(("cookies", c.country.as_ref()?))),
        );
    let packs: Vec<(&String, &String, &Node)> = site
        .settings
        .locales
        .iter()
        .filter_map(|l| input.locale_packs.get_key_value(&l.value))
        .map(|(l, (f, n))| (l, f, n))
        .collect();
    for (section, code) in codes {
        if facts::CountryCode::parse(&code.value).is_none() {
            continue;
        }
        let lacking: Vec<&(&String, &String, &Node)> = packs
            .iter()
            .filter(|(_, _, pack)| {
                pack.get("countries")
                    .and_then(|c| c.get(&code.value))
                    .is_none()
            })
            .collect();
        if lacking.is_empty() {
            continue;
        }
        let (message, hint) = if lacking.len() == packs.len() {
            (
                format!("polis does not know the country `{}`", code.value),
                crate::model::country_fix(&code.value, section).unwrap_or_else(|| {
                    "check the code: the two capital letters of ISO 3166-1, e.g. BE, NL, DE, US"
                        .to_owned()
                }),
            )
        } else {
            let files = lacking
                .iter()
                .map(|(_, f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(" and ");
            let locales = lacking
                .iter()
                .map(|(l, _, _)| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("the country `{}` has no name in {locales}", code.value),
                format!("add `{}: <name>` under `countries` in {files}", code.value),
            )
        };
        out.push(
            Diagnostic::error(Code::UnknownCountry, "site.yaml", code.pos, message).hint(hint),
        );
    }
}

/// Keys that name items of other sections, and keys that must be unique.
fn references(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source_keys: Vec<&str> = site
        .sources
        .iter()
        .map(|s| s.key.value.as_str())
        .chain(KNOWN_SOURCES.iter().copied())
        .collect();
    let data_keys: Vec<&str> = site.data.iter().map(|d| d.key.value.as_str()).collect();
    let (source_set, data_set): (HashSet<&str>, HashSet<&str>) = (
        source_keys.iter().copied().collect(),
        data_keys.iter().copied().collect(),
    );
    let mut purpose_keys = HashSet::new();
    for d in &site.data {
        for s in &d.sources {
            if !source_set.contains(s.value.as_str()) {
                reference(
                    &mut out,
                    s,
                    &source_keys,
                    &format!("data.{}.sources", d.key.value),
                    "source",
                    "sources",
                );
            }
        }
    }
    for p in &site.purposes {
        if !purpose_keys.insert(p.key.value.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateKey,
                    "site.yaml",
                    p.key.pos,
                    format!("two purposes have the key `{}`", p.key.value),
                )
                .hint("give each purpose its own key"),
            );
        }
        for k in &p.data {
            if !data_set.contains(k.value.as_str()) {
                reference(
                    &mut out,
                    k,
                    &data_keys,
                    &format!("purposes.{}.data", p.key.value),
                    "data category",
                    "data",
                );
            }
        }
    }
    let purpose_list: Vec<&str> = site.purposes.iter().map(|p| p.key.value.as_str()).collect();
    // A purpose key that is no key is reported where it is written; the recipients that name the
    // purpose by the key it should have are not also reported.
    let keys_valid = purpose_list.iter().all(|k| {
        k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    });
    for r in site.recipients.iter().filter(|_| keys_valid) {
        for k in r.purposes.iter().flatten() {
            if !purpose_keys.contains(k.value.as_str()) {
                let name = r.name.all().next().unwrap_or_default();
                reference(
                    &mut out,
                    k,
                    &purpose_list,
                    &format!("recipients[{name}].purposes"),
                    "purpose",
                    "purposes",
                );
            }
        }
    }
    let mut cookie_names = HashSet::new();
    for c in &site.cookies.list {
        if !cookie_names.insert(c.name.value.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateKey,
                    "site.yaml",
                    c.name.pos,
                    format!("the cookie `{}` is listed twice", c.name.value),
                )
                .hint("list each cookie once"),
            );
        }
    }
    out
}

/// No two pages of a locale at the same URL; and a slug for each, from site.yaml or the
/// language's locale pack.
fn slugs(site: &Site, input: &Input, out: &mut Vec<Diagnostic>) {
    for locale in &site.settings.locales {
        let mut taken: Vec<&str> = Vec::new();
        for page in PageKind::ALL {
            if site.settings.slug(&locale.value, page).is_none() {
                pack_slug_missing(input, &locale.value, page, out);
            }
            let (slug, pos) = slug(site, input, &locale.value, page);
            if taken.contains(&slug) {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "site.yaml",
                        pos,
                        format!("two pages in `{}` have the slug `{slug}`", locale.value),
                    )
                    .hint("give each page its own slug under `site.slugs`"),
                );
            }
            taken.push(slug);
        }
    }
}

/// The slug of `page` in `locale`: the one site.yaml gives, with where it is written; else the
/// word of the language's locale pack, `slugs.<page>` (at no position); else, where the pack has
/// none that is a slug ([`slugs`] reported it), the page's name.
pub fn slug<'a>(site: &'a Site, input: &'a Input, locale: &str, page: PageKind) -> (&'a str, Pos) {
    match site.settings.slug(locale, page) {
        Some(slug) => (&slug.value, slug.pos),
        None => (
            pack_slug(input, locale, page)
                .and_then(|n| match &n.kind {
                    Kind::Str(s) if is_slug(s) => Some(s.as_str()),
                    _ => None,
                })
                .unwrap_or(page.as_str()),
            Pos::default(),
        ),
    }
}

/// `slugs.<page>` of the locale pack of `locale`. Not varied by country: a page's address is the
/// same for every company.
fn pack_slug<'a>(input: &'a Input, locale: &str, page: PageKind) -> Option<&'a Node> {
    let (_, pack) = input.locale_packs.get(locale)?;
    pack.get("slugs")?.get(page.as_str())
}

/// A URL path segment, as site.yaml's slugs are: lowercase letters, digits and dashes, so that a
/// word of a pack can never climb out of the output either.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reports a locale pack without a slug for `page` (a missing pack is reported by [`inventory`]),
/// in the words render uses for any word a pack lacks.
fn pack_slug_missing(input: &Input, locale: &str, page: PageKind, out: &mut Vec<Diagnostic>) {
    let Some((file, _)) = input.locale_packs.get(locale) else {
        return;
    };
    let key = format!("slugs.{page}");
    match pack_slug(input, locale, page) {
        Some(Node {
            kind: Kind::Str(s), ..
        }) if is_slug(s) => {}
        Some(node) => out.push(
            Diagnostic::error(
                Code::InvalidValue,
                file,
                node.pos,
                format!("`{key}` is not a slug"),
            )
            .hint("use lowercase letters, digits and dashes only, e.g. `privacy-policy`"),
        ),
        None => out.push(
            Diagnostic::error(
                Code::MissingTranslation,
                file,
                Pos::new(1, 1, 1),
                format!("the locale pack has no `{key}`"),
            )
            .hint(format!(
                "add `{key}` to {file}, or give the page's slug in `{locale}` under `site.slugs`"
            )),
        ),
    }
}

/// Every page in every locale, and nothing else; the theme's strings for every locale, and its
/// templates.
fn inventory(site: &Site, input: &Input, out: &mut Vec<Diagnostic>) {
    let pages = || PageKind::ALL.map(PageKind::as_str).join(", ");
    for path in &input.misnamed {
        let name = path.strip_prefix("content/").unwrap_or(path);
        out.push(
            Diagnostic::error(
                Code::UnknownPage,
                path,
                Pos::default(),
                format!("`{name}` is not named `<page>.<locale>.md`"),
            )
            .hint(format!(
                "name policy texts like `privacy.nl.md`; the pages are: {}",
                pages()
            )),
        );
    }
    let locales = site.settings.locale_keys();
    if locales.is_empty() {
        return; // decoding has reported it; without a language there is nothing to render
    }
    let theme_dir = format!("themes/{}", site.settings.theme.value);
    for (path, page) in &input.unknown_pages {
        out.push(
            Diagnostic::error(
                Code::UnknownPage,
                path,
                Pos::default(),
                format!("polis has no page `{page}`"),
            )
            .hint(format!(
                "the pages are: {}; rename or remove this file",
                pages()
            )),
        );
    }
    for file in &input.content {
        // A copy of a text polis ships in that language is polis's text, not one the site wrote.
        let polis_own = load::shipped(&file.path).is_some_and(|b| b == file.text.as_bytes());
        if !locales.contains(&file.locale.as_str()) && file.origin == Origin::Site && !polis_own {
            out.push(
                Diagnostic::warning(
                    Code::UnknownLocale,
                    &file.path,
                    Pos::default(),
                    format!(
                        "`{}` is not one of the site's languages, so this file is not published",
                        file.locale
                    ),
                )
                .hint(format!(
                    "add `{}` to `site.locales` in site.yaml, or remove the file",
                    file.locale
                )),
            );
        }
    }
    for page in PageKind::ALL {
        translations(site, input, page, &locales, out);
    }
    for locale in &locales {
        if !input.locale_packs.contains_key(*locale) {
            let file = format!("{theme_dir}/i18n/{locale}.yaml");
            out.push(
                Diagnostic::error(
                    Code::MissingTranslation,
                    "site.yaml",
                    listed(site, locale),
                    format!("the theme has no strings for `{locale}`"),
                )
                .hint(format!(
                    "create {file}, translating one of the theme's other locale packs"
                )),
            );
        }
    }
}

/// A text of `page` in every locale, and not the site's own in one and polis's in another.
fn translations(
    site: &Site,
    input: &Input,
    page: PageKind,
    locales: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let file_in = |locale: &str| -> Option<&ContentFile> {
        input
            .content
            .iter()
            .find(|f| f.locale == locale && PageKind::named(&f.page) == Some(page))
    };
    let exists = |l: &str| {
        file_in(l).is_some()
            || input
                .unreadable
                .iter()
                .any(|(p, ul)| p == page.as_str() && ul == l)
    };
    let present: Vec<&str> = locales.iter().copied().filter(|l| exists(l)).collect();
    for locale in locales {
        if !present.contains(locale) {
            let file = format!("content/{page}.{locale}.md");
            let others = if present.is_empty() {
                String::new()
            } else {
                format!("; it exists in {}", present.join(", "))
            };
            out.push(
                Diagnostic::error(
                    Code::MissingTranslation,
                    "site.yaml",
                    listed(site, locale),
                    format!("the {page} page has no `{locale}` text{others}"),
                )
                .hint(format!("write {file}, translating the other languages' text, or take `{locale}` out of `site.locales`")),
            );
        }
    }
    // The site's own text in one language and polis's in another would say different things.
    // Only a text that replaces a shipped one counts: a copy of the shipped text (as in polis's
    // own repository) replaces nothing, and neither does a text in a language polis ships none
    // in, which is how a site adds a language.
    let own = |l: &str| {
        file_in(l).is_some_and(|f| {
            f.origin == Origin::Site
                && load::shipped(&f.path).is_some_and(|shipped| shipped != f.text.as_bytes())
        })
    };
    let Some(written) = locales.iter().find(|l| own(l)) else {
        return;
    };
    for locale in locales
        .iter()
        .filter(|l| file_in(l).is_some_and(|f| f.origin == Origin::Shipped))
    {
        let file = format!("content/{page}.{locale}.md");
        out.push(
            Diagnostic::error(
                Code::MissingTranslation,
                format!("content/{page}.{written}.md"),
                Pos::default(),
                format!("content/{page}.{written}.md replaces the text polis ships, but the `{locale}` page would still use polis's"),
            )
            .hint(format!("write {file} as a translation of content/{page}.{written}.md, or remove your own text")),
        );
    }
}

/// Where `locale` is listed in `site.locales`: what a language lacks (a text, a locale pack) is
/// reported there, since the file does not exist.
fn listed(site: &Site, locale: &str) -> Pos {
    site.settings
        .locales
        .iter()
        .find(|l| l.value == locale)
        .map_or(Pos::default(), |l| l.pos)
}

fn reference(
    out: &mut Vec<Diagnostic>,
    key: &Str,
    known: &[&str],
    path: &str,
    what: &str,
    section: &str,
) {
    // A placeholder is reported where it is written, as what is still to be filled in.
    if known.contains(&key.value.as_str()) || crate::model::decode::is_unfilled(&key.value) {
        return;
    }
    let hint = match nearest(&key.value, known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "add `{}` under `{section}`, or use one of: {}",
            key.value,
            known.join(", ")
        ),
    };
    out.push(
        Diagnostic::error(
            Code::UnknownReference,
            "site.yaml",
            key.pos,
            format!(
                "`{path}` names `{}`, which is no {what} in site.yaml",
                key.value
            ),
        )
        .hint(hint),
    );
}
