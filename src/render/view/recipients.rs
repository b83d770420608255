//! `recipients`: who else receives the data, in what role, where, and under which safeguard.

use std::collections::HashMap;

use serde::Serialize;

use super::super::localize::Localizer;
use super::Shared;
use crate::model::{self, Role, Site};

/// One of `recipients` (and of `processors`, `controllers`, `transfers`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recipient {
    /// Its name, or the category of recipients.
    pub name: String,
    /// `processor` or `controller`.
    pub role: &'static str,
    /// The role in words.
    pub role_name: String,
    /// What it does with the data.
    pub service: String,
    /// The code of its country (or region).
    pub country: String,
    /// The name of its country or region in this language.
    pub country_name: String,
    /// Whether it is in the EEA (or a country deemed adequate within it).
    pub in_eea: bool,
    /// Whether it processes the data mostly in the EEA and partly outside (`region:
    /// mostly_eea`): a transfer, but not one "outside the EEA" as a whole.
    pub partly_outside: bool,
    /// Whether `name` is a category of recipients rather than one.
    pub is_category: bool,
    /// The safeguard of a transfer outside the EEA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safeguard: Option<Safeguard>,
    /// The derogation of Art. 49 a transfer rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derogation: Option<String>,
    /// The keys of the purposes it receives data for, when site.yaml says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<String>>,
}

/// The safeguard of a transfer (Art. 45-47).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Safeguard {
    /// Its key, `standard_contractual_clauses`.
    pub key: &'static str,
    /// Its name in this language.
    pub name: String,
    /// Its article.
    pub article: String,
}

pub(super) fn recipients(l: &mut Localizer, site: &Site) -> Vec<Shared<Recipient>> {
    let role_names = [
        ("processor", l.pack_str("roles.processor")),
        ("controller", l.pack_str("roles.controller")),
    ];
    // Each safeguard in words once, for the recipients that name it.
    let mut safeguards: HashMap<&str, Safeguard> = HashMap::new();
    site.recipients
        .iter()
        .map(|r| {
            let (role, role_name) = &role_names[usize::from(r.role == Role::Controller)];
            let safeguard = r.safeguard.map(|(s, _)| {
                safeguards
                    .entry(s.key())
                    .or_insert_with(|| Safeguard {
                        key: s.key(),
                        name: l.pack_str(&format!("safeguards.{}.name", s.key())),
                        article: l.pack_str(&format!("safeguards.{}.article", s.key())),
                    })
                    .clone()
            });
            Shared::new(Recipient {
                name: l.text(&r.name),
                role,
                role_name: role_name.clone(),
                service: l.text(&r.service),
                country: r.country.value.clone(),
                country_name: match r.region {
                    Some(region) => l.pack_str(&format!("regions.{}", region.key())),
                    None => l.country_name(&r.country),
                },
                in_eea: !r.transfers(),
                partly_outside: r.region == Some(model::Region::MostlyEea),
                is_category: r.is_category,
                safeguard,
                derogation: r.derogation.as_ref().map(|t| l.text(t)),
                purposes: r
                    .purposes
                    .as_ref()
                    .map(|keys| keys.iter().map(|k| k.value.clone()).collect()),
            })
        })
        .collect()
}
