//! Every page polis builds, checked by validators nobody here wrote: the W3C Nu HTML Checker
//! (vnu-jar, run with the machine's Java) with zero errors, and axe-core's WCAG 2.1 A and AA
//! rules in headless Chromium (tests/browser/axe.mjs) with zero violations, at a desktop and a
//! phone width. And every page measured in Chromium on a phone (tests/browser/fits.mjs): no page
//! scrolls sideways, and every table cell is on the screen.
//!
//! Two sites: the example site of the repository (every optional clause it has), with an archived
//! version (so its earlier pages, republished with their notice, and the index of versions are
//! checked too), and the minimal fixture (none of them, and polis's own texts and theme); on the
//! phone, the example site with its archived version and the example site with values longer
//! than a phone is wide.
//!
//! Each test is skipped, loudly, when what it needs is missing (Java, Chromium, node, or
//! `npm install --ignore-scripts`), unless `POLIS_REQUIRE_BROWSER=1` (as in CI), which makes that a
//! failure.

use crate::support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use crate::support::{TestSite, example, example_with, fixture, replace};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const VNU_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";
const AXE_SCRIPT: &str = "tests/browser/axe.mjs";
const FITS_SCRIPT: &str = "tests/browser/fits.mjs";
const VNU_NEEDS: &str =
    "java (apt-get install default-jre-headless) and `npm install --ignore-scripts` (vnu-jar)";
const AXE_NEEDS: &str = "chromium (apt-get install chromium), node and `npm install --ignore-scripts` (playwright-core, axe-core)";
const FITS_NEEDS: &str = "chromium (apt-get install chromium), node and `npm install --ignore-scripts` (playwright-core)";
/// Only reached by a checker that hangs: the checkers finish in seconds.
const TIMEOUT: Duration = Duration::from_secs(300);

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn the_example_site_passes_the_nu_html_checker() {
    if skip("Nu HTML Checker", VNU_NEEDS, vnu_missing()) {
        return;
    }
    assert_valid_html(&build(example_with_an_archived_version()));
}

#[test]
fn the_minimal_site_passes_the_nu_html_checker() {
    if skip("Nu HTML Checker", VNU_NEEDS, vnu_missing()) {
        return;
    }
    assert_valid_html(&build(fixture("minimal")));
}

#[test]
fn the_example_site_passes_axe_wcag21_aa() {
    if skip("axe-core", AXE_NEEDS, axe_missing()) {
        return;
    }
    assert_accessible(&build(example_with_an_archived_version()));
}

#[test]
fn the_minimal_site_passes_axe_wcag21_aa() {
    if skip("axe-core", AXE_NEEDS, axe_missing()) {
        return;
    }
    assert_accessible(&build(fixture("minimal")));
}

/// The minimal site of a Belgian company in Dutch, French, German and English: the French and
/// German pages, whose words are longer.
fn minimal_in_four_languages() -> TestSite {
    let site = fixture("minimal");
    site.edit("site.yaml", |y| {
        replace(y, "locales: [nl, en]", "locales: [nl, fr, de, en]")
    });
    site
}

#[test]
fn the_french_and_german_pages_pass_the_nu_html_checker() {
    if skip("Nu HTML Checker", VNU_NEEDS, vnu_missing()) {
        return;
    }
    assert_valid_html(&build(minimal_in_four_languages()));
}

#[test]
fn the_french_and_german_pages_pass_axe_wcag21_aa() {
    if skip("axe-core", AXE_NEEDS, axe_missing()) {
        return;
    }
    assert_accessible(&build(minimal_in_four_languages()));
}

#[test]
fn every_table_cell_of_the_french_and_german_pages_is_on_a_phone_screen() {
    if skip(
        "phone width",
        FITS_NEEDS,
        chromium_missing(&["node_modules/playwright-core/package.json"]),
    ) {
        return;
    }
    assert_fits_a_phone(&build(minimal_in_four_languages()));
}

#[test]
fn every_table_cell_of_the_example_site_is_on_a_phone_screen() {
    if skip(
        "phone width",
        FITS_NEEDS,
        chromium_missing(&["node_modules/playwright-core/package.json"]),
    ) {
        return;
    }
    assert_fits_a_phone(&build(example_with_an_archived_version()));
}

#[test]
fn long_values_wrap_on_a_phone_screen() {
    if skip(
        "phone width",
        FITS_NEEDS,
        chromium_missing(&["node_modules/playwright-core/package.json"]),
    ) {
        return;
    }
    // Words longer than a phone is wide, wherever the pages show them: a cookie name of 60
    // characters, a provider and recipient of 49, a trade name of 46.
    let site = example_with(|yaml| {
        replace(
            yaml,
            "- name: _mcid",
            "- name: _mc_newsletter_campaign_click_through_attribution_identifier",
        );
        *yaml = yaml.replace(
            "Mailchimp (Intuit Inc.)",
            "Nieuwsbriefverzendingsdienstverleningsonderneming Mailchimp (Intuit Incorporated)",
        );
        replace(
            yaml,
            "trade_name: Lumen",
            "trade_name: Lumenverlichtingsateliervoorhandgemaaktelampen",
        );
    });
    assert_fits_a_phone(&build(site));
}

// ---------------------------------------------------------------------------------------------
// Building

/// The example site after its version of 2026-03-01 was archived and a new one took effect on
/// 2026-04-01 with a new recipient, a longer retention and a cookie that lasts longer: the
/// current pages say so, and the earlier ones are published beside them.
fn example_with_an_archived_version() -> TestSite {
    let site = example();
    let archived = support::polis_command(site.root())
        .arg("archive")
        .output()
        .expect("run polis archive");
    assert!(
        archived.status.success(),
        "polis archive failed:\n{}",
        String::from_utf8_lossy(&archived.stderr)
    );
    site.edit("site.yaml", |yaml| {
        replace(yaml, "effective_date: 2026-03-01 ", "effective_date: 2026-04-01 ");
        replace(yaml, "period: 10 years", "period: 11 years");
        replace(yaml, "duration: 6 months", "duration: 12 months");
        replace(
            yaml,
            "  - name: { nl: Onze boekhouder, en: Our accountant }",
            "  - name: Mollie\n    role: processor\n    service: { nl: betalingen verwerken, en: processing payments }\n    \
             country: NL\n    purposes: [orders]\n  - name: { nl: Onze boekhouder, en: Our accountant }",
        );
    });
    site
}

/// A built site: its output folder and every page in it.
struct Built {
    // Kept so that the folder lives as long as the pages are checked.
    _site: TestSite,
    public: PathBuf,
    pages: Vec<PathBuf>,
}

/// Builds the site with the `polis` binary into `public/` of its temporary folder.
fn build(site: TestSite) -> Built {
    let public = site.path("public");
    let output = support::polis_command(site.root())
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&public)
        .output()
        .expect("run polis build");
    assert!(
        output.status.success(),
        "polis build failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut pages = Vec::new();
    html_files(&public, &mut pages);
    pages.sort();
    assert!(
        pages.contains(&public.join("index.html")),
        "no index.html in {}: {pages:?}",
        public.display()
    );
    assert!(
        pages.len() > 1,
        "polis build wrote no page besides index.html: {pages:?}"
    );
    if site.path("archive").is_dir() {
        for archived in [
            "nl/privacyverklaring/2026-03-01/index.html",
            "en/cookie-policy/2026-03-01/index.html",
            "nl/privacyverklaring/versions/index.html",
        ] {
            assert!(
                pages.contains(&public.join(archived)),
                "no {archived} in {}: {pages:?}",
                public.display()
            );
        }
    }
    Built {
        _site: site,
        public,
        pages,
    }
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The Nu HTML Checker

/// Runs vnu on every page; fails with the checker's own messages (file, line, column, message).
fn assert_valid_html(built: &Built) {
    let mut command = Command::new("java");
    command
        .arg("-jar")
        .arg(Path::new(REPO).join(VNU_JAR))
        .args(["--errors-only", "--format", "json"])
        .args(&built.pages);
    let (status, stdout, stderr) = run(command, "java -jar vnu.jar");

    // vnu writes its JSON report to stderr, and exits 1 when it found an error.
    let report: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap_or_else(|e| {
        panic!("the Nu HTML Checker printed no JSON report ({e}); exit {status}\nstdout:\n{stdout}\nstderr:\n{stderr}")
    });
    let messages = report["messages"]
        .as_array()
        .unwrap_or_else(|| panic!("no `messages` in the vnu report:\n{stderr}"));
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m["type"].as_str() != Some("info"))
        .map(|m| describe_vnu(m, &built.public))
        .collect();
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker ({}) found {} error(s) in {} page(s):\n{}",
        report["version"].as_str().unwrap_or("?"),
        errors.len(),
        built.pages.len(),
        errors.join("\n")
    );
    assert!(
        status.success(),
        "vnu reported no error but exited with {status}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// `en/privacy-policy/index.html:12.5-12.30: error: Element “head” is missing …` and the
/// extract of the source the checker showed.
fn describe_vnu(message: &serde_json::Value, public: &Path) -> String {
    let url = message["url"].as_str().unwrap_or("?");
    let file = url.strip_prefix("file:").unwrap_or(url);
    let file = Path::new(file)
        .strip_prefix(public)
        .map_or_else(|_| file.to_owned(), |p| p.display().to_string());
    let line = message["lastLine"]
        .as_u64()
        .map_or_else(|| "?".to_owned(), |l| l.to_string());
    let first_line = message["firstLine"]
        .as_u64()
        .map_or_else(|| line.clone(), |l| l.to_string());
    let first_column = message["firstColumn"]
        .as_u64()
        .map_or_else(|| "?".to_owned(), |c| c.to_string());
    let last_column = message["lastColumn"]
        .as_u64()
        .map_or_else(|| "?".to_owned(), |c| c.to_string());
    let kind = message["subType"]
        .as_str()
        .or(message["type"].as_str())
        .unwrap_or("?");
    let text = message["message"].as_str().unwrap_or("?");
    let mut out =
        format!("  {file}:{first_line}.{first_column}-{line}.{last_column}: {kind}: {text}");
    if let Some(extract) = message["extract"].as_str() {
        out.push_str(&format!("\n      {}", extract.replace('\n', "↩")));
    }
    out
}

fn vnu_missing() -> Option<String> {
    if !Path::new(REPO).join(VNU_JAR).is_file() {
        return Some(format!("no {VNU_JAR}"));
    }
    match Command::new("java").arg("-version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("no `java`".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// axe-core

/// Runs tests/browser/axe.mjs on the output folder; fails with what it printed (each violation,
/// its rule, impact, help and nodes).
fn assert_accessible(built: &Built) {
    let mut command = Command::new("node");
    command
        .arg(Path::new(REPO).join(AXE_SCRIPT))
        .arg(&built.public)
        .current_dir(REPO);
    let (status, stdout, stderr) = run(command, "node tests/browser/axe.mjs");
    assert!(
        status.success(),
        "axe-core found WCAG 2.1 A/AA violations ({status}):\n{stdout}\nstderr:\n{stderr}"
    );
    eprintln!("{stdout}");
}

fn axe_missing() -> Option<String> {
    chromium_missing(&[
        "node_modules/playwright-core/package.json",
        "node_modules/axe-core/axe.min.js",
    ])
}

// ---------------------------------------------------------------------------------------------
// On a phone

/// Runs tests/browser/fits.mjs on the output folder; fails with what it printed (each page that
/// scrolls sideways, each table cell off the screen or hidden).
fn assert_fits_a_phone(built: &Built) {
    let mut command = Command::new("node");
    command
        .arg(Path::new(REPO).join(FITS_SCRIPT))
        .arg(&built.public)
        .current_dir(REPO);
    let (status, stdout, stderr) = run(command, "node tests/browser/fits.mjs");
    assert!(
        status.success(),
        "pages do not fit a phone screen ({status}):\n{stdout}\nstderr:\n{stderr}"
    );
    eprintln!("{stdout}");
}

/// What is missing of Chromium, node and the node packages `files` (paths in the repository).
fn chromium_missing(files: &[&str]) -> Option<String> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.is_file() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    for file in files {
        if !Path::new(REPO).join(file).is_file() {
            return Some(format!("no {file}"));
        }
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("no `node`".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// True when the test should return now: what it needs is missing and CI does not require it.
fn skip(checker: &str, needs: &str, missing: Option<String>) -> bool {
    let test = format!("the {checker} test");
    support::machine::skip(&test, support::machine::Need::Browser, needs, missing)
}

/// Runs a checker to its end, or kills it after [`TIMEOUT`]; its exit status, stdout and stderr.
fn run(mut command: Command, what: &str) -> (ExitStatus, String, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {what}: {e}"));
    let stdout = read_on_thread(&mut child, true);
    let stderr = read_on_thread(&mut child, false);
    let status = support::wait_at_most(&mut child, TIMEOUT);
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    let status = status.unwrap_or_else(|| {
        panic!("{what} did not finish in {TIMEOUT:?}\nstdout:\n{stdout}\nstderr:\n{stderr}")
    });
    (status, stdout, stderr)
}

/// The child's stdout or stderr, read on a thread so that it cannot block on a full pipe.
fn read_on_thread(child: &mut Child, stdout: bool) -> std::thread::JoinHandle<String> {
    let mut pipe: Box<dyn Read + Send> = if stdout {
        Box::new(child.stdout.take().expect("stdout"))
    } else {
        Box::new(child.stderr.take().expect("stderr"))
    };
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}
