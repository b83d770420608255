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

/// Mistakes the schema must flag, each at its place; the decoder rejects every one of them too.
#[test]
fn broken_sites_are_rejected_by_the_schema_and_the_decoder() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "legal_name: Atelier Lumen",
            "legal_nam: Atelier Lumen",
            "/company",
        ),
        (
            "basis: contract\n",
            "basis: contractt\n",
            "/purposes/0/basis",
        ),
        (
            "period: 5 years",
            "period: 12 maanden",
            "/data/contact/retention/period",
        ),
        (
            "duration: session",
            "duration: until closed",
            "/cookies/list/0/duration",
        ),
        (
            "country: BE                #",
            "country: be                #",
            "/company/address/country",
        ),
        (
            "effective_date: 2026-03-01",
            "effective_date: 2026-02-30",
            "/site/effective_date",
        ),
        (
            "date: 2025-06-15",
            "date: 2025-02-29",
            "/site/changes/1/date",
        ),
        (
            "privacy_email: privacy@lumen.example",
            "privacy_email: privacy@lumen",
            "/company/privacy_email",
        ),
        (
            "website: https://www.lumen.example",
            "website: www.lumen.example",
            "/company/website",
        ),
        (
            "privacy: privacy-policy",
            "privacy: Privacy_Policy",
            "/site/slugs/en/privacy",
        ),
        ("appointed: true", "appointed: false", "/dpo"),
        (
            "category: marketing",
            "category: advertising",
            "/cookies/list/5/category",
        ),
        (
            "safeguard: data_privacy_framework",
            "safeguard: privacy_shield",
            "/recipients/2/safeguard",
        ),
        (
            "response_time: 1 month",
            "response_time: a month",
            "/rights/response_time",
        ),
        (
            "response_time: 1 month",
            "response_time: 9999999999 months",
            "/rights/response_time",
        ),
        (
            "number: +32 9 123 45 67",
            "number: call us",
            "/company/phones/0",
        ),
        (
            "city: { nl: Gent, en: Ghent }",
            "city: {}",
            "/company/address/city",
        ),
        (
            "locales: [nl, en]",
            "locales: [nl, english]",
            "/site/locales/1",
        ),
        ("terms_of_sale:", "Terms of sale:", "/documents"),
    ];
    let yaml = example_yaml();
    for (from, to, at) in cases {
        let broken = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&broken));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{at}: ")) || e.starts_with(&format!("{at}/"))),
            "`{to}`: the schema should report a problem at {at}; it reported:\n{}",
            errors.join("\n")
        );
        let decoded = decoder_diagnostics(&broken);
        assert!(
            !decoded.is_empty(),
            "`{to}`: the schema rejects it but the decoder accepts it"
        );
    }
}

/// What the texts need and `check` asks for at an item, the schema requires there too (with if/then
/// where it depends on another value), so an editor flags it while the user types.
#[test]
fn the_schema_requires_what_check_asks_for() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "    interest: { nl: niet leveren aan bedrijven die hun facturen niet kunnen betalen, en: not delivering to businesses that cannot pay their invoices }\n",
            "",
            "/purposes/2",
            "gdpr-legitimate-interest",
        ),
        (
            "    safeguard: data_privacy_framework\n",
            "",
            "/recipients/2",
            "gdpr-transfer-safeguard",
        ),
        (
            "    retention: { period: 3 years, from: { nl: ons laatste contact, en: our last contact } }\n",
            "",
            "/data/correspondence",
            "gdpr-retention",
        ),
        (
            "      duration: 13 months\n",
            "",
            "/cookies/list/3",
            "gdpr-cookie-incomplete",
        ),
        (
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }\n",
            "",
            "/cookies",
            "gdpr-cookie-settings",
        ),
        (
            "    basis: legal_obligation\n",
            "",
            "/purposes/1",
            "gdpr-legal-basis",
        ),
        (
            "  contact:\n    sources: [person]\n",
            "  contact:\n",
            "/data/contact",
            "gdpr-source",
        ),
    ];
    let yaml = example_yaml();
    for (from, to, at, code) in cases {
        let broken = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&broken));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{at}: ")) && e.contains("is a required property")),
            "without `{}`: the schema should require it at {at}; it reported:\n{}",
            from.trim(),
            errors.join("\n")
        );
        let codes: Vec<String> = run(&broken)
            .iter()
            .map(|d| d.code.as_str().to_owned())
            .collect();
        assert_eq!(codes, [*code], "without `{}`", from.trim());
    }
    // A recipient in the EEA, and a site whose cookies are all necessary, need neither.
    let eea = edited(
        &edited(&yaml, "    safeguard: data_privacy_framework\n", ""),
        "    country: US\n",
        "    country: IE\n",
    );
    assert!(schema_errors(&to_json(&eea)).is_empty());
}

/// Forms the decoder accepts that the example does not use: the schema accepts them too.
#[test]
fn other_accepted_forms_pass_the_schema() {
    let dpo = "  appointed: true\n  names: [Sofie Claes, Jonas Peeters]\n  email: dpo@lumen.example\n  phone: +32 9 123 45 99\n";
    let cases: &[(&str, &str)] = &[
        (
            dpo,
            "  appointed: false\n  contact: { nl: onze zaakvoerder, en: our managing director }\n",
        ),
        ("names: [Sofie Claes, Jonas Peeters]", "names: Sofie Claes"),
        (
            "retention: { period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }",
            "retention: { rule: { nl: tot je je uitschrijft, en: until you unsubscribe } }",
        ),
        (
            "- label: { nl: Winkel, en: Shop }\n      number: +32 9 765 43 21",
            "- +32 9 765 43 21",
        ),
        ("  person: {}\n", "  person:\n"),
        (
            "sources: [person]\n    retention: { period: 3 years",
            "sources: person\n    retention: { period: 3 years",
        ),
        ("postal_code: \"9000\"", "postal_code: 9000"),
        ("duration: 30 minutes", "duration: 1 hour"),
        (
            "rights:\n",
            "authority:\n  name: Gegevensbeschermingsautoriteit\n  url: { nl: https://www.gegevensbeschermingsautoriteit.be, en: https://www.dataprotectionauthority.be }\n  \
             email: contact@apd-gba.be\nwaivers:\n  - rule: gdpr-vague-language\n    at: nl\n    reason: legal wording\nrights:\n",
        ),
    ];
    let yaml = example_yaml();
    for (from, to) in cases {
        let variant = edited(&yaml, from, to);
        let errors = schema_errors(&to_json(&variant));
        assert!(
            errors.is_empty(),
            "`{to}` should pass the schema:\n{}",
            errors.join("\n")
        );
        let decoded = decoder_diagnostics(&variant);
        assert!(
            decoded.is_empty(),
            "`{to}` should pass the decoder:\n{}",
            describe(&decoded)
        );
    }
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

/// The example with the optional sections it leaves out (authority, waivers), so that every part of
/// the schema has a place in it.
fn seeded_example() -> Value {
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
fn enum_words(schema: &Value, loc: &str) -> BTreeSet<String> {
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
fn listed(d: &Diagnostic, prefix: &str) -> BTreeSet<String> {
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
fn closed_objects(v: &Value, loc: &str) -> BTreeSet<String> {
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

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `loc` with its `$ref`s followed.
fn resolve(schema: &Value, mut loc: String) -> (String, &Value) {
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

fn type_of(v: &Value) -> &'static str {
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
fn admits(s: &Value, inst: &Value) -> bool {
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
fn walk(
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
