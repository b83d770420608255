//! The model as JSON: the facts an archived version records (docs/archive.md, format 1).
//!
//! Positions are left out: they say where site.yaml wrote a value, not what the policies state. An
//! optional value site.yaml leaves out is absent, not null, so that a later polis which knows more
//! fields writes the same JSON for a site that does not use them. Values are written as site.yaml
//! writes them (a period as "12 months", a legal basis by its key), never in the words of a
//! language, so that the facts do not change when a locale pack does. The model's own `Serialize`
//! writes this shape ([`Shape::Archive`]); nothing here rewrites what it wrote.

use serde::Serialize;
use serde_json::{Map, Value};

use super::*;

/// The facts of `site`: what the policies state, section by section (docs/archive.md). The site's
/// settings (where to build, which theme) and its waivers are not facts of the policies; whether
/// people are told of changes by e-mail is.
pub fn facts(site: &Site) -> Value {
    let mut facts = Map::new();
    let mut put = |key: &str, value: Value| {
        facts.insert(key.to_owned(), value);
    };
    put("company", to_value(&site.company));
    if !matches!(site.dpo, Dpo::Unspecified) {
        put("dpo", to_value(&site.dpo));
    }
    put("sources", to_value(&site.sources));
    put("data", to_value(&site.data));
    put("purposes", to_value(&site.purposes));
    put("recipients", to_value(&site.recipients));
    if !matches!(site.automated_decisions, AutomatedDecisions::Unspecified) {
        put("automated_decisions", to_value(&site.automated_decisions));
    }
    put("security", to_value(&site.security));
    let mut rights = to_value(&site.rights);
    if let Value::Object(map) = &mut rights {
        // The time the policies state: one month when site.yaml gives none (GDPR Art. 12(3)).
        map.entry("response_time")
            .or_insert_with(|| Value::String("1 month".into()));
    }
    put("rights", rights);
    if let Some(authority) = &site.authority {
        put("authority", to_value(authority));
    }
    put("cookies", to_value(&site.cookies));
    put("documents", to_value(&site.documents));
    put(
        "email_about_changes",
        Value::Bool(site.settings.email_about_changes),
    );
    Value::Object(facts)
}

/// The model's types serialize without failing (strings, numbers, lists and maps with string
/// keys), in the archive's shape (src/model/serialize.rs): a text the same in every language as
/// one string, a period as "12 months", and what site.yaml leaves out absent rather than null.
fn to_value(value: &impl Serialize) -> Value {
    in_shape(Shape::Archive, || {
        serde_json::to_value(value).unwrap_or(Value::Null)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_written_as_site_yaml_writes_them() {
        for written in ["session", "1 month", "12 months", "30 minutes", "5 years"] {
            let period = Period::parse(written, true).unwrap();
            assert_eq!(period.to_string(), written);
        }
        assert_eq!(
            Period::parse("3 Days ", false),
            Some(Period::Span(3, Unit::Day))
        );
        assert_eq!(Period::parse("session", false), None);
        assert_eq!(Period::parse("0 days", false), None);
    }

    #[test]
    fn dates_are_days_of_the_calendar() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.iso()).as_deref(),
            Some("2024-02-29")
        );
        for wrong in [
            "2025-02-29",
            "2026-13-01",
            "2026-3-01",
            "+202-03-01",
            "2026-03-01x",
        ] {
            assert_eq!(Date::parse(wrong), None, "{wrong}");
        }
    }

    /// `value` as `polis export json` writes it for a site in `locales`.
    fn exported(value: &impl Serialize, locales: &[&str]) -> Value {
        let locales = locales.iter().map(|l| l.to_string()).collect();
        in_shape(Shape::Export(locales), || {
            serde_json::to_value(value).unwrap()
        })
    }

    #[test]
    fn texts_are_one_string_or_one_per_locale() {
        let str = |value: &str| Str {
            value: value.into(),
            ..Str::default()
        };
        let same = Text::same(str("Lumen"));
        let each = Text {
            text: Localized::PerLocale(vec![
                ("nl".into(), str("Gent")),
                ("en".into(), str("Ghent")),
            ]),
            pos: Pos::default(),
        };
        assert_eq!(to_value(&same), serde_json::json!("Lumen"));
        assert_eq!(
            to_value(&each),
            serde_json::json!({ "nl": "Gent", "en": "Ghent" })
        );
        assert_eq!(
            exported(&same, &["nl", "en"]),
            serde_json::json!({ "nl": "Lumen", "en": "Lumen" })
        );
        assert_eq!(
            exported(&each, &["nl", "en"]),
            serde_json::json!({ "nl": "Gent", "en": "Ghent" })
        );
    }

    /// A period is written as site.yaml writes it in the archive, and by its number and unit in
    /// the export; an optional value site.yaml leaves out is absent in the archive and `null` in
    /// the export.
    #[test]
    fn periods_and_absent_values_take_the_shape_of_their_document() {
        let cookie = Cookie {
            duration: Some(Period::Span(13, Unit::Month)),
            ..Cookie::default()
        };
        let archived = to_value(&cookie);
        assert_eq!(archived["duration"], serde_json::json!("13 months"));
        assert_eq!(archived.get("provider"), None);
        let exported = exported(&cookie, &["nl"]);
        assert_eq!(
            exported["duration"],
            serde_json::json!({ "count": 13, "unit": "month" })
        );
        assert_eq!(exported.get("provider"), Some(&Value::Null));
    }
}
