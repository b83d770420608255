//! The words of one language: the locale pack of the theme, and the values of the model written
//! in it (dates, periods, lists, country and authority names). Rust holds the keys, the pack the
//! words and the patterns they fill, so that a language is a file. What the pack lacks is
//! reported where it is used.

use std::collections::HashMap;

use tera::value::Key;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::facts::Authority;
use crate::load::Input;
use crate::model::{Date, Period, Str, Text};
use crate::yaml::{Kind, Node};

/// A locale pack (`themes/<theme>/i18n/<locale>.yaml`) with the file it came from, in the variant
/// of one country: what the pack's `variants.<country>` says replaces the rest (`variants.NL`:
/// "KvK-nummer" where Belgium writes "Ondernemingsnummer").
pub(crate) struct Pack<'a> {
    /// Display path of the pack.
    file: &'a str,
    /// Its tree.
    root: &'a Node,
    /// The variant's tree, when the pack has one for the country.
    variant: Option<&'a Node>,
    /// Every node of its mappings by dotted path (`countries.BE`): a thousand cookies ask for
    /// their category's name a thousand times.
    index: HashMap<String, &'a Node>,
}

impl<'a> Pack<'a> {
    /// The pack in `file` whose tree is `root`, in the variant of `country` if it has one.
    pub(crate) fn new(file: &'a str, root: &'a Node, country: &str) -> Self {
        fn walk<'a>(node: &'a Node, prefix: &str, index: &mut HashMap<String, &'a Node>) {
            let Kind::Map(entries) = &node.kind else {
                return;
            };
            for (key, value) in entries {
                if prefix.is_empty() && key.name == VARIANTS {
                    continue;
                }
                let path = if prefix.is_empty() {
                    key.name.clone()
                } else {
                    format!("{prefix}.{}", key.name)
                };
                walk(value, &path, index);
                index.insert(path, value);
            }
        }
        let variant = root.get(VARIANTS).and_then(|v| v.get(country));
        let mut index = HashMap::new();
        walk(root, "", &mut index);
        if let Some(variant) = variant {
            walk(variant, "", &mut index);
        }
        Pack {
            file,
            root,
            variant,
            index,
        }
    }

    fn node(&self, path: &str) -> Option<&'a Node> {
        self.index.get(path).copied()
    }

    pub(crate) fn scalar(&self, path: &str) -> Option<String> {
        match &self.node(path)?.kind {
            Kind::Str(s) | Kind::Number(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The pack as template variables (`t`), the variant's words in place.
    pub(super) fn to_value(&self) -> tera::Value {
        fn convert(node: &Node, over: Option<&Node>) -> tera::Value {
            match (&node.kind, over.map(|o| &o.kind)) {
                (Kind::Map(entries), Some(Kind::Map(overs))) => {
                    let mut map: tera::Map = entries
                        .iter()
                        .filter(|(k, _)| k.name != VARIANTS)
                        .map(|(k, v)| {
                            (
                                Key::from(k.name.clone()),
                                convert(v, over.and_then(|o| o.get(&k.name))),
                            )
                        })
                        .collect();
                    for (k, v) in overs.iter().filter(|(k, _)| node.get(&k.name).is_none()) {
                        map.insert(Key::from(k.name.clone()), convert(v, None));
                    }
                    map.into()
                }
                (_, Some(_)) => convert(over.expect("matched"), None),
                (Kind::Null, None) => tera::Value::none(),
                (Kind::Bool(b), None) => (*b).into(),
                (Kind::Number(n) | Kind::Str(n), None) => n.as_str().into(),
                (Kind::Seq(items), None) => items
                    .iter()
                    .map(|i| convert(i, None))
                    .collect::<Vec<_>>()
                    .into(),
                (Kind::Map(entries), None) => entries
                    .iter()
                    .filter(|(k, _)| k.name != VARIANTS)
                    .map(|(k, v)| (Key::from(k.name.clone()), convert(v, None)))
                    .collect::<tera::Map>()
                    .into(),
            }
        }
        convert(self.root, self.variant)
    }
}

/// The section of a locale pack that holds, per country, the words that differ there.
const VARIANTS: &str = "variants";

/// Writes values of the model in one language, and notes what the locale pack lacks.
pub(super) struct Localizer<'a> {
    /// The locale.
    pub(super) locale: &'a str,
    /// Its pack.
    pub(super) pack: Pack<'a>,
    /// Problems found.
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl Localizer<'_> {
    /// A string of the locale pack; a missing one is reported once per key.
    pub(super) fn pack_str(&mut self, path: &str) -> String {
        self.pack.scalar(path).unwrap_or_else(|| {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::MissingTranslation,
                    self.pack.file,
                    Pos::new(1, 1, 1),
                    format!("the locale pack has no `{path}`"),
                )
                .hint(format!("add `{path}` to {}", self.pack.file)),
            );
            String::new()
        })
    }

    /// A localized text in this locale.
    pub(super) fn text(&self, text: &Text) -> String {
        text.get(self.locale).to_owned()
    }

    /// "1 maart 2026".
    pub(super) fn date(&mut self, date: Date) -> String {
        let month = match self.pack.node("date.months").map(|n| &n.kind) {
            Some(Kind::Seq(months)) if months.len() == 12 => {
                match &months[usize::from(date.month.max(1)) - 1].kind {
                    Kind::Str(s) => s.clone(),
                    _ => date.month.to_string(),
                }
            }
            _ => {
                self.pack_str("date.months");
                date.month.to_string()
            }
        };
        // "1er mars": a language that writes the first day otherwise gives `date.first_day`.
        let day = match self.pack.scalar("date.first_day").filter(|_| date.day == 1) {
            Some(first) => first,
            None => date.day.to_string(),
        };
        self.pack_str("date.format")
            .replace("{day}", &day)
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }

    /// "één maand", "12 months", "until you close your browser".
    pub(super) fn period(&mut self, period: Period) -> String {
        match period {
            Period::Session => self.pack_str("session"),
            Period::Span(n, unit) => {
                let form = if n == 1 { "one" } else { "other" };
                let unit = self.pack_str(&format!("units.{}.{form}", unit.key()));
                // A language whose "one" agrees with the unit ("une semaine", "ein Monat") gives
                // the whole phrase as the unit's `one` and `period_one: "{unit}"`.
                if let Some(pattern) = self.pack.scalar("period_one").filter(|_| n == 1) {
                    return fill(&pattern, &[("unit", &unit)]);
                }
                let number = match self.pack.node("numbers").map(|n| &n.kind) {
                    Some(Kind::Seq(words)) => match words.get(n as usize).map(|w| &w.kind) {
                        Some(Kind::Str(w)) => w.clone(),
                        _ => n.to_string(),
                    },
                    _ => n.to_string(),
                };
                fill(
                    &self.pack_str("period"),
                    &[("number", &number), ("unit", &unit)],
                )
            }
        }
    }

    /// "A, B en C".
    pub(super) fn list(&mut self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => {
                let separator = self.pack_str("list_separator");
                format!(
                    "{} {} {last}",
                    init.join(&separator),
                    self.pack_str("list_and")
                )
            }
        }
    }

    /// The name of a supervisory authority in this language: the pack's
    /// `authorities.<country>.name`, or the authority's own name.
    pub(super) fn authority_name(&self, authority: &Authority) -> String {
        self.pack
            .scalar(&format!("authorities.{}.name", authority.country))
            .unwrap_or_else(|| authority.name.to_owned())
    }

    /// The website of a supervisory authority for readers of this language: the pack's
    /// `authorities.<country>.url`, or the authority's own.
    pub(super) fn authority_url(&self, authority: &Authority) -> String {
        self.pack
            .scalar(&format!("authorities.{}.url", authority.country))
            .unwrap_or_else(|| authority.url.to_owned())
    }

    /// A name of the pack ("Contactgegevens") in the middle of a sentence: its first letter
    /// lowercased, unless the pack says `names_in_sentences: as_written` (German nouns keep
    /// their capital: "Daten: Kontaktdaten").
    pub(super) fn in_sentence(&self, name: &str) -> String {
        use super::view::LowercaseFirst;
        if self.pack.scalar("names_in_sentences").as_deref() == Some("as_written") {
            name.to_owned()
        } else {
            name.to_lowercase_first()
        }
    }

    /// The name of a country, or its code where the pack has none (validate has reported it).
    pub(super) fn country_name(&self, code: &Str) -> String {
        self.pack
            .scalar(&format!("countries.{}", code.value))
            .unwrap_or_else(|| code.value.clone())
    }
}

/// `pattern` of a locale pack with each `{name}` replaced by its value, in one pass: a value (a
/// name from site.yaml) that holds `{fields}` is not filled in again.
pub(crate) fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let hit = values.iter().find(|(name, _)| {
            after
                .strip_prefix('{')
                .and_then(|a| a.strip_prefix(name))
                .is_some_and(|a| a.starts_with('}'))
        });
        match hit {
            Some((name, value)) => {
                out.push_str(value);
                rest = &after[name.len() + 2..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An ISO 3166 code in its form (`BE`): one that is not has been reported by decoding.
pub(super) fn well_formed_country(code: &str) -> bool {
    crate::facts::CountryCode::parse(code).is_some()
}

/// The name of `locale` in its own words (`language_name` in its pack), or its code.
pub(super) fn language_name(input: &Input, locale: &str) -> String {
    let name = input
        .locale_packs
        .get(locale)
        .and_then(|(_, pack)| match &pack.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == "language_name")
                .map(|(_, v)| &v.kind),
            _ => None,
        });
    match name {
        Some(Kind::Str(name)) => name.clone(),
        _ => locale.to_owned(),
    }
}

/// The language tag of `locale`'s pages for a company in `country` (`<html lang>`, `hreflang`):
/// the pack's `lang` in the country's variant (`fr-BE`), else its `lang`, else the locale itself.
pub(super) fn language_tag(input: &Input, locale: &str, country: &str) -> String {
    let Some((_, pack)) = input.locale_packs.get(locale) else {
        return locale.to_owned();
    };
    let tag = |node: Option<&Node>| match node.and_then(|n| n.get(LANG)).map(|n| &n.kind) {
        Some(Kind::Str(tag)) if is_language_tag(tag) => Some(tag.clone()),
        _ => None,
    };
    tag(pack.get(VARIANTS).and_then(|v| v.get(country)))
        .or_else(|| tag(Some(pack)))
        .unwrap_or_else(|| locale.to_owned())
}

/// The pack's key for its language tag.
const LANG: &str = "lang";

/// `fr`, `fr-BE`, `de-AT`: letters and dashes only, so a tag cannot break out of an attribute.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn a_language_tag_is_letters_and_dashes() {
        assert!(super::is_language_tag("fr-BE"));
        for not_a_tag in ["", "fr-", "fr\"><script>", "de AT"] {
            assert!(!super::is_language_tag(not_a_tag), "{not_a_tag}");
        }
    }

    #[test]
    fn a_pattern_is_filled_in_one_pass() {
        let filled = fill(
            "{head} ({fields})",
            &[("head", "Cookie {fields}"), ("fields", "x")],
        );
        assert_eq!(filled, "Cookie {fields} (x)");
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
    }
}
