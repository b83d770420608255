//! Content, theme and model to finished pages, in memory. No file is read or written here, and
//! nothing missing is reported: [`crate::validate`] has named every absent text, locale pack and
//! template, and render passes over them.
//!
//! Each content file is a Tera template producing Markdown (`front_matter`, `template`); its
//! output becomes HTML (`markdown`), which the theme's `page.html` wraps. The languages are
//! rendered side by side (`locale`), each with the variables of docs/templates.md built once
//! as a typed [`View`] (`view`, in the words of its locale pack: `localize`; the versions of each page and what
//! changed in them: `versions`). The archived versions are republished as they were, with a
//! notice (`archived`), and each page with versions gets an index of them (`versions.html`). Template errors keep their file,
//! line and column; an undefined field is reported and blanked out, and rendering goes on, so one
//! run names every unfilled field.

mod archived;
mod front_matter;
mod locale;
mod localize;
pub mod markdown;
mod template;
mod versions;
pub mod view;

use std::collections::BTreeMap;

use rayon::prelude::*;

use serde_json::{Value, json};

use crate::diagnostics::Diagnostic;
use crate::history::History;
use crate::load::{Input, Origin};
use crate::model::{PageKind, Site};
use front_matter::{Parsed, split_front_matter};
pub(crate) use localize::{Pack, fill};
use localize::{language_name, language_tag};
pub use template::{Rendering, when_overdue, with_rendering};
use template::{render_theme, template_error};
pub use view::View;

/// A rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Which page it is.
    pub name: PageKind,
    /// Its locale.
    pub locale: String,
    /// Its URL path: `/nl/privacyverklaring/`.
    pub url: String,
    /// The content file it was made from (display path).
    pub source: String,
    /// Whether that file is the site's or the one polis ships.
    pub origin: Origin,
    /// The whole HTML document.
    pub html: String,
    /// What a reader sees of it: the text, without tags, entities decoded. The checks read this.
    pub text: String,
    /// Headings, for the checks that compare locales.
    pub toc: Vec<markdown::TocEntry>,
    /// The title, from the text's front matter.
    pub title: String,
    /// The description, from the text's front matter (empty when it has none).
    pub description: String,
    /// The text as Markdown, before it became HTML: named links (`@/cookies`) not yet resolved.
    /// The exports read it.
    pub markdown: String,
}

/// Everything a build writes, by path relative to the output folder.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The policy pages.
    pub pages: Vec<Page>,
    /// Every output file, pages included.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The facts each language's pages were rendered from, by locale: what the exports that state
    /// the same facts in another form (the record of processing) read, in the same words.
    pub views: BTreeMap<String, View>,
}

/// The URL path of each page in each locale: `urls[(locale, page)]`.
fn plan_urls(site: &Site, input: &Input) -> BTreeMap<(String, PageKind), String> {
    let mut urls = BTreeMap::new();
    for locale in &site.settings.locales {
        for page in PageKind::ALL {
            let (slug, _) = crate::validate::slug(site, input, &locale.value, page);
            urls.insert(
                (locale.value.clone(), page),
                format!("/{}/{slug}/", locale.value),
            );
        }
    }
    urls
}

/// Renders every page of the site. Returns what could be rendered and the problems found
/// rendering it (front matter, templates, unfilled fields, links). What [`crate::validate`] reports
/// (a page or a locale pack missing, a theme without its templates) is passed over here.
pub fn render(site: &Site, input: &Input, history: &History) -> (Rendered, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut rendered = Rendered::default();
    let locales: Vec<String> = site
        .settings
        .locales
        .iter()
        .map(|l| l.value.clone())
        .collect();
    if locales.is_empty() {
        return (rendered, diagnostics);
    }
    let urls = plan_urls(site, input);
    let contents = parse_contents(input, &locales, &mut diagnostics);
    let Some(theme) = compile_theme(input, &mut diagnostics) else {
        return (rendered, diagnostics);
    };

    // The languages are rendered side by side: they share nothing but what they read.
    let job = Job {
        site,
        input,
        history,
        contents: &contents,
        urls: &urls,
        locales: &locales,
        theme: &theme,
    };
    let outputs: Vec<(Rendered, Vec<Diagnostic>)> = locales
        .par_iter()
        .map(|locale| job.render_locale(locale))
        .collect();
    for (output, problems) in outputs {
        rendered.pages.extend(output.pages);
        rendered.files.extend(output.files);
        rendered.views.extend(output.views);
        diagnostics.extend(problems);
    }
    job.render_index(&mut rendered, &mut diagnostics);
    for (name, bytes) in &input.static_files {
        rendered
            .files
            .entry(name.clone())
            .or_insert_with(|| bytes.clone());
    }
    (rendered, diagnostics)
}

/// The texts of the site's pages in its languages, by `(locale, page)`, their front matter split
/// off; validate has reported any other.
fn parse_contents<'a>(
    input: &'a Input,
    locales: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<(String, PageKind), Parsed<'a>> {
    let mut contents = BTreeMap::new();
    for file in &input.content {
        let Some(page) = PageKind::named(&file.page).filter(|_| locales.contains(&file.locale))
        else {
            continue;
        };
        let parsed = split_front_matter(file, diagnostics);
        contents.insert((file.locale.clone(), page), parsed);
    }
    contents
}

/// The theme's templates (values inserted into them are escaped for HTML), or `None` when the
/// theme cannot render a page: a template that does not compile (reported here) or one that is
/// missing (reported by validate). A broken theme stops everything; a content file that does
/// not compile only its own page.
fn compile_theme(input: &Input, diagnostics: &mut Vec<Diagnostic>) -> Option<tera::Tera> {
    let mut broken = !crate::load::TEMPLATES
        .iter()
        .all(|t| input.templates.contains_key(*t));
    let mut theme = tera::Tera::new();
    template::bound(&mut theme);
    for (name, (path, text)) in &input.templates {
        if let Err(e) = theme.add_raw_template(name, text) {
            diagnostics.push(template_error(&e, path, 0, text));
            broken = true;
        }
    }
    (!broken).then_some(theme)
}

/// What rendering reads: shared by the languages, rendered side by side, and the root page.
struct Job<'a> {
    site: &'a Site,
    input: &'a Input,
    /// The archived versions and what changed in them.
    history: &'a History,
    /// The texts by `(locale, page)`.
    contents: &'a BTreeMap<(String, PageKind), Parsed<'a>>,
    /// The URL path of every page by `(locale, page)`.
    urls: &'a BTreeMap<(String, PageKind), String>,
    locales: &'a [String],
    theme: &'a tera::Tera,
}

impl Job<'_> {
    /// The root page, which sends readers to a language (in the words of the default one).
    fn render_index(&self, out: &mut Rendered, diagnostics: &mut Vec<Diagnostic>) {
        let Job {
            site,
            input,
            contents,
            urls,
            locales,
            theme,
            ..
        } = *self;
        let default_locale = &locales[0];
        let Some((pack_file, pack_root)) = input.locale_packs.get(default_locale) else {
            return;
        };
        let index_locales: Vec<Value> = locales
            .iter()
            .map(|l| {
                let name = language_name(input, l);
                let title = contents.get(&(l.clone(), PageKind::Privacy)).map_or(String::new(), |c| c.title.clone());
                let lang = language_tag(input, l, site.variant());
                json!({ "lang": lang, "name": name, "url": urls[&(l.clone(), PageKind::Privacy)].trim_start_matches('/'), "title": title })
            })
            .collect();
        let company_name = site
            .company
            .trade_name
            .as_ref()
            .unwrap_or(&site.company.legal_name)
            .get(default_locale)
            .to_owned();
        let mut cx = tera::Context::new();
        cx.insert("lang", &language_tag(input, default_locale, site.variant()));
        cx.insert("locales", &index_locales);
        cx.insert(
            "default_url",
            urls[&(default_locale.clone(), PageKind::Privacy)].trim_start_matches('/'),
        );
        cx.insert(
            "company",
            &json!({ "name": company_name, "website": site.company.website.value }),
        );
        cx.insert_value(
            "t",
            Pack::new(pack_file, pack_root, site.variant()).to_value(),
        );
        cx.insert("asset_base", "");
        match render_theme(theme, "index.html", cx, input) {
            Ok(html) => {
                out.files.insert("index.html".into(), html.into_bytes());
            }
            Err(d) => diagnostics.push(d),
        }
    }
}

/// `@/cookies#x` → `/nl/cookiebeleid/#x`; `@doc/terms` → the document's URL in `locale`.
fn resolve_link(
    dest: &str,
    from: &str,
    locale: &str,
    urls: &BTreeMap<(String, PageKind), String>,
    site: &Site,
) -> Option<String> {
    let (target, anchor) = dest
        .split_once('#')
        .map_or((dest, None), |(t, a)| (t, Some(a)));
    let url = if let Some(page) = target.strip_prefix("@/") {
        relative_url(
            from,
            urls.get(&(locale.to_owned(), PageKind::named(page)?))?,
        )
    } else if let Some(key) = target.strip_prefix("@doc/") {
        site.documents
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
        None if url.is_empty() => "./".to_owned(),
        None => url,
    })
}

/// The link from the page at URL path `from` to the one at `to`, relative so that the site works
/// from any base path and from disk: `/nl/a/` → `/nl/b/` is `../b/`; to itself it is empty.
pub fn relative_url(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == from.len() && common == to.len() {
        return String::new();
    }
    let mut url = "../".repeat(from.len() - common);
    for part in &to[common..] {
        url.push_str(part);
        url.push('/');
    }
    url
}

#[cfg(test)]
mod tests {
    use super::relative_url;

    #[test]
    fn links_between_pages_are_relative() {
        assert_eq!(
            relative_url("/nl/privacyverklaring/", "/nl/cookiebeleid/"),
            "../cookiebeleid/"
        );
        assert_eq!(
            relative_url("/nl/privacyverklaring/", "/en/privacy-policy/"),
            "../../en/privacy-policy/"
        );
        assert_eq!(
            relative_url("/nl/privacyverklaring/", "/nl/privacyverklaring/"),
            ""
        );
    }
}
