//! site.yaml's node tree to a [`Site`], checking keys, types and formats as it goes.

use super::decode::{Cx, Str, is_unfilled};
use super::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{Kind, Node};

use super::processing::*;
use super::values::*;

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
    "scan",
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
    site.scan = cx.optional(&top, "scan", scan);
    site.section_keys = TOP
        .iter()
        .filter_map(|k| top.entry(k).map(|(key, _)| (*k, key.pos)))
        .collect();
    site.misspelled = TOP
        .iter()
        .filter(|k| top.is_misspelled(k))
        .map(|k| (*k).to_owned())
        .collect();
    (site, cx.diagnostics)
}

pub(super) fn settings(cx: &mut Cx, node: &Node, path: &str) -> Settings {
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
            text_column: None,
        });
    let theme = cx.optional(&m, "theme", theme_name).unwrap_or_else(|| Str {
        value: "default".into(),
        pos: m.pos,
        text_column: None,
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
            text_column: None,
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
pub(super) fn is_locale(s: &str) -> bool {
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

pub(super) fn locale(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_locale,
        Code::InvalidValue,
        "a language code",
        "use a code such as `nl`, `en`, `fr` or `de`",
    )
}

pub(super) fn slugs(cx: &mut Cx, node: &Node, path: &str) -> Vec<(String, PageKind, Str)> {
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
pub(super) fn slug(cx: &mut Cx, node: &Node, path: &str) -> Str {
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

pub(super) fn relative_dir(cx: &mut Cx, node: &Node, path: &str) -> Str {
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

pub(super) fn theme_name(cx: &mut Cx, node: &Node, path: &str) -> Str {
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

pub(super) fn change(cx: &mut Cx, node: &Node, path: &str) -> Change {
    let Some(m) = cx.map(node, path, &["date", "summary"]) else {
        return Change::default();
    };
    Change {
        date: cx.required(&m, "date", date),
        summary: cx.required(&m, "summary", text),
    }
}

/// The years a date of a policy can fall in: from the Data Protection Directive (1995) to the end
/// of this century. `0000-01-01` or `9999-12-31` is a typing slip, not a date to print.
const YEARS: std::ops::RangeInclusive<u16> = 1995..=2099;

/// `YYYY-MM-DD`.
pub(super) fn date(cx: &mut Cx, node: &Node, path: &str) -> Date {
    let s = cx.string(node, path);
    if let Some(date) = Date::parse(&s.value).filter(|d| !YEARS.contains(&d.year)) {
        cx.error(
            Code::InvalidValue,
            s.pos,
            format!("`{}` is not a date a policy can have", date.iso()),
            format!(
                "write `{path}` as the real date, YYYY-MM-DD, from {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
        );
        return Date::default();
    }
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

pub(super) fn company(cx: &mut Cx, node: &Node, path: &str) -> Company {
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

pub(super) fn address(cx: &mut Cx, node: &Node, path: &str) -> Address {
    let known = ["street", "postal_code", "city", "country", "region"];
    let Some(m) = cx.map(node, path, &known) else {
        return Address::default();
    };
    let street = cx.required(&m, "street", text);
    let postal_code = cx.required(&m, "postal_code", |cx, n, p| cx.string(n, p));
    let city = cx.required(&m, "city", text);
    let country = cx.required(&m, "country", country);
    let region = cx.optional(&m, "region", |cx, n, p| region(cx, n, p, &country.value));
    Address {
        street,
        postal_code,
        city,
        country,
        region,
    }
}

/// `company.address.region`: one of the regions of `country` that have an authority of their own.
fn region(cx: &mut Cx, node: &Node, path: &str, country: &str) -> Str {
    let regions = crate::facts::regions(country);
    let hint = if regions.is_empty() {
        format!("polis knows no regional authorities in `{country}`; leave `region` out")
    } else {
        format!("write one of {}", regions.join(", "))
    };
    cx.formatted(
        node,
        path,
        |r| regions.contains(&r),
        Code::InvalidValue,
        &format!("a region of `{country}` with its own supervisory authority"),
        hint,
    )
}

pub(super) fn phone(cx: &mut Cx, node: &Node, path: &str) -> Phone {
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

pub(super) fn phone_number(cx: &mut Cx, node: &Node, path: &str) -> Str {
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

pub(super) fn dpo(cx: &mut Cx, node: &Node, path: &str) -> Dpo {
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
