//! The model, in one locale, as the variables content and templates read (docs/templates.md).
//!
//! Everything a reader sees is resolved here: localized texts picked, periods and dates written in
//! words from the locale pack, defaults filled in for known data categories and sources. Optional
//! fields are left out rather than set to null, so that a template using one fails the build. One
//! function per variable (`site`, `company`, `dpo`, ...), in the order of docs/templates.md.

use std::collections::{BTreeMap, HashMap, HashSet};

use tera::value::Key;

use super::localize::{Localizer, well_formed_country};
use crate::facts::{self, Authority as KnownAuthority};
use crate::model::*;

/// Everything `build_context` needs for one locale.
pub(super) struct Scope<'a> {
    /// The site.
    pub(super) site: &'a Site,
    /// The URL of each page in this locale, by page name, with its title.
    pub(super) pages: V,
}

/// A Tera value.
type V = tera::Value;

/// A map of the variables, as it is built. Tera copies any map into a map of its own when it
/// becomes a value, so the one built first is a sorted one, which needs no hashing: a site.yaml of
/// 13,500 data categories builds a hundred thousand of them.
type Obj = BTreeMap<Key<'static>, V>;

/// A map with fixed keys, built in place: `obj! { "name": x, "role": y }`. The keys are static
/// words, so no key is allocated, and values are converted with `V::from`.
macro_rules! obj {
    ($($key:literal : $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = Obj::new();
        $( map.insert(Key::Str($key), V::from($value)); )*
        map
    }};
}

/// Sets `key` in `map` when there is a value.
fn set_some(map: &mut Obj, key: &'static str, value: Option<impl Into<V>>) {
    if let Some(v) = value {
        map.insert(Key::Str(key), v.into());
    }
}

/// The variables for the pages of one locale.
///
/// Values are built as Tera values directly. Lists that appear in several places (a cookie in
/// `cookies.list` and in its category, a purpose in `purposes` and under its legal basis) are built
/// once and shared: Tera's values are reference-counted, so a thousand cookies are not copied for
/// every place they appear.
pub(super) fn build_context(l: &mut Localizer, scope: &Scope) -> tera::Context {
    let site = scope.site;
    let mut cx = tera::Context::new();
    cx.insert_value("lang", l.locale.into());
    cx.insert_value("pages", scope.pages.clone());
    cx.insert_value("t", l.pack.to_value());
    cx.insert_value("site", settings(l, &site.settings).into());
    cx.insert_value("company", company(l, &site.company).into());
    cx.insert_value("dpo", dpo(l, &site.dpo).into());
    let sources = sources(l, site);
    let (purposes, bases) = purposes(l, site);
    let data = data(l, site, &sources);
    let recipients = recipients(l, site);
    cx.insert_value("rights", rights(l, &site.rights).into());
    if let Some(authority) = authority(l, site) {
        cx.insert_value("authority", authority.into());
    }
    let cookies = cookies(l, &site.cookies);
    let documents = documents(l, site);
    if let Some(automated) = automated_decisions(l, &site.automated_decisions) {
        cx.insert_value("automated_decisions", automated.into());
    }
    let security: Vec<V> = site
        .security
        .iter()
        .map(|m| match m {
            Measure::Known(key) => l
                .pack
                .scalar(&format!("security.{}", key.value))
                .unwrap_or_default()
                .into(),
            Measure::Own(text) => l.text(text).into(),
        })
        .collect();
    cx.insert_value("security", security.into());
    let has = has(site, &sources);

    cx.insert_value(
        "sources",
        sources
            .into_iter()
            .map(|s| s.value)
            .collect::<Vec<_>>()
            .into(),
    );
    cx.insert_value("data", data.into());
    cx.insert_value("documents", documents.into());
    cx.insert_value("has", has.into());
    cx.insert_value("purposes", purposes.into());
    cx.insert_value("bases", bases.into());
    cx.insert_value("recipients", recipients.all.into());
    cx.insert_value("processors", recipients.processors);
    cx.insert_value("controllers", recipients.controllers);
    cx.insert_value("transfers", recipients.transfers);
    cx.insert_value("cookies", cookies.into());
    cx
}

/// `site`: dates and the change history.
fn settings(l: &mut Localizer, settings: &Settings) -> Obj {
    let last = settings
        .changes
        .iter()
        .map(|c| c.date)
        .max()
        .unwrap_or(settings.effective_date)
        .max(settings.effective_date);
    let changes: Vec<V> = settings
        .changes
        .iter()
        .map(|c| {
            obj! { "date": l.date(c.date), "date_iso": c.date.iso(), "summary": l.text(&c.summary) }
                .into()
        })
        .collect();
    let effective_date = l.date(settings.effective_date);
    let last_updated = l.date(last);
    obj! {
        "base_url": settings.base_url.value.as_str(),
        "effective_date": effective_date,
        "effective_date_iso": settings.effective_date.iso(),
        "last_updated": last_updated,
        "last_updated_iso": last.iso(),
        "changes": changes,
        "email_about_changes": settings.email_about_changes,
    }
}

/// `company`.
fn company(l: &mut Localizer, c: &Company) -> Obj {
    let legal_name = l.text(&c.legal_name);
    let address = obj! {
        "street": l.text(&c.address.street),
        "postal_code": c.address.postal_code.value.as_str(),
        "city": l.text(&c.address.city),
        "country": c.address.country.value.as_str(),
        "country_name": l.country_name(&c.address.country),
    };
    let phones: Vec<V> = c
        .phones
        .iter()
        .map(|p| {
            let tel: String = p
                .number
                .value
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            let mut phone = obj! { "number": p.number.value.as_str(), "tel": tel };
            set_some(&mut phone, "label", p.label.as_ref().map(|t| l.text(t)));
            phone.into()
        })
        .collect();
    let mut company = obj! {
        "name": c.trade_name.as_ref().map_or(legal_name.clone(), |t| l.text(t)),
        "legal_name": legal_name,
        "legal_form": l.text(&c.legal_form),
        "address": address,
        "enterprise_number": c.enterprise_number.value.as_str(),
        "website": c.website.value.as_str(),
        "email": c.email.value.as_str(),
        "phones": phones,
        "privacy_email": c.privacy_email.value.as_str(),
    };
    set_some(
        &mut company,
        "trade_name",
        c.trade_name.as_ref().map(|t| l.text(t)),
    );
    set_some(
        &mut company,
        "marketing_opt_out_email",
        c.marketing_opt_out_email.as_ref().map(|e| e.value.as_str()),
    );
    set_some(
        &mut company,
        "marketing_preferences_url",
        c.marketing_preferences_url.as_ref().map(|u| l.text(u)),
    );
    set_some(
        &mut company,
        "processing_location",
        c.processing_location.as_ref().map(|t| l.text(t)),
    );
    company
}

/// `dpo`.
fn dpo(l: &mut Localizer, dpo: &Dpo) -> Obj {
    match dpo {
        Dpo::Appointed {
            names,
            email,
            phone,
        } => {
            let names: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
            let mut dpo = obj! { "appointed": true, "names_text": l.list(&names), "names": names, "email": email.value.as_str() };
            set_some(&mut dpo, "phone", phone.as_ref().map(|p| p.value.as_str()));
            dpo
        }
        Dpo::NotAppointed { contact } => obj! { "appointed": false, "contact": l.text(contact) },
        // Not said (a waived `gdpr-dpo`): the texts say nothing about a DPO.
        Dpo::Unspecified => obj! {},
    }
}

/// A source of data: its value in `sources`, and what the data categories and `has` read of it.
struct Source<'s> {
    key: &'s str,
    name: String,
    public: bool,
    value: V,
}

/// `sources`: declared ones, plus known ones that data categories name without declaring.
fn sources<'s>(l: &mut Localizer, site: &'s Site) -> Vec<Source<'s>> {
    // (Sets and maps by key: a site.yaml of 20,000 sources or data categories is read in one pass.)
    let mut declared: HashMap<&str, &crate::model::Source> = HashMap::new();
    for s in &site.sources {
        declared.entry(s.key.value.as_str()).or_insert(s);
    }
    let mut seen: HashSet<&str> = site.sources.iter().map(|s| s.key.value.as_str()).collect();
    let mut source_keys: Vec<&Str> = site.sources.iter().map(|s| &s.key).collect();
    for d in &site.data {
        for s in &d.sources {
            if seen.insert(s.value.as_str()) {
                source_keys.push(s);
            }
        }
    }
    source_keys
        .iter()
        .map(|key| {
            let declared = declared.get(key.value.as_str()).copied();
            let name = declared
                .and_then(|s| s.name.as_ref())
                .map(|t| l.text(t))
                .unwrap_or_else(|| default_name(l, "sources", key));
            let public = declared
                .and_then(|s| s.public)
                .unwrap_or(key.value == "public");
            let mut v = obj! { "key": key.value.as_str(), "name": name.as_str(), "public": public };
            let description = declared
                .and_then(|s| s.description.as_ref())
                .map(|t| l.text(t))
                .or_else(|| l.pack.scalar(&format!("sources.{}.description", key.value)));
            set_some(&mut v, "description", description);
            Source {
                key: key.value.as_str(),
                name,
                public,
                value: v.into(),
            }
        })
        .collect()
}

/// The name of a data category: the site's, or the locale pack's for a category polis knows.
fn data_name(l: &mut Localizer, d: &DataCategory) -> String {
    d.name
        .as_ref()
        .map(|t| l.text(t))
        .unwrap_or_else(|| default_name(l, "data_categories", &d.key))
}

/// `purposes`, and `bases`: the legal bases in use, each with its purposes.
fn purposes(l: &mut Localizer, site: &Site) -> (Vec<V>, Vec<V>) {
    let mut by_key: HashMap<&str, &DataCategory> = HashMap::new();
    for d in &site.data {
        by_key.entry(d.key.value.as_str()).or_insert(d);
    }
    // Each legal basis in use as a value once, shared by the purposes that rest on it.
    let mut basis_values: Vec<(LegalBasis, V)> = Vec::new();
    let purposes: Vec<V> = site
        .purposes
        .iter()
        .map(|p| {
            let data: Vec<(&str, String)> = p
                .data
                .iter()
                .filter_map(|k| by_key.get(k.value.as_str()).copied())
                .map(|d| (d.key.value.as_str(), data_name(l, d)))
                .collect();
            let names: Vec<String> = data.iter().map(|(_, name)| name.to_lowercase_first()).collect();
            let data: Vec<V> = data.into_iter().map(|(key, name)| obj! { "key": key, "name": name }.into()).collect();
            let mut v = obj! { "key": p.key.value.as_str(), "name": l.text(&p.name), "data": data, "data_text": l.list(&names) };
            set_some(
                &mut v,
                "basis",
                p.basis.map(|b| match basis_values.iter().find(|(known, _)| *known == b) {
                    Some((_, value)) => value.clone(),
                    None => {
                        let value = V::from(basis_value(l, b));
                        basis_values.push((b, value.clone()));
                        value
                    }
                }),
            );
            set_some(&mut v, "description", p.description.as_ref().map(|t| l.text(t)));
            set_some(&mut v, "interest", p.interest.as_ref().map(|t| l.text(t)));
            set_some(&mut v, "subjects", p.subjects.as_ref().map(|t| l.text(t)));
            v.into()
        })
        .collect();
    let bases: Vec<V> = LegalBasis::ALL
        .iter()
        .filter(|(_, b)| site.purposes.iter().any(|p| p.basis == Some(*b)))
        .map(|(_, b)| {
            let of_basis: Vec<V> = site
                .purposes
                .iter()
                .zip(&purposes)
                .filter(|(p, _)| p.basis == Some(*b))
                .map(|(_, v)| v.clone())
                .collect();
            let mut basis = basis_value(l, *b);
            basis.insert(Key::Str("purposes"), of_basis.into());
            basis.into()
        })
        .collect();
    (purposes, bases)
}

/// `data`: each category with its sources, the purposes that use it and how long it is kept.
fn data(l: &mut Localizer, site: &Site, sources: &[Source]) -> Vec<V> {
    let mut names: HashMap<&str, &str> = HashMap::new();
    for s in sources {
        names.entry(s.key).or_insert(s.name.as_str());
    }
    // Which purposes use each category, in the order of the purposes, each once.
    let mut used_by: HashMap<&str, Vec<&Purpose>> = HashMap::new();
    for p in &site.purposes {
        let mut keys: Vec<&str> = p.data.iter().map(|k| k.value.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            used_by.entry(key).or_default().push(p);
        }
    }
    // Each retention as a value once, shared by the categories kept as long from the same event.
    let mut retentions: HashMap<(Option<Period>, &str), V> = HashMap::new();
    site.data
        .iter()
        .map(|d| {
            let retention = d.retention.as_ref().map(|r| {
                let key = match r {
                    Retention::Period { period, from, .. } => (Some(*period), from.get(l.locale)),
                    Retention::Rule(rule) => (None, rule.get(l.locale)),
                };
                retentions
                    .entry(key)
                    .or_insert_with(|| retention_value(l, r).into())
                    .clone()
            });
            data_category(
                l,
                &names,
                used_by
                    .get(d.key.value.as_str())
                    .map_or(&[][..], Vec::as_slice),
                d,
                retention,
            )
        })
        .collect()
}

/// How long a data category is kept: a period from an event, or a rule in words.
fn retention_value(l: &mut Localizer, retention: &Retention) -> Obj {
    match retention {
        Retention::Period { period, from, .. } => {
            let period = l.period(*period);
            let text = l
                .pack_str("retention_from")
                .replace("{period}", &period)
                .replace("{from}", &l.text(from));
            obj! { "period": period, "from": l.text(from), "text": text }
        }
        Retention::Rule(rule) => obj! { "rule": l.text(rule), "text": l.text(rule) },
    }
}

/// One entry of `data` (validate has reported a category without a description of its own or in
/// the locale pack).
fn data_category(
    l: &mut Localizer,
    source_names: &HashMap<&str, &str>,
    used_by: &[&Purpose],
    d: &DataCategory,
    retention: Option<V>,
) -> V {
    let source_name = |key: &str| {
        source_names
            .get(key)
            .map_or_else(String::new, |n| (*n).to_owned())
    };
    let names: Vec<String> = d.sources.iter().map(|s| source_name(&s.value)).collect();
    let sources_text = l.list(
        &names
            .iter()
            .map(|n| n.to_lowercase_first())
            .collect::<Vec<_>>(),
    );
    let srcs: Vec<V> = d
        .sources
        .iter()
        .zip(names)
        .map(|(s, name)| obj! { "key": s.value.as_str(), "name": name }.into())
        .collect();
    let used_by: Vec<V> = used_by.iter().map(|p| l.text(&p.name).into()).collect();
    let mut v = obj! {
        "key": d.key.value.as_str(),
        "name": data_name(l, d),
        "sources": srcs,
        "sources_text": sources_text,
        "purposes": used_by,
    };
    let description = d.description.as_ref().map(|t| l.text(t)).or_else(|| {
        l.pack
            .scalar(&format!("data_categories.{}.description", d.key.value))
    });
    set_some(&mut v, "description", description);
    set_some(&mut v, "retention", retention);
    v.into()
}

/// `recipients`, and the three lists drawn from it.
struct Recipients {
    all: Vec<V>,
    processors: V,
    controllers: V,
    transfers: V,
}

/// `recipients`, `processors`, `controllers` and `transfers` (recipients outside the EEA).
fn recipients(l: &mut Localizer, site: &Site) -> Recipients {
    let role_names = [
        ("processor", l.pack_str("roles.processor")),
        ("controller", l.pack_str("roles.controller")),
    ];
    // One value per safeguard, shared by the recipients that name it.
    let mut safeguards: HashMap<&str, V> = HashMap::new();
    let all: Vec<V> = site
        .recipients
        .iter()
        .map(|r| {
            let (role, role_name) = &role_names[usize::from(r.role == Role::Controller)];
            let mut v = obj! {
                "name": l.text(&r.name),
                "role": *role,
                "role_name": role_name.as_str(),
                "service": l.text(&r.service),
                "country": r.country.value.as_str(),
                "country_name": match r.region {
                    Some(region) => l.pack_str(&format!("regions.{}", region.key())),
                    None => l.country_name(&r.country),
                },
                "in_eea": !r.transfers(),
                "is_category": r.is_category,
            };
            if let Some((s, _)) = r.safeguard {
                let safeguard = safeguards.entry(s.key()).or_insert_with(|| {
                    let name = l.pack_str(&format!("safeguards.{}.name", s.key()));
                    let article = l.pack_str(&format!("safeguards.{}.article", s.key()));
                    obj! { "key": s.key(), "name": name, "article": article }.into()
                });
                v.insert(Key::Str("safeguard"), safeguard.clone());
            }
            set_some(
                &mut v,
                "derogation",
                r.derogation.as_ref().map(|t| l.text(t)),
            );
            if let Some(keys) = &r.purposes {
                let keys: Vec<V> = keys.iter().map(|k| k.value.as_str().into()).collect();
                v.insert(Key::Str("purposes"), keys.into());
            }
            v.into()
        })
        .collect();
    let recipients_where = |keep: &dyn Fn(&Recipient) -> bool| -> V {
        site.recipients
            .iter()
            .zip(&all)
            .filter(|(r, _)| keep(r))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .into()
    };
    let processors = recipients_where(&|r| r.role == Role::Processor);
    let controllers = recipients_where(&|r| r.role == Role::Controller);
    let transfers = recipients_where(&|r| r.transfers());
    Recipients {
        all,
        processors,
        controllers,
        transfers,
    }
}

/// `rights`: how long the company has to answer.
fn rights(l: &mut Localizer, rights: &Rights) -> Obj {
    let response = rights
        .response_time
        .map_or(Period::Span(1, Unit::Month), |(p, _)| p);
    let mut v = obj! { "response_time": l.period(response), "extension": l.period(Period::Span(2, Unit::Month)) };
    set_some(&mut v, "limits", rights.limits.as_ref().map(|t| l.text(t)));
    v
}

/// `authority`: the site's, or the one polis knows for the company's country; absent when there is
/// neither, so that a text naming it fails the build.
fn authority(l: &mut Localizer, site: &Site) -> Option<Obj> {
    let country = &site.company.address.country.value;
    let authority = match &site.authority {
        Some(a) => {
            let mut v = obj! { "name": l.text(&a.name), "url": l.text(&a.url) };
            set_some(&mut v, "address", a.address.as_ref().map(|t| l.text(t)));
            set_some(&mut v, "email", a.email.as_ref().map(|e| e.value.as_str()));
            Some(v)
        }
        None => facts::authority(country).map(|a: &KnownAuthority| {
            let mut v = obj! { "name": l.authority_name(a), "url": l.authority_url(a) };
            set_some(&mut v, "address", a.address);
            set_some(&mut v, "email", a.email);
            v
        }),
    };
    // A malformed country is reported where it is written; no second error for its consequence.
    authority.or_else(|| (!well_formed_country(country)).then(|| obj! { "name": "", "url": "" }))
}

/// `automated_decisions`: `none` (true when site.yaml says there are none), or `list`; absent when
/// site.yaml does not say (a waived `gdpr-automated-decisions`).
fn automated_decisions(l: &Localizer, automated: &AutomatedDecisions) -> Option<Obj> {
    match automated {
        AutomatedDecisions::Unspecified => None,
        AutomatedDecisions::None => {
            Some(obj! { "none": true, "list": Vec::<V>::new(), "profiling": false })
        }
        AutomatedDecisions::Some(list) => {
            let decisions: Vec<V> = list
                .iter()
                .map(|d| {
                    obj! {
                        "decision": l.text(&d.decision),
                        "logic": l.text(&d.logic),
                        "consequences": l.text(&d.consequences),
                        "profiling": d.profiling,
                    }
                    .into()
                })
                .collect();
            Some(
                obj! { "none": false, "list": decisions, "profiling": list.iter().any(|d| d.profiling) },
            )
        }
    }
}

/// `cookies`: the list, by category, and the third parties. The words every cookie repeats are
/// looked up once.
fn cookies(l: &mut Localizer, cookies: &Cookies) -> Obj {
    let party_names = [
        ("first", l.pack_str("parties.first")),
        ("third", l.pack_str("parties.third")),
    ];
    let category_names: Vec<String> = CookieCategory::ALL
        .iter()
        .map(|(key, _)| l.pack_str(&format!("cookie_categories.{key}.name")))
        .collect();
    let category_index = |c: CookieCategory| {
        CookieCategory::ALL
            .iter()
            .position(|(_, k)| *k == c)
            .unwrap_or_default()
    };
    let category_values: Vec<V> = CookieCategory::ALL
        .iter()
        .zip(&category_names)
        .map(|((key, _), name)| obj! { "key": *key, "name": name.as_str() }.into())
        .collect();
    let cookie_values: Vec<V> = cookies
        .list
        .iter()
        .map(|k| {
            let mut v = obj! { "name": k.name.value.as_str() };
            set_some(&mut v, "provider", k.provider.as_ref().map(|p| l.text(p)));
            if let Some(p) = k.party {
                let (key, name) = &party_names[usize::from(p == Party::Third)];
                v.insert(Key::Str("party"), (*key).into());
                v.insert(Key::Str("party_name"), name.as_str().into());
            }
            if let Some(c) = k.category {
                v.insert(
                    Key::Str("category"),
                    category_values[category_index(c)].clone(),
                );
            }
            set_some(&mut v, "purpose", k.purpose.as_ref().map(|p| l.text(p)));
            set_some(&mut v, "duration", k.duration.map(|d| l.period(d)));
            if let Some(kind) = k.kind.filter(|k| *k != CookieKind::Cookie) {
                v.insert(Key::Str("type"), kind.key().into());
                v.insert(
                    Key::Str("type_name"),
                    l.pack_str(&format!("cookie_kinds.{}", kind.key())).into(),
                );
            }
            set_some(
                &mut v,
                "country_name",
                k.country.as_ref().map(|c| l.country_name(c)),
            );
            v.into()
        })
        .collect();
    let categories: Vec<V> = CookieCategory::ALL
        .iter()
        .filter(|(_, c)| cookies.list.iter().any(|k| k.category == Some(*c)))
        .map(|(key, c)| {
            let in_category: Vec<V> = cookies
                .list
                .iter()
                .zip(&cookie_values)
                .filter(|(k, _)| k.category == Some(*c))
                .map(|(_, v)| v.clone())
                .collect();
            obj! {
                "key": *key,
                "name": category_names[category_index(*c)].as_str(),
                "description": l.pack_str(&format!("cookie_categories.{key}.description")),
                "needs_consent": *c != CookieCategory::Necessary,
                "cookies": in_category,
            }
            .into()
        })
        .collect();
    // Each third party once, with where it processes the data when a cookie of it says.
    let mut seen = HashSet::new();
    let mut third: Vec<(String, Option<String>)> = Vec::new();
    for k in cookies
        .list
        .iter()
        .filter(|k| k.party == Some(Party::Third))
    {
        let Some(name) = k.provider.as_ref().map(|p| l.text(p)) else {
            continue;
        };
        let country = k.country.as_ref().map(|c| l.country_name(c));
        if seen.insert(name.clone()) {
            third.push((name, country));
        } else if let Some(entry) = third.iter_mut().find(|(n, c)| *n == name && c.is_none()) {
            entry.1 = country;
        }
    }
    let third_parties: Vec<String> = third.iter().map(|(name, _)| name.clone()).collect();
    let third_party_countries: Vec<V> = third
        .into_iter()
        .map(|(name, country)| {
            let mut v = obj! { "name": name };
            set_some(&mut v, "country_name", country);
            v.into()
        })
        .collect();
    let declared = match cookies.declared {
        Declared::Silent => None,
        Declared::None => Some("none"),
        Declared::Listed => Some("listed"),
    };
    let consent = cookies.consent.map(|c| match c {
        ConsentChoice::PerCategory => "per_category",
        ConsentChoice::AllOrNothing => "all_or_nothing",
    });
    let mut value = obj! {
        "list": cookie_values,
        "categories": categories,
        "third_parties": third_parties,
        "third_party_list": third_party_countries,
    };
    set_some(&mut value, "declared", declared);
    set_some(&mut value, "consent", consent);
    set_some(
        &mut value,
        "settings_url",
        cookies.settings_url.as_ref().map(|u| l.text(u)),
    );
    value
}

/// `documents`: the site's other documents, which `@doc/` links name.
fn documents(l: &mut Localizer, site: &Site) -> Vec<V> {
    site.documents
        .iter()
        .map(|d| {
            let mut v = obj! { "key": d.key.value.as_str(), "title": l.text(&d.title), "url": l.text(&d.url) };
            set_some(&mut v, "about", d.about.as_ref().map(|t| l.text(t)));
            v.into()
        })
        .collect()
}

/// `has`: which optional clauses apply (a known data category the site collects, consent, transfers...).
fn has(site: &Site, sources: &[Source]) -> Obj {
    let mut has = Obj::new();
    for key in facts::KNOWN_DATA_CATEGORIES {
        has.insert(Key::Str(key), false.into());
    }
    for d in &site.data {
        has.insert(Key::from(d.key.value.clone()), true.into());
    }
    let uses = |b: LegalBasis| site.purposes.iter().any(|p| p.basis == Some(b));
    let named: HashSet<&str> = site
        .data
        .iter()
        .flat_map(|d| d.sources.iter().map(|k| k.value.as_str()))
        .collect();
    let public_sources = sources.iter().any(|s| s.public && named.contains(s.key));
    let more = obj! {
        "consent": uses(LegalBasis::Consent),
        "legitimate_interests": uses(LegalBasis::LegitimateInterests),
        "transfers": site.recipients.iter().any(Recipient::transfers),
        "processors": site.recipients.iter().any(|r| r.role == Role::Processor),
        "public_sources": public_sources,
        "third_party_cookies": site.cookies.list.iter().any(|k| k.party == Some(Party::Third)),
        "dpo": matches!(site.dpo, Dpo::Appointed { .. }),
        "documents": !site.documents.is_empty(),
        "marketing_opt_out": site.company.marketing_opt_out_email.is_some(),
        "no_recipients": site.recipients_declared == Declared::None,
        "security": !site.security.is_empty(),
    };
    has.extend(more);
    has
}

fn basis_value(l: &mut Localizer, basis: LegalBasis) -> Obj {
    obj! {
        "key": basis.key(),
        "name": l.pack_str(&format!("legal_bases.{}.name", basis.key())),
        "article": l.pack_str(&format!("legal_bases.{}.article", basis.key())),
    }
}

/// The locale pack's name for a known key (`data_categories.contact.name`), or the key (validate
/// has asked the site to name one polis does not know).
fn default_name(l: &Localizer, section: &str, key: &Str) -> String {
    l.pack
        .scalar(&format!("{section}.{}.name", key.value))
        .unwrap_or_else(|| key.value.clone())
}

pub(super) trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for str {
    /// "Contactgegevens" → "contactgegevens", for names in the middle of a sentence. Leaves
    /// acronyms ("IP-adres") alone.
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
