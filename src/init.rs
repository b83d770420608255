//! `polis init`: the first site.yaml of a company, for its country and languages.
//!
//! Starting from the 250-line example means deleting a fictional shop line by line. Instead, init
//! writes every section the policies need, each explained in a comment, with what polis knows for
//! the country already in place (the supervisory authority, what the register number is called,
//! the legal wording of the texts) and every fact it cannot know as a placeholder,
//! `"[fill in: ...]"`. A placeholder decodes wherever a value goes, so `polis check` on the new
//! file names each one at its line as `unfilled-field`, and nothing else: no syntax, type or
//! unknown-key error. The text is made here, in memory; `write::create_new` puts it on disk.

mod examples;

use examples::local_examples;

use crate::facts;
use crate::load;
use crate::model::decode::PLACEHOLDER;
use crate::model::{CookieCategory, LegalBasis, Safeguard};
use crate::yaml::{self, Node};

/// The file name of the JSON Schema init writes beside site.yaml, for editors.
pub const SCHEMA_FILE: &str = "site.schema.json";

/// What init is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The company's country, ISO 3166-1 alpha-2 (`NL`).
    pub country: String,
    /// The site's languages, the first the default.
    pub locales: Vec<String>,
    /// The company's registered name, when it was given (a placeholder otherwise).
    pub legal_name: Option<String>,
    /// The company's website, when it was given.
    pub website: Option<String>,
    /// The company's general e-mail address, when it was given.
    pub email: Option<String>,
}

/// Why init cannot write a site.yaml for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a country polis can write policies for (no name in its texts).
    UnknownCountry(String),
    /// A language polis ships no texts in.
    UnknownLocale(String),
    /// No language at all.
    NoLocale,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::UnknownCountry(c) => write!(
                f,
                "polis does not know the country `{c}`; give the two capital letters of ISO 3166-1, e.g. NL, BE, DE (known: {})",
                countries().join(", ")
            ),
            Refusal::UnknownLocale(l) => write!(
                f,
                "polis ships no policy texts in `{l}`; the languages it writes are: {} (add your own texts to a site later)",
                shipped_locales().join(", ")
            ),
            Refusal::NoLocale => write!(f, "give at least one language, e.g. --locales nl,en"),
        }
    }
}

/// The languages polis ships every policy text and a locale pack in.
pub fn shipped_locales() -> Vec<&'static str> {
    ["nl", "en", "fr", "de"]
        .into_iter()
        .filter(|l| {
            let texts = crate::model::PageKind::ALL
                .iter()
                .all(|p| load::shipped(&format!("content/{p}.{l}.md")).is_some());
            texts && pack(l).is_some()
        })
        .collect()
}

/// The countries init can write for: those every shipped locale pack names (the EEA and the
/// countries data is commonly sent to), in the order of their codes.
pub fn countries() -> Vec<String> {
    let Some(en) = pack("en") else {
        return Vec::new();
    };
    let mut codes: Vec<String> = match en.get("countries").map(|c| &c.kind) {
        Some(yaml::Kind::Map(entries)) => entries.iter().map(|(k, _)| k.name.clone()).collect(),
        _ => Vec::new(),
    };
    codes.sort();
    codes
}

/// The name of the country `code` in `locale`, from the shipped locale pack.
pub fn country_name(code: &str, locale: &str) -> Option<String> {
    word(&pack(locale)?, code, &format!("countries.{code}"))
}

/// A shipped locale pack, parsed.
fn pack(locale: &str) -> Option<Node> {
    let bytes = load::shipped(&format!("themes/default/i18n/{locale}.yaml"))?;
    yaml::parse("pack", std::str::from_utf8(bytes).ok()?, &mut Vec::new())
}

/// A scalar of a locale pack at a dotted path, in the variant of `country` when it has one.
fn word(pack: &Node, country: &str, path: &str) -> Option<String> {
    let at = |root: Option<&Node>| {
        path.split('.')
            .try_fold(root?, |node, key| node.get(key))
            .and_then(|n| match &n.kind {
                yaml::Kind::Str(s) => Some(s.clone()),
                _ => None,
            })
    };
    at(pack.get("variants").and_then(|v| v.get(country))).or_else(|| at(Some(pack)))
}

/// The commented example site.yaml (`--from-example`), pointing at the schema beside it.
pub fn example() -> String {
    let text = include_str!("../site.yaml");
    let body = text.split_once('\n').map_or(text, |(_, rest)| rest);
    format!("# yaml-language-server: $schema={SCHEMA_FILE}\n{body}")
}

/// The site.yaml for `request`.
pub fn site_yaml(request: &Request) -> Result<String, Refusal> {
    let country = request.country.trim().to_ascii_uppercase();
    if !countries().contains(&country) {
        return Err(Refusal::UnknownCountry(request.country.clone()));
    }
    if request.locales.is_empty() {
        return Err(Refusal::NoLocale);
    }
    let shipped = shipped_locales();
    let mut locales: Vec<String> = Vec::new();
    for l in &request.locales {
        let l = l.trim().to_ascii_lowercase();
        if !shipped.contains(&l.as_str()) {
            return Err(Refusal::UnknownLocale(l));
        }
        if !locales.contains(&l) {
            locales.push(l);
        }
    }
    let packs: Vec<(String, Node)> = locales
        .iter()
        .filter_map(|l| Some((l.clone(), pack(l)?)))
        .collect();
    Ok(Writer {
        country,
        packs,
        request: request.clone(),
        out: String::new(),
    }
    .site())
}

/// Writes site.yaml line by line.
struct Writer {
    country: String,
    /// The locale pack of each language, in the order of `site.locales`.
    packs: Vec<(String, Node)>,
    /// What was asked for: the facts given are written instead of their placeholders.
    request: Request,
    out: String,
}

/// `value` as a double-quoted YAML scalar: whatever was typed stays text.
fn quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The given `value`, quoted, or the placeholder asking for `what`.
fn given_or_fill(value: Option<&str>, what: &str) -> String {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => quoted(v),
        None => fill(what),
    }
}

/// `"[fill in: what]"`, quoted for YAML.
fn fill(what: &str) -> String {
    format!(
        "\"{PLACEHOLDER}: {}]\"",
        what.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A text a reader sees, one placeholder per language on a line of its own.
    fn text(&mut self, indent: usize, key: &str, what: &str) {
        let pad = " ".repeat(indent);
        let lines: Vec<String> = self
            .packs
            .iter()
            .map(|(l, pack)| {
                let language =
                    word(pack, &self.country, "language_name").unwrap_or_else(|| l.clone());
                format!("{pad}  {l}: {}", fill(&format!("{what}, in {language}")))
            })
            .collect();
        self.line(&format!("{pad}{key}:"));
        for l in lines {
            self.line(&l);
        }
    }

    /// `words` of every language, `nl: KvK-nummer, en: ...`.
    fn words(&self, path: &str) -> String {
        self.packs
            .iter()
            .filter_map(|(l, pack)| word(pack, &self.country, path).map(|w| format!("{l}: {w}")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn country_name(&self) -> String {
        self.packs
            .iter()
            .find_map(|(_, p)| word(p, &self.country, &format!("countries.{}", self.country)))
            .unwrap_or_default()
    }

    fn site(mut self) -> String {
        let locales: Vec<&str> = self.packs.iter().map(|(l, _)| l.as_str()).collect();
        let locales = locales.join(", ");
        let country = self.country.clone();
        let name = self.country_name();
        self.line(&format!("# yaml-language-server: $schema={SCHEMA_FILE}"));
        self.line("#");
        self.line(&format!("# site.yaml for a company in {name} ({country}), written by `polis init`. polis writes the"));
        self.line(
            "# privacy policy and the cookie policy from it, in every language under site.locales.",
        );
        self.line("#");
        self.line("# Replace every \"[fill in: ...]\" with the fact it asks for: `polis check` names each one");
        self.line("# that is left, at its line. Text a reader sees is one string (the same in every language)");
        let (town_nl, town_en, _) = local_examples(&country);
        self.line(&format!(
            "# or one per language: `city: {{ nl: {town_nl}, en: {town_en} }}`. Periods are written",
        ));
        self.line(
            "# \"1 month\", \"12 months\", \"3 years\", \"30 days\" or, for cookies, \"session\".",
        );
        self.line("");
        self.site_section(&locales);
        self.company();
        self.dpo();
        self.data();
        self.purposes();
        self.recipients();
        self.rest();
        self.cookies();
        self.out
    }

    fn site_section(&mut self, locales: &str) {
        let country = self.country.clone();
        self.line("site:");
        self.line(&format!(
            "  base_url: {}   # where the policies are published",
            fill("the address of the website, https://...")
        ));
        self.line(&format!(
            "  locales: [{locales}]            # the first one is the default"
        ));
        self.line(&format!(
            "  effective_date: {}   # the date this version of the policies takes effect",
            fill("YYYY-MM-DD")
        ));
        self.line("  # email_about_changes: true   # when you e-mail customers about important changes to the policies");
        if self.packs.iter().any(|(_, p)| {
            let variant = p.get("variants").and_then(|v| v.get(&country));
            variant
                .and_then(|v| v.get("words"))
                .and_then(|w| w.get("enterprise_number"))
                .is_some()
        }) {
            let words = self.words("words.enterprise_number");
            self.line(&format!(
                "  variant: {country}   # the texts follow the legal wording of {country} ({words}); the company's country by default"
            ));
        }
        self.line("");
    }

    fn company(&mut self) {
        let country = self.country.clone();
        self.line("company:");
        let legal_name = self.request.legal_name.clone();
        self.line(&format!(
            "  legal_name: {}",
            given_or_fill(legal_name.as_deref(), "the company's registered name")
        ));
        self.line("  # trade_name: the name people know it by, when it is not the registered name");
        self.text(2, "legal_form", "the legal form, as the register writes it");
        self.line("  address:                     # the registered office");
        self.line(&format!("    street: {}", fill("street and number")));
        let postal = match facts::identity::postal_code(&country) {
            Some(form) => format!("the postal code: {}, e.g. {}", form.form, form.example),
            None => "the postal code".to_owned(),
        };
        self.line(&format!("    postal_code: {}", fill(&postal)));
        self.line(&format!("    city: {}", fill("the town")));
        let regions = facts::regions(&country);
        if !regions.is_empty() {
            self.line(&format!("    country: {country}"));
            self.line(&format!(
                "    region: {}   # it picks the supervisory authority of the region",
                fill(&format!(
                    "the region of the registered office: {}",
                    regions.join(", ")
                ))
            ));
            return self.company_numbers(&country);
        }
        match facts::authority(&country) {
            Some(a) => self.line(&format!(
                "    country: {country}                # it picks the supervisory authority: {}",
                a.name
            )),
            None => self.line(&format!("    country: {country}")),
        }
        self.company_numbers(&country);
    }

    /// The rest of `company:` after the address, and `authority:` where polis knows none.
    fn company_numbers(&mut self, country: &str) {
        let register = self.words("words.enterprise_number");
        self.line(&format!(
            "  enterprise_number: {}",
            fill(&match facts::identity::register(country) {
                Some(r) => format!(
                    "the company's number in the register ({register}): {}, e.g. {}",
                    r.form, r.example
                ),
                None => format!("the company's number in the register ({register})"),
            })
        ));
        let (website, email) = (self.request.website.clone(), self.request.email.clone());
        self.line(&format!(
            "  website: {}",
            given_or_fill(website.as_deref(), "the company's website, https://...")
        ));
        self.line(&format!(
            "  email: {}",
            given_or_fill(email.as_deref(), "the general e-mail address")
        ));
        self.line(&format!(
            "  privacy_email: {}   # where people send requests about their data",
            fill("an e-mail address")
        ));
        let (_, _, phone) = local_examples(country);
        self.line(&format!(
            "  # phones: [{{ label: {{ ... }}, number: {phone} }}]   # as dialled from abroad",
        ));
        self.line("  # marketing_opt_out_email: where people opt out of direct marketing");
        self.line("");
        if facts::authority(country).is_none() && facts::regions(country).is_empty() {
            self.line("# polis knows no supervisory authority for this country: name the one that hears complaints.");
            self.line("authority:");
            self.line(&format!(
                "  name: {}",
                fill("the supervisory authority's name")
            ));
            self.line(&format!("  url: {}", fill("its website, https://...")));
            self.line("");
        }
    }

    fn dpo(&mut self) {
        self.line("# The data protection officer (GDPR Art. 37-39). If you appointed one, write");
        self.line("# `appointed: true` with `names: [...]`, `email:` (and `phone:`) instead of `contact`.");
        self.line("dpo:");
        self.line(&format!("  appointed: {}", fill("true or false")));
        self.text(
            2,
            "contact",
            "who answers privacy questions, e.g. our manager",
        );
        self.line("");
    }

    fn data(&mut self) {
        let known = facts::KNOWN_DATA_CATEGORIES.join(", ");
        self.line("# The personal data you process, by key. polis names these keys for you:");
        self.line(&format!("# {known}; another key needs `name:` too."));
        self.line(
            "# `description`: what the category holds for you (polis never says it for you).",
        );
        self.line("# `sources`: person (people give it themselves), website, public, partners.");
        self.line("# `retention`: a period and what starts it, or `{ rule: ... }` in words.");
        self.line("# Every category is used by a purpose below.");
        self.line("data:");
        let key = "contact";
        self.line(&format!("  {key}:"));
        let suggestions: Vec<String> = self
            .packs
            .iter()
            .filter_map(|(l, pack)| {
                word(
                    pack,
                    &self.country,
                    &format!("data_categories.{key}.suggestion"),
                )
                .map(|w| format!("    # {l}, for instance: {w}"))
            })
            .collect();
        for s in &suggestions {
            self.line(s);
        }
        self.text(
            4,
            "description",
            "what you hold, e.g. name and e-mail address",
        );
        self.line("    sources: [person]");
        self.line("    retention:");
        self.line(&format!("      period: {}", fill("how long, e.g. 2 years")));
        self.text(6, "from", "what starts the period, e.g. our last contact");
        self.line("");
    }

    fn purposes(&mut self) {
        let bases: Vec<&str> = LegalBasis::ALL.iter().map(|(k, _)| *k).collect();
        self.line("# Why you process personal data, each with its legal basis (GDPR Art. 6(1)):");
        self.line(&format!(
            "# {}. `legitimate_interests` also needs `interest:`.",
            bases.join(", ")
        ));
        self.line("# `subjects`: whose data it is, for the record of processing activities (GDPR Art. 30).");
        self.line("purposes:");
        self.line(&format!(
            "  - key: {}",
            fill("a short key in lowercase, e.g. orders")
        ));
        self.text(4, "name", "what you do, e.g. delivering your orders");
        self.line(&format!(
            "    basis: {}",
            fill(&format!("one of {}", bases.join(", ")))
        ));
        self.text(4, "subjects", "whose data it is, e.g. customers");
        self.line(&format!(
            "    data: [{}]",
            fill("the keys under data: it uses, e.g. contact")
        ));
        self.line("");
    }

    fn recipients(&mut self) {
        let safeguards: Vec<&str> = Safeguard::ALL.iter().map(|(k, _)| *k).collect();
        self.line(
            "# Who receives personal data (or `recipients: none`). role: processor (works on your",
        );
        self.line("# instructions) or controller (decides for itself). Outside the EEA, `safeguard:` says how");
        self.line(&format!(
            "# the transfer is protected: {}.",
            safeguards.join(", ")
        ));
        self.line("# `purposes`: the keys of the purposes it receives data for (GDPR Art. 30).");
        self.line("recipients:");
        self.line(&format!(
            "  - name: {}",
            fill("who, e.g. your hosting company")
        ));
        self.line(&format!("    role: {}", fill("processor or controller")));
        self.text(
            4,
            "service",
            "what it does for you, e.g. hosting of our website",
        );
        self.line(&format!(
            "    country: {}",
            fill("where it processes the data, e.g. NL")
        ));
        self.line(&format!(
            "    purposes: [{}]",
            fill("the keys of the purposes, e.g. orders")
        ));
        self.line("");
    }

    fn rest(&mut self) {
        let measures = facts::KNOWN_MEASURES.join(", ");
        self.line("# Decisions about people taken by a computer alone, profiling included (GDPR Art. 22):");
        self.line(
            "# `none`, or a list of { decision, logic, consequences, profiling: true/false }.",
        );
        self.line(&format!(
            "automated_decisions: {}",
            fill("none, or the list")
        ));
        self.line("");
        self.line(
            "# How you protect the data: keys polis words for you, or your own words { ... }.",
        );
        self.line(&format!("# {measures}"));
        self.line(&format!(
            "security: [{}]",
            fill("the measures you take, e.g. backups")
        ));
        self.line("");
        self.line("rights:");
        self.line("  response_time: 1 month      # at most one month (GDPR Art. 12(3))");
        self.line("");
    }

    fn cookies(&mut self) {
        let categories: Vec<&str> = CookieCategory::ALL.iter().map(|(k, _)| *k).collect();
        self.line("# Cookies and similar technology, or `cookies: none`. party: first or third. category:");
        self.line(&format!(
            "# {}. consent: how the banner asks, per_category or all_or_nothing.",
            categories.join(", ")
        ));
        self.line("cookies:");
        self.line(&format!(
            "  consent: {}",
            fill("per_category or all_or_nothing")
        ));
        self.text(
            2,
            "settings_url",
            "the page where people change their cookie choices, https://...",
        );
        self.line("  # settings: banner   # instead of settings_url, when the banner's own link reopens the choice");
        self.line("  list:");
        self.line(&format!("    - name: {}", fill("the cookie's name")));
        self.line(&format!(
            "      provider: {}",
            fill("who sets and reads it")
        ));
        self.line(&format!("      party: {}", fill("first or third")));
        self.line(&format!(
            "      category: {}",
            fill(&format!("one of {}", categories.join(", ")))
        ));
        self.text(6, "purpose", "what it does");
        self.line(&format!(
            "      duration: {}",
            fill("how long it lasts, e.g. 12 months, or session")
        ));
    }
}

#[cfg(test)]
#[path = "init_tests.rs"]
mod tests;
