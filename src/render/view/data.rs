//! `sources`, `data`, `purposes`, `bases` and `has`: what the company collects, from where, why
//! and for how long. Sets and maps by key throughout, so that a site.yaml of 20,000 sources or data
//! categories is read in one pass.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::super::localize::Localizer;
use super::Shared;
use crate::facts;
use crate::model::{
    self, DataCategory as Category, Declared, Dpo, LegalBasis, Party, Period, Role, Site, Str,
};

/// One of `sources`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Source {
    /// Its key.
    pub key: String,
    /// Its name: the site's, or the locale pack's for a source polis knows.
    pub name: String,
    /// Whether the data comes from public sources.
    pub public: bool,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A key with its name: a source of a data category, a data category of a purpose.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Named {
    /// The key.
    pub key: String,
    /// Its name in this language.
    pub name: String,
}

/// Declared sources, plus known ones that data categories name without declaring.
pub(super) fn sources(l: &mut Localizer, site: &Site) -> Vec<Source> {
    let mut declared: HashMap<&str, &model::Source> = HashMap::new();
    for s in &site.sources {
        declared.entry(s.key.value.as_str()).or_insert(s);
    }
    let mut seen: HashSet<&str> = site.sources.iter().map(|s| s.key.value.as_str()).collect();
    let mut keys: Vec<&Str> = site.sources.iter().map(|s| &s.key).collect();
    for d in &site.data {
        for s in &d.sources {
            if seen.insert(s.value.as_str()) {
                keys.push(s);
            }
        }
    }
    keys.iter()
        .map(|key| {
            let declared = declared.get(key.value.as_str()).copied();
            let name = declared
                .and_then(|s| s.name.as_ref())
                .map(|t| l.text(t))
                .unwrap_or_else(|| default_name(l, "sources", key));
            let description = declared
                .and_then(|s| s.description.as_ref())
                .map(|t| l.text(t))
                .or_else(|| l.pack.scalar(&format!("sources.{}.description", key.value)));
            Source {
                key: key.value.clone(),
                name,
                public: declared
                    .and_then(|s| s.public)
                    .unwrap_or(key.value == "public"),
                description,
            }
        })
        .collect()
}

/// One of `purposes`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Purpose {
    /// Its key.
    pub key: String,
    /// Its name.
    pub name: String,
    /// The data categories it uses.
    pub data: Vec<Named>,
    /// Their names as one text, "naam en e-mailadres".
    pub data_text: String,
    /// The legal basis it rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The company's interest, for legitimate interests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
    /// The profiling it involves, in the company's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profiling: Option<String>,
    /// Whose data it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subjects: Option<String>,
}

/// A legal basis of Art. 6(1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Basis {
    /// Its key, `consent`.
    pub key: &'static str,
    /// Its name in this language.
    pub name: String,
    /// Its article, "art. 6, lid 1, a) AVG".
    pub article: String,
}

/// One of `bases`: a legal basis in use, with the purposes that rest on it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BasisPurposes {
    /// Its key.
    pub key: &'static str,
    /// Its name.
    pub name: String,
    /// Its article.
    pub article: String,
    /// The purposes that rest on it, as in `purposes`.
    pub purposes: Vec<Shared<Purpose>>,
}

/// `purposes`, and `bases`.
pub(super) fn purposes(
    l: &mut Localizer,
    site: &Site,
) -> (Vec<Shared<Purpose>>, Vec<BasisPurposes>) {
    let mut by_key: HashMap<&str, &Category> = HashMap::new();
    for d in &site.data {
        by_key.entry(d.key.value.as_str()).or_insert(d);
    }
    // Each legal basis in use in words once, for the purposes that rest on it.
    let mut bases: BTreeMap<LegalBasis, Basis> = BTreeMap::new();
    let purposes: Vec<Shared<Purpose>> = site
        .purposes
        .iter()
        .map(|p| {
            let data: Vec<Named> = p
                .data
                .iter()
                .filter_map(|k| by_key.get(k.value.as_str()).copied())
                .map(|d| Named {
                    key: d.key.value.clone(),
                    name: data_name(l, d),
                })
                .collect();
            let names: Vec<String> = data.iter().map(|d| l.in_sentence(&d.name)).collect();
            Shared::new(Purpose {
                key: p.key.value.clone(),
                name: l.text(&p.name),
                data_text: l.list(&names),
                data,
                basis: p
                    .basis
                    .map(|b| bases.entry(b).or_insert_with(|| basis(l, b)).clone()),
                description: p.description.as_ref().map(|t| l.text(t)),
                interest: p.interest.as_ref().map(|t| l.text(t)),
                profiling: p.profiling.as_ref().map(|t| l.text(t)),
                subjects: p.subjects.as_ref().map(|t| l.text(t)),
            })
        })
        .collect();
    let bases = LegalBasis::ALL
        .iter()
        .filter_map(|(_, b)| Some((*b, bases.get(b)?)))
        .map(|(b, basis)| BasisPurposes {
            key: basis.key,
            name: basis.name.clone(),
            article: basis.article.clone(),
            purposes: site
                .purposes
                .iter()
                .zip(&purposes)
                .filter(|(p, _)| p.basis == Some(b))
                .map(|(_, v)| v.clone())
                .collect(),
        })
        .collect();
    (purposes, bases)
}

fn basis(l: &mut Localizer, basis: LegalBasis) -> Basis {
    Basis {
        key: basis.key(),
        name: l.pack_str(&format!("legal_bases.{}.name", basis.key())),
        article: l.pack_str(&format!("legal_bases.{}.article", basis.key())),
    }
}

/// One of `data`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataCategory {
    /// Its key.
    pub key: String,
    /// Its name: the site's, or the locale pack's for a category polis knows.
    pub name: String,
    /// Where the data comes from.
    pub sources: Vec<Named>,
    /// Their names as one text.
    pub sources_text: String,
    /// The names of the purposes that use it, in the order of the purposes, each once.
    pub purposes: Vec<String>,
    /// What it is: the site's, or the locale pack's for a category polis knows (validate has
    /// reported a category with neither).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How long it is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
}

/// How long a data category is kept: a period from an event, or a rule in words.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Retention {
    /// The period in words, "5 jaar".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The event it runs from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The rule, when it is not a period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The whole of it in words, "5 jaar na het einde van onze klantrelatie".
    pub text: String,
}

/// Each category with its sources, the purposes that use it and how long it is kept.
pub(super) fn data(l: &mut Localizer, site: &Site, sources: &[Source]) -> Vec<DataCategory> {
    let mut names: HashMap<&str, &str> = HashMap::new();
    for s in sources {
        names.entry(s.key.as_str()).or_insert(s.name.as_str());
    }
    // Which purposes use each category, in the order of the purposes, each once.
    let mut used_by: HashMap<&str, Vec<&model::Purpose>> = HashMap::new();
    for p in &site.purposes {
        let mut keys: Vec<&str> = p.data.iter().map(|k| k.value.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            used_by.entry(key).or_default().push(p);
        }
    }
    // Each retention in words once, for the categories kept as long from the same event.
    let mut retentions: HashMap<(Option<Period>, &str), Retention> = HashMap::new();
    site.data
        .iter()
        .map(|d| {
            let retention = d.retention.as_ref().map(|r| {
                let key = match r {
                    model::Retention::Period { period, from, .. } => {
                        (Some(*period), from.get(l.locale))
                    }
                    model::Retention::Rule(rule) => (None, rule.get(l.locale)),
                };
                retentions
                    .entry(key)
                    .or_insert_with(|| retention(l, r))
                    .clone()
            });
            let used_by = used_by.get(d.key.value.as_str());
            let purposes = used_by.map_or(&[][..], Vec::as_slice);
            data_category(l, &names, purposes, d, retention)
        })
        .collect()
}

fn retention(l: &mut Localizer, retention: &model::Retention) -> Retention {
    match retention {
        model::Retention::Period { period, from, .. } => {
            let period = l.period(*period);
            let text = l
                .pack_str("retention_from")
                .replace("{period}", &period)
                .replace("{from}", &l.text(from));
            Retention {
                period: Some(period),
                from: Some(l.text(from)),
                rule: None,
                text,
            }
        }
        model::Retention::Rule(rule) => Retention {
            rule: Some(l.text(rule)),
            text: l.text(rule),
            ..Retention::default()
        },
    }
}

fn data_category(
    l: &mut Localizer,
    source_names: &HashMap<&str, &str>,
    used_by: &[&model::Purpose],
    d: &Category,
    retention: Option<Retention>,
) -> DataCategory {
    let sources: Vec<Named> = d
        .sources
        .iter()
        .map(|s| Named {
            key: s.value.clone(),
            name: source_names
                .get(s.value.as_str())
                .map_or_else(String::new, |n| (*n).to_owned()),
        })
        .collect();
    let names: Vec<String> = sources.iter().map(|s| l.in_sentence(&s.name)).collect();
    let description = d.description.as_ref().map(|t| l.text(t)).or_else(|| {
        l.pack
            .scalar(&format!("data_categories.{}.description", d.key.value))
    });
    DataCategory {
        key: d.key.value.clone(),
        name: data_name(l, d),
        sources_text: l.list(&names),
        sources,
        purposes: used_by.iter().map(|p| l.text(&p.name)).collect(),
        description,
        retention,
    }
}

/// The name of a data category: the site's, or the locale pack's for a category polis knows.
fn data_name(l: &mut Localizer, d: &Category) -> String {
    d.name
        .as_ref()
        .map(|t| l.text(t))
        .unwrap_or_else(|| default_name(l, "data_categories", &d.key))
}

/// The locale pack's name for a known key (`data_categories.contact.name`), or the key (validate
/// has asked the site to name one polis does not know).
fn default_name(l: &Localizer, section: &str, key: &Str) -> String {
    l.pack
        .scalar(&format!("{section}.{}.name", key.value))
        .unwrap_or_else(|| key.value.clone())
}

/// `has`: which optional clauses apply.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Has {
    /// One per data category: true for each the site declares, false for each other polis knows.
    /// (First, so that a clause below of the same name wins, as it always has.)
    #[serde(flatten)]
    pub data: BTreeMap<String, bool>,
    /// A purpose rests on consent.
    pub consent: bool,
    /// A purpose rests on legitimate interests.
    pub legitimate_interests: bool,
    /// A purpose involves profiling (`purposes[].profiling`).
    pub profiling: bool,
    /// A recipient is outside the EEA.
    pub transfers: bool,
    /// A recipient is a processor.
    pub processors: bool,
    /// A data category comes from a public source.
    pub public_sources: bool,
    /// A data category comes from a source other than the person (`person`) or the use of the
    /// website (`website`): Art. 14(3) says when those people are told.
    pub indirect_sources: bool,
    /// A cookie is a third party's.
    pub third_party_cookies: bool,
    /// A DPO is appointed.
    pub dpo: bool,
    /// The site lists documents.
    pub documents: bool,
    /// site.yaml gives `company.marketing_opt_out_email`.
    pub marketing_opt_out: bool,
    /// site.yaml says `recipients: none`.
    pub no_recipients: bool,
    /// site.yaml lists security measures.
    pub security: bool,
}

pub(super) fn has(site: &Site, sources: &[Source]) -> Has {
    let mut data: BTreeMap<String, bool> = facts::KNOWN_DATA_CATEGORIES
        .iter()
        .map(|k| ((*k).to_owned(), false))
        .collect();
    for d in &site.data {
        data.insert(d.key.value.clone(), true);
    }
    let uses = |b: LegalBasis| site.purposes.iter().any(|p| p.basis == Some(b));
    let named: HashSet<&str> = site
        .data
        .iter()
        .flat_map(|d| d.sources.iter().map(|k| k.value.as_str()))
        .collect();
    Has {
        data,
        consent: uses(LegalBasis::Consent),
        legitimate_interests: uses(LegalBasis::LegitimateInterests),
        profiling: site.purposes.iter().any(|p| p.profiling.is_some()),
        transfers: site.recipients.iter().any(model::Recipient::transfers),
        processors: site.recipients.iter().any(|r| r.role == Role::Processor),
        public_sources: sources
            .iter()
            .any(|s| s.public && named.contains(s.key.as_str())),
        indirect_sources: named.iter().any(|k| !["person", "website"].contains(k)),
        third_party_cookies: site
            .cookies
            .list
            .iter()
            .any(|k| k.party == Some(Party::Third)),
        dpo: matches!(site.dpo, Dpo::Appointed { .. }),
        documents: !site.documents.is_empty(),
        marketing_opt_out: site.company.marketing_opt_out_email.is_some(),
        no_recipients: site.recipients_declared == Declared::None,
        security: !site.security.is_empty(),
    }
}
