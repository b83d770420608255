//! `cookies:`: the cookies (and similar technologies) a site sets, and how its banner asks.

use serde::Serialize;

use super::{ConsentSignal, CookieCategory, CookieKind, Declared, Period, Str, Text, serialize};
use crate::diagnostics::Pos;

/// `cookies:`
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cookies {
    /// Whether site.yaml says anything about cookies: the list, or `cookies: none`.
    pub declared: Declared,
    /// Where people change their cookie choices.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub settings_url: Option<Text>,
    /// How people reopen their cookie choice when there is no such page (`settings: banner`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<CookieSettings>,
    /// How people are asked for consent.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub consent: Option<ConsentChoice>,
    /// The cookie of the list in which the banner stores the visitor's choice.
    #[serde(skip)]
    pub consent_cookie: Option<Str>,
    /// The signals of Google Consent Mode v2 each category grants, in the order written.
    #[serde(skip)]
    pub consent_mode: Vec<ConsentMode>,
    /// The cookies.
    pub list: Vec<Cookie>,
    /// Where `cookies:` is written.
    #[serde(skip)]
    pub pos: Pos,
}

/// One category of `cookies.consent_mode` and the signals its consent grants.
#[derive(Debug, Clone, Default)]
pub struct ConsentMode {
    /// The category.
    pub category: CookieCategory,
    /// The signals, each with where it is written.
    pub signals: Vec<(ConsentSignal, Pos)>,
    /// Where the category's key is written.
    pub pos: Pos,
}

/// How people reopen their cookie choice, said instead of a page (`cookies.settings_url`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieSettings {
    /// With the banner's own link: a button on the page that opens the banner again, which the
    /// consent export's banner answers (`data-cc="show-preferencesModal"`).
    #[default]
    Banner,
}

/// How a cookie banner asks for consent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChoice {
    /// A choice for each category.
    #[default]
    PerCategory,
    /// One choice for all cookies that need consent.
    AllOrNothing,
}

/// First- or third-party.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// Set by the site itself.
    #[default]
    First,
    /// Set by another company, which can read it.
    Third,
}

/// One cookie (or similar technology).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cookie {
    /// Its name.
    pub name: Str,
    /// Who sets and reads it.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub provider: Option<Text>,
    /// First or third party.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub party: Option<Party>,
    /// Its category.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub category: Option<CookieCategory>,
    /// What it does.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub purpose: Option<Text>,
    /// How long it lasts.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub duration: Option<Period>,
    /// What kind of technology it is, when not a cookie (local storage, a pixel).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub kind: Option<CookieKind>,
    /// Where a third party that reads it processes the data (ISO country code).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub country: Option<Str>,
    /// Where `duration` is written (nowhere when it is absent).
    #[serde(skip)]
    pub duration_pos: Pos,
    /// Where the cookie's entry starts.
    #[serde(skip)]
    pub pos: Pos,
}
