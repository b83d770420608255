//! `polis export`: the policies and their facts in the forms other tools read, from the same run
//! that `check` makes (docs/export.md).
//!
//! - `markdown`: each page as CommonMark with TOML front matter, for a Hugo or Zola content folder;
//! - `fragment`: each page's HTML without the theme's layout, for a CMS block or an include;
//! - `json`: the facts of site.yaml, every text in every language (schema/export.schema.json);
//! - `register`: the record of processing activities of GDPR Art. 30, as CSV and as a page per
//!   language.
//!
//! An export is a function of memory, like render: it returns the files, and write puts them on
//! disk the way it writes a build. Links are absolute (`site.base_url`), since the files are read
//! away from the pages polis builds; values stay escaped in every format; nothing depends on the
//! clock or the order of a hash map, so two exports of the same site are byte-identical.

mod fragment;
mod json;
mod markdown;
mod register;

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{PageKind, Site};
use crate::render::{Page, Rendered};

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
    /// The record of processing activities (GDPR Art. 30): CSV, and a page per language.
    Register,
}

impl Format {
    /// Its name on the command line and as the default folder (`export/markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Fragment => "fragment",
            Format::Json => "json",
            Format::Register => "register",
        }
    }
}

/// What an export reads besides the pages and the facts they were rendered from in each language
/// ([`Rendered::views`]): the typed site.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// site.yaml, typed.
    pub site: Site,
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
        }
    }
}

impl std::error::Error for ExportError {}

/// The files of `format` for the site of `facts`, whose pages are `rendered` and whose check
/// found `diagnostics`. The register is refused while check says it lacks something
/// (`gdpr-register`): an incomplete record would look complete.
pub fn export(
    format: Format,
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
        Format::Fragment => Ok(fragment::pages(&rendered.pages, &links)),
        Format::Json => json::facts(&facts.site),
        Format::Register => {
            let lacking = diagnostics
                .iter()
                .filter(|d| d.code == Code::GdprRegister)
                .count();
            if lacking > 0 {
                return Err(ExportError::RegisterIncomplete(lacking));
            }
            register::register(&rendered.views)
        }
    }
}

/// Where every page and document is on the web: what named links become in an export.
pub(crate) struct Links<'a> {
    site: &'a Site,
    /// The absolute URL of each page by `(locale, page)`.
    pages: BTreeMap<(String, PageKind), String>,
}

impl<'a> Links<'a> {
    fn new(site: &'a Site, pages: &[Page]) -> Self {
        let base = &site.settings.base_url.value;
        let pages = pages
            .iter()
            .map(|p| ((p.locale.clone(), p.name), format!("{base}{}", p.url)))
            .collect();
        Links { site, pages }
    }

    /// The absolute URL of `page` in `locale`.
    fn page(&self, locale: &str, page: PageKind) -> &str {
        self.pages
            .get(&(locale.to_owned(), page))
            .map_or("", String::as_str)
    }

    /// `@/cookies#x` → `https://…/nl/cookiebeleid/#x`; `@doc/terms` → the document's URL.
    fn resolve(&self, dest: &str, locale: &str) -> Option<String> {
        let (target, anchor) = dest
            .split_once('#')
            .map_or((dest, None), |(t, a)| (t, Some(a)));
        let url = if let Some(page) = target.strip_prefix("@/") {
            self.pages
                .get(&(locale.to_owned(), PageKind::named(page)?))?
                .clone()
        } else if let Some(key) = target.strip_prefix("@doc/") {
            self.site
                .documents
                .iter()
                .find(|d| d.key.value == key)?
                .url
                .get(locale)
                .to_owned()
        } else {
            return None;
        };
        Some(match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url,
        })
    }
}
