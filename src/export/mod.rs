//! `polis export`: the policies and their facts in the forms other tools read, from the same run
//! that `check` makes (docs/export.md).
//!
//! - `markdown`: each page as CommonMark with TOML front matter, for a Hugo or Zola content folder;
//! - `fragment`: each page's HTML without the theme's layout, for a CMS block or an include;
//! - `json`: the facts of site.yaml, every text in every language (schema/export.schema.json);
//! - `consent`: the configuration of the consent banner (vanilla-cookieconsent v3), as an ES
//!   module and as JSON, from the cookie facts and the policies' words;
//! - `register`: the record of processing activities of GDPR Art. 30, as a workbook, CSV and a
//!   page per language.
//!
//! An export is a function of memory, like render: it returns the files, and write puts them on
//! disk the way it writes a build. Links between the exported pages follow where the files land
//! ([`Style`]): relative in the Markdown, absolute (`site.base_url`) in a fragment read on another
//! site; values stay escaped in every format; nothing depends on the clock or the order of a hash
//! map, so two exports of the same site are byte-identical.

pub mod consent;
mod fragment;
mod json;
mod markdown;
mod register;

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{PageKind, Site};
use crate::render::{Page, Rendered};
use crate::yaml::Node;

pub use json::FORMAT_VERSION;

/// What `polis export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each page as CommonMark with front matter, for a Hugo or Zola content folder.
    Markdown,
    /// Each page as HTML without layout, for a CMS block or an include.
    Fragment,
    /// The facts of site.yaml, every text in every language (docs/export.md).
    Json,
    /// The record of processing activities (GDPR Art. 30): a workbook (.xlsx), CSV, and a page
    /// per language.
    Register,
    /// The consent banner's configuration (vanilla-cookieconsent v3), as an ES module and JSON.
    Consent,
}

impl Format {
    /// Its name on the command line and as the default folder (`export/markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Fragment => "fragment",
            Format::Json => "json",
            Format::Register => "register",
            Format::Consent => "consent",
        }
    }
}

/// What an export reads besides the pages and the facts they were rendered from in each language
/// ([`Rendered::views`]): the typed site, and the locale packs the pages were written with.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// site.yaml, typed.
    pub site: Site,
    /// The locale pack of each language, by locale: its display path and its tree (the
    /// register's own words).
    pub locale_packs: BTreeMap<String, (String, Node)>,
    /// The consent banner's revision, from the versions in archive/ ([`consent::revision`]).
    pub consent_revision: u32,
}

/// What the command line adds to a format.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `export fragment --id-prefix`: what every id of the fragments starts with, and so every
    /// link to one, so that they cannot clash with the ids of the page that embeds them.
    pub id_prefix: String,
}

/// `--id-prefix` as HTML and CSS take it without escaping: a letter, then letters, digits, `-`
/// and `_`, at most 64 of them.
pub fn id_prefix(value: &str) -> Result<String, String> {
    let mut chars = value.chars();
    let fits = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && value.len() <= 64;
    if fits {
        Ok(value.to_owned())
    } else {
        Err("a letter, then letters, digits, `-` or `_` (at most 64), e.g. `policy-`".to_owned())
    }
}

/// Files by path relative to the export folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Why an export made no files.
#[derive(Debug)]
pub enum ExportError {
    /// The record of processing lacks facts that check reports as `gdpr-register`: an
    /// incomplete record would look complete.
    RegisterIncomplete(usize),
    /// The facts could not be written as JSON.
    Json(serde_json::Error),
    /// The register could not be written as CSV.
    Csv(String),
    /// The register could not be written as a workbook.
    Xlsx(String),
    /// The locale packs lack words of the register: each as `file: `key``.
    RegisterWords(Vec<String>),
    /// The cookie facts the banner needs are not declared: where, and what to write.
    Consent(String),
    /// The locale packs lack words of the banner: each as `file: `key``.
    ConsentWords(Vec<String>),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::RegisterIncomplete(lacking) => write!(
                f,
                "the record of processing lacks {lacking} fact(s) that check reports as gdpr-register; add them to site.yaml"
            ),
            ExportError::Json(e) => write!(f, "cannot write the facts as JSON: {e}"),
            ExportError::Csv(e) => write!(f, "cannot write the register as CSV: {e}"),
            ExportError::Xlsx(e) => write!(f, "cannot write the register as a workbook: {e}"),
            ExportError::RegisterWords(keys) => write!(
                f,
                "the locale packs lack the register's words: {}; add them (the shipped \
                 themes/default/i18n/en.yaml has every key under `register:`)",
                keys.join(", ")
            ),
            ExportError::Consent(e) => f.write_str(e),
            ExportError::ConsentWords(keys) => write!(
                f,
                "the locale packs lack the consent banner's words: {}; add them (the shipped \
                 themes/default/i18n/en.yaml has every key under `consent_banner:`)",
                keys.join(", ")
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// The files of `format` for the site of `facts`, whose pages are `rendered` and whose check
/// found `diagnostics`. The register is refused while check says it lacks something
/// (`gdpr-register`): an incomplete record would look complete.
pub fn export(
    format: Format,
    options: &Options,
    facts: &Facts,
    rendered: &Rendered,
    diagnostics: &[Diagnostic],
) -> Result<Files, ExportError> {
    let links = Links::new(&facts.site, &rendered.pages);
    match format {
        Format::Markdown => Ok(markdown::pages(
            &facts.site,
            &rendered.pages,
            &rendered.views,
            &links,
        )),
        Format::Fragment => Ok(fragment::pages(&rendered.pages, &links, &options.id_prefix)),
        Format::Json => json::facts(&facts.site, &rendered.views, &links),
        Format::Register => {
            let lacking = diagnostics
                .iter()
                .filter(|d| d.code == Code::GdprRegister)
                .count();
            if lacking > 0 {
                return Err(ExportError::RegisterIncomplete(lacking));
            }
            register::register(facts, &rendered.views)
        }
        Format::Consent => consent::consent(facts, &rendered.views, &rendered.pages, &links),
    }
}

/// Where every page and document is on the web: what named links become in an export.
pub(crate) struct Links<'a> {
    site: &'a Site,
    /// The absolute URL of each page by `(locale, page)`.
    pages: BTreeMap<(String, PageKind), String>,
    /// The slug of each page by `(locale, page)`: the last part of its path.
    slugs: BTreeMap<(String, PageKind), String>,
}

/// How an export writes a named link to one of the pages it exports.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style<'p> {
    /// Relative to the page it is on, `../cookiebeleid/#x`: the Markdown export's files land in
    /// one folder of a Hugo or Zola site, which publishes each at `<slug>/` beside the others,
    /// wherever the folder is.
    Relative,
    /// The page's absolute URL (`site.base_url`), for a fragment read on another site, its
    /// anchor starting with the fragments' id prefix.
    Absolute {
        /// What each id of the fragments starts with (`""` for none); the fragment itself
        /// prefixes the anchors within it.
        id_prefix: &'p str,
    },
}

impl<'a> Links<'a> {
    fn new(site: &'a Site, pages: &[Page]) -> Self {
        let base = &site.settings.base_url.value;
        let key = |p: &Page| (p.locale.clone(), p.name);
        let slugs = pages
            .iter()
            .map(|p| (key(p), slug(&p.url).to_owned()))
            .collect();
        let pages = pages
            .iter()
            .map(|p| (key(p), format!("{base}{}", p.url)))
            .collect();
        Links { site, pages, slugs }
    }

    /// The absolute URL of `page` in `locale`.
    fn page(&self, locale: &str, page: PageKind) -> &str {
        self.pages
            .get(&(locale.to_owned(), page))
            .map_or("", String::as_str)
    }

    /// What the named link `dest` becomes on the page `from` of `locale`: an anchor in `from`
    /// itself is the anchor alone (`#object`); a link to another page is written in `style`; a
    /// document (`@doc/terms`) is its URL, with its own anchors.
    fn resolve(&self, dest: &str, locale: &str, from: PageKind, style: Style) -> Option<String> {
        let (target, anchor) = dest
            .split_once('#')
            .map_or((dest, None), |(t, a)| (t, Some(a)));
        if let Some(page) = target.strip_prefix("@/") {
            let page = PageKind::named(page)?;
            let key = (locale.to_owned(), page);
            let (url, prefix) = match style {
                _ if page == from && anchor.is_some() => (String::new(), ""),
                Style::Relative => (format!("../{}/", self.slugs.get(&key)?), ""),
                Style::Absolute { id_prefix } => (self.pages.get(&key)?.clone(), id_prefix),
            };
            return Some(match anchor {
                Some(a) => format!("{url}#{prefix}{a}"),
                None => url,
            });
        }
        let key = target.strip_prefix("@doc/")?;
        let url = self
            .site
            .documents
            .iter()
            .find(|d| d.key.value == key)?
            .url
            .get(locale);
        Some(match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url.to_owned(),
        })
    }
}

/// `/nl/privacyverklaring/` → `privacyverklaring`.
fn slug(url: &str) -> &str {
    let path = url.trim_end_matches('/');
    path.rsplit_once('/').map_or(path, |(_, slug)| slug)
}
