//! `polis scan`: the website held against site.yaml. Chromium visits the site (`browser`) before
//! any choice, after "reject all" and after "accept all", or a file of evidence collected
//! elsewhere is read (`evidence`); `findings` reports, at site.yaml's lines, what the site stores
//! or sends that site.yaml does not declare or allow.
//!
//! Without a URL the site is built in memory and served on loopback by serve's router for the
//! scan's time: the pages scanned are the ones `polis build` would write, with their scripts.

mod browser;
pub mod evidence;
pub mod findings;

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use findings::{Moment, Observations};

/// What `polis scan` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The pages to start from; none scans the site itself, built and served on loopback.
    pub urls: Vec<String>,
    /// The browser to run, instead of the first Chromium on the PATH.
    pub browser: Option<PathBuf>,
    /// How many pages a visit loads at most.
    pub max_pages: usize,
    /// How long one page may take to load.
    pub page_timeout: Duration,
    /// The banner's buttons, when the visits after a choice run.
    pub buttons: Option<Buttons>,
}

/// The CSS selectors of a banner's "accept all" and "reject all" buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buttons {
    /// "Accept all".
    pub accept: String,
    /// "Reject all".
    pub reject: String,
}

/// Why a scan could not run.
#[derive(Debug)]
pub enum ScanError {
    /// No Chromium: none on the PATH, or not at the path given.
    NoBrowser(Option<PathBuf>),
    /// Chromium did not start.
    Launch(String),
    /// Chromium failed while visiting.
    Browser(String),
    /// The banner's button never appeared: its selector, the page.
    NoButton(String, String),
    /// A start URL polis does not visit.
    Url(String),
    /// The scan took longer than its bound.
    TimedOut(Duration),
    /// Ctrl-C or a termination signal.
    Interrupted,
    /// A file or socket failed.
    Io(std::io::Error),
    /// A file of evidence polis cannot read.
    Evidence(String),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::NoBrowser(None) => f.write_str(
                "polis scan needs Chromium, and there is none on the PATH: install it \
                 (`apt install chromium` on Debian and Ubuntu, `brew install --cask chromium` on \
                 macOS) or name one with `--browser PATH`",
            ),
            ScanError::NoBrowser(Some(path)) => write!(
                f,
                "no browser at {}: install Chromium (`apt install chromium`) or name it with \
                 `--browser PATH`",
                path.display()
            ),
            ScanError::Launch(e) => write!(f, "Chromium did not start: {e}"),
            ScanError::Browser(e) => write!(f, "Chromium failed: {e}"),
            ScanError::NoButton(selector, page) => write!(
                f,
                "the banner's button `{selector}` never appeared on {page}: check the selector \
                 (`--accept`, `--reject` or site.yaml's `scan:`)"
            ),
            ScanError::Url(why) => f.write_str(why),
            ScanError::TimedOut(bound) => {
                write!(
                    f,
                    "the scan took longer than {}s and was stopped",
                    bound.as_secs()
                )
            }
            ScanError::Interrupted => f.write_str("interrupted"),
            ScanError::Io(e) => e.fmt(f),
            ScanError::Evidence(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ScanError {}

/// The start URLs, refused unless http(s): a page of `file://` could read the disk.
pub fn start_urls(given: &[String]) -> Result<Vec<url::Url>, ScanError> {
    given
        .iter()
        .map(|u| {
            let url = url::Url::parse(u).map_err(|e| ScanError::Url(format!("`{u}`: {e}")))?;
            if matches!(url.scheme(), "http" | "https") {
                Ok(url)
            } else {
                Err(ScanError::Url(format!(
                    "`{u}`: polis scan visits http and https pages only"
                )))
            }
        })
        .collect()
}

/// Runs the visits on `options.urls`, or on `files` (the built site) served on loopback, in a
/// runtime of its own; stopped by Ctrl-C and bounded in time.
pub fn scan(
    options: &Options,
    files: Option<std::collections::BTreeMap<String, Vec<u8>>>,
) -> Result<Observations, ScanError> {
    let start = start_urls(&options.urls)?;
    let browser = browser::find(options.browser.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ScanError::Io)?;
    let visits = 1 + 2 * usize::from(options.buttons.is_some());
    let per_visit = options.page_timeout * (options.max_pages as u32 + 2) + Duration::from_secs(30);
    let bound = per_visit * visits as u32;
    runtime.block_on(async {
        let run = async {
            match files {
                Some(files) => serve_and_visit(options, &browser, files).await,
                None => visits_on(options, &browser, &start).await,
            }
        };
        tokio::select! {
            outcome = tokio::time::timeout(bound, run) => {
                outcome.unwrap_or(Err(ScanError::TimedOut(bound)))
            }
            _ = tokio::signal::ctrl_c() => Err(ScanError::Interrupted),
        }
    })
}

/// The visits the options ask for, one after the other, each in a fresh profile.
async fn visits_on(
    options: &Options,
    browser: &Path,
    start: &[url::Url],
) -> Result<Observations, ScanError> {
    let mut obs = Observations::default();
    let moments: &[Moment] = if options.buttons.is_some() {
        &[
            Moment::BeforeChoice,
            Moment::AfterReject,
            Moment::AfterAccept,
        ]
    } else {
        &[Moment::BeforeChoice]
    };
    for &moment in moments {
        let visit = browser::visit(options, browser, start, moment, options.buttons.as_ref());
        obs.visits.push(visit.await?);
    }
    Ok(obs)
}

/// Serves `files` on 127.0.0.1 at a free port with serve's router, and visits its home page.
async fn serve_and_visit(
    options: &Options,
    browser: &Path,
    files: std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<Observations, ScanError> {
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let listener = tokio::net::TcpListener::bind((loopback, 0))
        .await
        .map_err(ScanError::Io)?;
    let addr = listener.local_addr().map_err(ScanError::Io)?;
    let shared = crate::serve::Shared::new(Path::new("."), None);
    shared.snapshot.write().expect("snapshot lock").files = files;
    let router = crate::serve::router(Arc::clone(&shared), loopback);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    let pages: Vec<String> = shared
        .snapshot
        .read()
        .expect("snapshot lock")
        .files
        .keys()
        .filter(|k| k.ends_with(".html"))
        .map(|k| format!("http://{addr}/{}", k.trim_end_matches("index.html")))
        .collect();
    let start = start_urls(&pages)?;
    let observed = visits_on(options, browser, &start).await;
    let _ = stop.send(());
    server.abort();
    observed
}
