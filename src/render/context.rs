//! The model, in one locale, as the variables content and templates read (docs/templates.md).
//!
//! Everything a reader sees is resolved here: localized texts picked, periods and dates written in
//! words from the locale pack, defaults filled in for known data categories and sources. Optional
//! fields are left out rather than set to null, so that a template using one fails the build.

use std::collections::{HashMap, HashSet};

use tera::value::Key;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::model::*;
use crate::yaml::{Kind, Node};

use crate::facts::{self, Authority as KnownAuthority};

/// A locale pack (themes/<theme>/i18n/<locale>.yaml) with the file it came from.
pub struct Pack<'a> {
    /// Display path of the pack.
    pub file: &'a str,
    /// Its tree.
    pub root: &'a Node,
    /// Every node of its mappings by dotted path (`countries.BE`): a thousand cookies ask for
    /// their category's name a thousand times.
    index: HashMap<String, &'a Node>,
}

impl<'a> Pack<'a> {
    /// The pack in `file` whose tree is `root`.
    pub fn new(file: &'a str, root: &'a Node) -> Self {
        fn walk<'a>(node: &'a Node, prefix: &str, index: &mut HashMap<String, &'a Node>) {
            let Kind::Map(entries) = &node.kind else { return };
            for (key, value) in entries {
                let path = if prefix.is_empty() { key.name.clone() } else { format!("{prefix}.{}", key.name) };
                walk(value, &path, index);
                index.insert(path, value);
            }
        }
        let mut index = HashMap::new();
        walk(root, "", &mut index);
        Pack { file, root, index }
    }

    fn node(&self, path: &str) -> Option<&'a Node> {
        self.index.get(path).copied()
    }

    fn scalar(&self, path: &str) -> Option<String> {
        match &self.node(path)?.kind {
            Kind::Str(s) | Kind::Number(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The pack as template variables (`t`).
    pub fn to_value(&self) -> V {
        fn convert(node: &Node) -> V {
            match &node.kind {
                Kind::Null => V::none(),
                Kind::Bool(b) => (*b).into(),
                Kind::Number(n) | Kind::Str(n) => n.as_str().into(),
                Kind::Seq(items) => items.iter().map(convert).collect::<Vec<_>>().into(),
                Kind::Map(entries) => entries.iter().map(|(k, v)| (Key::from(k.name.clone()), convert(v))).collect::<tera::Map>().into(),
            }
        }
        convert(self.root)
    }
}

/// Writes values of the model in one language, and notes what the locale pack lacks.
pub struct Localizer<'a> {
    /// The locale.
    pub locale: &'a str,
    /// Its pack.
    pub pack: Pack<'a>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Localizer<'_> {
    /// A string of the locale pack; a missing one is reported once per key.
    pub fn pack_str(&mut self, path: &str) -> String {
        self.pack.scalar(path).unwrap_or_else(|| {
            self.diagnostics.push(
                Diagnostic::error(Code::MissingTranslation, self.pack.file, Pos::new(1, 1, 1), format!("the locale pack has no `{path}`"))
                    .hint(format!("add `{path}` to {}", self.pack.file)),
            );
            String::new()
        })
    }

    fn pack_has(&self, path: &str) -> bool {
        self.pack.scalar(path).is_some()
    }

    /// A localized text in this locale.
    pub fn text(&self, text: &Text) -> String {
        text.get(self.locale).to_owned()
    }

    /// "1 maart 2026".
    pub fn date(&mut self, date: Date) -> String {
        let month = match self.pack.node("date.months").map(|n| &n.kind) {
            Some(Kind::Seq(months)) if months.len() == 12 => match &months[usize::from(date.month.max(1)) - 1].kind {
                Kind::Str(s) => s.clone(),
                _ => date.month.to_string(),
            },
            _ => {
                self.pack_str("date.months");
                date.month.to_string()
            }
        };
        self.pack_str("date.format")
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }

    /// "één maand", "12 months", "until you close your browser".
    pub fn period(&mut self, period: Period) -> String {
        match period {
            Period::Session => self.pack_str("session"),
            Period::Span(n, unit) => {
                let form = if n == 1 { "one" } else { "other" };
                let unit = self.pack_str(&format!("units.{}.{form}", unit.key()));
                let number = match self.pack.node("numbers").map(|n| &n.kind) {
                    Some(Kind::Seq(words)) => match words.get(n as usize).map(|w| &w.kind) {
                        Some(Kind::Str(w)) => w.clone(),
                        _ => n.to_string(),
                    },
                    _ => n.to_string(),
                };
                format!("{number} {unit}")
            }
        }
    }

    /// "A, B en C".
    pub fn list(&mut self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.pack_str("list_and")),
        }
    }

    fn country_name(&mut self, code: &Str, file: &str) -> String {
        let path = format!("countries.{}", code.value);
        if self.pack_has(&path) {
            return self.pack_str(&path);
        }
        if !well_formed_country(&code.value) {
            return code.value.clone(); // decoding has reported it
        }
        self.diagnostics.push(
            Diagnostic::error(
                Code::UnknownCountry,
                file,
                code.pos,
                format!("polis does not know the country `{}` in `{}`", code.value, self.locale),
            )
            .hint(format!("check the code, or add `{}: <name>` under `countries` in {}", code.value, self.pack.file)),
        );
        code.value.clone()
    }
}

/// Everything `build_context` needs for one locale.
pub struct Scope<'a> {
    /// The site.
    pub site: &'a Site,
    /// The URL of each page in this locale, by page name, with its title.
    pub pages: V,
}

/// A Tera value.
type V = tera::Value;

/// A Tera map with fixed keys, built in place: `obj! { "name": x, "role": y }`. The keys are
/// static words, so no key is allocated, and values are converted with `V::from`.
macro_rules! obj {
    ($($key:literal : $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = tera::Map::default();
        $( map.insert(Key::Str($key), V::from($value)); )*
        map
    }};
}

/// Sets `key` in `map` when there is a value.
fn set_some(map: &mut tera::Map, key: &'static str, value: Option<impl Into<V>>) {
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
pub fn build_context(l: &mut Localizer, scope: &Scope) -> tera::Context {
    let site = scope.site;
    let file = "site.yaml";
    let mut cx = tera::Context::new();
    cx.insert_value("lang", l.locale.into());
    cx.insert_value("pages", scope.pages.clone());
    cx.insert_value("t", l.pack.to_value());

    // site
    let settings = &site.settings;
    let last = settings.changes.iter().map(|c| c.date).max().unwrap_or(settings.effective_date).max(settings.effective_date);
    let changes: Vec<V> = settings
        .changes
        .iter()
        .map(|c| obj! { "date": l.date(c.date), "date_iso": c.date.iso(), "summary": l.text(&c.summary) }.into())
        .collect();
    let effective_date = l.date(settings.effective_date);
    let last_updated = l.date(last);
    cx.insert_value(
        "site",
        obj! {
            "base_url": settings.base_url.value.as_str(),
            "effective_date": effective_date,
            "effective_date_iso": settings.effective_date.iso(),
            "last_updated": last_updated,
            "last_updated_iso": last.iso(),
            "changes": changes,
        }
        .into(),
    );

    // company
    let c = &site.company;
    let legal_name = l.text(&c.legal_name);
    let address = obj! {
        "street": l.text(&c.address.street),
        "postal_code": c.address.postal_code.value.as_str(),
        "city": l.text(&c.address.city),
        "country": c.address.country.value.as_str(),
        "country_name": l.country_name(&c.address.country, file),
    };
    let phones: Vec<V> = c
        .phones
        .iter()
        .map(|p| {
            let tel: String = p.number.value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
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
    set_some(&mut company, "trade_name", c.trade_name.as_ref().map(|t| l.text(t)));
    set_some(&mut company, "marketing_opt_out_email", c.marketing_opt_out_email.as_ref().map(|e| e.value.as_str()));
    cx.insert_value("company", company.into());

    // dpo
    let dpo = match &site.dpo {
        Dpo::Appointed { names, email, phone } => {
            let names: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
            let mut dpo = obj! { "appointed": true, "names_text": l.list(&names), "names": names, "email": email.value.as_str() };
            set_some(&mut dpo, "phone", phone.as_ref().map(|p| p.value.as_str()));
            dpo
        }
        Dpo::NotAppointed { contact } => obj! { "appointed": false, "contact": l.text(contact) },
        Dpo::Unspecified => obj! { "appointed": false },
    };
    cx.insert_value("dpo", dpo.into());

    // sources: declared ones, plus known ones that data categories name without declaring
    let mut source_keys: Vec<&Str> = site.sources.iter().map(|s| &s.key).collect();
    for d in &site.data {
        for s in &d.sources {
            if !source_keys.iter().any(|k| k.value == s.value) {
                source_keys.push(s);
            }
        }
    }
    // (key, name, public, value)
    let sources: Vec<(&str, String, bool, V)> = source_keys
        .iter()
        .map(|key| {
            let declared = site.sources.iter().find(|s| s.key.value == key.value);
            let name = declared.and_then(|s| s.name.as_ref()).map(|t| l.text(t)).unwrap_or_else(|| default_name(l, "sources", key));
            let public = declared.and_then(|s| s.public).unwrap_or(key.value == "public");
            let mut v = obj! { "key": key.value.as_str(), "name": name.as_str(), "public": public };
            let description = declared
                .and_then(|s| s.description.as_ref())
                .map(|t| l.text(t))
                .or_else(|| l.pack.scalar(&format!("sources.{}.description", key.value)));
            set_some(&mut v, "description", description);
            (key.value.as_str(), name, public, v.into())
        })
        .collect();
    let source_name = |key: &str| sources.iter().find(|s| s.0 == key).map(|s| s.1.clone()).unwrap_or_default();

    // purposes
    let data_name = |l: &mut Localizer, d: &DataCategory| {
        d.name.as_ref().map(|t| l.text(t)).unwrap_or_else(|| default_name(l, "data_categories", &d.key))
    };
    let purposes: Vec<V> = site
        .purposes
        .iter()
        .map(|p| {
            let data: Vec<(&str, String)> = p
                .data
                .iter()
                .filter_map(|k| site.data.iter().find(|d| d.key.value == k.value))
                .map(|d| (d.key.value.as_str(), data_name(l, d)))
                .collect();
            let names: Vec<String> = data.iter().map(|(_, name)| name.to_lowercase_first()).collect();
            let data: Vec<V> = data.into_iter().map(|(key, name)| obj! { "key": key, "name": name }.into()).collect();
            let mut v = obj! { "key": p.key.value.as_str(), "name": l.text(&p.name), "data": data, "data_text": l.list(&names) };
            set_some(&mut v, "basis", p.basis.map(|b| basis_value(l, b)));
            set_some(&mut v, "description", p.description.as_ref().map(|t| l.text(t)));
            set_some(&mut v, "interest", p.interest.as_ref().map(|t| l.text(t)));
            v.into()
        })
        .collect();
    let bases: Vec<V> = LegalBasis::ALL
        .iter()
        .filter(|(_, b)| site.purposes.iter().any(|p| p.basis == Some(*b)))
        .map(|(_, b)| {
            let of_basis: Vec<V> =
                site.purposes.iter().zip(&purposes).filter(|(p, _)| p.basis == Some(*b)).map(|(_, v)| v.clone()).collect();
            let mut basis = basis_value(l, *b);
            basis.insert(Key::Str("purposes"), of_basis.into());
            basis.into()
        })
        .collect();

    // data
    let data: Vec<V> = site
        .data
        .iter()
        .map(|d| {
            let names: Vec<String> = d.sources.iter().map(|s| source_name(&s.value)).collect();
            let sources_text = l.list(&names.iter().map(|n| n.to_lowercase_first()).collect::<Vec<_>>());
            let srcs: Vec<V> = d.sources.iter().zip(names).map(|(s, name)| obj! { "key": s.value.as_str(), "name": name }.into()).collect();
            let used_by: Vec<V> =
                site.purposes.iter().filter(|p| p.data.iter().any(|k| k.value == d.key.value)).map(|p| l.text(&p.name).into()).collect();
            let mut v = obj! { "key": d.key.value.as_str(), "name": data_name(l, d), "sources": srcs, "sources_text": sources_text, "purposes": used_by };
            let description = d.description.as_ref().map(|t| l.text(t)).or_else(|| l.pack.scalar(&format!("data_categories.{}.description", d.key.value)));
            match description {
                Some(desc) => {
                    v.insert(Key::Str("description"), desc.into());
                }
                None => l.diagnostics.push(
                    Diagnostic::error(Code::MissingField, file, d.key.pos, format!("`data.{}` has no description, and it is not a category polis knows", d.key.value))
                        .hint(format!("add `description:` to `data.{}`: what this data contains", d.key.value)),
                ),
            }
            let retention = match &d.retention {
                Some(Retention::Period { period, from, .. }) => {
                    let period = l.period(*period);
                    let text = l.pack_str("retention_from").replace("{period}", &period).replace("{from}", &l.text(from));
                    Some(obj! { "period": period, "from": l.text(from), "text": text })
                }
                Some(Retention::Rule(rule)) => Some(obj! { "rule": l.text(rule), "text": l.text(rule) }),
                None => None,
            };
            set_some(&mut v, "retention", retention);
            v.into()
        })
        .collect();

    // recipients
    let role_names = [("processor", l.pack_str("roles.processor")), ("controller", l.pack_str("roles.controller"))];
    // One value per safeguard, shared by the recipients that name it.
    let mut safeguards: HashMap<&str, V> = HashMap::new();
    let recipients: Vec<V> = site
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
                "country_name": l.country_name(&r.country, file),
                "in_eea": facts::in_eea(&r.country.value),
            };
            if let Some((s, _)) = r.safeguard {
                let safeguard = safeguards.entry(s.key()).or_insert_with(|| {
                    let name = l.pack_str(&format!("safeguards.{}.name", s.key()));
                    let article = l.pack_str(&format!("safeguards.{}.article", s.key()));
                    obj! { "key": s.key(), "name": name, "article": article }.into()
                });
                v.insert(Key::Str("safeguard"), safeguard.clone());
            }
            v.into()
        })
        .collect();
    let recipients_where = |keep: &dyn Fn(&Recipient) -> bool| -> V {
        site.recipients.iter().zip(&recipients).filter(|(r, _)| keep(r)).map(|(_, v)| v.clone()).collect::<Vec<_>>().into()
    };
    let processors = recipients_where(&|r| r.role == Role::Processor);
    let controllers = recipients_where(&|r| r.role == Role::Controller);
    let transfers = recipients_where(&|r| !facts::in_eea(&r.country.value));
    let has_transfers = site.recipients.iter().any(|r| !facts::in_eea(&r.country.value));

    // rights and authority
    let response = site.rights.response_time.map_or(Period::Span(1, Unit::Month), |(p, _)| p);
    cx.insert_value("rights", obj! { "response_time": l.period(response), "extension": l.period(Period::Span(2, Unit::Month)) }.into());
    let authority = match &site.authority {
        Some(a) => {
            let mut v = obj! { "name": l.text(&a.name), "url": l.text(&a.url) };
            set_some(&mut v, "address", a.address.as_ref().map(|t| l.text(t)));
            set_some(&mut v, "email", a.email.as_ref().map(|e| e.value.as_str()));
            Some(v)
        }
        None => facts::authority(&c.address.country.value).map(|a: &KnownAuthority| {
            let mut v = obj! { "name": a.name(l.locale), "url": a.url(l.locale) };
            set_some(&mut v, "address", a.address);
            set_some(&mut v, "email", a.email);
            v
        }),
    };
    match authority {
        Some(a) => cx.insert_value("authority", a.into()),
        // A malformed country is reported where it is written; no second error for its consequence.
        None if !well_formed_country(&c.address.country.value) => cx.insert_value("authority", obj! { "name": "", "url": "" }.into()),
        None => {}
    }

    // cookies: the words every cookie repeats are looked up once
    let party_names = [("first", l.pack_str("parties.first")), ("third", l.pack_str("parties.third"))];
    let category_names: Vec<String> =
        CookieCategory::ALL.iter().map(|(key, _)| l.pack_str(&format!("cookie_categories.{key}.name"))).collect();
    let category_index = |c: CookieCategory| CookieCategory::ALL.iter().position(|(_, k)| *k == c).unwrap_or_default();
    let category_values: Vec<V> = CookieCategory::ALL
        .iter()
        .zip(&category_names)
        .map(|((key, _), name)| obj! { "key": *key, "name": name.as_str() }.into())
        .collect();
    let cookie_values: Vec<V> = site
        .cookies
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
                v.insert(Key::Str("category"), category_values[category_index(c)].clone());
            }
            set_some(&mut v, "purpose", k.purpose.as_ref().map(|p| l.text(p)));
            set_some(&mut v, "duration", k.duration.map(|d| l.period(d)));
            v.into()
        })
        .collect();
    let categories: Vec<V> = CookieCategory::ALL
        .iter()
        .filter(|(_, c)| site.cookies.list.iter().any(|k| k.category == Some(*c)))
        .map(|(key, c)| {
            let cookies: Vec<V> =
                site.cookies.list.iter().zip(&cookie_values).filter(|(k, _)| k.category == Some(*c)).map(|(_, v)| v.clone()).collect();
            obj! {
                "key": *key,
                "name": category_names[category_index(*c)].as_str(),
                "description": l.pack_str(&format!("cookie_categories.{key}.description")),
                "needs_consent": *c != CookieCategory::Necessary,
                "cookies": cookies,
            }
            .into()
        })
        .collect();
    let mut seen = HashSet::new();
    let third_parties: Vec<String> = site
        .cookies
        .list
        .iter()
        .filter(|k| k.party == Some(Party::Third))
        .filter_map(|k| k.provider.as_ref().map(|p| l.text(p)))
        .filter(|name| seen.insert(name.clone()))
        .collect();
    let mut cookies = obj! { "list": cookie_values, "categories": categories, "third_parties": third_parties };
    set_some(&mut cookies, "settings_url", site.cookies.settings_url.as_ref().map(|u| u.value.as_str()));

    let documents: Vec<V> = site
        .documents
        .iter()
        .map(|d| obj! { "key": d.key.value.as_str(), "title": l.text(&d.title), "url": l.text(&d.url) }.into())
        .collect();

    // optional clauses
    let mut has = tera::Map::default();
    for key in facts::KNOWN_DATA_CATEGORIES {
        has.insert(Key::Str(key), false.into());
    }
    for d in &site.data {
        has.insert(Key::from(d.key.value.clone()), true.into());
    }
    let uses = |b: LegalBasis| site.purposes.iter().any(|p| p.basis == Some(b));
    let public_sources = sources.iter().any(|s| s.2 && site.data.iter().any(|d| d.sources.iter().any(|k| k.value == s.0)));
    let more = obj! {
        "consent": uses(LegalBasis::Consent),
        "legitimate_interests": uses(LegalBasis::LegitimateInterests),
        "transfers": has_transfers,
        "processors": site.recipients.iter().any(|r| r.role == Role::Processor),
        "public_sources": public_sources,
        "third_party_cookies": site.cookies.list.iter().any(|k| k.party == Some(Party::Third)),
        "dpo": matches!(site.dpo, Dpo::Appointed { .. }),
        "documents": !documents.is_empty(),
        "marketing_opt_out": c.marketing_opt_out_email.is_some(),
    };
    has.extend(more);

    cx.insert_value("sources", sources.into_iter().map(|s| s.3).collect::<Vec<_>>().into());
    cx.insert_value("data", data.into());
    cx.insert_value("documents", documents.into());
    cx.insert_value("has", has.into());
    cx.insert_value("purposes", purposes.into());
    cx.insert_value("bases", bases.into());
    cx.insert_value("recipients", recipients.into());
    cx.insert_value("processors", processors);
    cx.insert_value("controllers", controllers);
    cx.insert_value("transfers", transfers);
    cx.insert_value("cookies", cookies.into());
    cx
}

fn well_formed_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn basis_value(l: &mut Localizer, basis: LegalBasis) -> tera::Map {
    obj! {
        "key": basis.key(),
        "name": l.pack_str(&format!("legal_bases.{}.name", basis.key())),
        "article": l.pack_str(&format!("legal_bases.{}.article", basis.key())),
    }
}

/// The locale pack's name for a known key (`data_categories.contact.name`), or an error asking the
/// site to name it.
fn default_name(l: &mut Localizer, section: &str, key: &Str) -> String {
    let path = format!("{section}.{}.name", key.value);
    if let Some(name) = l.pack.scalar(&path) {
        return name;
    }
    let field = if section == "sources" { "sources" } else { "data" };
    l.diagnostics.push(
        Diagnostic::error(
            Code::MissingField,
            "site.yaml",
            key.pos,
            format!("`{field}.{}` has no name, and it is not one polis knows", key.value),
        )
        .hint(format!("add `name:` to `{field}.{}` in site.yaml, with a text for each language", key.value)),
    );
    key.value.clone()
}

trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for str {
    /// "Contactgegevens" → "contactgegevens", for names in the middle of a sentence. Leaves
    /// acronyms ("IP-adres") alone.
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        match (chars.next(), chars.next()) {
            (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
                first.to_lowercase().chain(std::iter::once(second)).chain(chars).collect()
            }
            _ => self.to_owned(),
        }
    }
}
