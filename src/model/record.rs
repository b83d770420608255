//! The model as JSON: the facts an archived version records (docs/archive.md, format 1).
//!
//! Positions are left out: they say where site.yaml wrote a value, not what the policies state. An
//! optional value site.yaml leaves out is absent, not null, so that a later polis which knows more
//! fields writes the same JSON for a site that does not use them. Values are written as site.yaml
//! writes them (a period as "12 months", a legal basis by its key), never in the words of a
//! language, so that the facts do not change when a locale pack does.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
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
    put("rights", to_value(&site.rights));
    if let Some(authority) = &site.authority {
        put("authority", to_value(authority));
    }
    put("cookies", to_value(&site.cookies));
    put("documents", to_value(&site.documents));
    put("email_about_changes", Value::Bool(site.settings.email_about_changes));
    Value::Object(facts)
}

/// The model's types serialize without failing: strings, numbers, lists and maps with string keys.
fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// One string when the text is the same in every language, else a map by locale.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.values.as_slice() {
            [(locale, text)] if locale == "*" => serializer.serialize_str(text),
            values => {
                let mut map = serializer.serialize_map(Some(values.len()))?;
                for (locale, text) in values {
                    map.serialize_entry(locale, text)?;
                }
                map.end()
            }
        }
    }
}

/// `"2026-03-01"`.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// `"12 months"`, `"session"`.
impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `{"appointed": true, "names", "email", "phone"?}` or `{"appointed": false, "contact"}`.
impl Serialize for Dpo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Dpo::Appointed { names, email, phone } => {
                map.serialize_entry("appointed", &true)?;
                map.serialize_entry("names", names)?;
                map.serialize_entry("email", email)?;
                if let Some(phone) = phone {
                    map.serialize_entry("phone", phone)?;
                }
            }
            Dpo::NotAppointed { contact } => {
                map.serialize_entry("appointed", &false)?;
                map.serialize_entry("contact", contact)?;
            }
            Dpo::Unspecified => {}
        }
        map.end()
    }
}

/// `{"period": "5 years", "from": text}` or `{"rule": text}`.
impl Serialize for Retention {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Retention::Period { period, from, .. } => {
                map.serialize_entry("period", period)?;
                map.serialize_entry("from", from)?;
            }
            Retention::Rule(rule) => map.serialize_entry("rule", rule)?,
        }
        map.end()
    }
}

/// `"none"`, or the list of decisions.
impl Serialize for AutomatedDecisions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AutomatedDecisions::Some(list) => list.serialize(serializer),
            AutomatedDecisions::None | AutomatedDecisions::Unspecified => serializer.serialize_str("none"),
        }
    }
}

/// A known measure by its key (`"backups"`); the site's own words as a text by locale.
impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Measure::Known(key) => key.serialize(serializer),
            Measure::Own(text) => text.serialize(serializer),
        }
    }
}

/// `{"response_time": "1 month"}`: the time the policies state, one month when site.yaml gives none.
impl Serialize for Rights {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        let response = self.response_time.map_or(Period::Span(1, Unit::Month), |(p, _)| p);
        map.serialize_entry("response_time", &response)?;
        map.end()
    }
}

/// A recipient's safeguard by its key, without where site.yaml writes it.
pub(super) fn safeguard<S: Serializer>(safeguard: &Option<(Safeguard, Pos)>, serializer: S) -> Result<S::Ok, S::Error> {
    match safeguard {
        Some((s, _)) => s.serialize(serializer),
        None => serializer.serialize_none(),
    }
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
        assert_eq!(Period::parse("3 Days ", false), Some(Period::Span(3, Unit::Day)));
        assert_eq!(Period::parse("session", false), None);
        assert_eq!(Period::parse("0 days", false), None);
    }

    #[test]
    fn dates_are_days_of_the_calendar() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.iso()).as_deref(), Some("2024-02-29"));
        for wrong in ["2025-02-29", "2026-13-01", "2026-3-01", "+202-03-01", "2026-03-01x"] {
            assert_eq!(Date::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn texts_are_one_string_or_one_per_locale() {
        let same = Text { values: vec![("*".into(), "Lumen".into())], pos: Pos::default() };
        let each = Text { values: vec![("nl".into(), "Gent".into()), ("en".into(), "Ghent".into())], pos: Pos::default() };
        assert_eq!(to_value(&same), serde_json::json!("Lumen"));
        assert_eq!(to_value(&each), serde_json::json!({ "nl": "Gent", "en": "Ghent" }));
    }
}
