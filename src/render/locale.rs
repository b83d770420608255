//! One language's pages: its content templates compiled and its variables built once, then each
//! page rendered to Markdown, to HTML (named links resolved, those that name nothing reported) and
//! into the theme's `page.html`; and its archived pages republished, with the index of versions.

use serde_json::{Value, json};

use super::archived::{Notice, republish};
use super::front_matter::Parsed;
use super::localize::{Localizer, Pack, language_name, language_tag};
use super::template::{self, render_content, render_theme, template_error};
use super::versions::{VERSIONS, versions};
use super::view::View;
use super::{Job, Page, Rendered, markdown, resolve_link};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::ARCHIVE;
use crate::model::{PageKind, Site};

impl Job<'_> {
    /// The pages of one language, and the problems found rendering them.
    pub(super) fn render_locale(&self, locale: &str) -> (Rendered, Vec<Diagnostic>) {
        let mut out = Rendered::default();
        let mut diagnostics = Vec::new();
        let Some((pack_file, pack_root)) = self.input.locale_packs.get(locale) else {
            return (out, diagnostics);
        };
        let (content, compiled) = self.compile_content(locale, &mut diagnostics);
        let mut l = Localizer {
            locale,
            pack: Pack::new(pack_file, pack_root, self.site.variant()),
            diagnostics: Vec::new(),
        };
        // Serialized into Tera's values once per locale; each page adds its own `page` to a
        // cheap clone (Tera's values are shared, not copied).
        let view = View::new(&mut l, self.site);
        let lang = language_tag(self.input, locale, self.site.variant());
        let base = view.context(&lang, self.pages_value(locale), l.pack.to_value());
        diagnostics.append(&mut l.diagnostics);
        for page in compiled {
            let parsed = &self.contents[&(locale.to_owned(), page)];
            let url = &self.urls[&(locale.to_owned(), page)];
            // (A cheap copy: Tera's values are shared.)
            let mut variables = base.clone();
            variables.insert_value(
                "versions",
                versions(
                    &mut l,
                    self.site,
                    self.history,
                    &self.input.archive,
                    page,
                    url,
                )
                .into(),
            );
            if let Some(page) =
                self.render_page(locale, page, parsed, &content, &variables, &mut diagnostics)
            {
                let file = format!("{}index.html", page.url.trim_start_matches('/'));
                out.files.insert(file, page.html.clone().into_bytes());
                out.pages.push(page);
            }
            if !self.history.earlier.is_empty() {
                self.render_versions(locale, page, parsed, &variables, &mut out, &mut diagnostics);
            }
        }
        self.republish(&mut l, &mut out, &mut diagnostics);
        diagnostics.append(&mut l.diagnostics);
        out.views.insert(locale.to_owned(), view);
        (out, diagnostics)
    }

    /// The archived pages of this language, each republished one folder below the page it was
    /// (`/nl/privacyverklaring/2026-03-01/`) with a notice that it is no longer in effect.
    fn republish(&self, l: &mut Localizer, out: &mut Rendered, diagnostics: &mut Vec<Diagnostic>) {
        let earlier = &self.history.earlier;
        if earlier.is_empty() {
            return;
        }
        let current = l.pack_str("history.archived.current");
        let all = l.pack_str("history.archived.versions");
        for (n, (date, i)) in earlier.iter().enumerate() {
            let until = earlier
                .get(n + 1)
                .map_or(self.site.settings.effective_date, |(d, _)| *d);
            let (from, until) = (l.date(*date), l.date(until));
            let text = l
                .pack_str("history.archived.notice")
                .replace("{from}", &from)
                .replace("{until}", &until);
            let notice = Notice {
                text,
                current: current.clone(),
                versions: all.clone(),
            };
            let version = &self.input.archive[*i];
            for page in PageKind::ALL {
                let Some(html) = version
                    .pages
                    .get(&(page.as_str().to_owned(), l.locale.to_owned()))
                else {
                    continue;
                };
                let url = self.urls[&(l.locale.to_owned(), page)].trim_start_matches('/');
                match republish(html, &notice) {
                    Some(html) => {
                        out.files
                            .insert(format!("{url}{}/index.html", date.iso()), html.into_bytes());
                    }
                    None => {
                        let file = format!("{ARCHIVE}/{}/{page}.{}.html", version.name, l.locale);
                        diagnostics.push(
                            Diagnostic::error(Code::ArchiveInvalid, &file, Pos::default(), format!("{file} has no <main> or <body>"))
                                .hint("an archived page is what `polis archive` wrote; restore the file from version control"),
                        );
                    }
                }
            }
        }
    }

    /// The index of the versions of `page` (`/nl/privacyverklaring/versions/`), in the theme's
    /// `versions.html`.
    fn render_versions(
        &self,
        locale: &str,
        page: PageKind,
        parsed: &Parsed,
        variables: &tera::Context,
        out: &mut Rendered,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let url = &self.urls[&(locale.to_owned(), page)];
        let index = format!("{url}{VERSIONS}/");
        let base_url = &self.site.settings.base_url.value;
        let translations = self.translations(locale, page, &format!("{VERSIONS}/"));
        let mut cx = variables.clone();
        cx.insert(
            "page",
            &json!({
                "name": page.as_str(),
                "title": parsed.title,
                "url": url,
                "versions_url": index,
                "translations": translations,
                "canonical": format!("{base_url}{index}"),
            }),
        );
        cx.insert(
            "asset_base",
            &"../".repeat(index.trim_matches('/').split('/').count()),
        );
        match render_theme(self.theme, "versions.html", cx, self.input) {
            Ok(html) => {
                out.files.insert(
                    format!("{}index.html", index.trim_start_matches('/')),
                    html.into_bytes(),
                );
            }
            Err(d) => diagnostics.push(d),
        }
    }

    /// This language's content templates (values inserted into them are escaped for Markdown),
    /// and the pages whose text compiled. A file that does not compile is reported and left out;
    /// the other pages still render, so their problems are named in the same run.
    fn compile_content(
        &self,
        locale: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (tera::Tera, Vec<PageKind>) {
        let mut content = tera::Tera::new();
        template::bound(&mut content);
        content.set_escape_fn(markdown::escape_markdown);
        content.autoescape_on([".md"]);
        let compiled = PageKind::ALL
            .into_iter()
            .filter_map(|page| {
                let parsed = self.contents.get(&(locale.to_owned(), page))?;
                match content.add_raw_template(&parsed.file.path, &parsed.body) {
                    Ok(()) => Some(page),
                    Err(e) => {
                        diagnostics.push(template_error(
                            &e,
                            &parsed.file.path,
                            parsed.offset,
                            &parsed.body,
                        ));
                        None
                    }
                }
            })
            .collect();
        (content, compiled)
    }

    /// `pages`: the URL and title of every page in `locale`.
    fn pages_value(&self, locale: &str) -> tera::Value {
        let pages: tera::Map = PageKind::ALL
            .into_iter()
            .map(|p| {
                let title = self
                    .contents
                    .get(&(locale.to_owned(), p))
                    .map_or(String::new(), |c| c.title.clone());
                let url = self.urls[&(locale.to_owned(), p)].as_str();
                let page: tera::Map = [("url", tera::Value::from(url)), ("title", title.into())]
                    .into_iter()
                    .map(|(k, v)| (k.into(), v))
                    .collect();
                (p.as_str().into(), page.into())
            })
            .collect();
        pages.into()
    }

    /// One page: its text rendered to Markdown with the language's variables, then to HTML, then
    /// wrapped in the theme's `page.html`. `None` when a template failed (reported).
    fn render_page(
        &self,
        locale: &str,
        page: PageKind,
        parsed: &Parsed,
        content: &tera::Tera,
        variables: &tera::Context,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Page> {
        let url = self.urls[&(locale.to_owned(), page)].clone();
        let mut cx = variables.clone();
        let mut page_value = json!({ "name": page.as_str(), "title": parsed.title, "url": url });
        if !self.history.earlier.is_empty() {
            page_value["versions_url"] = format!("{url}{VERSIONS}/").into();
        }
        cx.insert("page", &page_value);
        let md = render_content(content, parsed, &cx, diagnostics)?;

        let resolve = |dest: &str| resolve_link(dest, &url, locale, self.urls, self.site);
        let body = markdown::to_html(&md, resolve);
        unresolved_links(self.site, parsed, &body.unresolved, diagnostics);

        let depth = url.trim_matches('/').split('/').count();
        cx.insert("page", &self.page_value(locale, page, parsed, &url, &body));
        cx.insert("asset_base", &"../".repeat(depth));
        match render_theme(self.theme, "page.html", cx, self.input) {
            Ok(html) => Some(Page {
                name: page,
                locale: locale.to_owned(),
                url,
                source: parsed.file.path.clone(),
                origin: parsed.file.origin,
                text: crate::text::visible_text(&html),
                html,
                toc: body.toc,
                title: parsed.title.clone(),
                description: parsed.description.clone().unwrap_or_default(),
                markdown: md,
            }),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        }
    }

    /// `page` in each language (`translations`: `lang`, `name`, `url`, `current`), at its URL followed by
    /// `suffix` (`versions/` for the index of its versions).
    fn translations(&self, locale: &str, page: PageKind, suffix: &str) -> Vec<Value> {
        self.locales
            .iter()
            .map(|other| {
                let name = language_name(self.input, other);
                let lang = language_tag(self.input, other, self.site.variant());
                let url = format!("{}{suffix}", self.urls[&(other.clone(), page)]);
                json!({ "lang": lang, "name": name, "url": url, "current": other == locale })
            })
            .collect()
    }

    /// `page` as the theme reads it: the page with its HTML, headings, and its other languages.
    fn page_value(
        &self,
        locale: &str,
        page: PageKind,
        parsed: &Parsed,
        url: &str,
        body: &markdown::Html,
    ) -> Value {
        let base_url = &self.site.settings.base_url.value;
        let translations = self.translations(locale, page, "");
        let alternates: Vec<Value> = self
            .locales
            .iter()
            .map(|other| json!({ "lang": language_tag(self.input, other, self.site.variant()), "href": format!("{base_url}{}", self.urls[&(other.clone(), page)]) }))
            .collect();
        let mut value = json!({
            "name": page.as_str(),
            "title": parsed.title,
            "description": parsed.description.clone().unwrap_or_default(),
            "url": url,
            "content": body.html,
            "toc": body.toc,
            "translations": translations,
            "alternates": alternates,
            "canonical": format!("{base_url}{url}"),
        });
        if !self.history.earlier.is_empty() {
            value["versions_url"] = format!("{url}{VERSIONS}/").into();
        }
        value
    }
}

/// Reports each named link of the page that names nothing (`unresolved`, as Markdown gave them),
/// at every place the file writes it, so that none is left to find on the next run.
fn unresolved_links(
    site: &Site,
    parsed: &Parsed,
    unresolved: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut unresolved = unresolved.to_vec();
    unresolved.sort();
    unresolved.dedup();
    for dest in &unresolved {
        let (kind, names) = if dest.starts_with("@doc/") {
            (
                "document",
                site.documents
                    .iter()
                    .map(|d| format!("@doc/{}", d.key.value))
                    .collect::<Vec<_>>(),
            )
        } else {
            (
                "page",
                PageKind::ALL.iter().map(|p| format!("@/{p}")).collect(),
            )
        };
        let names_ref: Vec<&str> = names.iter().map(String::as_str).collect();
        let hint =
            match crate::model::decode::nearest(dest.split('#').next().unwrap_or(dest), &names_ref)
            {
                Some(n) => format!("did you mean `{n}`?"),
                None if names.is_empty() => {
                    "site.yaml lists no `documents`; add the document there".to_owned()
                }
                None => format!("the {kind}s are: {}", names.join(", ")),
            };
        let text = &parsed.file.text;
        let needle = format!("]({dest}");
        let mut places: Vec<Pos> = text
            .match_indices(&needle)
            .map(|(at, _)| Pos::at_offset(text, at + 2, dest.chars().count()))
            .collect();
        if places.is_empty() {
            places.push(Pos::default());
        }
        for pos in places {
            let message = format!("the link `{dest}` names no {kind}");
            diagnostics.push(
                Diagnostic::error(Code::UnresolvedLink, &parsed.file.path, pos, message)
                    .hint(hint.clone()),
            );
        }
    }
}
