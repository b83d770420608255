//! `cookies`: the list, by category, and the third parties. The words every cookie repeats are
//! looked up once.

use std::collections::HashMap;

use serde::Serialize;

use super::super::localize::Localizer;
use super::Shared;
use crate::model::{self, ConsentChoice, CookieKind, Declared, Party};

/// `cookies`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cookies {
    /// Every cookie, in the order of site.yaml.
    pub list: Vec<Shared<Cookie>>,
    /// The categories in use, in the order polis knows them, each with its cookies.
    pub categories: Vec<CookieCategory>,
    /// The providers of third-party cookies, each once, in the order of the list.
    pub third_parties: Vec<String>,
    /// The same, each with where it processes the data when a cookie of it says.
    pub third_party_list: Vec<ThirdParty>,
    /// Whether a first-party cookie is the company's own (its provider is the company, or not
    /// named): only the site reads it.
    pub own_first_party: bool,
    /// The providers of first-party cookies other than the company, each with its cookies: a
    /// cookie on the site's domain that another party sets, and reads.
    pub first_party_providers: Vec<FirstPartyProvider>,
    /// `none` or `listed`, when site.yaml says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<&'static str>,
    /// How consent is asked: `per_category` or `all_or_nothing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<&'static str>,
    /// Where a visitor changes their choice, in this language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings_url: Option<String>,
    /// `banner` when the banner's own link reopens the choice instead of a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<&'static str>,
}

/// One of `cookies.list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cookie {
    /// Its name.
    pub name: String,
    /// Who sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `first` or `third`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<&'static str>,
    /// The party in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    /// Its category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<CookieCategoryRef>,
    /// What it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// How long it is kept, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// What it is when it is not a cookie: `local_storage`, `pixel`...
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// The same in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// Where its provider processes the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
}

/// A cookie's category, as each cookie names it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CookieCategoryRef {
    /// Its key, `analytics`.
    pub key: &'static str,
    /// Its name in this language.
    pub name: String,
}

/// One of `cookies.categories`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CookieCategory {
    /// Its key.
    pub key: &'static str,
    /// Its name.
    pub name: String,
    /// What its cookies do.
    pub description: String,
    /// Whether its cookies need consent (all but the necessary ones).
    pub needs_consent: bool,
    /// Its cookies, as in `list`.
    pub cookies: Vec<Shared<Cookie>>,
}

/// One of `cookies.third_party_list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThirdParty {
    /// The provider.
    pub name: String,
    /// Where it processes the data, when a cookie of it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
}

/// A provider of first-party cookies that is not the company.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FirstPartyProvider {
    /// Its name.
    pub name: String,
    /// The names of its first-party cookies.
    pub cookies: Vec<String>,
}

pub(super) fn cookies(
    l: &mut Localizer,
    cookies: &model::Cookies,
    company: &model::Company,
) -> Cookies {
    let categories: Vec<CookieCategoryRef> = model::CookieCategory::ALL
        .iter()
        .map(|(key, _)| CookieCategoryRef {
            key,
            name: l.pack_str(&format!("cookie_categories.{key}.name")),
        })
        .collect();
    let list = list(l, cookies, &categories);
    let (third_parties, third_party_list) = third_parties(l, cookies);
    let (own_first_party, first_party_providers) = first_party(l, cookies, company);
    Cookies {
        own_first_party,
        first_party_providers,
        categories: by_category(l, cookies, &categories, &list),
        list,
        third_parties,
        third_party_list,
        declared: match cookies.declared {
            Declared::Silent => None,
            Declared::None => Some("none"),
            Declared::Listed => Some("listed"),
        },
        consent: cookies.consent.map(|c| match c {
            ConsentChoice::PerCategory => "per_category",
            ConsentChoice::AllOrNothing => "all_or_nothing",
        }),
        settings_url: cookies.settings_url.as_ref().map(|u| l.text(u)),
        settings: cookies.settings.map(|s| match s {
            model::CookieSettings::Banner => "banner",
        }),
    }
}

/// The index of `category` in [`model::CookieCategory::ALL`].
fn index(category: model::CookieCategory) -> usize {
    model::CookieCategory::ALL
        .iter()
        .position(|(_, c)| *c == category)
        .unwrap_or_default()
}

/// `cookies.list`, with `categories` the name of each category, in the order of `ALL`.
fn list(
    l: &mut Localizer,
    cookies: &model::Cookies,
    categories: &[CookieCategoryRef],
) -> Vec<Shared<Cookie>> {
    let party_names = [
        ("first", l.pack_str("parties.first")),
        ("third", l.pack_str("parties.third")),
    ];
    let mut kind_names: HashMap<&str, String> = HashMap::new();
    cookies
        .list
        .iter()
        .map(|k| {
            let party = k
                .party
                .map(|p| &party_names[usize::from(p == Party::Third)]);
            let kind = k.kind.filter(|k| *k != CookieKind::Cookie).map(|k| k.key());
            Shared::new(Cookie {
                name: k.name.value.clone(),
                provider: k.provider.as_ref().map(|p| l.text(p)),
                party: party.map(|(key, _)| *key),
                party_name: party.map(|(_, name)| name.clone()),
                category: k.category.map(|c| categories[index(c)].clone()),
                purpose: k.purpose.as_ref().map(|p| l.text(p)),
                duration: k.duration.map(|d| l.period(d)),
                kind,
                type_name: kind.map(|kind| {
                    kind_names
                        .entry(kind)
                        .or_insert_with(|| l.pack_str(&format!("cookie_kinds.{kind}")))
                        .clone()
                }),
                country_name: k.country.as_ref().map(|c| l.country_name(c)),
            })
        })
        .collect()
}

/// `cookies.categories`: the categories in use, each with its cookies of `list`.
fn by_category(
    l: &mut Localizer,
    cookies: &model::Cookies,
    categories: &[CookieCategoryRef],
    list: &[Shared<Cookie>],
) -> Vec<CookieCategory> {
    let mut of: Vec<Vec<Shared<Cookie>>> = vec![Vec::new(); categories.len()];
    for (k, v) in cookies.list.iter().zip(list) {
        if let Some(c) = k.category {
            of[index(c)].push(v.clone());
        }
    }
    model::CookieCategory::ALL
        .iter()
        .zip(categories)
        .zip(of)
        .filter(|(_, cookies)| !cookies.is_empty())
        .map(|(((key, c), named), cookies)| CookieCategory {
            key,
            name: named.name.clone(),
            description: l.pack_str(&format!("cookie_categories.{key}.description")),
            needs_consent: *c != model::CookieCategory::Necessary,
            cookies,
        })
        .collect()
}

/// Whether a first-party cookie is the company's own, and the other providers of first-party
/// cookies: who reads a cookie follows from its provider, not from its party alone.
fn first_party(
    l: &Localizer,
    cookies: &model::Cookies,
    company: &model::Company,
) -> (bool, Vec<FirstPartyProvider>) {
    let mut names = vec![l.text(&company.legal_name)];
    names.extend(company.trade_name.as_ref().map(|t| l.text(t)));
    let mut own = false;
    let mut others: Vec<FirstPartyProvider> = Vec::new();
    for k in cookies
        .list
        .iter()
        .filter(|k| k.party == Some(Party::First))
    {
        match k.provider.as_ref().map(|p| l.text(p)) {
            Some(name) if !names.contains(&name) => {
                match others.iter_mut().find(|p| p.name == name) {
                    Some(p) => p.cookies.push(k.name.value.clone()),
                    None => others.push(FirstPartyProvider {
                        name,
                        cookies: vec![k.name.value.clone()],
                    }),
                }
            }
            _ => own = true,
        }
    }
    (own, others)
}

/// Each third party once, with where it processes the data when a cookie of it says: as names
/// (`third_parties`) and with the country (`third_party_list`).
fn third_parties(l: &Localizer, cookies: &model::Cookies) -> (Vec<String>, Vec<ThirdParty>) {
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut third: Vec<ThirdParty> = Vec::new();
    for k in cookies
        .list
        .iter()
        .filter(|k| k.party == Some(Party::Third))
    {
        let Some(name) = k.provider.as_ref().map(|p| l.text(p)) else {
            continue;
        };
        let country_name = k.country.as_ref().map(|c| l.country_name(c));
        match at.get(&name) {
            None => {
                at.insert(name.clone(), third.len());
                third.push(ThirdParty { name, country_name });
            }
            Some(&i) if third[i].country_name.is_none() => third[i].country_name = country_name,
            Some(_) => {}
        }
    }
    let names = third.iter().map(|t| t.name.clone()).collect();
    (names, third)
}
