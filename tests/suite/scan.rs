//! `polis scan`: the shop of tests/fixtures/scan-shop, served by the test on 127.0.0.1 with a
//! third party on 127.0.0.2, scanned in Chromium; the same findings from a HAR file and from an
//! EDPS Website Evidence Collector inspection.json; the banner's reject and accept visits.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use crate::support::{self, TestSite, machine};

/// What a scan of the test's small pages may take, the three visits included.
const LIMIT: Duration = Duration::from_secs(60);

/// The shop's pages on a first party and a third party of their own.
struct Shop {
    first: SocketAddr,
}

/// Serves `site`'s pages/ on 127.0.0.1 and a pixel on 127.0.0.2, each on a free port, for as
/// long as the test binary runs.
fn serve(site: &TestSite) -> Shop {
    let third = listen("127.0.0.2", |_| {
        response("image/gif", "", b"GIF89a".to_vec())
    });
    let pages = site.path("pages");
    let first = listen("127.0.0.1", move |path| page(&pages, path, third));
    Shop { first }
}

fn page(pages: &Path, path: &str, third: SocketAddr) -> Vec<u8> {
    let name = match path {
        "/" => "index.html",
        other => other.trim_start_matches('/'),
    };
    let Ok(text) = std::fs::read_to_string(pages.join(name)) else {
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec();
    };
    let text = text.replace("THIRD_PARTY", &third.to_string());
    let header = if name == "index.html" {
        "Set-Cookie: shop_session=1; Path=/; HttpOnly\r\n"
    } else {
        ""
    };
    let kind = if name.ends_with(".js") {
        "text/javascript"
    } else if name.ends_with(".css") {
        "text/css"
    } else {
        "text/html; charset=utf-8"
    };
    response(kind, header, text.into_bytes())
}

fn response(kind: &str, headers: &str, body: Vec<u8>) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend(body);
    out
}

/// A listener on `ip` at a free port that answers each request's path with `answer`.
fn listen(ip: &str, answer: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static) -> SocketAddr {
    let listener = TcpListener::bind((ip, 0)).expect("listen on loopback");
    let addr = listener.local_addr().expect("address");
    let answer = std::sync::Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || reply(stream, &*answer));
        }
    });
    addr
}

fn reply(mut stream: TcpStream, answer: &dyn Fn(&str) -> Vec<u8>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buf = [0; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/").to_owned();
    let _ = stream.write_all(&answer(&path));
}

/// The Chromium on the PATH, or why there is none.
fn chromium() -> Result<PathBuf, String> {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|path| path.is_file())
        .ok_or_else(|| "no chromium on the PATH".to_owned())
}

/// True when the test must return now: no Chromium, and CI does not require it.
fn skip(test: &str) -> bool {
    machine::skip(test, machine::Need::Browser, "Chromium", chromium().err())
}

/// `polis scan` with `args` in `site`, within [`LIMIT`].
fn scan(site: &TestSite, args: &[&str]) -> Output {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    site.polis_within(&all, LIMIT)
}

/// What `output` printed, with the port of the shop written `PORT`.
fn printed(output: &Output, shop: &Shop) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    text.replace(&format!(":{}", shop.first.port()), ":PORT")
}

#[test]
fn a_scan_reports_what_the_shop_stores_and_sends_at_site_yaml_in_every_format() {
    if skip("a_scan_reports_what_the_shop_stores_and_sends_at_site_yaml_in_every_format") {
        return;
    }
    let site = support::fixture("scan-shop");
    let shop = serve(&site);
    let url = format!("http://{}/", shop.first);
    let human = scan(&site, &[&url]);
    assert_eq!(human.status.code(), Some(1), "{}", printed(&human, &shop));
    insta::assert_snapshot!("scan_human", printed(&human, &shop));
    let json = scan(&site, &[&url, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    assert_eq!(codes_and_lines(&json), shop_findings(&site, true));
    insta::assert_snapshot!("scan_json", printed(&json, &shop));
    let github = scan(&site, &[&url, "--format", "github"]);
    assert_eq!(github.status.code(), Some(1));
    insta::assert_snapshot!("scan_github", printed(&github, &shop));
}

#[test]
fn the_shop_with_its_site_yaml_corrected_scans_clean() {
    if skip("the_shop_with_its_site_yaml_corrected_scans_clean") {
        return;
    }
    let site = support::fixture("scan-shop");
    correct(&site);
    let shop = serve(&site);
    let output = scan(&site, &[&format!("http://{}/", shop.first)]);
    let text = printed(&output, &shop);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

/// site.yaml saying what the shop does.
fn correct(site: &TestSite) {
    site.edit("site.yaml", |text| {
        *text = text
            .replace("duration: 1 day", "duration: 30 days")
            .replace("category: statistics", "category: necessary")
            .replace(
                "    service: hosting van de website\n",
                "    service: hosting van de website\n    hosts: [127.0.0.2]\n",
            );
        text.push_str(
            "    - name: promo_seen\n      provider: Winkel\n      party: first\n      \
             category: necessary\n      purpose: Actie\n      duration: 1 day\n    \
             - name: recently_viewed\n      type: local_storage\n      provider: Winkel\n      \
             party: first\n      category: necessary\n      purpose: Bekeken\n      \
             duration: session\n",
        );
        *text = text.replace(
            "    - name: shop_ads\n      provider: Winkel\n      party: first\n      category: \
             marketing\n      purpose: Advertenties\n      duration: 1 month\n",
            "",
        );
    });
}

#[test]
fn without_chromium_scan_says_what_to_install_and_exits_2() {
    let site = support::fixture("scan-shop");
    let output = scan(&site, &["http://127.0.0.1:9/", "--browser", "/nonexistent"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no browser at /nonexistent: install Chromium (`apt install chromium`) or name it \
         with `--browser PATH`\n"
    );
}

#[test]
fn a_file_page_is_refused() {
    let site = support::fixture("scan-shop");
    let output = scan(&site, &["file:///etc/passwd"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("visits http and https pages only"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn with_the_banner_polis_configures_the_reject_and_accept_visits_run() {
    if skip("with_the_banner_polis_configures_the_reject_and_accept_visits_run") {
        return;
    }
    let dist =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vanilla-cookieconsent/dist");
    let missing = (!dist.is_dir()).then(|| "no node_modules: run `npm ci`".to_owned());
    if machine::skip(
        "with_the_banner_polis_configures_the_reject_and_accept_visits_run",
        machine::Need::Browser,
        "vanilla-cookieconsent",
        missing,
    ) {
        return;
    }
    let site = support::fixture("scan-shop");
    for file in ["cookieconsent.umd.js", "cookieconsent.css"] {
        let bytes = std::fs::read(dist.join(file)).expect("the banner's files");
        site.write(&format!("pages/{file}"), bytes);
    }
    // The site uses the banner of `polis export consent`: scan knows its buttons.
    site.edit("site.yaml", |text| {
        *text = text.replace(
            "  settings_url: https://www.example.be/cookies\n",
            "  settings: banner\n",
        );
        text.push_str(
            "    - name: cc_cookie\n      provider: Winkel\n      party: first\n      \
             category: necessary\n      purpose: Keuze\n      duration: 6 months\n",
        );
    });
    let shop = serve(&site);
    let output = scan(&site, &[&format!("http://{}/banner.html", shop.first)]);
    assert_eq!(output.status.code(), Some(1), "{}", printed(&output, &shop));
    insta::assert_snapshot!("scan_banner", printed(&output, &shop));
}

/// The code and line of each finding `polis scan --format json` printed.
fn codes_and_lines(output: &Output) -> Vec<(String, u64)> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The findings of the shop as every source of observations reports them: a HAR has no
/// localStorage, so it lacks `recently_viewed`'s.
fn shop_findings(site: &TestSite, with_storage: bool) -> Vec<(String, u64)> {
    let line = |needle: &str| site.line("site.yaml", needle) as u64;
    let mut all = vec![
        ("scan-host", line("recipients:")),
        ("scan-undeclared", line("cookies:")),
        ("scan-undeclared", line("cookies:")),
        ("scan-duration", line("duration: 1 day")),
        ("scan-before-consent", line("- name: shop_stats")),
        ("scan-unseen", line("- name: shop_ads")),
    ];
    if !with_storage {
        all.remove(1);
    }
    all.into_iter().map(|(c, l)| (c.to_owned(), l)).collect()
}

#[test]
fn a_har_file_gives_the_shops_findings() {
    let site = support::fixture("scan-shop");
    let human = scan(&site, &["--evidence", "evidence/shop.har"]);
    assert_eq!(human.status.code(), Some(1));
    insta::assert_snapshot!("scan_har", String::from_utf8_lossy(&human.stderr));
    let json = scan(
        &site,
        &["--evidence", "evidence/shop.har", "--format", "json"],
    );
    assert_eq!(codes_and_lines(&json), shop_findings(&site, false));
}

#[test]
fn an_evidence_collector_inspection_gives_the_shops_findings() {
    let site = support::fixture("scan-shop");
    let human = scan(&site, &["--evidence", "evidence/inspection.json"]);
    assert_eq!(human.status.code(), Some(1));
    insta::assert_snapshot!("scan_inspection", String::from_utf8_lossy(&human.stderr));
    let json = scan(
        &site,
        &["--evidence", "evidence/inspection.json", "--format", "json"],
    );
    assert_eq!(codes_and_lines(&json), shop_findings(&site, true));
}

#[test]
fn evidence_that_is_neither_shape_is_refused() {
    let site = support::fixture("scan-shop");
    site.write("evidence/other.json", "{\"hello\": 1}");
    let output = scan(&site, &["--evidence", "evidence/other.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: evidence/other.json: neither a HAR file (`log`) nor a Website Evidence Collector \
         inspection.json (`cookies`, `uri_ins`)\n"
    );
}

#[test]
fn a_banner_of_the_sites_own_is_pressed_by_the_selectors_of_site_yaml() {
    if skip("a_banner_of_the_sites_own_is_pressed_by_the_selectors_of_site_yaml") {
        return;
    }
    let site = support::fixture("scan-shop");
    site.edit("site.yaml", |text| {
        text.push_str("\nscan:\n  accept: \"#banner .accept\"\n  reject: \"#banner .reject\"\n");
    });
    let shop = serve(&site);
    let url = format!("http://{}/custom.html", shop.first);
    let output = scan(&site, &[&url, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", printed(&output, &shop));
    let line = |needle: &str| site.line("site.yaml", needle) as u64;
    assert_eq!(
        codes_and_lines(&output),
        [
            ("scan-unseen", line("- name: shop_session")),
            ("scan-unseen", line("- name: shop_cart")),
            ("scan-after-reject", line("- name: shop_ads")),
        ]
        .map(|(c, l)| (c.to_owned(), l))
    );
}
