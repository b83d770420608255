//! `polis export json`: the facts of site.yaml for another program — a consent banner, an app,
//! another generator — as one JSON document, `facts.json`, described by
//! schema/export.schema.json (`polis schema --export`) and docs/export.md.
//!
//! It is the decoded model (`model::Site`, without the positions only diagnostics need), with
//! every text a reader sees given in every language, and `"format"` first: the version of this
//! shape, raised when a field changes meaning or goes away (a new field does not raise it).

use serde_json::{Map, Value};

use super::{ExportError, Files};
use crate::model::Site;

/// The version of the document's shape (`"format"`).
pub const FORMAT_VERSION: u32 = 1;

/// `facts.json`.
pub(super) fn facts(site: &Site) -> Result<Files, ExportError> {
    let mut value = serde_json::to_value(site).map_err(ExportError::Json)?;
    let locales: Vec<String> = site
        .settings
        .locales
        .iter()
        .map(|l| l.value.clone())
        .collect();
    every_language(&mut value, &locales);
    let Value::Object(fields) = value else {
        unreachable!("a Site serializes as a JSON object")
    };
    let mut document = Map::new();
    document.insert("format".into(), FORMAT_VERSION.into());
    document.extend(fields);
    let mut text =
        serde_json::to_string_pretty(&Value::Object(document)).map_err(ExportError::Json)?;
    text.push('\n');
    Ok(Files::from([("facts.json".to_owned(), text.into_bytes())]))
}

/// Writes each text that is the same in every language (`{"*": "Lumen"}`) out for each of them.
fn every_language(value: &mut Value, locales: &[String]) {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(text) = map.get("*").cloned()
            {
                map.clear();
                for l in locales {
                    map.insert(l.clone(), text.clone());
                }
                return;
            }
            for v in map.values_mut() {
                every_language(v, locales);
            }
        }
        Value::Array(items) => {
            for v in items {
                every_language(v, locales);
            }
        }
        _ => {}
    }
}
