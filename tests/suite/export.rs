//! `polis export`: each format written for every page and language of the example, values kept
//! data in each, the same bytes on every run, and the Markdown built by Hugo when it is installed.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::machine::{Need, skip};
use crate::support::{TestSite, example, example_with, polis_command, replace};
use serde_json::Value;

/// `polis export FORMAT --output DIR` in the site folder; the folder's files.
fn export(site: &TestSite, format: &str, out: &Path) -> BTreeMap<String, Vec<u8>> {
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

fn run_export(site: &TestSite, format: &str, out: &Path) -> Output {
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

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {:?}", files.keys()))
            .clone(),
    )
    .unwrap()
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
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
fn markdown_has_front_matter_and_absolute_links_for_every_page_and_language() {
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
        "date = 2026-03-01\n",
        "slug = \"privacyverklaring\"\n",
        "lang = \"nl\"\n",
        "url = \"https://www.lumen.example/nl/privacyverklaring/\"\n",
        "translations = [{ lang = \"en\", url = \"https://www.lumen.example/en/privacy-policy/\" }]\n",
    ] {
        assert!(nl.contains(line), "{line}");
    }
    assert!(
        nl.contains("## Wie we zijn {#who-we-are}\n"),
        "heading ids as Hugo and Zola read them"
    );
    let cookies = text(&files, "cookies.en.md");
    assert!(!cookies.contains("](@"), "every named link resolved");
    assert!(
        cookies.contains("](https://www.lumen.example/en/privacy-policy/"),
        "links to the other page are absolute"
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
fn json_holds_the_company_and_every_recipient_in_every_language() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "json", &out);
    let facts: Value = serde_json::from_slice(&files["facts.json"]).unwrap();
    assert_eq!(facts["format"], 1);
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

    // The document is what its schema, which `polis schema --export` prints, says.
    let schema: Value = serde_json::from_str(polis::EXPORT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&facts)
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
fn the_register_names_every_purpose_and_recipient_in_every_language() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "register", &out);
    let names: Vec<&String> = files.keys().filter(|k| !k.starts_with('.')).collect();
    assert_eq!(
        names,
        [
            "en/register.csv",
            "en/register.html",
            "en/register.md",
            "nl/register.csv",
            "nl/register.html",
            "nl/register.md"
        ]
    );
    let mut reader = csv::Reader::from_reader(&files["en/register.csv"][..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header.len(), 10);
    for (i, article) in [
        "30(1)(a)", "30(1)(a)", "30(1)(b)", "6(1)", "30(1)(c)", "30(1)(c)", "30(1)(d)", "30(1)(e)",
        "30(1)(f)", "30(1)(g)",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            header[i].contains(article),
            "{} names Art. {article}",
            header[i]
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One row per purpose and data category.
    assert_eq!(rows.len(), 12);
    let column = |i: usize| {
        rows.iter()
            .map(|r| r[i].to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let example = support::example_yaml();
    for purpose in [
        "Delivering and invoicing your orders",
        "Our accounts and tax returns",
        "Sending our newsletter",
        "Handling job applications",
    ] {
        assert!(column(2).contains(purpose), "{purpose}");
    }
    for recipient in [
        "Combell",
        "Matomo (InnoCraft)",
        "Mailchimp (Intuit Inc.)",
        "Stripe Payments Europe",
        "Exact",
        "Our accountant",
    ] {
        assert!(column(6).contains(recipient), "{recipient}");
        assert!(
            example.contains(recipient),
            "{recipient} is the example's own"
        );
    }
    assert!(
        column(7).contains("Mailchimp (Intuit Inc.) (United States): "),
        "the transfer and its safeguard"
    );
    let nl = text(&files, "nl/register.md");
    assert!(nl.starts_with("# Register van verwerkingsactiviteiten — Lumen\n"));
    let html = text(&files, "nl/register.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">") && html.contains("<table>"));
}

#[test]
fn the_register_is_not_published_by_build_and_is_refused_while_incomplete() {
    let site = example();
    let built = site.polis(&["build"]);
    assert!(built.status.success());
    assert!(!site.tree("public").keys().any(|k| k.contains("register")));

    let site = example_with(|yaml| replace(yaml, "    purposes: [analytics]\n", ""));
    let (_dir, out) = out_dir();
    let output = run_export(&site, "register", &out);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("gdpr-register"));
    assert!(!out.exists(), "nothing written");
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
    for format in ["markdown", "fragment", "json", "register"] {
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
    for name in ["nl/register.csv", "en/register.csv"] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
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
    for format in ["markdown", "fragment", "json", "register"] {
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

/// Hugo builds a multilingual site from the Markdown export put in its content folder; where
/// Hugo is not installed the test says so and passes (Debian: `apt-get install hugo`).
#[test]
fn hugo_builds_a_site_from_the_markdown_export() {
    let installed = Command::new("hugo")
        .arg("version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = (!installed).then(|| "no `hugo`".to_owned());
    if skip(
        "the Hugo test",
        Need::Hugo,
        "hugo (apt-get install hugo)",
        missing,
    ) {
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("polis-hugo-")
        .tempdir()
        .unwrap();
    let hugo = dir.path();
    std::fs::write(
        hugo.join("config.toml"),
        "baseURL = \"https://www.lumen.example/\"\ndefaultContentLanguage = \"nl\"\ndefaultContentLanguageInSubdir = true\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n\
         [languages.nl]\nweight = 1\n[languages.en]\nweight = 2\n",
    )
    .unwrap();
    std::fs::create_dir_all(hugo.join("layouts/_default")).unwrap();
    std::fs::write(
        hugo.join("layouts/_default/single.html"),
        "<!DOCTYPE html><html lang=\"{{ .Lang }}\"><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\
         {{ range .Translations }}<a hreflang=\"{{ .Lang }}\" href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</html>\n",
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/index.html"),
        "<!DOCTYPE html><title>home</title>\n",
    )
    .unwrap();
    export(&example(), "markdown", &hugo.join("content"));

    let built = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(hugo)
        .stdin(Stdio::null())
        .output()
        .expect("run hugo");
    assert!(
        built.status.success(),
        "hugo failed:\n{}\n{}",
        String::from_utf8_lossy(&built.stdout),
        String::from_utf8_lossy(&built.stderr)
    );
    let page = std::fs::read_to_string(hugo.join("public/nl/privacyverklaring/index.html"))
        .expect("the Dutch privacy policy");
    assert!(page.contains("<h1>Privacyverklaring</h1>"));
    assert!(page.contains("id=\"who-we-are\""), "heading ids kept");
    assert!(page.contains("<table>"), "tables");
    assert!(
        page.contains("hreflang=\"en\" href=\"/en/privacy-policy/\""),
        "Hugo links the translations: {page}"
    );
    assert!(
        page.contains("href=\"https://www.lumen.example/nl/cookiebeleid/\""),
        "named links absolute"
    );
    assert!(hugo.join("public/en/cookie-policy/index.html").is_file());
}

/// The register finds each purpose's data categories by key, not by a search through all of them
/// per purpose and category: a site of 20,000 categories that one purpose uses is checked, built
/// and exported in under 30 seconds on a debug build, on a busy machine (when the register was
/// quadratic, its part alone took seconds in a release build and minutes in a debug one), with a
/// row for each of them.
#[test]
fn the_register_of_a_site_with_twenty_thousand_categories_is_written_in_under_thirty_seconds() {
    const CATEGORIES: usize = 20_000;
    let site = example_with(|yaml| {
        let mut data = String::from("data:\n");
        let mut keys = String::from("contact, billing, correspondence");
        for i in 0..CATEGORIES {
            data.push_str(&format!(
                "  c{i}: {{ name: D{i}, description: K{i}, sources: [person], retention: {{ period: 5 years, from: visit }} }}\n"
            ));
            keys.push_str(&format!(", c{i}"));
        }
        replace(yaml, "data:\n", &data);
        replace(
            yaml,
            "    data: [contact, billing, correspondence]\n    subjects: { nl: klanten",
            &format!("    data: [{keys}]\n    subjects: {{ nl: klanten"),
        );
    });
    let (_dir, out) = out_dir();
    let started = std::time::Instant::now();
    let files = export(&site, "register", &out);
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(30),
        "the register of {CATEGORIES} categories took {took:?}"
    );
    let mut reader = csv::Reader::from_reader(&files["en/register.csv"][..]);
    let rows = reader.records().filter_map(Result::ok);
    let last = format!("D{}: K{}", CATEGORIES - 1, CATEGORIES - 1);
    assert_eq!(
        rows.filter(|r| r.iter().any(|c| c == last)).count(),
        1,
        "the last category has its row"
    );
}
