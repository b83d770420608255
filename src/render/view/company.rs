//! `site`, `company`, `dpo`, `rights`, `authority`, `automated_decisions` and `documents`: who is
//! responsible, how to reach them, and the dates of the policy.

use serde::Serialize;

use super::super::localize::{Localizer, well_formed_country};
use crate::facts;
use crate::model::{self, Period, Settings, Site, Unit};

/// `site`: dates and the change history.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteDates {
    /// The site's address, `https://lumen.example`.
    pub base_url: String,
    /// "1 maart 2026".
    pub effective_date: String,
    /// `2026-03-01`.
    pub effective_date_iso: String,
    /// The latest of the effective date and the dates of the changes, in words.
    pub last_updated: String,
    /// The same, `2026-03-01`.
    pub last_updated_iso: String,
    /// `site.changes`, in the order site.yaml gives them.
    pub changes: Vec<SiteChange>,
    /// Whether the company tells of changes by e-mail too.
    pub email_about_changes: bool,
}

/// One entry of `site.changes`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteChange {
    /// In words.
    pub date: String,
    /// `2026-03-01`.
    pub date_iso: String,
    /// What changed, as site.yaml says it.
    pub summary: String,
}

pub(super) fn site_dates(l: &mut Localizer, settings: &Settings) -> SiteDates {
    let last = settings
        .changes
        .iter()
        .map(|c| c.date)
        .max()
        .unwrap_or(settings.effective_date)
        .max(settings.effective_date);
    let changes = settings
        .changes
        .iter()
        .map(|c| SiteChange {
            date: l.date(c.date),
            date_iso: c.date.iso(),
            summary: l.text(&c.summary),
        })
        .collect();
    SiteDates {
        base_url: settings.base_url.value.clone(),
        effective_date: l.date(settings.effective_date),
        effective_date_iso: settings.effective_date.iso(),
        last_updated: l.date(last),
        last_updated_iso: last.iso(),
        changes,
        email_about_changes: settings.email_about_changes,
    }
}

/// `company`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Company {
    /// The trade name, else the legal name.
    pub name: String,
    /// The legal name.
    pub legal_name: String,
    /// The trade name, when site.yaml gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// "BV", "Ltd".
    pub legal_form: String,
    /// Where it is established.
    pub address: Address,
    /// Its number in the register of companies.
    pub enterprise_number: String,
    /// Its website.
    pub website: String,
    /// Its e-mail address.
    pub email: String,
    /// Its phone numbers.
    pub phones: Vec<Phone>,
    /// Where to write about privacy.
    pub privacy_email: String,
    /// Where to write to stop receiving marketing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing_opt_out_email: Option<String>,
    /// Where to choose which marketing to receive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing_preferences_url: Option<String>,
    /// Where the data is processed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_location: Option<String>,
}

/// `company.address`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// The country's code, `BE`.
    pub country: String,
    /// The country's name in this language.
    pub country_name: String,
}

/// One of `company.phones`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Phone {
    /// As site.yaml writes it.
    pub number: String,
    /// Its digits and `+`, for a `tel:` link.
    pub tel: String,
    /// What the number is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

pub(super) fn company(l: &mut Localizer, c: &model::Company) -> Company {
    let legal_name = l.text(&c.legal_name);
    let trade_name = c.trade_name.as_ref().map(|t| l.text(t));
    let phones = c
        .phones
        .iter()
        .map(|p| Phone {
            number: p.number.value.clone(),
            tel: p
                .number
                .value
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
            label: p.label.as_ref().map(|t| l.text(t)),
        })
        .collect();
    Company {
        name: trade_name.clone().unwrap_or_else(|| legal_name.clone()),
        legal_name,
        trade_name,
        legal_form: l.text(&c.legal_form),
        address: Address {
            street: l.text(&c.address.street),
            postal_code: c.address.postal_code.value.clone(),
            city: l.text(&c.address.city),
            country: c.address.country.value.clone(),
            country_name: l.country_name(&c.address.country),
        },
        enterprise_number: c.enterprise_number.value.clone(),
        website: c.website.value.clone(),
        email: c.email.value.clone(),
        phones,
        privacy_email: c.privacy_email.value.clone(),
        marketing_opt_out_email: c.marketing_opt_out_email.as_ref().map(|e| e.value.clone()),
        marketing_preferences_url: c.marketing_preferences_url.as_ref().map(|u| l.text(u)),
        processing_location: c.processing_location.as_ref().map(|t| l.text(t)),
    }
}

/// `dpo`: every field absent when site.yaml does not say (a waived `gdpr-dpo`), so that the
/// texts say nothing about a DPO.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dpo {
    /// Whether the company appointed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointed: Option<bool>,
    /// The officers' names, when appointed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
    /// The same as one text, "Sofie Claes en Jonas Peeters".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names_text: Option<String>,
    /// Their e-mail address, when appointed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their phone number, when appointed and given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Who handles privacy questions instead, when none is appointed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

pub(super) fn dpo(l: &mut Localizer, dpo: &model::Dpo) -> Dpo {
    match dpo {
        model::Dpo::Appointed {
            names,
            email,
            phone,
        } => {
            let names: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
            Dpo {
                appointed: Some(true),
                names_text: Some(l.list(&names)),
                names: Some(names),
                email: Some(email.value.clone()),
                phone: phone.as_ref().map(|p| p.value.clone()),
                contact: None,
            }
        }
        model::Dpo::NotAppointed { contact } => Dpo {
            appointed: Some(false),
            contact: Some(l.text(contact)),
            ..Dpo::default()
        },
        model::Dpo::Unspecified => Dpo::default(),
    }
}

/// `rights`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rights {
    /// How long the company has to answer: site.yaml's, or the law's one month.
    pub response_time: String,
    /// How much longer it may take for a complex request.
    pub extension: String,
    /// The limits on the rights that the company relies on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<String>,
}

pub(super) fn rights(l: &mut Localizer, rights: &model::Rights) -> Rights {
    let response = rights
        .response_time
        .map_or(Period::Span(1, Unit::Month), |(p, _)| p);
    Rights {
        response_time: l.period(response),
        extension: l.period(Period::Span(2, Unit::Month)),
        limits: rights.limits.as_ref().map(|t| l.text(t)),
    }
}

/// `authority`: the supervisory authority for complaints.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Authority {
    /// Its name.
    pub name: String,
    /// Its website.
    pub url: String,
    /// Its postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Its e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The site's authority, or the one polis knows for the company's country; `None` when there is
/// neither.
pub(super) fn authority(l: &mut Localizer, site: &Site) -> Option<Authority> {
    let country = &site.company.address.country.value;
    let authority = match &site.authority {
        Some(a) => Some(Authority {
            name: l.text(&a.name),
            url: l.text(&a.url),
            address: a.address.as_ref().map(|t| l.text(t)),
            email: a.email.as_ref().map(|e| e.value.clone()),
        }),
        None => regional_authority(site)
            .or_else(|| facts::authority(country))
            .map(|a| Authority {
                name: l.authority_name(a),
                url: l.authority_url(a),
                address: a.address.map(str::to_owned),
                email: a.email.map(str::to_owned),
            }),
    };
    // A malformed country is reported where it is written; no second error for its consequence.
    authority.or_else(|| (!well_formed_country(country)).then(Authority::default))
}

/// The authority of the company's region (`company.address.region`), in a country where each
/// region has its own.
fn regional_authority(site: &Site) -> Option<&'static facts::Authority> {
    let address = &site.company.address;
    facts::regional_authority(&address.country.value, &address.region.as_ref()?.value)
}

/// `automated_decisions`: `none` (true when site.yaml says there are none), or `list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutomatedDecisions {
    /// Whether site.yaml says there are none.
    pub none: bool,
    /// The decisions.
    pub list: Vec<Decision>,
    /// Whether any of them is profiling.
    pub profiling: bool,
}

/// One of `automated_decisions.list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Decision {
    /// What is decided.
    pub decision: String,
    /// How it is decided.
    pub logic: String,
    /// What it means for the person.
    pub consequences: String,
    /// Whether it is profiling.
    pub profiling: bool,
}

pub(super) fn automated_decisions(
    l: &Localizer,
    automated: &model::AutomatedDecisions,
) -> Option<AutomatedDecisions> {
    match automated {
        model::AutomatedDecisions::Unspecified => None,
        model::AutomatedDecisions::None => Some(AutomatedDecisions {
            none: true,
            ..AutomatedDecisions::default()
        }),
        model::AutomatedDecisions::Some(list) => Some(AutomatedDecisions {
            none: false,
            list: list
                .iter()
                .map(|d| Decision {
                    decision: l.text(&d.decision),
                    logic: l.text(&d.logic),
                    consequences: l.text(&d.consequences),
                    profiling: d.profiling,
                })
                .collect(),
            profiling: list.iter().any(|d| d.profiling),
        }),
    }
}

/// One of `documents`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    /// Its key, which `@doc/<key>` names.
    pub key: String,
    /// Its title in this language.
    pub title: String,
    /// Its address in this language.
    pub url: String,
    /// What it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

pub(super) fn documents(l: &Localizer, site: &Site) -> Vec<Document> {
    site.documents
        .iter()
        .map(|d| Document {
            key: d.key.value.clone(),
            title: l.text(&d.title),
            url: l.text(&d.url),
            about: d.about.as_ref().map(|t| l.text(t)),
        })
        .collect()
}
