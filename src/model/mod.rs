//! The typed description of a company that site.yaml holds.
//!
//! Every value keeps the position it was written at, so later stages (validation, the GDPR lint)
//! can point at it. Text a reader sees is [`Text`]: one string, or one per locale.

mod choice;
mod cookies;
pub mod decode;
mod format;
mod period;
mod processing;
mod record;
mod serialize;
mod site;
mod text;
mod values;

pub use values::country_fix;

pub use choice::{ConsentSignal, CookieCategory, CookieKind, LegalBasis, Region, Safeguard};
pub use cookies::{ConsentChoice, ConsentMode, Cookie, CookieSettings, Cookies, Party};
pub use decode::Str;
pub use format::{is_email, is_web_url};
pub use period::{Date, Period, Unit};
pub use record::facts;
pub use serialize::{Shape, in_shape};
pub use site::decode_site;
pub use text::{Localized, Text};

use serde::Serialize;

use crate::diagnostics::Pos;

/// The whole site: settings and the company it describes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Site {
    /// `site:` — how and where to build.
    pub settings: Settings,
    /// `company:` — who the controller is.
    pub company: Company,
    /// `dpo:` — the data protection officer, or who answers instead.
    pub dpo: Dpo,
    /// `sources:` — where personal data comes from.
    pub sources: Vec<Source>,
    /// `data:` — the categories of personal data.
    pub data: Vec<DataCategory>,
    /// `purposes:` — why data is processed, each with its legal basis.
    pub purposes: Vec<Purpose>,
    /// `recipients:` — who receives data.
    pub recipients: Vec<Recipient>,
    /// Whether site.yaml lists recipients, says `recipients: none`, or is silent.
    pub recipients_declared: Declared,
    /// `rights:` — how requests are answered.
    pub rights: Rights,
    /// `authority:` — overrides the supervisory authority found from the company's country.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub authority: Option<Authority>,
    /// `cookies:` — the cookies the website sets.
    pub cookies: Cookies,
    /// `documents:` — the company's other terms.
    pub documents: Vec<Document>,
    /// `automated_decisions:` — decisions without a person, and profiling.
    pub automated_decisions: AutomatedDecisions,
    /// `security:` — the measures that protect the data, when the site names them.
    pub security: Vec<Measure>,
    /// `waivers:` — lint rules the site deliberately does not follow, with the reason.
    pub waivers: Vec<Waiver>,
    /// `scan:` — the banner's buttons, for `polis scan`; no fact of the policies.
    #[serde(skip)]
    pub scan: Option<Scan>,
    /// Top-level sections written with a misspelled key (`dpoo:`), reported as such: not also
    /// reported as missing.
    #[serde(skip)]
    pub misspelled: Vec<String>,
    /// Where each top-level section present is written (`dpo:`), for rules about a section as a
    /// whole.
    #[serde(skip)]
    pub section_keys: Vec<(&'static str, Pos)>,
}

/// `site:`
#[derive(Debug, Clone, Default, Serialize)]
pub struct Settings {
    /// The address the pages are published under, without a trailing slash.
    pub base_url: Str,
    /// The languages, the first being the default.
    pub locales: Vec<Str>,
    /// The output folder, relative to the site folder.
    pub output: Str,
    /// The theme's name (a folder under themes/, or the embedded `default`).
    pub theme: Str,
    /// When this version of the policies takes effect.
    pub effective_date: Date,
    /// Where `effective_date` is written.
    #[serde(skip)]
    pub effective_date_pos: Pos,
    /// The URL slug of each page per locale: `(locale, page, slug)`.
    #[serde(serialize_with = "serialize::slugs")]
    pub slugs: Vec<(String, PageKind, Str)>,
    /// The change history, newest first.
    pub changes: Vec<Change>,
    /// Whether people are told of important changes by e-mail (`site.email_about_changes`).
    pub email_about_changes: bool,
    /// The country whose legal wording the texts follow, when not the company's own (`NL` for
    /// "KvK-nummer", `BE` for "ondernemingsnummer").
    #[serde(skip_serializing_if = "serialize::absent")]
    pub variant: Option<Str>,
}

impl Site {
    /// Where the top-level section `key` is written, or the whole file when it is absent.
    pub fn section_pos(&self, key: &str) -> Pos {
        self.section_keys
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Pos::default(), |(_, pos)| *pos)
    }

    /// The country whose legal wording the texts follow: `site.variant`, or the company's country.
    pub fn variant(&self) -> &str {
        self.settings
            .variant
            .as_ref()
            .map_or(&self.company.address.country.value, |v| &v.value)
    }
}

impl Settings {
    /// The site's locales as written in `site.locales`, in their order.
    pub fn locale_keys(&self) -> Vec<&str> {
        self.locales.iter().map(|l| l.value.as_str()).collect()
    }

    /// The slug site.yaml gives `page` in `locale`, if it gives one. Without it the slug is a word
    /// of the language's locale pack (`validate::slug`).
    pub fn slug(&self, locale: &str, page: PageKind) -> Option<&Str> {
        self.slugs
            .iter()
            .find(|(l, p, _)| l == locale && *p == page)
            .map(|(_, _, slug)| slug)
    }
}

/// A page polis renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// The privacy policy.
    Privacy,
    /// The cookie policy.
    Cookies,
}

impl PageKind {
    /// Every page, in the order they are rendered.
    pub const ALL: [PageKind; 2] = [PageKind::Privacy, PageKind::Cookies];

    /// Its name in file names (`privacy.nl.md`), links (`@/cookies`), `site.slugs`, messages and
    /// templates.
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Privacy => "privacy",
            PageKind::Cookies => "cookies",
        }
    }

    /// The page called `name`, if polis has one.
    pub fn named(name: &str) -> Option<PageKind> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl std::fmt::Display for PageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the change history.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Change {
    /// When the change took effect.
    pub date: Date,
    /// What changed.
    pub summary: Text,
}

/// `company:`
#[derive(Debug, Clone, Default, Serialize)]
pub struct Company {
    /// The registered name.
    pub legal_name: Text,
    /// The name people know it by.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub trade_name: Option<Text>,
    /// BV, NV, ...
    pub legal_form: Text,
    /// The registered office.
    pub address: Address,
    /// Enterprise or VAT number.
    pub enterprise_number: Str,
    /// The company's website.
    pub website: Str,
    /// General contact address.
    pub email: Str,
    /// Phone numbers with what they are for.
    pub phones: Vec<Phone>,
    /// Where people send requests about their data.
    pub privacy_email: Str,
    /// Where people opt out of marketing.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub marketing_opt_out_email: Option<Str>,
    /// A page where people choose which marketing they receive.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub marketing_preferences_url: Option<Text>,
    /// Where the company itself processes the data, in words ("on servers in the EU").
    #[serde(skip_serializing_if = "serialize::absent")]
    pub processing_location: Option<Text>,
}

/// A postal address.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Address {
    /// Street and number.
    pub street: Text,
    /// Postal code.
    pub postal_code: Str,
    /// Town.
    pub city: Text,
    /// ISO 3166-1 alpha-2 code.
    pub country: Str,
    /// The region whose authority the company answers to, in a country with one per region
    /// (the German Land, `BY`: ISO 3166-2 without the country).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Str>,
}

/// A phone number and what it is for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Phone {
    /// "Customer service".
    #[serde(skip_serializing_if = "serialize::absent")]
    pub label: Option<Text>,
    /// As dialled from abroad: +32 9 ...
    pub number: Str,
}

/// `dpo:`
#[derive(Debug, Clone, Default)]
pub enum Dpo {
    /// A data protection officer is appointed.
    Appointed {
        /// Their names.
        names: Vec<Str>,
        /// Their e-mail.
        email: Str,
        /// Their phone.
        phone: Option<Str>,
    },
    /// None is appointed (GDPR Art. 37 does not require one); `contact` answers instead.
    NotAppointed {
        /// Who answers privacy questions.
        contact: Text,
    },
    /// Not said: the GDPR lint reports it.
    #[default]
    Unspecified,
}

/// One source of personal data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Source {
    /// Its key in site.yaml.
    pub key: Str,
    /// Its name; known keys have a default in the locale pack.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub name: Option<Text>,
    /// What it is.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub description: Option<Text>,
    /// Whether it is publicly accessible (Art. 14(2)(f)).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub public: Option<bool>,
}

/// One category of personal data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataCategory {
    /// Its key in site.yaml.
    pub key: Str,
    /// Its name; known keys have a default.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub name: Option<Text>,
    /// What it contains; known keys have a default.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub description: Option<Text>,
    /// Keys of `sources`.
    pub sources: Vec<Str>,
    /// How long it is kept.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub retention: Option<Retention>,
}

/// How long data is kept (Art. 13(2)(a)).
#[derive(Debug, Clone)]
pub enum Retention {
    /// A period and the event that starts it.
    Period {
        /// How long.
        period: Period,
        /// After what.
        from: Text,
        /// Where written.
        pos: Pos,
    },
    /// A rule in words.
    Rule(Text),
}

/// One purpose of processing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Purpose {
    /// Its key.
    pub key: Str,
    /// What it is.
    pub name: Text,
    /// More words, when the name is not enough.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub description: Option<Text>,
    /// Its legal basis; `None` when site.yaml gives none (the GDPR lint reports it).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub basis: Option<LegalBasis>,
    /// Where `basis` is written.
    #[serde(skip)]
    pub basis_pos: Pos,
    /// The legitimate interest pursued (Art. 13(1)(d)).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub interest: Option<Text>,
    /// What profiling it involves, in the company's words (Art. 4(4)); `None` when it profiles no
    /// one. Art. 22 is about decisions; this is the profile, which Art. 21 lets people object to.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub profiling: Option<Text>,
    /// Keys of `data`.
    pub data: Vec<Str>,
    /// Whose data it is: customers, applicants... (the record of processing, Art. 30(1)(c)).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub subjects: Option<Text>,
}

/// Whether a recipient works for the company or decides for itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Processes on the company's instructions (Art. 28).
    #[default]
    Processor,
    /// Decides on its own purposes and means.
    Controller,
}

/// One recipient of personal data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recipient {
    /// Its name, or a category ("our accountant", `category:` in site.yaml).
    pub name: Text,
    /// Whether `name` is a category of recipients rather than one party (GDPR Art. 13(1)(e)).
    pub is_category: bool,
    /// Processor or controller.
    pub role: Role,
    /// What it does with the data.
    pub service: Text,
    /// ISO country code where it processes the data; empty when `region` says where instead.
    pub country: Str,
    /// Where it processes the data, for a category spread over countries.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub region: Option<Region>,
    /// How a transfer outside the EEA is safeguarded.
    #[serde(serialize_with = "serialize::without_pos")]
    #[serde(skip_serializing_if = "serialize::absent")]
    pub safeguard: Option<(Safeguard, Pos)>,
    /// With `safeguard: derogation`: which derogation of Art. 49 applies, in words.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub derogation: Option<Text>,
    /// Keys of the purposes it receives data for (the record of processing, Art. 30(1)(d)).
    #[serde(skip_serializing_if = "serialize::absent")]
    pub purposes: Option<Vec<Str>>,
    /// The hosts its requests go to (`polis scan` names a third-party request by them).
    #[serde(skip)]
    pub hosts: Vec<Str>,
}

impl Recipient {
    /// Whether data sent to it leaves the EEA (wholly or partly), as far as site.yaml says. A value
    /// that is no country code (a placeholder, a typo) is reported where it is written, and is no
    /// transfer.
    pub fn transfers(&self) -> bool {
        let country = &self.country.value;
        match self.region {
            Some(Region::Eea) => false,
            Some(Region::Outside | Region::MostlyEea) => true,
            None => crate::facts::CountryCode::parse(country).is_some_and(|c| !c.in_eea()),
        }
    }
}

/// `rights:`
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rights {
    /// How soon requests are answered; one month by default (Art. 12(3)).
    #[serde(serialize_with = "serialize::without_pos")]
    #[serde(skip_serializing_if = "serialize::absent")]
    pub response_time: Option<(Period, Pos)>,
    /// Limits on the rights that the company relies on (a law that restricts them), in words.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub limits: Option<Text>,
}

/// A supervisory authority.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Authority {
    /// Its name.
    pub name: Text,
    /// Its website.
    pub url: Text,
    /// Its postal address.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub address: Option<Text>,
    /// Its e-mail.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub email: Option<Str>,
}

/// Whether site.yaml says something about a section whose silence the policies cannot fill in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Declared {
    /// Not said: the GDPR lint asks for it.
    #[default]
    Silent,
    /// `none`, said in so many words.
    None,
    /// The items are listed.
    Listed,
}

/// `automated_decisions:` — decisions based solely on automated processing, including profiling
/// (GDPR Art. 13(2)(f), 22).
#[derive(Debug, Clone, Default)]
pub enum AutomatedDecisions {
    /// Not said: the GDPR lint asks for it.
    #[default]
    Unspecified,
    /// `automated_decisions: none`.
    None,
    /// The decisions, each with its logic and consequences.
    Some(Vec<AutomatedDecision>),
}

/// One decision based solely on automated processing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutomatedDecision {
    /// What is decided.
    pub decision: Text,
    /// The logic involved.
    pub logic: Text,
    /// Its significance and envisaged consequences for the person.
    pub consequences: Text,
    /// Whether it involves profiling.
    pub profiling: bool,
}

/// A security measure: one polis knows by key (worded in the locale packs), or the site's own.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Measure {
    /// `encryption_in_transit`, ...
    Known(Str),
    /// Its own words.
    Own(Text),
}

/// Another document of the company.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    /// Its key, used in links as `@doc/KEY`.
    pub key: Str,
    /// Its title.
    pub title: Text,
    /// Its address, per locale.
    pub url: Text,
    /// What it governs, when the title does not say.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub about: Option<Text>,
}

/// `scan:` — the CSS selectors of the cookie banner's buttons that `polis scan` presses.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// "Accept all".
    pub accept: Str,
    /// "Reject all".
    pub reject: Str,
}

/// A lint rule the site chooses not to follow at one place, and why.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Waiver {
    /// The rule as written, where it is written.
    pub rule: Str,
    /// The code `rule` names, parsed when decoded; `None` when it names none (reported by the
    /// GDPR rules, which also say when the code named is not one a site may waive).
    #[serde(skip)]
    pub code: Option<crate::diagnostics::Code>,
    /// Which place: a key such as a purpose's or cookie's; absent for the whole site.
    #[serde(skip_serializing_if = "serialize::absent")]
    pub at: Option<Str>,
    /// Why: printed by `check`.
    pub reason: Str,
}
