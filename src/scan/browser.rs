//! One visit in Chromium, headless, over the DevTools protocol (chromiumoxide): a fresh profile in
//! a temporary folder, the pages of the start URLs' origins followed up to a bound, and what the
//! site stored and sent read back from the browser.
//!
//! The browser is ended whatever happens: chromiumoxide starts it with `kill_on_drop`, so a visit
//! that fails, times out or is cancelled (Ctrl-C drops its future) kills it, and a visit that ends
//! closes it and waits for it before its profile folder is removed.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
use chromiumoxide::cdp::browser_protocol::storage::GetCookiesParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures_util::StreamExt;

use super::findings::{Moment, SeenCookie, SeenKey, Visit};
use super::{Buttons, Options, ScanError};

/// The names Chromium goes by on the PATH, in the order they are looked for.
const NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The browser to run: `given`, or the first Chromium on the PATH.
pub(super) fn find(given: Option<&Path>) -> Result<PathBuf, ScanError> {
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(ScanError::NoBrowser(Some(path.to_path_buf())))
        };
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&paths) {
        for name in NAMES {
            let path = dir
                .join(name)
                .with_extension(std::env::consts::EXE_EXTENSION);
            if path.is_file() {
                return Ok(path);
            }
        }
    }
    Err(ScanError::NoBrowser(None))
}

/// The host and origin a visit starts from, which tell first parties from third.
struct Site {
    origins: BTreeSet<String>,
    hosts: BTreeSet<String>,
}

impl Site {
    fn first_party(&self, domain: &str) -> bool {
        let domain = domain.trim_start_matches('.');
        self.hosts.iter().any(|h| {
            h == domain || h.ends_with(&format!(".{domain}")) || domain.ends_with(&format!(".{h}"))
        })
    }
}

/// Visits `start` and the pages they link to on their origins, at `moment`: for the visits after
/// a choice, `buttons` says which to press on the first page.
pub(super) async fn visit(
    options: &Options,
    browser_path: &Path,
    start: &[url::Url],
    moment: Moment,
    buttons: Option<&Buttons>,
) -> Result<Visit, ScanError> {
    let profile = tempfile::Builder::new()
        .prefix("polis-scan-")
        .tempdir()
        .map_err(ScanError::Io)?;
    let mut config = BrowserConfig::builder()
        .chrome_executable(browser_path)
        .user_data_dir(profile.path())
        .launch_timeout(Duration::from_secs(20))
        .request_timeout(options.page_timeout)
        .arg("--no-first-run")
        .arg("--disable-extensions")
        .arg("--disable-background-networking")
        .arg("--disable-sync")
        .arg("--disable-component-update")
        .arg("--disable-default-apps");
    if running_as_root() {
        // Chromium's sandbox refuses to start as root (CI's containers run as root).
        config = config.no_sandbox();
    }
    let config = config.build().map_err(ScanError::Launch)?;
    let (mut browser, mut handler) = Browser::launch(config)
        .await
        .map_err(|e| ScanError::Launch(e.to_string()))?;
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let seen = observe(&mut browser, options, start, moment, buttons).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), browser.close()).await;
    if tokio::time::timeout(Duration::from_secs(5), browser.wait())
        .await
        .is_err()
    {
        let _ = browser.kill().await;
        let _ = browser.wait().await;
    }
    events.abort();
    drop(browser);
    drop(profile);
    seen
}

async fn observe(
    browser: &mut Browser,
    options: &Options,
    start: &[url::Url],
    moment: Moment,
    buttons: Option<&Buttons>,
) -> Result<Visit, ScanError> {
    let site = Site {
        origins: start
            .iter()
            .map(|u| u.origin().ascii_serialization())
            .collect(),
        hosts: start
            .iter()
            .filter_map(|u| u.host_str().map(str::to_owned))
            .collect(),
    };
    let page = browser
        .new_page("about:blank")
        .await
        .map_err(|e| ScanError::Browser(e.to_string()))?;
    // A visitor's browser does not say it is automated; banners hide from one that does
    // (vanilla-cookieconsent's `hideFromBots` reads `navigator.webdriver`).
    page.evaluate_on_new_document(
        "Object.defineProperty(navigator, 'webdriver', { get: () => false });",
    )
    .await
    .map_err(|e| ScanError::Browser(e.to_string()))?;
    let requested = Arc::new(Mutex::new(BTreeSet::new()));
    let mut requests = page
        .event_listener::<EventRequestWillBeSent>()
        .await
        .map_err(|e| ScanError::Browser(e.to_string()))?;
    let into = requested.clone();
    let listening = tokio::spawn(async move {
        while let Some(event) = requests.next().await {
            if let Ok(url) = url::Url::parse(&event.request.url)
                && matches!(url.scheme(), "http" | "https")
                && let Some(host) = url.host_str()
            {
                into.lock().expect("hosts").insert(host.to_owned());
            }
        }
    });
    let mut visit = Visit::new(moment);
    let pressed = match (moment, buttons) {
        (Moment::AfterAccept, Some(b)) => Some(&b.accept),
        (Moment::AfterReject, Some(b)) => Some(&b.reject),
        _ => None,
    };
    if let (Some(selector), Some(first)) = (pressed, start.first()) {
        load(&page, first, options.page_timeout).await?;
        press(&page, selector, options.page_timeout)
            .await
            .map_err(|()| ScanError::NoButton(selector.clone(), first.to_string()))?;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    crawl(&page, &site, start, options, &mut visit).await?;
    let cookies = browser
        .execute(GetCookiesParams::default())
        .await
        .map_err(|e| ScanError::Browser(e.to_string()))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    for c in &cookies.result.cookies {
        visit.cookies.push(SeenCookie {
            name: c.name.clone(),
            domain: c.domain.clone(),
            path: c.path.clone(),
            days: (!c.session).then(|| ((c.expires - now) / 86_400.0).max(0.0)),
            third_party: !site.first_party(&c.domain),
            http_only: c.http_only,
        });
    }
    listening.abort();
    let hosts = requested.lock().expect("hosts").clone();
    visit.hosts = hosts.into_iter().filter(|h| !site.first_party(h)).collect();
    Ok(visit)
}

/// The pages of `start`'s origins, breadth first, up to `--max-pages`; the storage keys of each.
async fn crawl(
    page: &Page,
    site: &Site,
    start: &[url::Url],
    options: &Options,
    visit: &mut Visit,
) -> Result<(), ScanError> {
    let mut queue: VecDeque<url::Url> = start.iter().cloned().collect();
    let mut queued: BTreeSet<String> = start.iter().map(url::Url::to_string).collect();
    let mut visited = 0;
    while let Some(url) = queue.pop_front() {
        if visited == options.max_pages {
            break;
        }
        visited += 1;
        if load(page, &url, options.page_timeout).await.is_err() {
            continue;
        }
        let storage: Option<Storage> = evaluate(page, STORAGE).await;
        if let Some(storage) = storage {
            for (keys, session) in [(storage.local, false), (storage.session, true)] {
                for key in keys {
                    let seen = SeenKey {
                        origin: storage.origin.clone(),
                        key,
                        session,
                    };
                    if !visit.storage.contains(&seen) {
                        visit.storage.push(seen);
                    }
                }
            }
        }
        let links: Vec<String> = evaluate(page, LINKS).await.unwrap_or_default();
        for link in links {
            let Ok(mut next) = url::Url::parse(&link) else {
                continue;
            };
            next.set_fragment(None);
            if matches!(next.scheme(), "http" | "https")
                && site.origins.contains(&next.origin().ascii_serialization())
                && queued.insert(next.to_string())
            {
                queue.push_back(next);
            }
        }
    }
    Ok(())
}

/// The keys of the page's storage, as [`STORAGE`] returns them.
#[derive(serde::Deserialize)]
struct Storage {
    origin: String,
    local: Vec<String>,
    session: Vec<String>,
}

const STORAGE: &str = "(() => { const keys = (s) => { try { return Object.keys(s); } catch (e) { \
    return []; } }; return { origin: location.origin, local: keys(window.localStorage), session: \
    keys(window.sessionStorage) }; })()";

const LINKS: &str = "Array.from(document.querySelectorAll('a[href]'), (a) => a.href)";

async fn evaluate<T: serde::de::DeserializeOwned>(page: &Page, expression: &str) -> Option<T> {
    page.evaluate_expression(expression)
        .await
        .ok()?
        .into_value()
        .ok()
}

/// Loads `url` in `page` within `timeout`.
async fn load(page: &Page, url: &url::Url, timeout: Duration) -> Result<(), ScanError> {
    match tokio::time::timeout(timeout, page.goto(url.as_str())).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(ScanError::Browser(e.to_string())),
        Err(_) => Err(ScanError::Browser(format!(
            "{url} did not load in {}s",
            timeout.as_secs()
        ))),
    }
}

/// Clicks the element `selector` names once it appears, within `timeout`.
async fn press(page: &Page, selector: &str, timeout: Duration) -> Result<(), ()> {
    let quoted = serde_json::to_string(selector).map_err(|_| ())?;
    let click = format!(
        "(() => {{ const b = document.querySelector({quoted}); if (!b) return false; b.click(); \
         return true; }})()"
    );
    let until = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < until {
        if evaluate::<bool>(page, &click).await == Some(true) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(())
}

#[cfg(unix)]
fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}
