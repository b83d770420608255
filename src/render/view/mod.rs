//! The model, in one locale, as the variables content and templates read (docs/templates.md): one
//! typed [`View`] per language, built once, which the pages are rendered from and every export
//! reads, so that the record of processing says what the policies say, in the same words.
//!
//! Everything a reader sees is resolved here: localized texts picked, periods and dates written in
//! words from the locale pack, defaults filled in for known data categories and sources. Optional
//! fields are `None` and left out of the variables rather than set to null, so that a template
//! using one fails the build. One file per part of docs/templates.md: the company and the rights
//! (`company`), the data, its sources and purposes (`data`), the recipients (`recipients`), the
//! cookies (`cookies`).

mod company;
mod cookies;
mod data;
mod recipients;
mod shared;

use serde::Serialize;

use super::localize::Localizer;
use crate::model::{Measure, Site};

pub use company::{
    Address, Authority, AutomatedDecisions, Company, Decision, Document, Dpo, Phone, Rights,
    SiteChange, SiteDates,
};
pub use cookies::{Cookie, CookieCategory, CookieCategoryRef, Cookies, ThirdParty};
pub use data::{Basis, BasisPurposes, DataCategory, Has, Named, Purpose, Retention, Source};
pub use recipients::{Recipient, Safeguard};
pub use shared::Shared;

/// The facts of the site in one language: the variables of docs/templates.md that do not depend
/// on the page (`lang`, `page`, `pages`, `t` and `versions` are the page's and the theme's).
#[derive(Debug, Clone, Default, Serialize)]
pub struct View {
    /// `site`: dates and the change history.
    pub site: SiteDates,
    /// `company`.
    pub company: Company,
    /// `dpo`.
    pub dpo: Dpo,
    /// `sources`: declared ones, plus known ones that data categories name without declaring.
    pub sources: Vec<Source>,
    /// `data`: each category with its sources, the purposes that use it and how long it is kept.
    pub data: Vec<DataCategory>,
    /// `documents`: the site's other documents, which `@doc/` links name.
    pub documents: Vec<Document>,
    /// `has`: which optional clauses apply.
    pub has: Has,
    /// `purposes`.
    pub purposes: Vec<Shared<Purpose>>,
    /// `bases`: the legal bases in use, in the order of Art. 6(1), each with its purposes.
    pub bases: Vec<BasisPurposes>,
    /// `recipients`.
    pub recipients: Vec<Shared<Recipient>>,
    /// `processors`: the recipients that process data for the company.
    pub processors: Vec<Shared<Recipient>>,
    /// `controllers`: the recipients that are controllers themselves.
    pub controllers: Vec<Shared<Recipient>>,
    /// `transfers`: the recipients outside the EEA.
    pub transfers: Vec<Shared<Recipient>>,
    /// `rights`: how long the company has to answer.
    pub rights: Rights,
    /// `authority`: absent when polis knows none for the company's country and site.yaml names
    /// none, so that a text naming it fails the build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<Authority>,
    /// `security`: the measures, in words.
    pub security: Vec<String>,
    /// `automated_decisions`: absent when site.yaml does not say (a waived
    /// `gdpr-automated-decisions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automated_decisions: Option<AutomatedDecisions>,
    /// `cookies`.
    pub cookies: Cookies,
}

impl View {
    /// The view of `site` in the locale of `l`; what the locale pack lacks is noted in `l`.
    pub(super) fn new(l: &mut Localizer, site: &Site) -> View {
        let sources = data::sources(l, site);
        let (purposes, bases) = data::purposes(l, site);
        let data = data::data(l, site, &sources);
        let recipients = recipients::recipients(l, site);
        let of = |keep: &dyn Fn(&crate::model::Recipient) -> bool| -> Vec<Shared<Recipient>> {
            site.recipients
                .iter()
                .zip(&recipients)
                .filter(|(r, _)| keep(r))
                .map(|(_, v)| v.clone())
                .collect()
        };
        let processors = of(&|r| r.role == crate::model::Role::Processor);
        let controllers = of(&|r| r.role == crate::model::Role::Controller);
        let transfers = of(&|r| r.transfers());
        View {
            site: company::site_dates(l, &site.settings),
            company: company::company(l, &site.company),
            dpo: company::dpo(l, &site.dpo),
            rights: company::rights(l, &site.rights),
            authority: company::authority(l, site),
            cookies: cookies::cookies(l, &site.cookies, &site.company),
            documents: company::documents(l, site),
            automated_decisions: company::automated_decisions(l, &site.automated_decisions),
            security: site
                .security
                .iter()
                .map(|m| match m {
                    Measure::Known(key) => l
                        .pack
                        .scalar(&format!("security.{}", key.value))
                        .unwrap_or_default(),
                    Measure::Own(text) => l.text(text),
                })
                .collect(),
            has: data::has(site, &sources),
            sources,
            data,
            purposes,
            bases,
            recipients,
            processors,
            controllers,
            transfers,
        }
    }

    /// The view as template variables, with the page-independent ones of the locale: `lang`,
    /// `pages` and the locale pack's words, `t`.
    pub(super) fn context(&self, lang: &str, pages: tera::Value, t: tera::Value) -> tera::Context {
        // A struct of owned strings, lists and booleans always serializes, into a map.
        let mut cx = shared::into_tera(self).unwrap_or_default();
        cx.insert("lang", lang);
        cx.insert_value("pages", pages);
        cx.insert_value("t", t);
        cx
    }
}

/// Lowercasing the first letter of a name, for names in the middle of a sentence.
pub(super) trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for str {
    /// "Contactgegevens" → "contactgegevens". Leaves acronyms ("IP-adres") alone.
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        match (chars.next(), chars.next()) {
            (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
                .to_lowercase()
                .chain(std::iter::once(second))
                .chain(chars)
                .collect(),
            _ => self.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    /// The variables that the page, not the facts, gives: `page`, `pages`, `versions`, and the
    /// locale's `lang` and `t`.
    const OF_THE_PAGE: [&str; 5] = ["lang", "page", "pages", "t", "versions"];

    /// The rows of docs/templates.md's table of the context: each variable (a row may name
    /// several) with the text that describes it.
    fn documented() -> Vec<(String, String)> {
        let doc = include_str!("../../../docs/templates.md");
        let table = doc
            .split("## The context")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").find(|p| p.starts_with("| variable")))
            .expect("docs/templates.md has the table of the context");
        let mut rows = Vec::new();
        for line in table.lines().skip(2) {
            let cells: Vec<&str> = line.trim_matches('|').splitn(2, '|').collect();
            let [names, text] = cells[..] else {
                panic!("a row of two cells: {line}");
            };
            for name in names.split(',') {
                let name = name.trim().trim_matches('`').trim_end_matches("`?");
                rows.push((name.trim_matches('`').to_owned(), text.to_owned()));
            }
        }
        rows
    }

    /// Every key of `value`, at any depth.
    fn keys(value: &Value, into: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    into.insert(k.clone());
                    keys(v, into);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, into)),
            _ => {}
        }
    }

    /// docs/templates.md names every variable of the view, every field the example site's view
    /// has in it is in its variable's row, and the doc names no variable the view lacks.
    #[test]
    fn docs_templates_md_documents_the_view() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let outcome = crate::run(root);
        let view = &outcome.rendered.views["en"];
        let Value::Object(vars) = serde_json::to_value(view).expect("the view serializes") else {
            panic!("the view is a map");
        };
        let rows = documented();
        let named: BTreeSet<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        let mut have: BTreeSet<&str> = vars.keys().map(String::as_str).collect();
        have.extend(OF_THE_PAGE);
        assert_eq!(
            named, have,
            "the variables docs/templates.md names, and the view's"
        );
        let site_data: BTreeSet<&str> = view.data.iter().map(|d| d.key.as_str()).collect();
        for (name, value) in &vars {
            // The lists drawn from another hold its items, documented in its row.
            let of = match name.as_str() {
                "bases" => "purposes",
                "processors" | "controllers" | "transfers" => "recipients",
                _ => name,
            };
            let text: String = rows
                .iter()
                .filter(|(n, _)| n == name || n == of)
                .map(|(_, text)| text.as_str())
                .collect();
            let mut fields = BTreeSet::new();
            keys(value, &mut fields);
            for field in fields {
                let dynamic = name == "has"
                    && (crate::facts::KNOWN_DATA_CATEGORIES.contains(&field.as_str())
                        || site_data.contains(field.as_str()));
                assert!(
                    dynamic || text.contains(&format!("`{field}`")),
                    "docs/templates.md does not say that `{name}` has `{field}`"
                );
            }
        }
    }
}
