//! `polis export`: each format written for every page and language of the example, values kept
//! data in each, the same bytes on every run (the register in register.rs, Hugo's build of the
//! Markdown in hugo.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::register::workbook;
use crate::support::{TestSite, example, example_with, polis_command, replace};
use serde_json::Value;

/// `polis export FORMAT --output DIR` in the site folder; the folder's files.
pub(crate) fn export(site: &TestSite, format: &str, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let output = run_export(site, format, out);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files = BTreeMap::new();
    collect(out, "", &mut files);
    files
}

pub(crate) fn run_export(site: &TestSite, format: &str, out: &Path) -> Output {
    polis_command(site.root())
        .args(["export", format, "--output"])
        .arg(out)
        .output()
        .expect("run polis export")
}

fn collect(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            collect(&entry.path(), &format!("{name}/"), files);
        } else {
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
}

pub(crate) fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {:?}", files.keys()))
            .clone(),
    )
    .unwrap()
}

pub(crate) fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("polis-export-")
        .tempdir()
        .unwrap();
    let out = dir.path().join("out");
    (dir, out)
}

/// The example with a value that would be markup, a formula or a heading if it were not data.
fn hostile() -> TestSite {
    example_with(|yaml| {
        replace(
            yaml,
            "  trade_name: Lumen\n",
            "  trade_name: \"<script>alert(1)</script> *Lumen*\"\n",
        );
        replace(
            yaml,
            "    data: [contact, billing, correspondence]\n    subjects: { nl: klanten, en: customers }\n",
            "    data: [contact, billing, correspondence]\n    subjects: { nl: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\", en: \"customers\\n## Injected heading\" }\n",
        );
    })
}

#[test]
fn markdown_has_front_matter_and_relative_links_for_every_page_and_language() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "markdown", &out);
    let pages: Vec<&String> = files.keys().filter(|k| !k.starts_with('.')).collect();
    assert_eq!(
        pages,
        ["cookies.en.md", "cookies.md", "privacy.en.md", "privacy.md"]
    );
    let nl = text(&files, "privacy.md");
    assert!(
        nl.starts_with("+++\ntitle = \"Privacyverklaring\"\ndescription = \""),
        "{nl}"
    );
    for line in [
        "effective_date = 2026-03-01\n",
        "slug = \"privacyverklaring\"\n",
        "lang = \"nl\"\n",
        "url = \"https://www.lumen.example/nl/privacyverklaring/\"\n",
        "translations = [{ lang = \"en\", url = \"https://www.lumen.example/en/privacy-policy/\" }]\n",
    ] {
        assert!(nl.contains(line), "{line}");
    }
    assert!(
        !nl.lines().any(|l| l.starts_with("date")),
        "no date that Hugo would hold back until the policy takes effect"
    );
    assert!(
        nl.contains("## Wie we zijn {#who-we-are}\n"),
        "heading ids as Hugo and Zola read them"
    );
    assert!(
        nl.contains("](#object)") && nl.contains("](../cookiebeleid/)"),
        "an anchor in the page is the anchor alone, the other page is beside it"
    );
    let cookies = text(&files, "cookies.en.md");
    assert!(!cookies.contains("](@"), "every named link resolved");
    assert!(
        cookies.contains("](../privacy-policy/#recipients)"),
        "links to the other page are relative"
    );
}

#[test]
fn fragments_are_the_text_without_layout() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "fragment", &out);
    let pages: Vec<&String> = files.keys().filter(|k| !k.starts_with('.')).collect();
    assert_eq!(
        pages,
        [
            "en/cookies.html",
            "en/privacy.html",
            "nl/cookies.html",
            "nl/privacy.html"
        ]
    );
    let html = text(&files, "nl/privacy.html");
    assert!(html.starts_with(
        "<article class=\"polis-policy polis-privacy\" lang=\"nl\" data-polis-page=\"privacy\">\n<h1>Privacyverklaring</h1>\n"
    ));
    assert!(html.ends_with("</article>\n"));
    for layout in [
        "<html", "<head", "<body", "<nav", "<footer", "<script", "<link",
    ] {
        assert!(!html.contains(layout), "{layout}");
    }
    assert!(html.contains("<h2 id=\"who-we-are\">") && html.contains("class=\"table-scroll\""));
    assert!(
        html.contains("href=\"https://www.lumen.example/nl/cookiebeleid/\""),
        "absolute links"
    );
}

#[test]
fn fragment_ids_and_the_links_to_them_take_the_id_prefix() {
    let site = example();
    let (_dir, out) = out_dir();
    let output = polis_command(site.root())
        .args(["export", "fragment", "--id-prefix", "policy-", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(out.join("nl/privacy.html")).unwrap();
    assert!(html.contains("<h2 id=\"policy-who-we-are\">"), "{html}");
    assert!(
        html.contains("href=\"#policy-object\""),
        "a link within the page"
    );
    assert!(!html.contains(" id=\"who-we-are\""));
    let cookies = std::fs::read_to_string(out.join("nl/cookies.html")).unwrap();
    assert!(
        cookies
            .contains("href=\"https://www.lumen.example/nl/privacyverklaring/#policy-recipients\""),
        "a link to the other fragment's heading"
    );

    for (args, says) in [
        (
            ["export", "fragment", "--id-prefix", "1\"><script>"],
            "a letter, then letters, digits",
        ),
        (
            ["export", "markdown", "--id-prefix", "policy-"],
            "--id-prefix is for `polis export fragment`",
        ),
    ] {
        let output = polis_command(site.root()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[test]
fn json_holds_every_text_in_every_language_and_the_urls_of_the_pages() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "json", &out);
    let facts: Value = serde_json::from_slice(&files["facts.json"]).unwrap();
    assert_eq!(facts["format"], 2);
    assert_eq!(
        facts["company"]["legal_name"],
        serde_json::json!({ "nl": "Atelier Lumen", "en": "Atelier Lumen" })
    );
    assert_eq!(
        facts["company"]["address"]["city"],
        serde_json::json!({ "nl": "Gent", "en": "Ghent" })
    );
    let names: Vec<&str> = facts["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"]["en"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Combell",
            "Matomo (InnoCraft)",
            "Mailchimp (Intuit Inc.)",
            "Stripe Payments Europe",
            "Exact",
            "Our accountant",
            "Courier services"
        ]
    );
    assert_eq!(
        facts["recipients"][2]["safeguard"],
        "data_privacy_framework"
    );
    assert_eq!(
        facts["cookies"]["list"][3]["duration"],
        serde_json::json!({ "count": 13, "unit": "month" })
    );
    assert_eq!(facts["dpo"]["appointed"], true);

    // What polis words itself is there in every language, as the pages say it.
    assert_eq!(
        facts["data"][0]["name"],
        serde_json::json!({ "nl": "Contactgegevens", "en": "Contact details" }),
        "a data category polis knows"
    );
    assert_eq!(facts["sources"][0]["name"]["en"], "You");
    assert_eq!(facts["security"][0]["key"], "access_control");
    assert_eq!(
        facts["security"][0]["text"]["en"],
        "give access to your data only to staff who need it for their work"
    );
    let categories = facts["cookies"]["categories"].as_array().unwrap();
    let keys: Vec<&str> = categories
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["necessary", "preferences", "statistics", "marketing"]
    );
    assert_eq!(categories[2]["name"]["nl"], "Statistische cookies");
    assert_eq!(categories[0]["needs_consent"], false);
    assert_eq!(categories[3]["needs_consent"], true);
    // What a banner needs besides: where it keeps the choice, and what each consent grants.
    assert_eq!(facts["cookies"]["consent_cookie"], "lumen_consent");
    assert_eq!(
        facts["cookies"]["consent_mode"],
        serde_json::json!({
            "preferences": ["functionality_storage", "personalization_storage"],
            "statistics": ["analytics_storage"],
            "marketing": ["ad_storage", "ad_user_data", "ad_personalization"]
        })
    );
    assert_eq!(
        facts["pages"],
        serde_json::json!({
            "privacy": {
                "nl": "https://www.lumen.example/nl/privacyverklaring/",
                "en": "https://www.lumen.example/en/privacy-policy/"
            },
            "cookies": {
                "nl": "https://www.lumen.example/nl/cookiebeleid/",
                "en": "https://www.lumen.example/en/cookie-policy/"
            }
        })
    );

    assert_in_export_schema(&facts);
}

/// The document is what its schema, which `polis schema --export` prints, says.
fn assert_in_export_schema(facts: &Value) {
    let schema: Value = serde_json::from_str(polis::EXPORT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(facts)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let printed = polis_command(Path::new("."))
        .args(["schema", "--export"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap(),
        polis::EXPORT_SCHEMA
    );
}

#[test]
fn a_site_with_errors_exports_nothing() {
    let site = example_with(|yaml| {
        replace(
            yaml,
            "  legal_name: Atelier Lumen\n",
            "  legal_name: \"[fill in: the name]\"\n",
        )
    });
    let (_dir, out) = out_dir();
    for format in ["markdown", "fragment", "json", "register", "consent"] {
        let output = run_export(&site, format, &out);
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("unfilled-field"),
            "{format}: the problem is named"
        );
        assert!(!out.exists(), "{format}: nothing written");
    }
}

#[test]
fn values_stay_data_in_every_format() {
    let site = hostile();
    let (_dir, out) = out_dir();
    for format in ["markdown", "fragment", "register"] {
        let files = export(&site, format, &out.join(format));
        // (A CSV cell is text to a spreadsheet: `<script>` is no markup there; formulas are, below.)
        for (name, bytes) in files.iter().filter(|(name, _)| !name.ends_with(".csv")) {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("<script>"),
                "{format}/{name} has the tag as markup"
            );
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("## Injected")),
                "{format}/{name} has the heading as markup"
            );
        }
    }
    let markdown = text(
        &export(&site, "markdown", &out.join("markdown")),
        "privacy.md",
    );
    assert!(
        markdown.contains("\\<script\\>alert\\(1\\)\\</script\\> \\*Lumen\\*"),
        "escaped as on the pages"
    );
    let fragment = text(
        &export(&site, "fragment", &out.join("fragment")),
        "nl/privacy.html",
    );
    assert!(fragment.contains("&lt;script&gt;alert(1)&lt;/script&gt; *Lumen*"));

    let files = export(&site, "register", &out.join("register"));
    for (name, separator) in [("nl/register.csv", b';'), ("en/register.csv", b',')] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(separator)
            .from_reader(&files[name][..]);
        for row in reader.records() {
            for cell in row.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "{name}: a spreadsheet would run `{cell}`"
                );
            }
        }
    }
    let nl = text(&files, "nl/register.csv");
    assert!(
        nl.contains("'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")"),
        "kept as text, quoted: {nl}"
    );
    let en = text(&files, "en/register.csv");
    assert!(
        en.contains("\"customers\n## Injected heading\""),
        "a line break stays inside its quoted cell"
    );
    let (cells, formulas) = workbook(&files["nl/register.xlsx"]);
    assert_eq!(formulas, 0, "a value is never a formula in the workbook");
    assert!(
        cells
            .iter()
            .any(|r| r[4] == "=HYPERLINK(\"https://evil.example\",\"x\")"),
        "the value kept as text, as it is"
    );

    let files = export(&site, "json", &out.join("json"));
    let facts: Value = serde_json::from_slice(&files["facts.json"]).unwrap();
    assert_eq!(
        facts["company"]["trade_name"]["nl"], "<script>alert(1)</script> *Lumen*",
        "JSON keeps the value as it is"
    );
    assert_eq!(
        facts["purposes"][0]["subjects"]["en"],
        "customers\n## Injected heading"
    );
}

#[test]
fn two_exports_are_byte_identical() {
    let site = example();
    let (_dir, out) = out_dir();
    for format in ["markdown", "fragment", "json", "register", "consent"] {
        let first = export(&site, format, &out.join(format).join("1"));
        let second = export(&site, format, &out.join(format).join("2"));
        assert_eq!(first, second, "{format}");
    }
}

#[test]
fn the_default_folder_is_export_format_in_the_site_folder() {
    let site = example();
    let output = site.polis(&["export", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(site.path("export/json/facts.json").is_file());
}
