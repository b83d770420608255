//! The model, in one locale, as the variables content and templates read (docs/templates.md).
//!
//! Everything a reader sees is resolved here: localized texts picked, periods and dates written in
//! words from the locale pack, defaults filled in for known data categories and sources. Optional
//! fields are left out rather than set to null, so that a template using one fails the build.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Pos};
use crate::load::yaml::{Kind, Node};
use crate::model::*;

use crate::facts::{self, Authority as KnownAuthority};

/// A locale pack (themes/<theme>/i18n/<locale>.yaml) with the file it came from.
pub struct Pack<'a> {
    /// Display path of the pack.
    pub file: &'a str,
    /// Its tree.
    pub root: &'a Node,
}

impl Pack<'_> {
    fn node(&self, path: &str) -> Option<&Node> {
        let mut node = self.root;
        for part in path.split('.') {
            let Kind::Map(entries) = &node.kind else { return None };
            node = &entries.iter().find(|(k, _)| k.name == part)?.1;
        }
        Some(node)
    }

    fn scalar(&self, path: &str) -> Option<String> {
        match &self.node(path)?.kind {
            Kind::Str(s) | Kind::Number(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The pack as template variables (`t`).
    pub fn to_value(&self) -> Value {
        to_json(self.root)
    }
}

/// A node as JSON, for handing the locale pack to templates.
fn to_json(node: &Node) -> Value {
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) | Kind::Str(n) => Value::String(n.clone()),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), to_json(v))).collect()),
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
                Diagnostic::error("missing-translation", self.pack.file, Pos::new(1, 1, 1), format!("the locale pack has no `{path}`"))
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
                "unknown-country",
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
    pub pages: Value,
}

/// The variables for the pages of one locale.
///
/// Lists that appear in several places (a cookie in `cookies.list` and in its category, a purpose
/// in `purposes` and under its legal basis) are converted to Tera values once and shared: Tera's
/// values are reference-counted, so a thousand cookies are not copied for every place they appear.
pub fn build_context(l: &mut Localizer, scope: &Scope) -> tera::Context {
    let site = scope.site;
    let file = "site.yaml";
    let mut cx = Map::new();
    cx.insert("lang".into(), json!(l.locale));
    cx.insert("pages".into(), scope.pages.clone());
    cx.insert("t".into(), l.pack.to_value());

    // site
    let settings = &site.settings;
    let last = settings.changes.iter().map(|c| c.date).max().unwrap_or(settings.effective_date).max(settings.effective_date);
    let changes: Vec<Value> = settings
        .changes
        .iter()
        .map(|c| json!({ "date": l.date(c.date), "date_iso": c.date.iso(), "summary": l.text(&c.summary) }))
        .collect();
    cx.insert(
        "site".into(),
        json!({
            "base_url": settings.base_url.value,
            "effective_date": l.date(settings.effective_date),
            "effective_date_iso": settings.effective_date.iso(),
            "last_updated": l.date(last),
            "last_updated_iso": last.iso(),
            "changes": changes,
        }),
    );

    // company
    let c = &site.company;
    let legal_name = l.text(&c.legal_name);
    let mut company = json!({
        "name": c.trade_name.as_ref().map_or(legal_name.clone(), |t| l.text(t)),
        "legal_name": legal_name,
        "legal_form": l.text(&c.legal_form),
        "address": {
            "street": l.text(&c.address.street),
            "postal_code": c.address.postal_code.value,
            "city": l.text(&c.address.city),
            "country": c.address.country.value,
            "country_name": l.country_name(&c.address.country, file),
        },
        "enterprise_number": c.enterprise_number.value,
        "website": c.website.value,
        "email": c.email.value,
        "phones": c.phones.iter().map(|p| {
            let mut phone = json!({ "number": p.number.value, "tel": p.number.value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>() });
            if let Some(label) = &p.label { phone["label"] = json!(l.text(label)); }
            phone
        }).collect::<Vec<_>>(),
        "privacy_email": c.privacy_email.value,
    });
    if let Some(t) = &c.trade_name {
        company["trade_name"] = json!(l.text(t));
    }
    if let Some(e) = &c.marketing_opt_out_email {
        company["marketing_opt_out_email"] = json!(e.value);
    }
    cx.insert("company".into(), company);

    // dpo
    let dpo = match &site.dpo {
        Dpo::Appointed { names, email, phone } => {
            let names: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
            let mut dpo = json!({ "appointed": true, "names_text": l.list(&names), "names": names, "email": email.value });
            if let Some(p) = phone {
                dpo["phone"] = json!(p.value);
            }
            dpo
        }
        Dpo::NotAppointed { contact } => json!({ "appointed": false, "contact": l.text(contact) }),
        Dpo::Unspecified => json!({ "appointed": false }),
    };
    cx.insert("dpo".into(), dpo);

    // sources: declared ones, plus known ones that data categories name without declaring
    let mut source_keys: Vec<&Str> = site.sources.iter().map(|s| &s.key).collect();
    for d in &site.data {
        for s in &d.sources {
            if !source_keys.iter().any(|k| k.value == s.value) {
                source_keys.push(s);
            }
        }
    }
    let sources: Vec<Value> = source_keys
        .iter()
        .map(|key| {
            let declared = site.sources.iter().find(|s| s.key.value == key.value);
            let name = declared.and_then(|s| s.name.as_ref()).map(|t| l.text(t)).unwrap_or_else(|| default_name(l, "sources", key));
            let mut v =
                json!({ "key": key.value, "name": name, "public": declared.and_then(|s| s.public).unwrap_or(key.value == "public") });
            let description = declared
                .and_then(|s| s.description.as_ref())
                .map(|t| l.text(t))
                .or_else(|| l.pack.scalar(&format!("sources.{}.description", key.value)));
            if let Some(d) = description {
                v["description"] = json!(d);
            }
            v
        })
        .collect();
    let source_name =
        |key: &str| sources.iter().find(|s| s["key"] == key).map(|s| s["name"].as_str().unwrap_or_default().to_owned()).unwrap_or_default();

    // purposes
    let data_name = |l: &mut Localizer, d: &DataCategory| {
        d.name.as_ref().map(|t| l.text(t)).unwrap_or_else(|| default_name(l, "data_categories", &d.key))
    };
    let purposes: Vec<Value> = site
        .purposes
        .iter()
        .map(|p| {
            let data: Vec<Value> = p
                .data
                .iter()
                .filter_map(|k| site.data.iter().find(|d| d.key.value == k.value))
                .map(|d| json!({ "key": d.key.value, "name": data_name(l, d) }))
                .collect();
            let names: Vec<String> = data.iter().map(|d| d["name"].as_str().unwrap_or_default().to_lowercase_first()).collect();
            let mut v = json!({ "key": p.key.value, "name": l.text(&p.name), "data": data, "data_text": l.list(&names) });
            if let Some(basis) = p.basis {
                v["basis"] = basis_value(l, basis);
            }
            if let Some(t) = &p.description {
                v["description"] = json!(l.text(t));
            }
            if let Some(t) = &p.interest {
                v["interest"] = json!(l.text(t));
            }
            v
        })
        .collect();
    let purposes: Vec<tera::Value> = purposes.iter().map(to_tera).collect();
    let bases: Vec<tera::Value> = LegalBasis::ALL
        .iter()
        .filter(|(_, b)| site.purposes.iter().any(|p| p.basis == Some(*b)))
        .map(|(_, b)| {
            let of_basis: Vec<tera::Value> =
                site.purposes.iter().zip(&purposes).filter(|(p, _)| p.basis == Some(*b)).map(|(_, v)| v.clone()).collect();
            with(to_tera(&basis_value(l, *b)), "purposes", of_basis.into())
        })
        .collect();

    // data
    let data: Vec<Value> = site
        .data
        .iter()
        .map(|d| {
            let srcs: Vec<Value> = d.sources.iter().map(|s| json!({ "key": s.value, "name": source_name(&s.value) })).collect();
            let src_names: Vec<String> = srcs.iter().map(|s| s["name"].as_str().unwrap_or_default().to_lowercase_first()).collect();
            let used_by: Vec<Value> = site.purposes.iter().filter(|p| p.data.iter().any(|k| k.value == d.key.value)).map(|p| json!(l.text(&p.name))).collect();
            let mut v = json!({ "key": d.key.value, "name": data_name(l, d), "sources": srcs, "sources_text": l.list(&src_names), "purposes": used_by });
            let description = d.description.as_ref().map(|t| l.text(t)).or_else(|| l.pack.scalar(&format!("data_categories.{}.description", d.key.value)));
            match description {
                Some(desc) => v["description"] = json!(desc),
                None => l.diagnostics.push(
                    Diagnostic::error("missing-field", file, d.key.pos, format!("`data.{}` has no description, and it is not a category polis knows", d.key.value))
                        .hint(format!("add `description:` to `data.{}`: what this data contains", d.key.value)),
                ),
            }
            match &d.retention {
                Some(Retention::Period { period, from, .. }) => {
                    let period = l.period(*period);
                    let text = l.pack_str("retention_from").replace("{period}", &period).replace("{from}", &l.text(from));
                    v["retention"] = json!({ "period": period, "from": l.text(from), "text": text });
                }
                Some(Retention::Rule(rule)) => v["retention"] = json!({ "rule": l.text(rule), "text": l.text(rule) }),
                None => {}
            }
            v
        })
        .collect();

    // recipients
    let recipients: Vec<Value> = site
        .recipients
        .iter()
        .map(|r| {
            let role = match r.role {
                Role::Processor => "processor",
                Role::Controller => "controller",
            };
            let mut v = json!({
                "name": l.text(&r.name),
                "role": role,
                "role_name": l.pack_str(&format!("roles.{role}")),
                "service": l.text(&r.service),
                "country": r.country.value,
                "country_name": l.country_name(&r.country, file),
                "in_eea": facts::in_eea(&r.country.value),
            });
            if let Some((s, _)) = r.safeguard {
                v["safeguard"] = json!({ "key": s.key(), "name": l.pack_str(&format!("safeguards.{}.name", s.key())), "article": l.pack_str(&format!("safeguards.{}.article", s.key())) });
            }
            v
        })
        .collect();
    let shared_recipients: Vec<tera::Value> = recipients.iter().map(to_tera).collect();
    let recipients_where = |keep: &dyn Fn(&Value) -> bool| -> tera::Value {
        recipients.iter().zip(&shared_recipients).filter(|(r, _)| keep(r)).map(|(_, v)| v.clone()).collect::<Vec<_>>().into()
    };
    let processors = recipients_where(&|r| r["role"] == "processor");
    let controllers = recipients_where(&|r| r["role"] == "controller");
    let transfers = recipients_where(&|r| r["in_eea"] == false);
    let has_transfers = recipients.iter().any(|r| r["in_eea"] == false);

    // rights and authority
    let response = site.rights.response_time.map_or(Period::Span(1, Unit::Month), |(p, _)| p);
    cx.insert("rights".into(), json!({ "response_time": l.period(response), "extension": l.period(Period::Span(2, Unit::Month)) }));
    let authority = match &site.authority {
        Some(a) => {
            let mut v = json!({ "name": l.text(&a.name), "url": l.text(&a.url) });
            if let Some(t) = &a.address {
                v["address"] = json!(l.text(t));
            }
            if let Some(e) = &a.email {
                v["email"] = json!(e.value);
            }
            Some(v)
        }
        None => facts::authority(&c.address.country.value).map(|a: &KnownAuthority| {
            let mut v = json!({ "name": a.name(l.locale), "url": a.url(l.locale) });
            if let Some(addr) = a.address {
                v["address"] = json!(addr);
            }
            if let Some(e) = a.email {
                v["email"] = json!(e);
            }
            v
        }),
    };
    match authority {
        Some(a) => {
            cx.insert("authority".into(), a);
        }
        // A malformed country is reported where it is written; no second error for its consequence.
        None if !well_formed_country(&c.address.country.value) => {
            cx.insert("authority".into(), json!({ "name": "", "url": "" }));
        }
        None => {}
    }

    // cookies
    let cookie_values: Vec<Value> = site
        .cookies
        .list
        .iter()
        .map(|k| {
            let mut v = json!({ "name": k.name.value });
            if let Some(p) = &k.provider {
                v["provider"] = json!(l.text(p));
            }
            if let Some(p) = k.party {
                let key = if p == Party::First { "first" } else { "third" };
                v["party"] = json!(key);
                v["party_name"] = json!(l.pack_str(&format!("parties.{key}")));
            }
            if let Some(c) = k.category {
                v["category"] = json!({ "key": c.key(), "name": l.pack_str(&format!("cookie_categories.{}.name", c.key())) });
            }
            if let Some(p) = &k.purpose {
                v["purpose"] = json!(l.text(p));
            }
            if let Some(d) = k.duration {
                v["duration"] = json!(l.period(d));
            }
            v
        })
        .collect();
    let cookie_values: Vec<tera::Value> = cookie_values.iter().map(to_tera).collect();
    let categories: Vec<tera::Value> = CookieCategory::ALL
        .iter()
        .filter(|(_, c)| site.cookies.list.iter().any(|k| k.category == Some(*c)))
        .map(|(key, c)| {
            let cookies: Vec<tera::Value> =
                site.cookies.list.iter().zip(&cookie_values).filter(|(k, _)| k.category == Some(*c)).map(|(_, v)| v.clone()).collect();
            let category = json!({
                "key": key,
                "name": l.pack_str(&format!("cookie_categories.{key}.name")),
                "description": l.pack_str(&format!("cookie_categories.{key}.description")),
                "needs_consent": *c != CookieCategory::Necessary,
            });
            with(to_tera(&category), "cookies", cookies.into())
        })
        .collect();
    let mut cookies = tera::Map::new();
    cookies.insert("list".into(), cookie_values.into());
    cookies.insert("categories".into(), categories.into());
    if let Some(u) = &site.cookies.settings_url {
        cookies.insert("settings_url".into(), u.value.as_str().into());
    }

    let documents: Vec<Value> =
        site.documents.iter().map(|d| json!({ "key": d.key.value, "title": l.text(&d.title), "url": l.text(&d.url) })).collect();

    // optional clauses
    let mut has = Map::new();
    for key in facts::KNOWN_DATA_CATEGORIES {
        has.insert((*key).into(), json!(false));
    }
    for d in &site.data {
        has.insert(d.key.value.clone(), json!(true));
    }
    let uses = |b: LegalBasis| site.purposes.iter().any(|p| p.basis == Some(b));
    has.insert("consent".into(), json!(uses(LegalBasis::Consent)));
    has.insert("legitimate_interests".into(), json!(uses(LegalBasis::LegitimateInterests)));
    has.insert("transfers".into(), json!(has_transfers));
    has.insert("processors".into(), json!(site.recipients.iter().any(|r| r.role == Role::Processor)));
    has.insert(
        "public_sources".into(),
        json!(
            sources.iter().any(|s| s["public"] == true && site.data.iter().any(|d| d.sources.iter().any(|k| s["key"] == k.value.as_str())))
        ),
    );
    has.insert("third_party_cookies".into(), json!(site.cookies.list.iter().any(|k| k.party == Some(Party::Third))));
    has.insert("dpo".into(), json!(matches!(site.dpo, Dpo::Appointed { .. })));
    has.insert("documents".into(), json!(!documents.is_empty()));
    has.insert("marketing_opt_out".into(), json!(c.marketing_opt_out_email.is_some()));

    cx.insert("sources".into(), Value::Array(sources));
    cx.insert("data".into(), Value::Array(data));
    cx.insert("documents".into(), Value::Array(documents));
    cx.insert("has".into(), Value::Object(has));

    let mut context = tera::Context::new();
    for (key, value) in cx {
        context.insert_value(key, to_tera(&value));
    }
    context.insert_value("purposes", purposes.into());
    context.insert_value("bases", bases.into());
    context.insert_value("recipients", shared_recipients.into());
    context.insert_value("processors", processors);
    context.insert_value("controllers", controllers);
    context.insert_value("transfers", transfers);
    context.insert_value("cookies", tera::Value::from(cookies));
    context
}

/// A JSON value as a Tera value, directly (serde's generic path costs a third more).
fn to_tera(value: &Value) -> tera::Value {
    match value {
        Value::Null => ().into(),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => n.as_i64().map_or_else(|| n.as_f64().unwrap_or_default().into(), Into::into),
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => items.iter().map(to_tera).collect::<Vec<_>>().into(),
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), to_tera(v))).collect::<std::collections::HashMap<_, _>>().into(),
    }
}

/// `map` with one more entry; `map` must be a map (it is built by this module).
fn with(map: tera::Value, key: &'static str, value: tera::Value) -> tera::Value {
    let mut entries: tera::Map = map.as_map().cloned().unwrap_or_default();
    entries.insert(key.into(), value);
    entries.into()
}

fn well_formed_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn basis_value(l: &mut Localizer, basis: LegalBasis) -> Value {
    json!({
        "key": basis.key(),
        "name": l.pack_str(&format!("legal_bases.{}.name", basis.key())),
        "article": l.pack_str(&format!("legal_bases.{}.article", basis.key())),
    })
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
            "missing-field",
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
