//! `polis export consent`: the banner's configuration (vanilla-cookieconsent v3) asks for what
//! the cookie policy lists, in the policy's words in every language, with the settings a
//! regulator sets; values stay data in the JSON, the module and the HTML the library writes.

use serde_json::Value;

use crate::export::{export, out_dir, run_export, text};
use crate::support::{TestSite, example, example_with, replace};

/// The exported `consent.json` of `site`, and the module's text.
fn consent(site: &TestSite) -> (Value, String) {
    let (_dir, out) = out_dir();
    let files = export(site, "consent", &out);
    let json = serde_json::from_str(&text(&files, "consent.json")).unwrap();
    (json, text(&files, "consent.mjs"))
}

/// What a key of the object is, as strings.
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_banner_asks_for_exactly_the_cookie_policys_categories() {
    let (config, module) = consent(&example());
    assert_eq!(config["mode"], "opt-in");
    assert_eq!(config["revision"], 1);
    assert_eq!(
        config["cookie"],
        serde_json::json!({ "name": "lumen_consent", "expiresAfterDays": 182 })
    );
    for modal in ["consentModal", "preferencesModal"] {
        assert_eq!(config["guiOptions"][modal]["equalWeightButtons"], true);
    }
    let categories = &config["categories"];
    assert_eq!(
        keys(categories),
        ["marketing", "necessary", "preferences", "statistics"]
    );
    assert_eq!(
        categories["necessary"],
        serde_json::json!({ "enabled": true, "readOnly": true })
    );
    for (category, names) in [
        ("preferences", vec!["lumen_lang"]),
        ("statistics", vec!["_pk_id", "_pk_ses"]),
        ("marketing", vec!["_mcid"]),
    ] {
        assert_eq!(categories[category]["enabled"], false, "{category}");
        let cleared: Vec<&str> = categories[category]["autoClear"]["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(cleared, names, "{category}");
    }
    assert_eq!(
        categories["statistics"]["services"]["matomo-innocraft"]["label"],
        "Matomo (InnoCraft)"
    );
    assert!(module.contains("export default config;\n"), "{module}");
}

#[test]
fn every_language_of_the_site_has_the_policys_words_and_cookie_table() {
    let (config, _) = consent(&example());
    let language = &config["language"];
    assert_eq!(language["default"], "nl");
    assert_eq!(keys(&language["translations"]), ["en", "nl"]);
    let nl = &language["translations"]["nl"];
    assert_eq!(nl["consentModal"]["acceptAllBtn"], "Alles toestaan");
    assert_eq!(nl["consentModal"]["acceptNecessaryBtn"], "Alles weigeren");
    let footer = nl["consentModal"]["footer"].as_str().unwrap();
    assert!(
        footer.contains(r#"<a href="https://www.lumen.example/nl/cookiebeleid/">Cookiebeleid</a>"#),
        "{footer}"
    );
    let sections = nl["preferencesModal"]["sections"].as_array().unwrap();
    let linked: Vec<&str> = sections
        .iter()
        .filter_map(|s| s["linkedCategory"].as_str())
        .collect();
    assert_eq!(
        linked,
        ["necessary", "preferences", "statistics", "marketing"]
    );
    let statistics = &sections[3];
    assert_eq!(statistics["title"], "Statistische cookies");
    assert_eq!(
        statistics["cookieTable"]["body"][0],
        serde_json::json!({
            "name": "_pk_id",
            "provider": "Matomo (InnoCraft)",
            "party": "Eigen cookie",
            "duration": "13 maanden",
        })
    );
    let en = &language["translations"]["en"]["preferencesModal"]["sections"][4];
    assert_eq!(en["cookieTable"]["headers"]["duration"], "How long");
    assert_eq!(en["cookieTable"]["body"][0]["duration"], "twelve months");
}

#[test]
fn values_stay_data_in_the_json_the_module_and_the_banners_html() {
    let site = example_with(|yaml| {
        replace(
            yaml,
            "      provider: Mailchimp (Intuit Inc.)\n",
            "      provider: \"</script><img src=x onerror=alert(1)> Mail\"\n",
        );
    });
    let (config, module) = consent(&site);
    let marketing = &config["language"]["translations"]["en"]["preferencesModal"]["sections"][4];
    assert_eq!(
        marketing["cookieTable"]["body"][0]["provider"],
        "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; Mail"
    );
    assert!(!module.contains("</script>"), "{module}");
}

#[test]
fn a_site_without_a_consent_cookie_is_told_to_declare_it_at_cookies() {
    let site = example_with(|yaml| replace(yaml, "  consent_cookie: lumen_consent\n", ""));
    let (_dir, out) = out_dir();
    let output = run_export(&site, "consent", &out);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = site.line("site.yaml", "cookies:\n  consent: per_category");
    assert!(
        stderr.contains(&format!(
            "site.yaml:{line}: `cookies` names no consent cookie"
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

/// `polis archive` of `site` as it is, which must succeed.
fn archive(site: &TestSite) {
    for args in [&["build"][..], &["archive"]] {
        let output = site.polis(args);
        assert!(
            output.status.success(),
            "polis {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The revision the banner of `site` has now.
fn revision(site: &TestSite) -> Value {
    consent(site).0["revision"].clone()
}

#[test]
fn the_revision_goes_up_with_the_cookie_facts_of_a_new_version_and_not_with_its_words() {
    let site = example();
    archive(&site);
    assert_eq!(revision(&site), 1);
    site.edit("site.yaml", |yaml| {
        replace(
            yaml,
            "effective_date: 2026-03-01 ",
            "effective_date: 2026-04-01 ",
        );
        replace(
            yaml,
            "en: remembers your language }",
            "en: remembers the language you read in }",
        );
    });
    archive(&site);
    assert_eq!(revision(&site), 1, "a reworded purpose asks nobody again");
    site.edit("site.yaml", |yaml| {
        replace(
            yaml,
            "effective_date: 2026-04-01 ",
            "effective_date: 2026-05-01 ",
        );
        replace(
            yaml,
            "      duration: 30 minutes\n",
            "      duration: 1 hour\n",
        );
    });
    assert_eq!(
        revision(&site),
        2,
        "the version in effect counts before it is archived"
    );
    archive(&site);
    assert_eq!(revision(&site), 2, "and the same once archived");
    site.edit("site.yaml", |yaml| {
        replace(
            yaml,
            "effective_date: 2026-05-01 ",
            "effective_date: 2026-06-01 ",
        );
        replace(
            yaml,
            "      category: marketing\n",
            "      category: statistics\n",
        );
    });
    archive(&site);
    assert_eq!(revision(&site), 3, "a cookie in another category");
}
