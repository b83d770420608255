//! Decoding the values site.yaml writes in many places: texts in every language, addresses,
//! e-mail addresses, country codes, keys and periods.

use super::decode::{Cx, Str, is_placeholder, is_unfilled};
use super::format::{is_email, is_web_url};
use super::*;
use crate::diagnostics::Code;
use crate::yaml::{Kind, Node};

/// Localized text: one string, or a mapping with exactly the site's locales.
pub(super) fn text(cx: &mut Cx, node: &Node, path: &str) -> Text {
    match &node.kind {
        Kind::Str(_) | Kind::Number(_) => {
            let s = cx.string(node, path);
            Text {
                text: Localized::Same(s),
                pos: node.pos,
            }
        }
        Kind::Map(entries) => {
            // (Taken for the length of this text and put back: no copy per text.)
            let locales = std::mem::take(&mut cx.locales);
            let mut values: Vec<(String, Str)> = Vec::new();
            for (i, (key, value)) in entries.iter().enumerate() {
                // Without valid locales (reported under `site`), no language can be checked.
                if !locales.contains(&key.name) && !locales.is_empty() {
                    // `{ nl: je naam, adres en telefoon, en: ... }`: a comma ends a text in a flow
                    // mapping, and what follows it is read as a key without a value.
                    if let (Kind::Null, Some(i)) = (&value.kind, i.checked_sub(1))
                        && key.name.contains(' ')
                        && let Some((previous, Str { value: text, .. })) =
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
                values.push((key.name.clone(), s));
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
                text: Localized::PerLocale(values),
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

pub(super) fn email(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_email,
        Code::InvalidValue,
        "a complete e-mail address",
        format!("write `{path}` as name@domain.tld"),
    )
}

pub(super) fn url(cx: &mut Cx, node: &Node, path: &str) -> Str {
    cx.formatted(
        node,
        path,
        is_web_url,
        Code::InvalidValue,
        "a web address",
        format!("write `{path}` in full, starting with https://"),
    )
}

pub(super) fn localized_url(cx: &mut Cx, node: &Node, path: &str) -> Text {
    let t = text(cx, node, path);
    for (locale, written) in t.written() {
        let value = &written.value;
        if !is_unfilled(value) && !is_web_url(value) {
            let p = match locale {
                None => path.to_owned(),
                Some(locale) => format!("{path}.{locale}"),
            };
            // Reported at the language's own value, not where the mapping starts.
            let at = locale.and_then(|l| node.get(l)).map_or(node.pos, |n| n.pos);
            cx.error(
                Code::InvalidValue,
                at,
                format!("`{value}` is not a web address"),
                format!("write `{p}` in full, starting with https://"),
            );
        }
    }
    t
}

pub(super) fn country(cx: &mut Cx, node: &Node, path: &str) -> Str {
    let valid = |s: &str| crate::facts::CountryCode::parse(s).is_some();
    let written = match &node.kind {
        Kind::Str(s) => s.as_str(),
        _ => "",
    };
    // The hint is worked out only for a value that needs one: it reads the packs' country names.
    let hint = if valid(written) {
        String::new()
    } else {
        country_fix(written, path).unwrap_or_else(|| {
            "use the two capital letters of ISO 3166-1, e.g. BE, NL, DE, US".into()
        })
    };
    cx.formatted(
        node,
        path,
        valid,
        Code::InvalidValue,
        "a country code",
        &hint,
    )
}

/// The fix for a country written as something other than its code, at `path`: a region (`EU`,
/// `EEA`), which a recipient says with `region:`; a country's name in a language polis ships
/// (`Nederland`), or its code in lower case (`nl`): "did you mean `NL`".
pub fn country_fix(written: &str, path: &str) -> Option<String> {
    let value = written.trim();
    let upper = value.to_uppercase();
    if ["EU", "EEA", "EER", "EWR", "EEE"].contains(&upper.as_str()) {
        return Some(if path.starts_with("recipients") {
            format!(
                "`{value}` is a region, not a country: for a recipient that processes the data in \
                 the EEA, write `region: eea` instead of `country: {value}`"
            )
        } else {
            format!("`{value}` is a region: write the one country, e.g. BE, NL, DE")
        });
    }
    let code = crate::facts::CountryCode::parse(&upper)
        .filter(|_| value.len() == 2 && value != upper)
        .map(|c| c.as_str().to_owned())
        .or_else(|| named_country(value))?;
    Some(format!(
        "did you mean `{code}`? Countries are written as the two capital letters of ISO 3166-1"
    ))
}

/// The code of the country named `name` (in any case) in a locale pack polis ships.
fn named_country(name: &str) -> Option<String> {
    let wanted = name.to_lowercase();
    ["nl", "en", "fr", "de"].into_iter().find_map(|locale| {
        let bytes = crate::load::shipped(&format!("themes/default/i18n/{locale}.yaml"))?;
        let pack = crate::yaml::parse("pack", std::str::from_utf8(bytes).ok()?, &mut Vec::new())?;
        let Kind::Map(entries) = &pack.get("countries")?.kind else {
            return None;
        };
        entries.iter().find_map(|(code, n)| match &n.kind {
            Kind::Str(s) if s.to_lowercase() == wanted => Some(code.name.clone()),
            _ => None,
        })
    })
}

pub(super) fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

pub(super) fn key_of(cx: &mut Cx, name: &crate::yaml::Key, path: &str) -> Str {
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
        text_column: None,
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

/// `recipients[Combell]` for the item `recipients[3]` named Combell: items are named, not counted.
pub(super) fn item_path(path: &str, name: Option<&str>) -> String {
    match (path.rsplit_once('['), name.filter(|n| !is_unfilled(n))) {
        (Some((list, _)), Some(name)) => format!("{list}[{}]", name.trim()),
        _ => path.to_owned(),
    }
}

/// `none` said in so many words (`Some(Declared::None)`); `None` for anything else, which the
/// caller decodes. Another word is reported.
pub(super) fn none_or(cx: &mut Cx, node: &Node, path: &str) -> Option<Declared> {
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
