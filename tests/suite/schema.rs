//! schema/site.schema.json, the JSON Schema editors use to complete and check site.yaml, against
//! the example site.yaml and against the decoder that really defines what site.yaml accepts.
//!
//! The decoder is private, so agreement is shown through `polis::run`: a key added to each closed
//! object of the schema must be an `unknown-key` whose hint lists exactly the schema's keys there,
//! and an unknown word in each choice must be an `invalid-value` listing exactly the schema's enum.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polis::diagnostics::Diagnostic;
use serde_json::{Value, json};

mod agree;
mod walk;
use walk::{closed_objects, enum_words, escape, listed, seeded_example, walk};

const SCHEMA: &str = include_str!("../../schema/site.schema.json");

/// A key no decoder knows and no known key is near, so the hint lists every allowed key.
const STRANGER: &str = "zzzzzzzzzzzzzzzzzzzzzzzz";

/// The codes of the decoder's own diagnostics: anything else comes from later stages.
const DECODER_CODES: &[&str] = &[
    "unknown-key",
    "wrong-type",
    "invalid-value",
    "missing-field",
    "unfilled-field",
    "missing-translation",
];

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("schema/site.schema.json is valid JSON")
}

fn example_yaml() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"))
        .expect("read site.yaml")
}

fn to_json(yaml: &str) -> Value {
    serde_saphyr::from_str::<Value>(yaml).expect("site.yaml is YAML")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

/// Every schema error as `instance path: message`.
fn schema_errors(instance: &Value) -> Vec<String> {
    validator()
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// `yaml` with the only occurrence of `from` replaced by `to`.
fn edited(yaml: &str, from: &str, to: &str) -> String {
    assert_eq!(
        yaml.matches(from).count(),
        1,
        "`{from}` should occur exactly once in site.yaml"
    );
    yaml.replacen(from, to, 1)
}

/// Runs the pipeline on a site folder holding only this site.yaml (the content and theme are the
/// ones polis ships). JSON is YAML, so a `Value` can be written as it is.
fn run(site_yaml: &str) -> Vec<Diagnostic> {
    let dir = tempfile::Builder::new()
        .prefix("polis-schema-")
        .tempdir()
        .expect("a temporary folder");
    std::fs::write(dir.path().join("site.yaml"), site_yaml).expect("write site.yaml");
    polis::run(dir.path()).diagnostics
}

fn decoder_diagnostics(site_yaml: &str) -> Vec<Diagnostic> {
    run(site_yaml)
        .into_iter()
        .filter(|d| d.file == "site.yaml" && DECODER_CODES.contains(&d.code.as_str()))
        .collect()
}

fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {} {}:{} {} ({})\n",
                d.code,
                d.line,
                d.column,
                d.message,
                d.hint.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn the_schema_is_a_valid_draft_07_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        json!("http://json-schema.org/draft-07/schema#")
    );
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!(
            "the schema does not follow its meta-schema: {e} at {}",
            e.instance_path()
        );
    }
    validator();
}

#[test]
fn the_example_site_validates() {
    let yaml = example_yaml();
    assert!(
        yaml.starts_with("# yaml-language-server: $schema=schema/site.schema.json"),
        "site.yaml should point editors at the schema"
    );
    let errors = schema_errors(&to_json(&yaml));
    assert!(
        errors.is_empty(),
        "the example site.yaml breaks the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn polis_schema_prints_this_file() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_polis"))
        .arg("schema")
        .output()
        .expect("run polis schema");
    assert!(
        out.status.success(),
        "polis schema failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).expect("UTF-8"), SCHEMA);
}

#[test]
fn every_key_of_the_example_is_in_the_schema() {
    let schema = schema();
    let mut unknown = Vec::new();
    walk(
        &schema,
        String::new(),
        &to_json(&example_yaml()),
        String::new(),
        &mut |_, _, _, _| {},
        &mut unknown,
    );
    assert!(
        unknown.is_empty(),
        "keys of the example site.yaml that the schema does not describe: {unknown:?}"
    );
}

/// Each closed object of the schema (`additionalProperties: false`) has exactly the keys the
/// decoder knows at that place: a stranger key there is an `unknown-key` whose hint lists them.
#[test]
fn closed_objects_have_the_decoders_keys() {
    let schema = schema();
    let site = seeded_example();
    assert!(
        schema_errors(&site).is_empty(),
        "the seeded example breaks the schema:\n{}",
        schema_errors(&site).join("\n")
    );
    let baseline = decoder_diagnostics(&site.to_string());
    assert!(
        baseline.is_empty(),
        "the seeded example breaks the decoder:\n{}",
        describe(&baseline)
    );

    // The first place in the example where each closed object of the schema is used.
    let mut places: BTreeMap<String, String> = BTreeMap::new();
    walk(
        &schema,
        String::new(),
        &site,
        String::new(),
        &mut |loc, s, inst_ptr, inst| {
            if inst.is_object() && s.get("additionalProperties") == Some(&Value::Bool(false)) {
                places
                    .entry(loc.to_owned())
                    .or_insert_with(|| inst_ptr.to_owned());
            }
        },
        &mut Vec::new(),
    );
    let closed = closed_objects(&schema, "");
    assert_eq!(
        places.keys().cloned().collect::<BTreeSet<_>>(),
        closed,
        "every closed object of the schema should be tried"
    );

    for (loc, inst_ptr) in &places {
        let mut broken = site.clone();
        broken
            .pointer_mut(inst_ptr)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(STRANGER.into(), json!("x"));
        let diagnostics = decoder_diagnostics(&broken.to_string());
        let [d] = diagnostics.as_slice() else {
            panic!(
                "a stranger key at `{inst_ptr}` should give one unknown-key; the decoder said:\n{}",
                describe(&diagnostics)
            )
        };
        assert_eq!(
            d.code.as_str(),
            "unknown-key",
            "at `{inst_ptr}`:\n{}",
            describe(&diagnostics)
        );
        let decoder_keys = listed(d, "the keys allowed here are: ");
        let schema_keys: BTreeSet<String> = schema
            .pointer(&format!("{loc}/properties"))
            .and_then(Value::as_object)
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            schema_keys, decoder_keys,
            "the keys of the schema at `{loc}` (site.yaml `{inst_ptr}`) differ from the decoder's"
        );
    }
}

/// Each choice of the schema (`enum`) lists exactly the decoder's words.
#[test]
fn choices_are_the_decoders_choices() {
    let schema = schema();
    let site = seeded_example();
    let mut places: BTreeMap<String, String> = BTreeMap::new();
    walk(
        &schema,
        String::new(),
        &site,
        String::new(),
        &mut |loc, s, inst_ptr, _| {
            if s.get("enum").is_some() {
                places
                    .entry(loc.to_owned())
                    .or_insert_with(|| inst_ptr.to_owned());
            }
        },
        &mut Vec::new(),
    );
    let expected: BTreeSet<&str> = [
        "/properties/purposes/items/properties/basis",
        "/properties/recipients/items/properties/role",
        "/properties/recipients/items/properties/safeguard",
        "/properties/cookies/properties/list/items/properties/party",
        "/properties/cookies/properties/list/items/properties/category",
        "/properties/cookies/properties/consent",
        "/properties/cookies/properties/list/items/properties/type",
        "/properties/recipients/items/properties/region",
        "/properties/security/items/anyOf/0",
        "/properties/waivers/items/properties/rule",
        "/$defs/consent_signals/items",
    ]
    .into();
    assert_eq!(
        places.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        expected
    );

    for (loc, inst_ptr) in &places {
        let words = enum_words(&schema, loc);
        if loc.starts_with("/properties/waivers/") {
            // The decoder takes any rule; the GDPR lint knows the rules.
            assert_eq!(
                words,
                polis::diagnostics::Code::ALL
                    .iter()
                    .filter(|c| c.waivable())
                    .map(|c| c.as_str().to_owned())
                    .collect(),
                "waiver rules"
            );
            continue;
        }
        let mut broken = site.clone();
        *broken.pointer_mut(inst_ptr).expect("the value") = json!(STRANGER);
        let diagnostics = decoder_diagnostics(&broken.to_string());
        let [d] = diagnostics.as_slice() else {
            panic!(
                "an unknown word at `{inst_ptr}` should give one invalid-value; the decoder said:\n{}",
                describe(&diagnostics)
            )
        };
        assert_eq!(
            d.code.as_str(),
            "invalid-value",
            "at `{inst_ptr}`:\n{}",
            describe(&diagnostics)
        );
        assert_eq!(
            listed(d, "the choices are: "),
            words,
            "the choices of the schema at `{loc}` differ from the decoder's"
        );
    }
}

/// The choices of the schema for a legal basis, a safeguard and a cookie category are the lists
/// polis decodes them from.
#[test]
fn the_schemas_choices_are_polis_own_lists() {
    let schema = schema();
    let names = |all: &[&str]| {
        all.iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<String>>()
    };
    let bases: Vec<&str> = polis::model::LegalBasis::ALL
        .iter()
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(
        enum_words(&schema, "/properties/purposes/items/properties/basis"),
        names(&bases)
    );
    let safeguards: Vec<&str> = polis::model::Safeguard::ALL
        .iter()
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(
        enum_words(&schema, "/properties/recipients/items/properties/safeguard"),
        names(&safeguards)
    );
    let categories: Vec<&str> = polis::model::CookieCategory::ALL
        .iter()
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(
        enum_words(
            &schema,
            "/properties/cookies/properties/list/items/properties/category"
        ),
        names(&categories)
    );
}

/// Every property of the schema says what it is for, and every enum word has its explanation.
#[test]
fn every_property_has_a_description() {
    fn check(v: &Value, loc: &str, missing: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    for (k, p) in props {
                        let described = p
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.trim().is_empty());
                        if p.is_object() && !described {
                            missing.push(format!("{loc}/properties/{k}"));
                        }
                    }
                }
                if let (Some(Value::Array(words)), Some(Value::Array(said))) =
                    (m.get("enum"), m.get("enumDescriptions"))
                {
                    assert_eq!(
                        words.len(),
                        said.len(),
                        "{loc}: one enumDescription per enum word"
                    );
                }
                // `if` holds conditions, not properties an editor offers.
                for (k, child) in m.iter().filter(|(k, _)| *k != "if") {
                    check(child, &format!("{loc}/{}", escape(k)), missing);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    check(child, &format!("{loc}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    check(&schema(), "", &mut missing);
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:#?}"
    );
}
