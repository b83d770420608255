//! `polis export consent`: the banner's configuration (vanilla-cookieconsent v3) asks for what
//! the cookie policy lists, in the policy's words in every language, with the settings a
//! regulator sets; values stay data in the JSON, the module and the HTML the library writes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::export::{export, out_dir, run_export, text};
use crate::support::check::{after, at, check};
use crate::support::machine::{self, Need};
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
            "cookie": "_pk_id",
            "provider": "Matomo (InnoCraft)",
            "set_as": "Eigen cookie",
            "valid_for": "13 maanden",
        })
    );
    let en = &language["translations"]["en"]["preferencesModal"]["sections"][4];
    assert_eq!(en["cookieTable"]["headers"]["valid_for"], "How long");
    assert_eq!(en["cookieTable"]["body"][0]["valid_for"], "twelve months");
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

#[test]
fn consent_mode_signals_that_do_not_follow_the_categories_are_warned_at_their_line() {
    let site = example_with(|yaml| {
        replace(
            yaml,
            "    statistics: [analytics_storage]\n    marketing: [ad_storage, ad_user_data, ad_personalization]\n",
            "    statistics: [analytics_storage, ad_user_data]\n    marketing: [analytics_storage]\n",
        );
    });
    let printed = check(
        &site,
        &[
            (
                "gdpr-consent-mode",
                "site.yaml",
                after("statistics: [analytics_storage, "),
            ),
            (
                "gdpr-consent-mode",
                "site.yaml",
                at("marketing: [analytics_storage]"),
            ),
        ],
        &[
            "consent to marketing cookies grants no advertising signal",
            "consent to statistics cookies grants `ad_user_data`",
        ],
    );
    insta::assert_snapshot!(printed);
}

#[test]
fn the_consent_mode_defaults_and_updates_follow_site_yaml() {
    let (config, module) = consent(&example());
    assert_eq!(
        config["consentMode"],
        serde_json::json!({
            "preferences": ["functionality_storage", "personalization_storage"],
            "statistics": ["analytics_storage"],
            "marketing": ["ad_storage", "ad_user_data", "ad_personalization"],
        })
    );
    assert!(
        module.contains("window.gtag(\"consent\", \"default\""),
        "{module}"
    );
    assert!(module.ends_with("export default config;\n"), "{module}");
    let site = example_with(|yaml| {
        replace(
            yaml,
            "  consent_mode:                # Google Consent Mode v2: the signals each category's consent grants\n    preferences: [functionality_storage, personalization_storage]\n    statistics: [analytics_storage]\n    marketing: [ad_storage, ad_user_data, ad_personalization]\n",
            "",
        );
    });
    let (config, module) = consent(&site);
    assert!(config.get("consentMode").is_none());
    assert!(
        !module.contains("gtag"),
        "no Google tag without consent_mode"
    );
}

// ---------------------------------------------------------------------------------------------
// In Chromium

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const BROWSER_NEEDS: &str = "chromium (apt-get install chromium), node and `npm ci --ignore-scripts` (playwright-core, vanilla-cookieconsent)";

/// What of Chromium, node and the node packages the machine lacks.
fn browser_missing() -> Option<String> {
    let chromium = std::env::var_os("CHROMIUM").map_or("/usr/bin/chromium".into(), PathBuf::from);
    if !chromium.is_file() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    for file in [
        "node_modules/playwright-core/package.json",
        "node_modules/vanilla-cookieconsent/dist/cookieconsent.esm.js",
    ] {
        if !Path::new(REPO).join(file).is_file() {
            return Some(format!("no {file}"));
        }
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("no `node`".into()),
    }
}

/// The signals of Consent Mode, each `granted` where `granted` has it and `denied` elsewhere.
fn signals(granted: &[&str]) -> Value {
    let all = [
        "ad_storage",
        "ad_user_data",
        "ad_personalization",
        "analytics_storage",
        "functionality_storage",
        "personalization_storage",
        "security_storage",
    ];
    all.iter()
        .map(|s| {
            let state = if granted.contains(s) {
                "granted"
            } else {
                "denied"
            };
            ((*s).to_owned(), Value::from(state))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

#[test]
fn the_exported_banner_asks_and_records_as_the_cookie_policy_says_in_chromium() {
    if machine::skip(
        "the consent banner test in Chromium",
        Need::Browser,
        BROWSER_NEEDS,
        browser_missing(),
    ) {
        return;
    }
    // The cookie pages' settings link is the banner's own button.
    let site = example_with(|yaml| {
        replace(
            yaml,
            "  settings_url: { nl: https://www.lumen.example/nl/cookie-instellingen, en: https://www.lumen.example/en/cookie-settings }\n",
            "  settings: banner\n",
        );
    });
    let built = site.polis(&["build"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (_dir, out) = out_dir();
    export(&site, "consent", &out);
    let pages = ["nl/cookiebeleid/index.html", "en/cookie-policy/index.html"];
    let mut command = Command::new("node");
    command
        .arg(Path::new(REPO).join("tests/browser/consent.mjs"))
        .arg(site.path("public"))
        .arg(&out)
        .args(pages)
        .current_dir(REPO);
    let output = machine::output_within(command, Duration::from_secs(300), "consent.mjs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    for (page, title, buttons, columns) in [
        (
            pages[0],
            "Cookies op onze website",
            ["Alles toestaan", "Alles weigeren", "Per categorie kiezen"],
            ["Naam", "Aanbieder", "Eigen of derde partij", "Hoe lang"],
        ),
        (
            pages[1],
            "Cookies on our website",
            ["Accept all", "Reject all", "Choose per category"],
            ["Name", "Provider", "First or third party", "How long"],
        ),
    ] {
        assert_banner_page(&report[page], page, title, buttons, columns);
    }
}

/// What the banner of one cookie page showed and recorded, as consent.mjs reports it.
fn assert_banner_page(
    seen: &Value,
    page: &str,
    title: &str,
    buttons: [&str; 3],
    columns: [&str; 4],
) {
    let categories = ["necessary", "preferences", "statistics", "marketing"];
    let cookies = [
        vec!["lumen_session", "lumen_consent"],
        vec!["lumen_lang"],
        vec!["_pk_id", "_pk_ses"],
        vec!["_mcid"],
    ];
    assert_eq!(seen["title"], title, "{page}");
    assert_eq!(seen["buttons"], serde_json::json!(buttons), "{page}");
    let listed: Vec<(&str, Vec<&str>)> = seen["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["columns"], serde_json::json!(columns), "{page}");
            let names = s["cookies"].as_array().unwrap();
            (
                s["category"].as_str().unwrap(),
                names.iter().map(|n| n.as_str().unwrap()).collect(),
            )
        })
        .collect();
    let expected: Vec<(&str, Vec<&str>)> = categories
        .iter()
        .copied()
        .zip(cookies.iter().cloned())
        .collect();
    assert_eq!(listed, expected, "{page}");
    let mut denied = signals(&[]);
    denied["wait_for_update"] = 500.into();
    assert_eq!(
        seen["beforeChoice"],
        serde_json::json!([["default", denied]]),
        "{page}"
    );
    assert_eq!(
        seen["rejected"]["accepted"],
        serde_json::json!(["necessary"]),
        "{page}"
    );
    assert_eq!(
        seen["rejected"]["cookies"],
        serde_json::json!(["lumen_consent"]),
        "{page}"
    );
    assert_eq!(
        seen["rejected"]["consent"],
        serde_json::json!([["update", signals(&[])]]),
        "{page}"
    );
    assert_eq!(seen["settingsButtonOpensPreferences"], true, "{page}");
    let mut accepted: Vec<&str> = seen["accepted"]["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    accepted.sort_unstable();
    assert_eq!(
        accepted,
        ["marketing", "necessary", "preferences", "statistics"]
    );
    let granted = signals(&[
        "ad_storage",
        "ad_user_data",
        "ad_personalization",
        "analytics_storage",
        "functionality_storage",
        "personalization_storage",
    ]);
    assert_eq!(
        seen["accepted"]["consent"],
        serde_json::json!([["update", granted]]),
        "{page}"
    );
}

#[test]
fn a_cookie_the_open_cookie_database_knows_otherwise_is_warned_at_its_name() {
    let site = example_with(|yaml| {
        replace(
            yaml,
            "      category: statistics\n      purpose: { nl: houdt je huidige bezoek bij",
            "      category: necessary\n      purpose: { nl: houdt je huidige bezoek bij",
        );
        replace(
            yaml,
            "      duration: 13 months\n",
            "      duration: 12 months\n",
        );
    });
    let printed = check(
        &site,
        &[
            ("gdpr-cookie-misclassified", "site.yaml", at("_pk_ses")),
            ("gdpr-cookie-duration", "site.yaml", at("_pk_id")),
        ],
        &[
            "`_pk_ses` is declared strictly necessary, but the Open Cookie Database files it under Analytics (Matomo)",
            "`_pk_id` is declared to last 12 months, but the Open Cookie Database records 13 months",
            "in Belgium the Data Protection Authority (GBA/APD) held that analytics cookies need consent (decision of 17 December 2019)",
        ],
    );
    insta::assert_snapshot!(printed);
}
