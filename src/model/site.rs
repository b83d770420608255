//! site.yaml's node tree to a [`Site`], checking keys, types and formats as it goes.

use super::decode::{Cx, Str, is_placeholder, is_unfilled, nearest};
use super::format::{is_email, is_web_url};
use super::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{Kind, Node};

const TOP: &[&str] = &[
    "site",
    "company",
    "dpo",
    "sources",
    "data",
    "purposes",
    "recipients",
    "automated_decisions",
    "security",
    "rights",
    "authority",
    "cookies",
    "documents",
    "waivers",
];

/// Decodes site.yaml. Every problem is in the returned diagnostics; the site is only usable when
/// there are none.
pub fn decode_site(file: &str, root: &Node) -> (Site, Vec<Diagnostic>) {
    let mut cx = Cx::new(file, Vec::new());
    let mut site = Site::default();
    let Some(top) = cx.map(root, "", TOP) else {
        return (site, cx.diagnostics);
    };
    // Locales come first: every localized text is checked against them.
    site.settings = cx.required(&top, "site", settings);
    cx.locales = site
        .settings
        .locales
        .iter()
        .filter(|l| is_locale(&l.value))
        .map(|l| l.value.clone())
        .collect();
    site.company = cx.required(&top, "company", company);
    site.dpo = cx.optional(&top, "dpo", dpo).unwrap_or_default();
    site.sources = cx.optional(&top, "sources", sources).unwrap_or_default();
    site.data = cx.required(&top, "data", data);
    site.purposes = cx.required(&top, "purposes", |cx, n, p| cx.list(n, p, purpose));
    (site.recipients_declared, site.recipients) = cx
        .optional(&top, "recipients", |cx, n, p| match none_or(cx, n, p) {
            Some(declared) => (declared, Vec::new()),
            None => {
                let list = cx.list(n, p, recipient);
                (
                    if list.is_empty() {
                        Declared::Silent
                    } else {
                        Declared::Listed
                    },
                    list,
                )
            }
        })
        .unwrap_or_default();
    site.automated_decisions = cx
        .optional(&top, "automated_decisions", automated_decisions)
        .unwrap_or_default();
    site.security = cx
        .optional(&top, "security", |cx, n, p| cx.list(n, p, measure))
        .unwrap_or_default();
    site.rights = cx.optional(&top, "rights", rights).unwrap_or_default();
    site.authority = cx.optional(&top, "authority", authority);
    site.cookies = cx.optional(&top, "cookies", cookies).unwrap_or_default();
    site.documents = cx
        .optional(&top, "documents", documents)
        .unwrap_or_default();
    site.waivers = cx
        .optional(&top, "waivers", |cx, n, p| cx.list(n, p, waiver))
        .unwrap_or_default();
    site.misspelled = TOP
        .iter()
        .filter(|k| top.is_misspelled(k))
        .map(|k| (*k).to_owned())
        .collect();
    (site, cx.diagnostics)
}

fn settings(cx: &mut Cx, node: &Node, path: &str) -> Settings {
    let known = [
        "base_url",
        "locales",
        "output",
        "theme",
        "effective_date",
        "slugs",
        "changes",
        "email_about_changes",
        "variant",
    ];
    let Some(m) = cx.map(node, path, &known) else {
        return Settings::default();
    };
    let locales = cx.required(&m, "locales", |cx, n, p| match n.kind {
        Kind::Str(_) => vec![locale(cx, n, p)],
        _ => cx.list(n, p, locale),
    });
    if let Some(
        node @ Node {
            kind: Kind::Seq(items),
            ..
        },
    ) = m.get("locales")
        && items.is_empty()
    {
        cx.error(
            Code::InvalidValue,
            node.pos,
            "`site.locales` lists no language",
            "list at least one, e.g. `locales: [nl, en]`",
        );
    }
    for (i, l) in locales.iter().enumerate() {
        if locales[..i].iter().any(|o| o.value == l.value) {
            cx.error(
                Code::InvalidValue,
                l.pos,
                format!("locale `{}` is listed twice", l.value),
                "list each language once",
            );
        }
    }
    // Only valid languages: texts are checked against them, and a broken list is reported once.
    cx.locales = locales
        .iter()
        .filter(|l| is_locale(&l.value))
        .map(|l| l.value.clone())
        .collect();
    let base_url = cx.required(&m, "base_url", url);
    let output = cx
        .optional(&m, "output", relative_dir)
        .unwrap_or_else(|| Str {
            value: "public".into(),
            pos: m.pos,
        });
    let theme = cx.optional(&m, "theme", theme_name).unwrap_or_else(|| Str {
        value: "default".into(),
        pos: m.pos,
    });
    let effective_date = cx.required(&m, "effective_date", date);
    let effective_date_pos = m.get("effective_date").map_or(m.pos, |n| n.pos);
    let slugs = cx.optional(&m, "slugs", slugs).unwrap_or_default();
    let changes = cx
        .optional(&m, "changes", |cx, n, p| cx.list(n, p, change))
        .unwrap_or_default();
    let email_about_changes = cx
        .optional(&m, "email_about_changes", |cx, n, p| cx.boolean(n, p))
        .unwrap_or(false);
    let variant = cx.optional(&m, "variant", country);
    Settings {
        base_url: Str {
            value: base_url.value.trim_end_matches('/').to_owned(),
            ..base_url
        },
        locales,
        output,
        theme,
        effective_date,
        effective_date_pos,
        slugs,
        changes,
        email_about_changes,
        variant,
    }
}

/// `nl`, `fil`, `nl-be`: the forms a locale takes in file names and URLs.
fn is_locale(s: &str) -> bool {
    let lower = |p: &str| p.bytes().all(|b| b.is_ascii_lowercase());
    match s.split_once('-') {
        None => (2..=3).contains(&s.len()) && lower(s),
        Some((lang, region)) => {
            lang.len() == 2
                && lower(lang)
                && (2..=3).contains(&region.len())
                && region.bytes().all(|b| b.is_ascii_alphanumeric())
        }
    }
}

fn locale(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_locale,
        Code::InvalidValue,
        "a language code",
        "use a code such as `nl`, `en`, `fr` or `de`",
    )
}

fn slugs(cx: &mut Cx, node: &Node, path: &str) -> Vec<(String, PageKind, Str)> {
    let mut out = Vec::new();
    let locales = cx.locales.clone();
    if locales.is_empty() {
        return out; // the broken locales are reported; slugs cannot be checked against them
    }
    let known: Vec<&str> = locales.iter().map(String::as_str).collect();
    let Some(m) = cx.map(node, path, &known) else {
        return out;
    };
    for (key, value) in m.entries() {
        if !locales.contains(&key.name) {
            continue;
        }
        let Some(pages) = cx.map(
            value,
            &m.child(&key.name),
            &PageKind::ALL.map(PageKind::as_str),
        ) else {
            continue;
        };
        for (page, slug_node) in pages.entries() {
            if let Some(kind) = PageKind::named(&page.name) {
                let s = slug(cx, slug_node, &pages.child(&page.name));
                out.push((key.name.clone(), kind, s));
            }
        }
    }
    out
}

/// A URL path segment: lowercase letters, digits and dashes, so it can never climb out of public/.
fn slug(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let valid = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
    };
    cx.formatted(
        node,
        path,
        valid,
        Code::InvalidValue,
        "a valid slug",
        "use lowercase letters, digits and dashes only, e.g. `privacy-policy`",
    )
}

fn relative_dir(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let s = cx.string(node, path);
    let p = std::path::Path::new(&s.value);
    let climbs = p.components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if climbs {
        cx.error(
            Code::UnsafePath,
            s.pos,
            format!(
                "`{path}` must be a folder inside the site folder, not `{}`",
                s.value
            ),
            "use a relative folder name such as `public`",
        );
    }
    s
}

fn theme_name(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let valid = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    cx.formatted(
        node,
        path,
        valid,
        Code::UnsafePath,
        "a theme name",
        "a theme is a folder under themes/: use letters, digits, `-` and `_` only",
    )
}

fn change(cx: &mut Cx, node: &Node, path: &str) -> Change {
    let Some(m) = cx.map(node, path, &["date", "summary"]) else {
        return Change::default();
    };
    Change {
        date: cx.required(&m, "date", date),
        summary: cx.required(&m, "summary", text),
    }
}

/// `YYYY-MM-DD`.
fn date(cx: &mut Cx, node: &Node, path: &str) -> Date {
    let s = cx.string(node, path);
    Date::parse(&s.value).unwrap_or_else(|| {
        if !is_unfilled(&s.value) {
            cx.error(
                Code::InvalidValue,
                s.pos,
                format!("`{}` is not a date", s.value),
                format!("write `{path}` as YYYY-MM-DD, e.g. 2026-03-01"),
            );
        }
        Date::default()
    })
}

/// Localized text: one string, or a mapping with exactly the site's locales.
pub(super) fn text(cx: &mut Cx, node: &Node, path: &str) -> Text {
    match &node.kind {
        Kind::Str(_) | Kind::Number(_) => {
            let s = cx.string(node, path);
            Text {
                values: vec![("*".into(), s.value)],
                pos: node.pos,
            }
        }
        Kind::Map(entries) => {
            // (Taken for the length of this text and put back: no copy per text.)
            let locales = std::mem::take(&mut cx.locales);
            let mut values: Vec<(String, String)> = Vec::new();
            for (i, (key, value)) in entries.iter().enumerate() {
                // Without valid locales (reported under `site`), no language can be checked.
                if !locales.contains(&key.name) && !locales.is_empty() {
                    // `{ nl: je naam, adres en telefoon, en: ... }`: a comma ends a text in a flow
                    // mapping, and what follows it is read as a key without a value.
                    if let (Kind::Null, Some(i)) = (&value.kind, i.checked_sub(1))
                        && key.name.contains(' ')
                        && let Some((previous, text)) =
                            values.last().filter(|(l, _)| *l == entries[i].0.name)
                    {
                        let message = format!(
                            "the `{previous}` text of `{path}` has a comma in it, which ends the text here"
                        );
                        let hint = format!(
                            "put the text in quotes: `{previous}: \"{text}, {}\"`",
                            key.name
                        );
                        cx.error(Code::InvalidValue, key.pos, message, hint);
                        continue;
                    }
                    // Language codes are all close to each other: list them rather than guess.
                    let hint = format!(
                        "the site's languages (site.locales) are: {}; add `{}` there to publish in it",
                        locales.join(", "),
                        key.name
                    );
                    cx.error(
                        Code::UnknownKey,
                        key.pos,
                        format!(
                            "`{}` in `{path}` is not one of the site's languages",
                            key.name
                        ),
                        hint,
                    );
                    continue;
                }
                let s = cx.string_at(value, &|| format!("{path}.{}", key.name));
                values.push((key.name.clone(), s.value));
            }
            // One error for all the languages a text lacks.
            let missing: Vec<&String> = locales
                .iter()
                .filter(|l| !entries.iter().any(|(k, _)| &k.name == *l))
                .collect();
            if !missing.is_empty() {
                let names = missing
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let add = missing
                    .iter()
                    .map(|l| format!("{l}: ..."))
                    .collect::<Vec<_>>()
                    .join(", ");
                cx.error(
                    Code::MissingTranslation,
                    node.pos,
                    format!("`{path}` has no {names} text"),
                    format!("add `{add}` to `{path}`, or write one text for all languages"),
                );
            }
            cx.locales = locales;
            Text {
                values,
                pos: node.pos,
            }
        }
        _ => {
            let message = format!(
                "`{path}` should be text, or a mapping with one text per language, but it is {}",
                node.kind.describe()
            );
            cx.error(
                Code::WrongType,
                node.pos,
                message,
                "write `key: text` or `key: { nl: tekst, en: text }`",
            );
            Text::default()
        }
    }
}

fn email(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_email,
        Code::InvalidValue,
        "a complete e-mail address",
        format!("write `{path}` as name@domain.tld"),
    )
}

fn url(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_web_url,
        Code::InvalidValue,
        "a web address",
        format!("write `{path}` in full, starting with https://"),
    )
}

fn localized_url(cx: &mut Cx, node: &Node, path: &str) -> Text {
    let t = text(cx, node, path);
    for (locale, value) in &t.values {
        if !is_unfilled(value) && !is_web_url(value) {
            let p = if locale == "*" {
                path.to_owned()
            } else {
                format!("{path}.{locale}")
            };
            cx.error(
                Code::InvalidValue,
                node.pos,
                format!("`{value}` is not a web address"),
                format!("write `{p}` in full, starting with https://"),
            );
        }
    }
    t
}

fn country(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let valid = |s: &str| crate::facts::CountryCode::parse(s).is_some();
    cx.formatted(
        node,
        path,
        valid,
        Code::InvalidValue,
        "a country code",
        "use the two capital letters of ISO 3166-1, e.g. BE, NL, DE, US",
    )
}

fn company(cx: &mut Cx, node: &Node, path: &str) -> Company {
    let known = [
        "legal_name",
        "trade_name",
        "legal_form",
        "address",
        "enterprise_number",
        "website",
        "email",
        "phones",
        "privacy_email",
        "marketing_opt_out_email",
        "marketing_preferences_url",
        "processing_location",
    ];
    let Some(m) = cx.map(node, path, &known) else {
        return Company::default();
    };
    Company {
        legal_name: cx.required(&m, "legal_name", text),
        trade_name: cx.optional(&m, "trade_name", text),
        legal_form: cx.required(&m, "legal_form", text),
        address: cx.required(&m, "address", address),
        enterprise_number: cx.required(&m, "enterprise_number", |cx, n, p| cx.string(n, p)),
        website: cx.required(&m, "website", url),
        email: cx.required(&m, "email", email),
        phones: cx
            .optional(&m, "phones", |cx, n, p| cx.list(n, p, phone))
            .unwrap_or_default(),
        privacy_email: cx.required(&m, "privacy_email", email),
        marketing_opt_out_email: cx.optional(&m, "marketing_opt_out_email", email),
        marketing_preferences_url: cx.optional(&m, "marketing_preferences_url", localized_url),
        processing_location: cx.optional(&m, "processing_location", text),
    }
}

fn address(cx: &mut Cx, node: &Node, path: &str) -> Address {
    let Some(m) = cx.map(node, path, &["street", "postal_code", "city", "country"]) else {
        return Address::default();
    };
    Address {
        street: cx.required(&m, "street", text),
        postal_code: cx.required(&m, "postal_code", |cx, n, p| cx.string(n, p)),
        city: cx.required(&m, "city", text),
        country: cx.required(&m, "country", country),
    }
}

fn phone(cx: &mut Cx, node: &Node, path: &str) -> Phone {
    if let Kind::Str(_) | Kind::Number(_) = node.kind {
        return Phone {
            label: None,
            number: phone_number(cx, node, path),
        };
    }
    let Some(m) = cx.map(node, path, &["label", "number"]) else {
        return Phone::default();
    };
    Phone {
        label: cx.optional(&m, "label", text),
        number: cx.required(&m, "number", phone_number),
    }
}

fn phone_number(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let valid = |s: &str| {
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        s.chars()
            .all(|c| c.is_ascii_digit() || " +-./()".contains(c))
            && (6..=17).contains(&digits)
    };
    let number = cx.formatted(
        node,
        path,
        valid,
        Code::InvalidValue,
        "a phone number",
        "write it as dialled from abroad, e.g. +32 9 123 45 67",
    );
    // `+32 (0)9 ...`: the trunk zero is not dialled from abroad, and a tap on the link would dial it.
    if number.value.starts_with('+') && number.value.contains("(0)") {
        let fixed = number
            .value
            .replace("(0)", "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        cx.warning(
            Code::InvalidValue,
            number.pos,
            format!(
                "`{}` has a `(0)` after the country code, which is not dialled from abroad",
                number.value
            ),
            format!("write `{fixed}`"),
        );
    }
    number
}

fn dpo(cx: &mut Cx, node: &Node, path: &str) -> Dpo {
    let Some(m) = cx.map(
        node,
        path,
        &["appointed", "names", "email", "phone", "contact"],
    ) else {
        return Dpo::default();
    };
    // `appointed: ja` is reported once: what else is given says which case is meant, and the
    // details are not also reported as contradicting it.
    let given = cx.required(&m, "appointed", |cx, n, p| match n.kind {
        Kind::Bool(b) => Some(b),
        _ => {
            cx.boolean(n, p);
            None
        }
    });
    let appointed = given.unwrap_or_else(|| m.get("names").is_some() || m.get("email").is_some());
    if appointed {
        for key in ["contact"] {
            if let Some(n) = m.get(key).filter(|_| given.is_some()) {
                cx.error(
                    Code::InvalidValue,
                    n.pos,
                    "`dpo.contact` is for when no DPO is appointed",
                    "remove it, or set `appointed: false`",
                );
            }
        }
        let names = cx.required(&m, "names", |cx, n, p| match n.kind {
            Kind::Seq(_) => cx.list(n, p, |cx, n, p| cx.string(n, p)),
            _ => {
                let names = cx.string(n, p);
                if names.value.contains(',')
                    || names.value.contains(" en ")
                    || names.value.contains(" and ")
                {
                    let items: Vec<&str> = names
                        .value
                        .split([','])
                        .flat_map(|s| s.split(" en "))
                        .flat_map(|s| s.split(" and "))
                        .map(str::trim)
                        .collect();
                    cx.warning(
                        Code::InvalidValue,
                        names.pos,
                        format!("`{p}` reads as one name: `{}`", names.value),
                        format!(
                            "list each person as an item: `names: [{}]`",
                            items.join(", ")
                        ),
                    );
                }
                vec![names]
            }
        });
        if let Some(
            node @ Node {
                kind: Kind::Seq(items),
                ..
            },
        ) = m.get("names")
            && items.is_empty()
        {
            cx.error(
                Code::UnfilledField,
                node.pos,
                "`dpo.names` lists nobody",
                "name the data protection officer, or set `appointed: false`",
            );
        }
        Dpo::Appointed {
            names,
            email: cx.required(&m, "email", email),
            phone: cx.optional(&m, "phone", phone_number),
        }
    } else {
        for key in ["names", "email", "phone"] {
            if let Some(n) = m.get(key).filter(|_| given.is_some()) {
                cx.error(
                    Code::InvalidValue,
                    n.pos,
                    format!("`dpo.{key}` is given but `dpo.appointed` is false"),
                    "set `appointed: true`, or remove the DPO's details",
                );
            }
        }
        Dpo::NotAppointed {
            contact: cx.required(&m, "contact", text),
        }
    }
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn key_of(cx: &mut Cx, name: &crate::yaml::Key, path: &str) -> Str {
    if !is_key(&name.name) {
        cx.error(
            Code::InvalidValue,
            name.pos,
            format!("`{}` is not a valid key in `{path}`", name.name),
            "use lowercase letters, digits and `_`, e.g. `terms_of_sale`",
        );
    }
    Str {
        value: name.name.clone(),
        pos: name.pos,
    }
}

fn sources(cx: &mut Cx, node: &Node, path: &str) -> Vec<Source> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["name", "description", "public"]) else {
                return Source {
                    key,
                    ..Source::default()
                };
            };
            Source {
                key,
                name: cx.optional(&m, "name", text),
                description: cx.optional(&m, "description", text),
                public: cx.optional(&m, "public", |cx, n, p| cx.boolean(n, p)),
            }
        })
        .collect()
}

fn data(cx: &mut Cx, node: &Node, path: &str) -> Vec<DataCategory> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["name", "description", "sources", "retention"]) else {
                return DataCategory {
                    key,
                    ..DataCategory::default()
                };
            };
            DataCategory {
                key,
                name: cx.optional(&m, "name", text),
                description: cx.optional(&m, "description", text),
                sources: cx.optional(&m, "sources", key_list).unwrap_or_default(),
                retention: cx.optional(&m, "retention", retention),
            }
        })
        .collect()
}

fn key_list(cx: &mut Cx, node: &Node, path: &str) -> Vec<Str> {
    match node.kind {
        Kind::Str(_) => vec![cx.string(node, path)],
        _ => cx.list(node, path, |cx, n, p| cx.string(n, p)),
    }
}

fn retention(cx: &mut Cx, node: &Node, path: &str) -> Retention {
    let Some(m) = cx.map(node, path, &["period", "from", "rule"]) else {
        return Retention::Rule(Text::default());
    };
    if let Some(rule) = cx.optional(&m, "rule", text) {
        for key in ["period", "from"] {
            if let Some(n) = m.get(key) {
                let message = format!("`{path}` has both a `{key}` and a `rule`");
                cx.error(
                    Code::InvalidValue,
                    n.pos,
                    message,
                    "give a period with `from`, or a rule in words, not both",
                );
            }
        }
        return Retention::Rule(rule);
    }
    let period = cx.required(&m, "period", |cx, n, p| period(cx, n, p, false));
    let from = cx.required(&m, "from", text);
    Retention::Period {
        period,
        from,
        pos: m.pos,
    }
}

/// "1 month", "12 months", "30 days", and for cookies "session".
pub(super) fn period(cx: &mut Cx, node: &Node, path: &str, session_allowed: bool) -> Period {
    let s = cx.string(node, path);
    let v = s.value.trim();
    let parsed = Period::parse(v, session_allowed);
    parsed.unwrap_or_else(|| {
        if !is_unfilled(v) {
            let also = if session_allowed {
                ", or `session`"
            } else {
                ""
            };
            cx.error(
                Code::InvalidValue,
                s.pos,
                format!("`{}` is not a period", s.value),
                format!(
                    "write a number and a unit: `1 month`, `12 months`, `30 days`, `2 years`{also}"
                ),
            );
        }
        Period::default()
    })
}

fn purpose(cx: &mut Cx, node: &Node, path: &str) -> Purpose {
    let Some(mut m) = cx.map(
        node,
        path,
        &[
            "key",
            "name",
            "description",
            "basis",
            "interest",
            "data",
            "subjects",
        ],
    ) else {
        return Purpose::default();
    };
    let key = cx.required(&m, "key", |cx, n, p| {
        let s = cx.string(n, p);
        if !is_key(&s.value) && !is_unfilled(&s.value) {
            cx.error(
                Code::InvalidValue,
                s.pos,
                format!("`{}` is not a valid key for `{p}`", s.value),
                "use lowercase letters, digits and `_`, e.g. `newsletter`",
            );
        }
        s
    });
    // The purpose is named by its key from here on: `purposes.credit.interest`, not `purposes[2]`.
    if is_key(&key.value) {
        m.path = format!("purposes.{}", key.value);
    }
    Purpose {
        key,
        name: cx.required(&m, "name", text),
        description: cx.optional(&m, "description", text),
        basis: cx.optional(&m, "basis", |cx, n, p| cx.choice(n, p, &LegalBasis::ALL)),
        basis_pos: m.get("basis").map_or(m.pos, |n| n.pos),
        interest: cx.optional(&m, "interest", text),
        data: cx.optional(&m, "data", key_list).unwrap_or_default(),
        subjects: cx.optional(&m, "subjects", text),
    }
}

fn recipient(cx: &mut Cx, node: &Node, path: &str) -> Recipient {
    let known = [
        "name",
        "category",
        "role",
        "service",
        "country",
        "region",
        "safeguard",
        "derogation",
        "purposes",
    ];
    let Some(mut m) = cx.map(node, path, &known) else {
        return Recipient::default();
    };
    // One party by its name, or a category of recipients (GDPR Art. 13(1)(e) allows either).
    let is_category = m.get("category").is_some() && m.get("name").is_none();
    let name = if is_category {
        cx.required(&m, "category", text)
    } else {
        cx.required(&m, "name", text)
    };
    if let (Some(_), Some(n)) = (m.get("name"), m.get("category")) {
        cx.error(
            Code::InvalidValue,
            n.pos,
            "a recipient has a `name` or a `category`, not both",
            "keep one of them",
        );
    }
    m.path = item_path(path, name.all().next());
    // One country, or for a category a region; not both.
    let region = cx.optional(&m, "region", |cx, n, p| cx.choice(n, p, &Region::ALL));
    let country = match (region, m.get("country")) {
        (Some(_), Some(n)) => {
            cx.error(
                Code::InvalidValue,
                n.pos,
                "a recipient has a `country` or a `region`, not both",
                "keep one of them",
            );
            Str::default()
        }
        (Some(_), None) => Str::default(),
        (None, _) => cx.required(&m, "country", country),
    };
    Recipient {
        name,
        is_category,
        role: cx
            .optional(&m, "role", |cx, n, p| {
                cx.choice(
                    n,
                    p,
                    &[
                        ("processor", Role::Processor),
                        ("controller", Role::Controller),
                    ],
                )
            })
            .unwrap_or_default(),
        service: cx.required(&m, "service", text),
        country,
        region,
        safeguard: cx.optional(&m, "safeguard", |cx, n, p| {
            (cx.choice(n, p, &Safeguard::ALL), n.pos)
        }),
        derogation: cx.optional(&m, "derogation", text),
        purposes: cx.optional(&m, "purposes", key_list),
    }
}

/// `recipients[Combell]` for the item `recipients[3]` named Combell: items are named, not counted.
fn item_path(path: &str, name: Option<&str>) -> String {
    match (path.rsplit_once('['), name.filter(|n| !is_unfilled(n))) {
        (Some((list, _)), Some(name)) => format!("{list}[{}]", name.trim()),
        _ => path.to_owned(),
    }
}

fn rights(cx: &mut Cx, node: &Node, path: &str) -> Rights {
    let Some(m) = cx.map(node, path, &["response_time", "limits"]) else {
        return Rights::default();
    };
    Rights {
        response_time: cx.optional(&m, "response_time", response_time),
        limits: cx.optional(&m, "limits", text),
    }
}

/// How long the company takes to answer a request: at most the one month of GDPR Art. 12(3).
fn response_time(cx: &mut Cx, node: &Node, path: &str) -> (Period, Pos) {
    let period = period(cx, node, path, false);
    let days = match period {
        Period::Span(n, Unit::Day) => u64::from(n),
        Period::Span(n, Unit::Week) => u64::from(n) * 7,
        Period::Span(n, Unit::Month) => u64::from(n) * 30,
        Period::Span(n, Unit::Year) => u64::from(n) * 365,
        _ => 0,
    };
    let law = "GDPR Art. 12(3) gives one month, which two more months can extend only for complex or many requests \
               (the policies say so)";
    if days > 31 || matches!(period, Period::Span(n, Unit::Month) if n > 1) {
        cx.error(
            Code::InvalidValue,
            node.pos,
            format!("`{path}` is longer than the law allows: {law}"),
            "write `response_time: 1 month`, or less",
        );
    } else if days >= 28 && !matches!(period, Period::Span(_, Unit::Month)) {
        cx.warning(
            Code::InvalidValue,
            node.pos,
            format!("`{path}` counts days where the law says one month (GDPR Art. 12(3))"),
            "write `response_time: 1 month`: a month is not always 30 days",
        );
    }
    (period, node.pos)
}

fn authority(cx: &mut Cx, node: &Node, path: &str) -> Authority {
    let Some(m) = cx.map(node, path, &["name", "url", "address", "email"]) else {
        return Authority::default();
    };
    Authority {
        name: cx.required(&m, "name", text),
        url: cx.required(&m, "url", localized_url),
        address: cx.optional(&m, "address", text),
        email: cx.optional(&m, "email", email),
    }
}

/// `none` said in so many words (`Some(Declared::None)`); `None` for anything else, which the
/// caller decodes. Another word is reported.
fn none_or(cx: &mut Cx, node: &Node, path: &str) -> Option<Declared> {
    match &node.kind {
        Kind::Str(s) if s == "none" => Some(Declared::None),
        Kind::Str(s) if is_placeholder(s) => {
            cx.string(node, path);
            Some(Declared::Silent)
        }
        Kind::Str(s) => {
            cx.error(
                Code::InvalidValue,
                node.pos,
                format!("`{s}` is not a valid value for `{path}`"),
                format!("list the items under `{path}`, or write `{path}: none`"),
            );
            Some(Declared::Silent)
        }
        _ => None,
    }
}

fn cookies(cx: &mut Cx, node: &Node, path: &str) -> Cookies {
    let pos = cx.owner_pos(node);
    if let Some(declared) = none_or(cx, node, path) {
        return Cookies {
            declared,
            pos,
            ..Cookies::default()
        };
    }
    let Some(m) = cx.map(node, path, &["settings_url", "consent", "list"]) else {
        return Cookies::default();
    };
    let list = cx
        .optional(&m, "list", |cx, n, p| cx.list(n, p, cookie))
        .unwrap_or_default();
    Cookies {
        declared: if list.is_empty() {
            Declared::Silent
        } else {
            Declared::Listed
        },
        settings_url: cx.optional(&m, "settings_url", localized_url),
        consent: cx.optional(&m, "consent", |cx, n, p| {
            cx.choice(
                n,
                p,
                &[
                    ("per_category", ConsentChoice::PerCategory),
                    ("all_or_nothing", ConsentChoice::AllOrNothing),
                ],
            )
        }),
        list,
        pos: m.pos,
    }
}

fn automated_decisions(cx: &mut Cx, node: &Node, path: &str) -> AutomatedDecisions {
    match none_or(cx, node, path) {
        Some(Declared::None) => AutomatedDecisions::None,
        Some(_) => AutomatedDecisions::Unspecified,
        None => {
            let list = cx.list(node, path, |cx, n, p| {
                let Some(m) = cx.map(n, p, &["decision", "logic", "consequences", "profiling"])
                else {
                    return AutomatedDecision::default();
                };
                AutomatedDecision {
                    decision: cx.required(&m, "decision", text),
                    logic: cx.required(&m, "logic", text),
                    consequences: cx.required(&m, "consequences", text),
                    profiling: cx
                        .optional(&m, "profiling", |cx, n, p| cx.boolean(n, p))
                        .unwrap_or(false),
                }
            });
            if list.is_empty() {
                AutomatedDecisions::Unspecified
            } else {
                AutomatedDecisions::Some(list)
            }
        }
    }
}

/// A measure polis knows by key, or one in the site's own words.
fn measure(cx: &mut Cx, node: &Node, path: &str) -> Measure {
    match &node.kind {
        Kind::Str(_) => {
            let s = cx.string(node, path);
            if !is_unfilled(&s.value) && !crate::facts::KNOWN_MEASURES.contains(&s.value.as_str()) {
                let near = nearest(&s.value, crate::facts::KNOWN_MEASURES)
                    .map_or(String::new(), |n| format!("did you mean `{n}`? "));
                let hint = format!(
                    "{near}write the measure in your own words, `{{ nl: ..., en: ... }}`, or name one polis words for you; the \
                     choices are: {}",
                    crate::facts::KNOWN_MEASURES.join(", ")
                );
                cx.error(
                    Code::InvalidValue,
                    s.pos,
                    format!("`{}` is not a security measure polis knows", s.value),
                    hint,
                );
            }
            Measure::Known(s)
        }
        _ => Measure::Own(text(cx, node, path)),
    }
}

fn cookie(cx: &mut Cx, node: &Node, path: &str) -> Cookie {
    let known = [
        "name", "type", "provider", "party", "category", "purpose", "duration", "country",
    ];
    let Some(mut m) = cx.map(node, path, &known) else {
        return Cookie::default();
    };
    let name = cx.required(&m, "name", |cx, n, p| cx.string(n, p));
    m.path = item_path(path, Some(&name.value));
    Cookie {
        name,
        provider: cx.optional(&m, "provider", text),
        party: cx.optional(&m, "party", |cx, n, p| {
            cx.choice(n, p, &[("first", Party::First), ("third", Party::Third)])
        }),
        category: cx.optional(&m, "category", |cx, n, p| {
            cx.choice(n, p, &CookieCategory::ALL)
        }),
        purpose: cx.optional(&m, "purpose", text),
        duration: cx.optional(&m, "duration", |cx, n, p| period(cx, n, p, true)),
        kind: cx.optional(&m, "type", |cx, n, p| cx.choice(n, p, &CookieKind::ALL)),
        country: cx.optional(&m, "country", country),
        pos: m.pos,
    }
}

fn documents(cx: &mut Cx, node: &Node, path: &str) -> Vec<Document> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["title", "url", "about"]) else {
                return Document {
                    key,
                    ..Document::default()
                };
            };
            Document {
                key,
                title: cx.required(&m, "title", text),
                url: cx.required(&m, "url", localized_url),
                about: cx.optional(&m, "about", text),
            }
        })
        .collect()
}

fn waiver(cx: &mut Cx, node: &Node, path: &str) -> Waiver {
    let Some(m) = cx.map(node, path, &["rule", "at", "reason"]) else {
        return Waiver::default();
    };
    let rule = cx.required(&m, "rule", |cx, n, p| cx.string(n, p));
    Waiver {
        code: Code::named(&rule.value),
        rule,
        at: cx.optional(&m, "at", |cx, n, p| cx.string(n, p)),
        reason: cx.required(&m, "reason", |cx, n, p| cx.string(n, p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_domain_ending() {
        assert!(is_email("contact@mess-security.be"));
        assert!(!is_email("contact@mess-security"));
        assert!(!is_email("contact at x.be"));
        assert!(is_email("first.o'brien+privacy@lumen.example"));
        // Addresses, not URLs: nothing that adds a recipient or a body to a mailto: link.
        assert!(!is_email(
            "x?cc=attacker%40evil.example&body=hi@lumen.example"
        ));
        assert!(!is_email("a%0Abcc:x@lumen.example"));
        assert!(!is_email("a#x@lumen.example"));
        assert!(!is_email(".a@lumen.example"));
    }

    #[test]
    fn web_urls_are_absolute() {
        assert!(is_web_url("https://www.lumen.example/nl/x?a=1"));
        assert!(!is_web_url("#"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://exa mple.com"));
    }
}
