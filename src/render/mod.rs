//! Content, theme and model to finished pages, in memory. No file is read or written here, and
//! nothing missing is reported: [`crate::validate`] has named every absent text, locale pack and
//! template, and render passes over them.
//!
//! Each content file is a Tera template producing Markdown; its output becomes HTML, which the
//! theme's `page.html` wraps. Template errors keep their file, line and column; an undefined field
//! is reported and blanked out, and rendering goes on, so one run names every unfilled field.

mod context;
mod localize;
pub mod markdown;

use std::collections::BTreeMap;

use rayon::prelude::*;

use serde_json::{Value, json};

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::{ContentFile, Input, Origin};
use crate::model::{PageKind, Site};
use crate::yaml::{self, Kind};
use context::Scope;
use localize::{Localizer, Pack};

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
}

/// Everything a build writes, by path relative to the output folder.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The policy pages.
    pub pages: Vec<Page>,
    /// Every output file, pages included.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The URL path of each page in each locale: `urls[(locale, page)]`.
fn plan_urls(site: &Site) -> BTreeMap<(String, PageKind), String> {
    let mut urls = BTreeMap::new();
    for locale in &site.settings.locales {
        for page in PageKind::ALL {
            let (slug, _) = site.settings.slug(&locale.value, page);
            urls.insert((locale.value.clone(), page), format!("/{}/{slug}/", locale.value));
        }
    }
    urls
}

/// A content file split into front matter and body.
struct Parsed<'a> {
    file: &'a ContentFile,
    title: String,
    description: Option<String>,
    body: String,
    /// Lines before the body, added to template line numbers.
    offset: usize,
}

fn split_front_matter<'a>(file: &'a ContentFile, diagnostics: &mut Vec<Diagnostic>) -> Parsed<'a> {
    let mut parsed = Parsed { file, title: String::new(), description: None, body: file.text.clone(), offset: 0 };
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        diagnostics.push(
            Diagnostic::error(Code::MissingField, &file.path, Pos::new(1, 1, 1), "the page has no front matter with its title")
                .hint("start the file with three lines: `---`, `title: ...`, `---`"),
        );
        return parsed;
    };
    let Some(end) = rest.find("\n---\n").or_else(|| rest.find("\n---\r\n")).or_else(|| rest.strip_suffix("\n---").map(|r| r.len())) else {
        diagnostics.push(
            Diagnostic::error(Code::YamlSyntax, &file.path, Pos::new(1, 1, 3), "the front matter is not closed")
                .hint("end it with a line `---`"),
        );
        return parsed;
    };
    let yaml_text = &rest[..end + 1];
    let after = rest[end + 1..].split_once('\n').map_or("", |(_, b)| b);
    parsed.offset = yaml_text.matches('\n').count() + 2;
    parsed.body = after.to_owned();
    // Pad so that positions in the front matter are positions in the file.
    match yaml::parse(&file.path, &format!("\n{yaml_text}")) {
        Ok(node) => {
            let mut cx = crate::model::decode::Cx::new(&file.path, Vec::new());
            if let Some(m) = cx.map(&node, "", &["title", "description"]) {
                parsed.title = cx.required(&m, "title", |cx, n, p| cx.string(n, p)).value;
                parsed.description = cx.optional(&m, "description", |cx, n, p| cx.string(n, p)).map(|s| s.value);
            }
            for d in &mut cx.diagnostics {
                if d.code == Code::MissingField {
                    d.line = 1;
                    d.column = 1;
                }
            }
            diagnostics.extend(cx.diagnostics);
        }
        Err(d) => diagnostics.push(d),
    }
    parsed
}

/// Renders every page of the site. Returns what could be rendered and the problems found
/// rendering it (front matter, templates, unfilled fields, links). What [`crate::validate`] reports
/// (a page or a locale pack missing, a theme without its templates) is passed over here.
pub fn render(site: &Site, input: &Input) -> (Rendered, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut rendered = Rendered::default();
    let locales: Vec<String> = site.settings.locales.iter().map(|l| l.value.clone()).collect();
    if locales.is_empty() {
        return (rendered, diagnostics);
    }
    let urls = plan_urls(site);

    // The texts of the site's pages in its languages; validate has reported any other.
    let mut contents: BTreeMap<(String, PageKind), Parsed> = BTreeMap::new();
    for file in &input.content {
        let Some(page) = PageKind::named(&file.page).filter(|_| locales.contains(&file.locale)) else { continue };
        let parsed = split_front_matter(file, &mut diagnostics);
        contents.insert((file.locale.clone(), page), parsed);
    }

    // Templates: the theme's (HTML-escaped) and the content's (Markdown-escaped).
    // A broken theme stops everything (a missing template validate has reported); a content file
    // that does not compile only its own page.
    let mut theme_broken = !crate::load::TEMPLATES.iter().all(|t| input.templates.contains_key(*t));
    let mut theme = tera::Tera::new();
    for (name, (path, text)) in &input.templates {
        if let Err(e) = theme.add_raw_template(name, text) {
            diagnostics.push(template_error(&e, path, 0, text));
            theme_broken = true;
        }
    }
    if theme_broken {
        return (rendered, diagnostics);
    }

    // The languages are rendered side by side: they share nothing but what they read.
    let job = LocaleJob { site, input, contents: &contents, urls: &urls, locales: &locales, theme: &theme };
    let outputs: Vec<(Rendered, Vec<Diagnostic>)> = locales.par_iter().map(|locale| job.render_locale(locale)).collect();
    for (output, problems) in outputs {
        rendered.pages.extend(output.pages);
        rendered.files.extend(output.files);
        diagnostics.extend(problems);
    }

    // The root page sends readers to a language.
    let default_locale = &locales[0];
    if let Some((pack_file, pack_root)) = input.locale_packs.get(default_locale) {
        let index_locales: Vec<Value> = locales
            .iter()
            .map(|l| {
                let name = input.locale_packs.get(l).and_then(|(_, n)| pack_string(n, "language_name")).unwrap_or_else(|| l.clone());
                let title = contents.get(&(l.clone(), PageKind::Privacy)).map_or(String::new(), |c| c.title.clone());
                json!({ "lang": l, "name": name, "url": urls[&(l.clone(), PageKind::Privacy)].trim_start_matches('/'), "title": title })
            })
            .collect();
        let company_name = site.company.trade_name.as_ref().unwrap_or(&site.company.legal_name).get(default_locale).to_owned();
        let mut cx = tera::Context::new();
        cx.insert("lang", default_locale);
        cx.insert("locales", &index_locales);
        cx.insert("default_url", urls[&(default_locale.clone(), PageKind::Privacy)].trim_start_matches('/'));
        cx.insert("company", &json!({ "name": company_name, "website": site.company.website.value }));
        cx.insert_value("t", Pack::new(pack_file, pack_root).to_value());
        cx.insert("asset_base", "");
        match render_theme(&theme, "index.html", cx, input) {
            Ok(html) => {
                rendered.files.insert("index.html".into(), html.into_bytes());
            }
            Err(d) => diagnostics.push(d),
        }
    }
    for (name, bytes) in &input.static_files {
        rendered.files.entry(name.clone()).or_insert_with(|| bytes.clone());
    }
    (rendered, diagnostics)
}

fn pack_string(node: &yaml::Node, key: &str) -> Option<String> {
    let Kind::Map(entries) = &node.kind else { return None };
    entries.iter().find(|(k, _)| k.name == key).and_then(|(_, v)| match &v.kind {
        Kind::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// What every language's rendering reads.
struct LocaleJob<'a> {
    site: &'a Site,
    input: &'a Input,
    contents: &'a BTreeMap<(String, PageKind), Parsed<'a>>,
    urls: &'a BTreeMap<(String, PageKind), String>,
    locales: &'a [String],
    theme: &'a tera::Tera,
}

impl LocaleJob<'_> {
    /// The pages of one language, and the problems found rendering them.
    fn render_locale(&self, locale: &String) -> (Rendered, Vec<Diagnostic>) {
        let LocaleJob { site, input, contents, urls, locales, theme } = *self;
        let mut out = Rendered::default();
        let mut diagnostics = Vec::new();
        let Some((pack_file, pack_root)) = input.locale_packs.get(locale) else { return (out, diagnostics) };
        // This language's content templates (values inserted into them are escaped for Markdown).
        // A file that does not compile is reported and left out; the other pages still render, so
        // their problems are named in the same run.
        let mut content_tera = tera::Tera::new();
        content_tera.set_escape_fn(markdown::escape_markdown);
        content_tera.autoescape_on([".md"]);
        let compiled: Vec<PageKind> = PageKind::ALL
            .into_iter()
            .filter_map(|page| {
                let parsed = contents.get(&(locale.clone(), page))?;
                match content_tera.add_raw_template(&parsed.file.path, &parsed.body) {
                    Ok(()) => Some(page),
                    Err(e) => {
                        diagnostics.push(template_error(&e, &parsed.file.path, parsed.offset, &parsed.body));
                        None
                    }
                }
            })
            .collect();
        let mut l = Localizer { locale, pack: Pack::new(pack_file, pack_root), diagnostics: Vec::new() };
        let pages_value: tera::Map = PageKind::ALL
            .into_iter()
            .map(|p| {
                let title = contents.get(&(locale.clone(), p)).map_or(String::new(), |c| c.title.clone());
                let url = urls[&(locale.clone(), p)].as_str();
                let page: tera::Map =
                    [("url", tera::Value::from(url)), ("title", title.into())].into_iter().map(|(k, v)| (k.into(), v)).collect();
                (p.as_str().into(), page.into())
            })
            .collect();
        let scope = Scope { site, pages: pages_value.into() };
        // Converted to Tera's values once per locale; each page adds its own `page` to a cheap
        // clone (Tera's values are shared, not copied).
        let base = context::build_context(&mut l, &scope);
        diagnostics.append(&mut l.diagnostics);

        for page in PageKind::ALL {
            let Some(parsed) = contents.get(&(locale.clone(), page)).filter(|_| compiled.contains(&page)) else { continue };
            let url = urls[&(locale.clone(), page)].clone();
            let mut cx = base.clone();
            cx.insert("page", &json!({ "name": page.as_str(), "title": parsed.title, "url": url }));
            let Some(md) = render_content(&content_tera, parsed, &cx, &mut diagnostics) else { continue };

            let resolve = |dest: &str| resolve_link(dest, &url, locale, urls, site);
            let body = markdown::to_html(&md, resolve);
            let mut unresolved = body.unresolved.clone();
            unresolved.sort();
            unresolved.dedup();
            for dest in &unresolved {
                let (kind, names) = if dest.starts_with("@doc/") {
                    ("document", site.documents.iter().map(|d| format!("@doc/{}", d.key.value)).collect::<Vec<_>>())
                } else {
                    ("page", PageKind::ALL.iter().map(|p| format!("@/{p}")).collect())
                };
                let names_ref: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = match crate::model::decode::nearest(dest.split('#').next().unwrap_or(dest), &names_ref) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None if names.is_empty() => "site.yaml lists no `documents`; add the document there".to_owned(),
                    None => format!("the {kind}s are: {}", names.join(", ")),
                };
                // Every place the file writes the link, so that none is left to find on the next run.
                let text = &parsed.file.text;
                let needle = format!("]({dest}");
                let mut places: Vec<Pos> =
                    text.match_indices(&needle).map(|(at, _)| Pos::at_offset(text, at + 2, dest.chars().count())).collect();
                if places.is_empty() {
                    places.push(Pos::default());
                }
                for pos in places {
                    let message = format!("the link `{dest}` names no {kind}");
                    diagnostics.push(Diagnostic::error(Code::UnresolvedLink, &parsed.file.path, pos, message).hint(hint.clone()));
                }
            }

            let depth = url.trim_matches('/').split('/').count();
            let translations: Vec<Value> = locales
                .iter()
                .map(|other| {
                    let name =
                        input.locale_packs.get(other).and_then(|(_, n)| pack_string(n, "language_name")).unwrap_or_else(|| other.clone());
                    json!({ "lang": other, "name": name, "url": urls[&(other.clone(), page)], "current": other == locale })
                })
                .collect();
            let alternates: Vec<Value> = locales
                .iter()
                .map(|other| json!({ "lang": other, "href": format!("{}{}", site.settings.base_url.value, urls[&(other.clone(), page)]) }))
                .collect();
            cx.insert(
                "page",
                &json!({
                    "name": page.as_str(),
                    "title": parsed.title,
                    "description": parsed.description.clone().unwrap_or_default(),
                    "url": url,
                    "content": body.html,
                    "toc": body.toc,
                    "translations": translations,
                    "alternates": alternates,
                    "canonical": format!("{}{url}", site.settings.base_url.value),
                }),
            );
            cx.insert("asset_base", &"../".repeat(depth));
            match render_theme(theme, "page.html", cx, input) {
                Ok(html) => {
                    let file = format!("{}index.html", url.trim_start_matches('/'));
                    out.files.insert(file, html.clone().into_bytes());
                    out.pages.push(Page {
                        name: page,
                        locale: locale.clone(),
                        url,
                        source: parsed.file.path.clone(),
                        origin: parsed.file.origin,
                        text: crate::text::visible_text(&html),
                        html,
                        toc: body.toc,
                    });
                }
                Err(d) => diagnostics.push(d),
            }
        }

        (out, diagnostics)
    }
}

/// `@/cookies#x` → `/nl/cookiebeleid/#x`; `@doc/terms` → the document's URL in `locale`.
fn resolve_link(dest: &str, from: &str, locale: &str, urls: &BTreeMap<(String, PageKind), String>, site: &Site) -> Option<String> {
    let (target, anchor) = dest.split_once('#').map_or((dest, None), |(t, a)| (t, Some(a)));
    let url = if let Some(page) = target.strip_prefix("@/") {
        relative_url(from, urls.get(&(locale.to_owned(), PageKind::named(page)?))?)
    } else if let Some(key) = target.strip_prefix("@doc/") {
        site.documents.iter().find(|d| d.key.value == key)?.url.get(locale).to_owned()
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

/// Renders one content template. An undefined field is reported, replaced by an empty string at
/// the same place, and rendering is tried again, so every unfilled field of the file is named.
fn render_content(tera: &tera::Tera, parsed: &Parsed, context: &tera::Context, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let name = parsed.file.path.as_str();
    let mut body = parsed.body.clone();
    let mut failed = false;
    // Only a failed render needs a copy of the templates to patch.
    let mut patched: Option<tera::Tera> = None;
    for _ in 0..64 {
        match patched.as_ref().unwrap_or(tera).render(name, context) {
            Ok(md) => return (!failed).then_some(md),
            Err(e) => {
                failed = true;
                let d = template_error(&e, name, parsed.offset, &body);
                let patch = match e.kind() {
                    tera::ErrorKind::RenderingError(r) if d.code == Code::UnfilledField && r.filename() == name => {
                        Some(expression_range(&body, r.span().range.clone()))
                    }
                    _ => None,
                };
                diagnostics.push(d);
                let range = patch?;
                let width = range.len();
                body.replace_range(range, &format!("{:<width$}", "\"\""));
                if patched.get_or_insert_with(|| tera.clone()).add_raw_template(name, &body).is_err() {
                    return None;
                }
            }
        }
    }
    None
}

/// Widens the span of an undefined field (`fax`) to the whole expression (`company.fax`).
fn expression_range(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '"' | '\'');
    let start = source[..span.start].char_indices().rev().take_while(|(_, c)| is_part(*c)).last().map_or(span.start, |(i, _)| i);
    let end =
        source[span.end..].char_indices().find(|(_, c)| !(c.is_alphanumeric() || *c == '_')).map_or(source.len(), |(i, _)| span.end + i);
    // Never shorter than `""`.
    if end - start < 2 { start..(start + 2).min(source.len()) } else { start..end }
}

fn render_theme(theme: &tera::Tera, name: &str, context: tera::Context, input: &Input) -> Result<String, Diagnostic> {
    theme.render(name, &context).map_err(|e| {
        let file = match &e.kind() {
            tera::ErrorKind::RenderingError(r) => r.filename().to_owned(),
            _ => name.to_owned(),
        };
        let (path, text) = input.templates.get(&file).cloned().unwrap_or((file, String::new()));
        template_error(&e, &path, 0, &text)
    })
}

/// A Tera error as a diagnostic in `file`, whose template body starts `offset` lines into the file.
fn template_error(e: &tera::Error, file: &str, offset: usize, source: &str) -> Diagnostic {
    let (report, syntax) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), true),
        tera::ErrorKind::RenderingError(r) => (Some(r), false),
        _ => (None, false),
    };
    let Some(r) = report else {
        return Diagnostic::error(Code::TemplateError, file, Pos::default(), e.to_string());
    };
    let span = r.span();
    let message = r.message();
    if !syntax && (message.contains("not defined") || message.contains("not found")) {
        let range = expression_range(source, span.range.clone());
        let expr = source.get(range.clone()).unwrap_or_default().trim();
        let at = Pos::at_offset(source, range.start, expr.chars().count());
        let pos = Pos { line: at.line + offset, ..at };
        let top = expr.split(['.', '[']).next().unwrap_or(expr);
        let hint = match top {
            "company" | "dpo" | "cookies" | "rights" | "site" => format!("fill in `{expr}` in site.yaml, or take it out of this text"),
            "authority" => {
                "polis knows no supervisory authority for the company's country: add `authority:` with `name` and `url` to site.yaml"
                    .to_owned()
            }
            _ => {
                format!("`{expr}` is not filled in here; site.yaml lacks it, or the text should check for it first (see docs/templates.md)")
            }
        };
        return Diagnostic::error(Code::UnfilledField, file, pos, format!("`{expr}` is used here, but it has no value")).hint(hint);
    }
    let pos = Pos::new(span.start_line + offset, span.start_col + 1, span.end_col.saturating_sub(span.start_col).max(1));
    let code = if syntax { Code::TemplateSyntax } else { Code::TemplateError };
    if syntax && message.contains("comment") && source.contains("{#") {
        return Diagnostic::error(code, file, pos, message.to_owned())
            .hint("`{#` starts a Tera comment; write a heading id with a space: `## Title { #id }`");
    }
    Diagnostic::error(code, file, pos, message.to_owned()).hint(if syntax {
        "fix the template syntax (Tera 2, docs/templates.md)"
    } else {
        "check the expression against docs/templates.md"
    })
}

#[cfg(test)]
mod tests {
    use super::relative_url;

    #[test]
    fn links_between_pages_are_relative() {
        assert_eq!(relative_url("/nl/privacyverklaring/", "/nl/cookiebeleid/"), "../cookiebeleid/");
        assert_eq!(relative_url("/nl/privacyverklaring/", "/en/privacy-policy/"), "../../en/privacy-policy/");
        assert_eq!(relative_url("/nl/privacyverklaring/", "/nl/privacyverklaring/"), "");
    }
}
