//! `polis serve`: the site built into memory, served on loopback, rebuilt on every change.
//!
//! The same [`crate::run`] as `build` and `check` makes the pages. Open tabs hold a Server-Sent
//! Events connection and reload when a rebuild finishes. When a change breaks the site, the last
//! good pages stay served with an overlay listing the problems, drawn by the server, so it shows
//! even without JavaScript; the next good build removes it. The reload script is added to pages
//! here, on the way out, and never to built files.
//!
//! Drafts are not for other eyes: requests that name another host are refused (`host`, against
//! DNS rebinding), connections that send no request are closed (`listen`), and a bind beyond
//! loopback is warned about.

pub mod child;
mod host;
mod listen;
mod watch;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;

use crate::diagnostics::{self, Diagnostic, Severity};

/// The path of the reload event stream.
pub const EVENTS_PATH: &str = "/__polis/events";

/// What the server shows: the last good files, and the problems of the latest build.
#[derive(Default)]
pub struct Snapshot {
    /// The last build without errors, by path relative to the site root.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The problems of the latest build (empty when it was good).
    pub diagnostics: Vec<Diagnostic>,
    /// Counts builds, so a tab can tell a new one from the one it shows.
    pub generation: u64,
}

/// Shared between the watcher and the HTTP handlers.
pub struct Shared {
    /// The current snapshot.
    pub snapshot: RwLock<Snapshot>,
    /// Tells open tabs that a build finished.
    pub reload: broadcast::Sender<u64>,
    /// The site folder.
    pub root: PathBuf,
    /// The polis program that runs each rebuild in a process of its own (`child`); `None` builds
    /// in this process.
    pub builder: Option<PathBuf>,
}

impl Shared {
    /// A server state for the site in `root`, not yet built, that rebuilds with `builder` (see
    /// [`Options::builder`]).
    pub fn new(root: &Path, builder: Option<PathBuf>) -> Arc<Self> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Shared {
            snapshot: RwLock::new(Snapshot::default()),
            reload,
            root: root.to_path_buf(),
            builder,
        })
    }

    /// Builds the site into memory, keeps the pages if the build is good, prints the problems and
    /// tells open tabs. Returns the problems.
    pub fn rebuild(&self) -> Vec<Diagnostic> {
        let outcome = match &self.builder {
            Some(exe) => child::build(exe, &self.root),
            None => {
                let outcome = crate::run(&self.root);
                let files = (!outcome.has_errors()).then_some(outcome.rendered.files);
                child::Built {
                    files,
                    diagnostics: outcome.diagnostics,
                    sources: outcome.sources,
                }
            }
        };
        let generation = {
            let mut snap = self.snapshot.write().expect("snapshot lock");
            if let Some(files) = outcome.files {
                snap.files = files;
            }
            snap.diagnostics = outcome.diagnostics.clone();
            snap.generation += 1;
            snap.generation
        };
        if !outcome.diagnostics.is_empty() {
            let (seen, sources) =
                diagnostics::seen_from(&self.root, &outcome.diagnostics, &outcome.sources);
            anstream::eprint!(
                "{}",
                diagnostics::render_human(&seen, &sources, crate::cli::stderr_styled())
            );
        }
        let errors = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        // The time tells this rebuild from the one before it in a scrolling terminal.
        let at = clock_time(std::time::SystemTime::now());
        if errors == 0 {
            eprintln!(
                "rebuilt at {at} ({})",
                diagnostics::summary(&outcome.diagnostics)
            );
        } else {
            eprintln!(
                "build failed at {at} ({}); still serving the last good pages",
                diagnostics::summary(&outcome.diagnostics)
            );
        }
        let _ = self.reload.send(generation);
        outcome.diagnostics
    }
}

/// The HTTP side: GET and HEAD of the built files, and the reload events, for requests that name
/// this server (see `host`) when it is bound to `bound`.
pub fn router(shared: Arc<Shared>, bound: IpAddr) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(serve_file)
        .layer(axum::middleware::from_fn_with_state(
            host::Hosts::new(bound),
            host::refuse_other_hosts,
        ))
        .with_state(shared)
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let receiver = shared.reload.subscribe();
    // The current build first: a tab that connects after a build must still hear of it.
    let current = shared.snapshot.read().expect("snapshot lock").generation;
    let first = futures_util::stream::once(async move {
        Ok(Event::default().event("reload").data(current.to_string()))
    });
    let stream = futures_util::stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(generation) => {
                    return Some((
                        Ok::<_, std::convert::Infallible>(
                            Event::default()
                                .event("reload")
                                .data(generation.to_string()),
                        ),
                        rx,
                    ));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(first, stream)).keep_alive(KeepAlive::default())
}

async fn serve_file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "polis serve answers GET and HEAD only\n",
        )
            .into_response();
    }
    let path = request.uri().path();
    let Some(key) = file_key(path) else {
        return (
            StatusCode::BAD_REQUEST,
            "that path leads outside the site\n",
        )
            .into_response();
    };
    let snap = shared.snapshot.read().expect("snapshot lock");
    let found = snap.files.get(&key).map(|b| (key.clone(), b)).or_else(|| {
        let dir = format!("{}/index.html", key.trim_end_matches('/'));
        snap.files.get(&dir).map(|b| (dir, b))
    });
    // `/nl/privacyverklaring` is the folder: send the reader to it, so relative links resolve.
    if let Some((name, _)) = &found
        && name != &key
        && !path.ends_with('/')
    {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, folder_location(name))],
        )
            .into_response();
    }
    let Some((name, bytes)) = found else {
        let body = inject(&not_found_page(path), &snap);
        return html_response(StatusCode::NOT_FOUND, body);
    };
    if !name.ends_with(".html") {
        let mut response = Response::new(Body::from(bytes.clone()));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(&name)),
        );
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let html = String::from_utf8_lossy(bytes).into_owned();
    html_response(StatusCode::OK, inject(&html, &snap))
}

fn html_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The key of a request path in the file map, or `None` when it tries to climb out.
pub fn file_key(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// The address of the folder whose index is `name` (`nl/privacyverklaring/index.html`), made from
/// the file map's key and never from the request: `//nl/privacyverklaring` must not send the
/// browser to `//nl/privacyverklaring/`, which is host `nl`. The key has no empty segments and no
/// backslashes, so the address starts with exactly one `/`.
fn folder_location(name: &str) -> String {
    let folder = name.strip_suffix("index.html").unwrap_or(name);
    let mut location = String::from("/");
    for byte in folder.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            location.push(char::from(byte));
        } else {
            location.push_str(&format!("%{byte:02X}"));
        }
    }
    location
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("woff2") => "font/woff2",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn not_found_page(path: &str) -> String {
    let mut escaped = String::new();
    for c in path.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
    format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title><body><main><h1>Not found</h1><p>polis serves no page at <code>{escaped}</code>. <a href=\"/\">Start page</a></p></main></body></html>"
    )
}

/// Adds the reload script and, when the latest build failed, the error overlay.
pub fn inject(html: &str, snap: &Snapshot) -> String {
    let errors: Vec<&Diagnostic> = snap
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay(&errors));
    }
    extra.push_str(&format!(
        "<script>(()=>{{const g={};const s=new EventSource(\"{EVENTS_PATH}\");s.addEventListener(\"reload\",e=>{{if(Number(e.data)!==g)location.reload()}});}})();</script>",
        snap.generation
    ));
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

fn overlay(errors: &[&Diagnostic]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut items = String::new();
    for d in errors {
        let place = if d.line > 0 {
            format!("{}:{}:{}", d.file, d.line, d.column)
        } else {
            d.file.clone()
        };
        let hint = d
            .hint
            .as_deref()
            .map(|h| format!("<br><small>{}</small>", esc(h)))
            .unwrap_or_default();
        items.push_str(&format!(
            "<li><code>{}</code> <b>{}</b><br>{}{hint}</li>",
            esc(&place),
            esc(d.code.as_str()),
            esc(&d.message)
        ));
    }
    format!(
        "<div id=\"polis-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#3b0000;border-top:4px solid #b00020;padding:1rem 1.5rem;font:15px/1.5 system-ui,sans-serif;z-index:2147483647;box-shadow:0 -4px 16px rgba(0,0,0,.2)\"><h2 style=\"margin:0 0 .5rem;font-size:1.1rem\">polis: the last change broke the build ({} error{}) — showing the last good page</h2><ul style=\"margin:0;padding-left:1.2rem\">{items}</ul></div>",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

/// Options of `polis serve`.
pub struct Options {
    /// Address to bind; loopback by default.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Quiet time after the last change before rebuilding.
    pub debounce: std::time::Duration,
    /// The polis program, to run each rebuild in a process of its own that limits its memory and
    /// time (`polis __serve-build`), so that no content can take the server down; `None` builds in
    /// this process.
    pub builder: Option<PathBuf>,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The runtime that serves could not start.
    Runtime(std::io::Error),
    /// Nothing can listen at this address.
    Listen(SocketAddr, std::io::Error),
    /// The site folder cannot be watched for changes.
    Watch(PathBuf, notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Runtime(e) => e.fmt(f),
            ServeError::Listen(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServeError::Watch(root, e) => write!(f, "cannot watch {}: {e}", root.display()),
        }
    }
}

impl std::error::Error for ServeError {}

/// Builds, serves and watches until Ctrl-C; the error when the server cannot start.
pub fn serve(root: &Path, options: Options) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    // Ctrl-C or a termination signal ends the rebuild under way first, then the server: a
    // rebuild runs in a child process that the signal does not reach (SIGTERM) or that outlives
    // the server (SIGINT), building on, orphaned, until its CPU limit.
    let stopping = Arc::new(tokio::sync::Notify::new());
    let notify = stopping.clone();
    let _ = ctrlc::set_handler(move || {
        child::stop();
        notify.notify_one();
    });
    runtime.block_on(async move {
        // Listening first: a port in use is reported before the build, and the warning before
        // anything else.
        let addr = SocketAddr::new(options.bind, options.port);
        let listener = listen_near(addr).await?;
        let local = listener.local_addr().map_err(|e| ServeError::Listen(addr, e))?;
        if local.port() != addr.port() && addr.port() != 0 {
            eprintln!(
                "port {} is in use (another polis serve?): serving on port {} instead",
                addr.port(),
                local.port()
            );
        }
        if !local.ip().is_loopback() {
            eprintln!(
                "warning: serving on {}: anyone on your network can read these drafts (without --bind, polis serves this machine only)",
                local.ip()
            );
        }
        let shared = Shared::new(root, options.builder.clone());
        shared.rebuild();
        watch::start(shared.clone(), options.debounce).map_err(|e| ServeError::Watch(root.to_path_buf(), e))?;
        let url = format!("http://{local}/");
        println!("serving {} at {url} (Ctrl-C to stop)", root.display());
        if options.open {
            open_in_browser(&url);
        }
        listen::serve(listener, router(shared, options.bind), async {
            stopping.notified().await;
            eprintln!("stopping");
        })
        .await;
        Ok(())
    })
}

/// A listener on `addr`, or, when another program holds that port, on the next free one of the
/// twenty after it (as Hugo does): a second `polis serve` starts instead of failing.
async fn listen_near(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    let first = tokio::net::TcpListener::bind(addr).await;
    let in_use = match first {
        Ok(listener) => return Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && addr.port() != 0 => e,
        Err(e) => return Err(ServeError::Listen(addr, e)),
    };
    for port in (addr.port().saturating_add(1)..=u16::MAX).take(20) {
        if let Ok(listener) = tokio::net::TcpListener::bind(SocketAddr::new(addr.ip(), port)).await
        {
            return Ok(listener);
        }
    }
    Err(ServeError::Listen(addr, in_use))
}

/// Opens `url` in the default browser. The opener's own messages (xdg-open's and the browser's
/// warnings) are not polis's: they would interleave with the rebuild lines, so they go nowhere.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// The time of day of `now` as `12:41:07 UTC`. In UTC: the local offset would need the system's
/// time zone database, which polis does not read.
fn clock_time(now: std::time::SystemTime) -> String {
    let seconds = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_cannot_climb_out() {
        assert_eq!(file_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_key("/nl/privacyverklaring/").as_deref(),
            Some("nl/privacyverklaring/index.html")
        );
        assert_eq!(file_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(file_key("/../etc/passwd"), None);
        assert_eq!(file_key("/%2e%2e/etc/passwd"), None);
        assert_eq!(file_key("/a/..%2f..%2fx"), None);
        assert_eq!(
            file_key("//nl//privacyverklaring").as_deref(),
            Some("nl/privacyverklaring")
        );
        assert_eq!(file_key("/%5C%5Cevil.example"), None);
    }

    #[test]
    fn rebuild_times_are_the_time_of_day() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(20_000 * 86_400 + 45_727);
        assert_eq!(clock_time(at), "12:42:07 UTC");
    }

    #[test]
    fn folder_locations_start_with_one_slash_and_are_encoded() {
        assert_eq!(
            folder_location("nl/privacyverklaring/index.html"),
            "/nl/privacyverklaring/"
        );
        assert_eq!(folder_location("index.html"), "/");
        assert_eq!(
            folder_location("fr/politique de confidentialité/index.html"),
            "/fr/politique%20de%20confidentialit%C3%A9/"
        );
    }
}
