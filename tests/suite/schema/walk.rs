//! The schema walked alongside a site.yaml: which part of the schema describes each value, its
//! `$ref`s followed and its `anyOf` branches chosen by type, and the example seeded with the
//! optional sections it leaves out, so that every part of the schema has a place in it.

use super::*;

/// The example with the optional sections it leaves out (authority, waivers), so that every part of
/// the schema has a place in it.
pub(super) fn seeded_example() -> Value {
    let mut site = to_json(&example_yaml());
    let top = site.as_object_mut().expect("a mapping");
    top.insert(
        "authority".into(),
        json!({
            "name": "Gegevensbeschermingsautoriteit",
            "url": "https://www.gegevensbeschermingsautoriteit.be",
            "address": "Drukpersstraat 35, 1000 Brussel",
            "email": "contact@apd-gba.be"
        }),
    );
    top.insert(
        "waivers".into(),
        json!([{ "rule": "gdpr-vague-language", "at": "nl", "reason": "legal wording" }]),
    );
    top.insert(
        "scan".into(),
        json!({ "accept": "#banner .accept", "reject": "#banner .reject" }),
    );
    top.insert(
        "automated_decisions".into(),
        json!([{
            "decision": { "nl": "of je op factuur mag betalen", "en": "whether you can pay by invoice" },
            "logic": { "nl": "je betaalgeschiedenis bij ons", "en": "your payment history with us" },
            "consequences": { "nl": "anders betaal je vooraf", "en": "otherwise you pay in advance" },
            "profiling": true
        }]),
    );
    top.get_mut("security")
        .and_then(Value::as_array_mut)
        .expect("security")
        .push(json!({ "nl": "laten jaarlijks een audit doen", "en": "have a yearly audit" }));
    let first_cookie = site
        .pointer_mut("/cookies/list/0")
        .and_then(Value::as_object_mut)
        .expect("a cookie");
    first_cookie.insert("type".into(), json!("local_storage"));
    let company = site
        .pointer_mut("/company")
        .and_then(Value::as_object_mut)
        .expect("the company");
    company.insert(
        "marketing_preferences_url".into(),
        json!("https://www.lumen.example/voorkeuren"),
    );
    let rights = site
        .pointer_mut("/rights")
        .and_then(Value::as_object_mut)
        .expect("rights");
    rights.insert(
        "limits".into(),
        json!({ "nl": "geen inzage tijdens een fraudeonderzoek", "en": "no access during a fraud investigation" }),
    );
    site
}

/// The words of the `enum` at `loc`.
pub(super) fn enum_words(schema: &Value, loc: &str) -> BTreeSet<String> {
    let words = schema
        .pointer(&format!("{loc}/enum"))
        .and_then(Value::as_array)
        .expect("an enum");
    words
        .iter()
        .map(|w| w.as_str().expect("a word").to_owned())
        .collect()
}

/// The comma-separated list after `prefix` in the diagnostic's hint.
pub(super) fn listed(d: &Diagnostic, prefix: &str) -> BTreeSet<String> {
    let hint = d.hint.as_deref().unwrap_or_default();
    let Some(at) = hint.find(prefix) else {
        panic!(
            "the hint of `{}` should list the choices after `{prefix}`: {hint}",
            d.message
        )
    };
    hint[at + prefix.len()..]
        .split(", ")
        .map(str::to_owned)
        .collect()
}

/// The JSON pointers of every object in the schema with `additionalProperties: false`.
pub(super) fn closed_objects(v: &Value, loc: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match v {
        Value::Object(m) => {
            if m.get("additionalProperties") == Some(&Value::Bool(false)) {
                out.insert(loc.to_owned());
            }
            for (k, child) in m {
                out.extend(closed_objects(child, &format!("{loc}/{}", escape(k))));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                out.extend(closed_objects(child, &format!("{loc}/{i}")));
            }
        }
        _ => {}
    }
    out
}

pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `loc` with its `$ref`s followed.
pub(super) fn resolve(schema: &Value, mut loc: String) -> (String, &Value) {
    loop {
        let s = schema
            .pointer(&loc)
            .unwrap_or_else(|| panic!("no schema at `{loc}`"));
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                loc = r
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("`{r}` is not a local reference"))
                    .to_owned()
            }
            None => return (loc, s),
        }
    }
}

pub(super) fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether the schema's `type` admits the instance (no `type` admits all).
pub(super) fn admits(s: &Value, inst: &Value) -> bool {
    let t = type_of(inst);
    let ok = |name: &str| name == t || (name == "number" && t == "integer");
    match s.get("type") {
        None => true,
        Some(Value::String(name)) => ok(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(ok),
        Some(_) => false,
    }
}

/// Walks the instance alongside the schema, calling `visit(schema location, schema, instance
/// pointer, instance)` at every pair; keys the schema does not describe go to `unknown`. In an
/// `anyOf`, the branches whose `type` admits the instance are followed.
pub(super) fn walk(
    schema: &Value,
    loc: String,
    inst: &Value,
    inst_ptr: String,
    visit: &mut dyn FnMut(&str, &Value, &str, &Value),
    unknown: &mut Vec<String>,
) {
    let (loc, s) = resolve(schema, loc);
    if let Some(Value::Array(branches)) = s.get("anyOf").or_else(|| s.get("oneOf")) {
        let key = if s.get("anyOf").is_some() {
            "anyOf"
        } else {
            "oneOf"
        };
        for i in 0..branches.len() {
            let (bloc, b) = resolve(schema, format!("{loc}/{key}/{i}"));
            if admits(b, inst) {
                walk(schema, bloc, inst, inst_ptr.clone(), visit, unknown);
            }
        }
        return;
    }
    visit(&loc, s, &inst_ptr, inst);
    match inst {
        Value::Object(m) => {
            for (k, v) in m {
                let child = format!("{inst_ptr}/{}", escape(k));
                if s.get("properties").and_then(|p| p.get(k)).is_some() {
                    walk(
                        schema,
                        format!("{loc}/properties/{}", escape(k)),
                        v,
                        child,
                        visit,
                        unknown,
                    );
                } else if s.get("additionalProperties").is_some_and(Value::is_object) {
                    walk(
                        schema,
                        format!("{loc}/additionalProperties"),
                        v,
                        child,
                        visit,
                        unknown,
                    );
                } else {
                    unknown.push(child);
                }
            }
        }
        Value::Array(items) if s.get("items").is_some() => {
            for (i, v) in items.iter().enumerate() {
                walk(
                    schema,
                    format!("{loc}/items"),
                    v,
                    format!("{inst_ptr}/{i}"),
                    visit,
                    unknown,
                );
            }
        }
        _ => {}
    }
}
