//! The sections of the facts that versions are compared on: where each is in facts.json, how its
//! items are told apart from one version to the next, and its fields with how each is worded.

use serde_json::Value;

use crate::model::PageKind;

/// A part of the facts, in the order a list of changes names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `company`, but its phones.
    Company,
    /// `company.phones`.
    Phones,
    /// `dpo`.
    Dpo,
    /// `sources`.
    Sources,
    /// `data`.
    Data,
    /// `purposes`.
    Purposes,
    /// `recipients`.
    Recipients,
    /// `automated_decisions`.
    AutomatedDecisions,
    /// `security`.
    Security,
    /// `rights`.
    Rights,
    /// `authority`.
    Authority,
    /// `cookies`, but its list.
    CookieSettings,
    /// `cookies.list`.
    Cookies,
    /// `documents`.
    Documents,
    /// `site.email_about_changes`.
    Notices,
}

/// How a value is written in words (render) and compared (a text language by language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A text, one string or one per language.
    Text,
    /// A string shown as it is: an address, a number.
    Plain,
    /// A list of such strings.
    Plains,
    /// A period, `"12 months"`.
    Period,
    /// A retention, `{period, from}` or `{rule}`.
    Retention,
    /// A legal basis by key.
    Basis,
    /// A recipient's role by key.
    Role,
    /// A country by code.
    Country,
    /// A safeguard by key.
    Safeguard,
    /// A cookie category by key.
    Category,
    /// First or third party.
    Party,
    /// How consent is asked, by key.
    Consent,
    /// How the cookie choice is reopened without a page, by key (`banner`).
    Reopen,
    /// Yes or no.
    Bool,
    /// Keys of data categories.
    Data,
    /// Keys of sources.
    Sources,
}

/// A field of an item: its key in the facts (`address.city` inside `address`) and its kind. The
/// last part of the key names it in the locale packs (`history.fields.city`).
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    /// Its key.
    pub key: &'static str,
    /// How it is written.
    pub kind: Kind,
}

impl Field {
    /// The word for it in the locale packs: the last part of its key.
    pub fn name(&self) -> &'static str {
        self.key.rsplit('.').next().unwrap_or(self.key)
    }

    /// Its value in `item`.
    pub fn get<'v>(&self, item: &'v Value) -> Option<&'v Value> {
        self.key
            .split('.')
            .try_fold(item, |v, k| v.get(k))
            .filter(|v| !v.is_null())
    }
}

/// How the items of a section are told apart from one version to the next.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shape {
    /// The section is one item.
    One,
    /// A list whose items keep a key: `key`, a cookie's `name`, a phone's `number`.
    Keyed(&'static str),
    /// A list whose items are named by a text (a recipient): the same item while its text in one
    /// language stays.
    Named(&'static str),
    /// A list of values that are themselves the item (security measures).
    Whole,
}

/// Where a section is in the facts, how its items are told apart, which field names an item,
/// and the fields compared.
pub(super) struct Spec {
    pub(super) at: &'static [&'static str],
    pub(super) shape: Shape,
    pub(super) name: Option<&'static str>,
    pub(super) fields: &'static [Field],
}

const fn f(key: &'static str, kind: Kind) -> Field {
    Field { key, kind }
}

use Kind as K;

const COMPANY: &[Field] = &[
    f("legal_name", K::Text),
    f("trade_name", K::Text),
    f("legal_form", K::Text),
    f("address.street", K::Text),
    f("address.postal_code", K::Plain),
    f("address.city", K::Text),
    f("address.country", K::Country),
    f("enterprise_number", K::Plain),
    f("website", K::Plain),
    f("email", K::Plain),
    f("privacy_email", K::Plain),
    f("marketing_opt_out_email", K::Plain),
];
const PHONES: &[Field] = &[f("label", K::Text)];
const DPO: &[Field] = &[
    f("appointed", K::Bool),
    f("names", K::Plains),
    f("email", K::Plain),
    f("phone", K::Plain),
    f("contact", K::Text),
];
const SOURCES: &[Field] = &[
    f("name", K::Text),
    f("description", K::Text),
    f("public", K::Bool),
];
const DATA: &[Field] = &[
    f("name", K::Text),
    f("description", K::Text),
    f("sources", K::Sources),
    f("retention", K::Retention),
];
const PURPOSES: &[Field] = &[
    f("name", K::Text),
    f("description", K::Text),
    f("basis", K::Basis),
    f("interest", K::Text),
    f("profiling", K::Text),
    f("data", K::Data),
];
const RECIPIENTS: &[Field] = &[
    f("name", K::Text),
    f("role", K::Role),
    f("service", K::Text),
    f("country", K::Country),
    f("safeguard", K::Safeguard),
];
const DECISIONS: &[Field] = &[
    f("decision", K::Text),
    f("logic", K::Text),
    f("consequences", K::Text),
    f("profiling", K::Bool),
];
const RIGHTS: &[Field] = &[f("response_time", K::Period)];
const AUTHORITY: &[Field] = &[
    f("name", K::Text),
    f("url", K::Text),
    f("address", K::Text),
    f("email", K::Plain),
];
const COOKIE_SETTINGS: &[Field] = &[
    f("settings_url", K::Text),
    f("settings", K::Reopen),
    f("consent", K::Consent),
];
const COOKIES: &[Field] = &[
    f("provider", K::Text),
    f("party", K::Party),
    f("category", K::Category),
    f("purpose", K::Text),
    f("duration", K::Period),
];
const DOCUMENTS: &[Field] = &[f("title", K::Text), f("url", K::Text)];
const NOTICES: &[Field] = &[f("email_about_changes", K::Bool)];

impl Section {
    /// Every section, in the order a list of changes names them.
    pub const ALL: [Section; 15] = [
        Section::Company,
        Section::Phones,
        Section::Dpo,
        Section::Sources,
        Section::Data,
        Section::Purposes,
        Section::Recipients,
        Section::AutomatedDecisions,
        Section::Security,
        Section::Rights,
        Section::Authority,
        Section::CookieSettings,
        Section::Cookies,
        Section::Documents,
        Section::Notices,
    ];

    /// Its key in the locale packs (`history.sections.recipients`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Company => "company",
            Section::Phones => "phones",
            Section::Dpo => "dpo",
            Section::Sources => "sources",
            Section::Data => "data",
            Section::Purposes => "purposes",
            Section::Recipients => "recipients",
            Section::AutomatedDecisions => "automated_decisions",
            Section::Security => "security",
            Section::Rights => "rights",
            Section::Authority => "authority",
            Section::CookieSettings => "cookie_settings",
            Section::Cookies => "cookies",
            Section::Documents => "documents",
            Section::Notices => "notices",
        }
    }

    /// What one of its items is called in a message: `recipient`.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Section::Company => "company details",
            Section::Phones => "phone number",
            Section::Dpo => "data protection officer",
            Section::Sources => "source",
            Section::Data => "data category",
            Section::Purposes => "purpose",
            Section::Recipients => "recipient",
            Section::AutomatedDecisions => "automated decision",
            Section::Security => "security measure",
            Section::Rights => "rights",
            Section::Authority => "supervisory authority",
            Section::CookieSettings => "cookie settings",
            Section::Cookies => "cookie",
            Section::Documents => "document",
            Section::Notices => "site",
        }
    }

    /// Whether the changes list of `page` names this section's changes: the cookie policy those of
    /// its cookies, the privacy policy the rest, both the company's details.
    pub fn on(self, page: PageKind) -> bool {
        match self {
            Section::Company | Section::Phones => true,
            Section::CookieSettings | Section::Cookies => page == PageKind::Cookies,
            _ => page == PageKind::Privacy,
        }
    }

    pub(super) fn spec(self) -> Spec {
        let (at, shape, name, fields): (&'static [&'static str], _, _, _) = match self {
            Section::Company => (&["company"], Shape::One, None, COMPANY),
            Section::Phones => (
                &["company", "phones"],
                Shape::Keyed("number"),
                Some("number"),
                PHONES,
            ),
            Section::Dpo => (&["dpo"], Shape::One, None, DPO),
            Section::Sources => (&["sources"], Shape::Keyed("key"), Some("name"), SOURCES),
            Section::Data => (&["data"], Shape::Keyed("key"), Some("name"), DATA),
            Section::Purposes => (&["purposes"], Shape::Keyed("key"), Some("name"), PURPOSES),
            Section::Recipients => (
                &["recipients"],
                Shape::Named("name"),
                Some("name"),
                RECIPIENTS,
            ),
            Section::AutomatedDecisions => (
                &["automated_decisions"],
                Shape::Named("decision"),
                Some("decision"),
                DECISIONS,
            ),
            Section::Security => (&["security"], Shape::Whole, None, &[]),
            Section::Rights => (&["rights"], Shape::One, None, RIGHTS),
            Section::Authority => (&["authority"], Shape::One, None, AUTHORITY),
            Section::CookieSettings => (&["cookies"], Shape::One, None, COOKIE_SETTINGS),
            Section::Cookies => (
                &["cookies", "list"],
                Shape::Keyed("name"),
                Some("name"),
                COOKIES,
            ),
            Section::Documents => (
                &["documents"],
                Shape::Keyed("key"),
                Some("title"),
                DOCUMENTS,
            ),
            Section::Notices => (&[], Shape::One, None, NOTICES),
        };
        Spec {
            at,
            shape,
            name,
            fields,
        }
    }

    /// The field that names an item of this section (`name`, a document's `title`), if one does.
    pub fn name_field(self) -> Option<&'static str> {
        self.spec().name
    }

    /// The fields compared.
    pub fn fields(self) -> &'static [Field] {
        self.spec().fields
    }

    /// Its key in site.yaml, for messages: `recipients`, `company.phones`.
    pub(super) fn path(self) -> String {
        match self {
            Section::Notices => "site".to_owned(),
            _ => self.spec().at.join("."),
        }
    }
}

/// The text of `value` in `locale`: the string that is the same everywhere, or its entry.
pub fn text_in<'v>(value: &'v Value, locale: &str) -> Option<&'v str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(map) => map.get(locale).and_then(Value::as_str),
        _ => None,
    }
}
