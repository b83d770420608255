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
            cookies: cookies::cookies(l, &site.cookies),
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
