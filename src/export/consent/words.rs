//! The banner's words in each language of the site: the consent modal and the preferences
//! modal, one section per category with its cookie table as the cookie page shows it (name,
//! provider, first or third party, how long), and the links to the policy pages. Every word is
//! the locale pack's (`consent_banner:`) or site.yaml's; a pack that lacks one fails the export,
//! naming each key, rather than show a banner half in another language. Every text is HTML for
//! the library, so each value is escaped.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::html;
use crate::export::{ExportError, Facts, Links};
use crate::model::PageKind;
use crate::render::{Pack, Page, View};

/// The keys of `consent_banner` every pack has.
const KEYS: [&str; 17] = [
    "consent_modal.title",
    "consent_modal.description",
    "consent_modal.accept_all",
    "consent_modal.reject_all",
    "consent_modal.preferences",
    "preferences_modal.title",
    "preferences_modal.description",
    "preferences_modal.accept_all",
    "preferences_modal.reject_all",
    "preferences_modal.save",
    "preferences_modal.close",
    "table.name",
    "table.provider",
    "table.party",
    "table.duration",
    "more.title",
    "more.description",
];

/// `language`: the site's first locale by default, the page's `lang` choosing among them.
pub(super) fn translations(
    facts: &Facts,
    views: &BTreeMap<String, View>,
    pages: &[Page],
    links: &Links,
) -> Result<Value, ExportError> {
    let mut translations = Map::new();
    let mut lacking = Vec::new();
    for (locale, view) in views {
        let Some((file, root)) = facts.locale_packs.get(locale) else {
            continue;
        };
        let pack = Pack::new(file, root, facts.site.variant());
        let mut words = BTreeMap::new();
        for key in KEYS {
            match pack.scalar(&format!("consent_banner.{key}")) {
                Some(word) => {
                    words.insert(key, word);
                }
                None => lacking.push(format!("{file}: `consent_banner.{key}`")),
            }
        }
        if lacking.is_empty() {
            let page = |kind| Link::new(locale, kind, pages, links);
            let pages = [page(PageKind::Privacy), page(PageKind::Cookies)];
            translations.insert(locale.clone(), translation(view, &words, &pages));
        }
    }
    if !lacking.is_empty() {
        return Err(ExportError::ConsentWords(lacking));
    }
    let default = facts
        .site
        .settings
        .locales
        .first()
        .map_or(String::new(), |l| l.value.clone());
    Ok(json!({
        "default": default,
        "autoDetect": "document",
        "translations": translations,
    }))
}

/// A policy page in one language: its title and address.
struct Link {
    title: String,
    url: String,
}

impl Link {
    fn new(locale: &str, kind: PageKind, pages: &[Page], links: &Links) -> Link {
        let title = pages
            .iter()
            .find(|p| p.locale == locale && p.name == kind)
            .map_or(String::new(), |p| p.title.clone());
        Link {
            title,
            url: links.page(locale, kind).to_owned(),
        }
    }

    fn html(&self) -> String {
        format!("<a href=\"{}\">{}</a>", html(&self.url), html(&self.title))
    }
}

/// One language's words.
fn translation(view: &View, words: &BTreeMap<&str, String>, pages: &[Link; 2]) -> Value {
    let w = |key: &str| html(words.get(key).map_or("", String::as_str));
    let consent: Vec<&str> = view
        .cookies
        .categories
        .iter()
        .filter(|c| c.needs_consent)
        .map(|c| c.name.as_str())
        .collect();
    let links = format!("{} · {}", pages[0].html(), pages[1].html());
    let description =
        w("consent_modal.description").replace("{categories}", &html(&consent.join(", ")));
    let mut sections = vec![json!({ "description": w("preferences_modal.description") })];
    sections.extend(view.cookies.categories.iter().map(|category| {
        let body: Vec<Value> = category
            .cookies
            .iter()
            .map(|c| {
                json!({
                    "name": html(&c.name),
                    "provider": html(c.provider.as_deref().unwrap_or("")),
                    "party": html(c.party_name.as_deref().unwrap_or("")),
                    "duration": html(c.duration.as_deref().unwrap_or("")),
                })
            })
            .collect();
        json!({
            "title": html(&category.name),
            "description": html(&category.description),
            "linkedCategory": category.key,
            "cookieTable": {
                "caption": html(&category.name),
                "headers": {
                    "name": w("table.name"),
                    "provider": w("table.provider"),
                    "party": w("table.party"),
                    "duration": w("table.duration"),
                },
                "body": body,
            },
        })
    }));
    sections.push(json!({
        "title": w("more.title"),
        "description": w("more.description")
            .replace("{privacy_policy}", &pages[0].html())
            .replace("{cookie_policy}", &pages[1].html()),
    }));
    json!({
        "consentModal": {
            "title": w("consent_modal.title"),
            "description": description,
            "acceptAllBtn": w("consent_modal.accept_all"),
            "acceptNecessaryBtn": w("consent_modal.reject_all"),
            "showPreferencesBtn": w("consent_modal.preferences"),
            "footer": links,
        },
        "preferencesModal": {
            "title": w("preferences_modal.title"),
            "acceptAllBtn": w("preferences_modal.accept_all"),
            "acceptNecessaryBtn": w("preferences_modal.reject_all"),
            "savePreferencesBtn": w("preferences_modal.save"),
            "closeIconLabel": w("preferences_modal.close"),
            "sections": sections,
        },
    })
}
