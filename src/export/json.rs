//! `polis export json`: the facts of site.yaml for another program — a consent banner, an app,
//! another generator — as one JSON document, `facts.json`, described by
//! schema/export.schema.json (`polis schema --export`) and docs/export.md.
//!
//! It is the decoded model (`model::Site`, without the positions only diagnostics need), written
//! by the model's own `Serialize` in [`Shape::Export`]: every text a reader sees in every language
//! (a text site.yaml writes once is written out for each). What polis words itself (the names of
//! the data categories and sources it knows, the security measures, the cookie categories) is
//! taken from the views the pages were rendered from, so that a banner says what the policies say.
//! The URLs of the policy pages are added (`pages`). `"format"` comes first: the version of this
//! shape, raised when a field changes meaning or goes away (a new field does not raise it).
//!
//! The archive's JSON (model/record.rs) is another shape of the same serializer.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::{ExportError, Files, Links};
use crate::model::{Cookies, Measure, PageKind, Shape, Site, in_shape};
use crate::render::View;

/// The version of the document's shape (`"format"`): 2 since the security measures are objects
/// with their words.
pub const FORMAT_VERSION: u32 = 2;

/// `facts.json`.
pub(super) fn facts(
    site: &Site,
    views: &BTreeMap<String, View>,
    links: &Links,
) -> Result<Files, ExportError> {
    let locales: Vec<String> = site
        .settings
        .locales
        .iter()
        .map(|l| l.value.clone())
        .collect();
    let value = in_shape(Shape::Export(locales.clone()), || {
        serde_json::to_value(site)
    })
    .map_err(ExportError::Json)?;
    let Value::Object(mut fields) = value else {
        unreachable!("a Site serializes as a JSON object")
    };
    let words = Words { views };
    words.names(fields.get_mut("data"), |v| {
        v.data
            .iter()
            .map(|c| (c.key.as_str(), (c.name.as_str(), c.description.as_deref())))
            .collect()
    });
    words.names(fields.get_mut("sources"), |v| {
        v.sources
            .iter()
            .map(|s| (s.key.as_str(), (s.name.as_str(), s.description.as_deref())))
            .collect()
    });
    fields.insert("security".into(), words.security(site));
    if let Some(Value::Object(cookies)) = fields.get_mut("cookies") {
        cookies.insert("categories".into(), words.cookie_categories());
        consent(&site.cookies, cookies);
    }
    fields.insert("pages".into(), pages(links, &locales));
    let mut document = Map::new();
    document.insert("format".into(), FORMAT_VERSION.into());
    document.extend(fields);
    let mut text =
        serde_json::to_string_pretty(&Value::Object(document)).map_err(ExportError::Json)?;
    text.push('\n');
    Ok(Files::from([("facts.json".to_owned(), text.into_bytes())]))
}

/// `cookies.consent_cookie` and `cookies.consent_mode`: what a banner needs to store the choice
/// and to tell Google's tags what it grants (the consent export's own configuration is built from
/// the same two).
fn consent(of: &Cookies, cookies: &mut Map<String, Value>) {
    let cookie = of.consent_cookie.as_ref().map(|c| c.value.clone());
    cookies.insert("consent_cookie".into(), cookie.into());
    let mode: Map<String, Value> = of
        .consent_mode
        .iter()
        .map(|m| {
            let signals = m.signals.iter().map(|(s, _)| Value::from(s.key()));
            (m.category.key().to_owned(), signals.collect())
        })
        .collect();
    cookies.insert("consent_mode".into(), Value::Object(mode));
}

/// A view's name and description of each item, by key.
type Named<'v> = HashMap<&'v str, (&'v str, Option<&'v str>)>;

/// The words of each language, from its view.
struct Words<'v> {
    views: &'v BTreeMap<String, View>,
}

impl Words<'_> {
    /// `{"nl": ..., "en": ...}` of what `of` says in each language's view; `null` when no
    /// language has it.
    fn text(&self, of: impl Fn(&View) -> Option<String>) -> Value {
        let texts: Map<String, Value> = self
            .views
            .iter()
            .filter_map(|(locale, view)| Some((locale.clone(), Value::String(of(view)?))))
            .collect();
        if texts.is_empty() {
            Value::Null
        } else {
            Value::Object(texts)
        }
    }

    /// The `name` and `description` of each item of `items` that site.yaml leaves to polis (a data
    /// category or source it knows), in the words of the pages; `of` gives a view's by key, in one
    /// map per language, so that 20,000 categories are named in one pass.
    fn names<'v>(&'v self, items: Option<&mut Value>, of: impl Fn(&'v View) -> Named<'v>) {
        let Some(Value::Array(items)) = items else {
            return;
        };
        let by_locale: Vec<(&String, Named)> = self.views.iter().map(|(l, v)| (l, of(v))).collect();
        for item in items.iter_mut() {
            let Some(key) = item["key"].as_str().map(str::to_owned) else {
                continue;
            };
            for (field, description) in [("name", false), ("description", true)] {
                if !item[field].is_null() {
                    continue;
                }
                let texts: Map<String, Value> = by_locale
                    .iter()
                    .filter_map(|(locale, words)| {
                        let (name, about) = words.get(key.as_str())?;
                        let text = if description { (*about)? } else { *name };
                        Some(((*locale).clone(), Value::String(text.to_owned())))
                    })
                    .collect();
                if !texts.is_empty() {
                    item[field] = Value::Object(texts);
                }
            }
        }
    }

    /// `security`: each measure with its key (`null` for the site's own) and its words in every
    /// language, as the privacy policy states it.
    fn security(&self, site: &Site) -> Value {
        site.security
            .iter()
            .enumerate()
            .map(|(i, measure)| {
                let key = match measure {
                    Measure::Known(key) => Value::String(key.value.clone()),
                    Measure::Own(_) => Value::Null,
                };
                json!({ "key": key, "text": self.text(|v| v.security.get(i).cloned()) })
            })
            .collect()
    }

    /// `cookies.categories`: the categories the cookies are in, in the order polis knows them,
    /// with their names and descriptions in every language and whether they need consent.
    fn cookie_categories(&self) -> Value {
        let Some(first) = self.views.values().next() else {
            return Value::Array(Vec::new());
        };
        first
            .cookies
            .categories
            .iter()
            .map(|c| {
                let of = |v: &View| {
                    v.cookies
                        .categories
                        .iter()
                        .find(|o| o.key == c.key)
                        .cloned()
                };
                json!({
                    "key": c.key,
                    "name": self.text(|v| of(v).map(|o| o.name)),
                    "description": self.text(|v| of(v).map(|o| o.description)),
                    "needs_consent": c.needs_consent,
                })
            })
            .collect()
    }
}

/// `pages`: the URL of each policy page in each language, where polis publishes it.
fn pages(links: &Links, locales: &[String]) -> Value {
    PageKind::ALL
        .into_iter()
        .map(|page| {
            let urls: Map<String, Value> = locales
                .iter()
                .map(|l| (l.clone(), Value::String(links.page(l, page).to_owned())))
                .collect();
            (page.as_str().to_owned(), Value::Object(urls))
        })
        .collect::<Map<String, Value>>()
        .into()
}
