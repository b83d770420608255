//! `polis serve`, run as the user runs it: the binary as a child process on a free port, over a
//! copy of the example site, spoken to over plain HTTP/1.1.
//!
//! Every wait polls until what the test expects shows up, or gives up after [`WAIT`] with the
//! server's log; no test asserts how long anything took. The server is killed when its
//! [`Server`] is dropped, also when a test fails.
//!
//! The last test drives a real browser (tests/browser/reload.mjs, headless Chromium through
//! playwright-core). It is skipped, loudly, when Chromium or `node_modules/playwright-core` is
//! missing, unless `POLIS_REQUIRE_BROWSER=1` (as in CI), which makes that a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::machine::{Need, skip};
use crate::support::{copy_dir, wait_at_most};
use tempfile::TempDir;

const POLIS: &str = env!("CARGO_BIN_EXE_polis");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// How long a test waits for something that should happen; only reached when it does not.
const WAIT: Duration = Duration::from_secs(30);
/// How often a test looks again.
const STEP: Duration = Duration::from_millis(20);

const PRIVACY_NL: &str = "/nl/privacyverklaring/";
const PRIVACY_EN: &str = "/en/privacy-policy/";
const EVENTS: &str = "/__polis/events";
/// The start of the reload script polis adds to every page it serves.
const SCRIPT_START: &str = "<script>(()=>{const g=";
const OVERLAY_START: &str = "<div id=\"polis-overlay\"";

// ---------------------------------------------------------------------------------------------
// The site and the server

/// A copy of the example site in a temporary folder: site.yaml, and content/ when asked for
/// (without it, polis uses the texts it ships). The site is `<tmp>/site`, so the folder around
/// it can hold files a request must not reach.
struct Site {
    dir: TempDir,
}

impl Site {
    fn new(with_content: bool) -> Site {
        let dir = tempfile::Builder::new()
            .prefix("polis-serve-")
            .tempdir()
            .expect("a temporary folder");
        let site = Site { dir };
        std::fs::create_dir(site.root()).expect("create the site folder");
        std::fs::copy(Path::new(REPO).join("site.yaml"), site.path("site.yaml"))
            .expect("copy site.yaml");
        if with_content {
            copy_dir(&Path::new(REPO).join("content"), &site.path("content"));
        }
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The folder that holds the site folder.
    fn outside(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Edits a file in place, as most editors save.
    fn edit(&self, rel: &str, edit: impl FnOnce(&mut String)) {
        let mut text = self.read(rel);
        edit(&mut text);
        self.write(rel, &text);
    }
}

/// Replaces the only occurrence of `from` in `text`.
fn replace(text: &mut String, from: &str, to: &str) {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` should occur exactly once in the file being edited"
    );
    *text = text.replacen(from, to, 1);
}

/// Appends a paragraph to a content file.
fn append(text: &mut String, paragraph: &str) {
    text.push_str("\n\n");
    text.push_str(paragraph);
    text.push('\n');
}

/// The 1-based line of the only line of `text` that holds `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "`{needle}` should be on exactly one line");
    hits[0]
}

/// Breaks site.yaml with a key `rights` does not have; returns the good text and the line and
/// column polis should point at.
fn break_site_yaml(site: &Site, key: &str) -> (String, usize, usize) {
    let good = site.read("site.yaml");
    let mut bad = good.clone();
    replace(&mut bad, "\nrights:\n", &format!("\nrights:\n  {key}: 1\n"));
    site.write("site.yaml", &bad);
    (good, line_of(&bad, &format!("  {key}: 1")), 3)
}

/// `polis serve` on a site, killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, from the URL the server printed.
    addr: String,
    /// Everything the server printed, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Server {
    /// `polis serve --root <absolute path>`.
    fn start(site: &Site) -> Server {
        let mut command = Command::new(POLIS);
        command
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root());
        Server::spawn(command, "127.0.0.1")
    }

    /// `polis serve` run in the site folder, as the README has it: the root is `.`.
    fn start_in(site: &Site) -> Server {
        let mut command = Command::new(POLIS);
        command
            .args(["serve", "--port", "0"])
            .current_dir(site.root());
        Server::spawn(command, "127.0.0.1")
    }

    /// `polis serve --bind <bind>`; the tests still speak to it on 127.0.0.1 only.
    fn start_bound(site: &Site, bind: &str) -> Server {
        let mut command = Command::new(POLIS);
        command
            .args(["serve", "--port", "0", "--bind", bind, "--root"])
            .arg(site.root());
        Server::spawn(command, bind)
    }

    /// Starts `command`, which should print the URL of `bind`, and keeps its loopback address.
    fn spawn(mut command: Command, bind: &str) -> Server {
        let mut child = command
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start polis serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (url_tx, url_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let out_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                out_log
                    .lock()
                    .unwrap()
                    .push_str(&format!("[stdout] {line}\n"));
                if let Some(at) = line.find("http://") {
                    let _ = url_tx.send(
                        line[at..]
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                }
            }
        });
        let err_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                err_log
                    .lock()
                    .unwrap()
                    .push_str(&format!("[stderr] {line}\n"));
            }
        });
        // The first build happens before the server listens; allow for a slow machine.
        let url = match url_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "polis serve printed no URL (exit: {status:?})\n{}",
                    log.lock().unwrap()
                );
            }
        };
        let printed = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("polis serve printed an odd URL: {url}"));
        let port = printed
            .strip_prefix(bind)
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or_else(|| panic!("polis serve should listen on {bind}, printed {url}"));
        Server {
            child,
            addr: format!("127.0.0.1:{port}"),
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the server printed a line starting with `start` (`[stderr] rebuilt`), and
    /// returns the log up to and including it.
    fn wait_for_line(&self, start: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let log = self.log();
            if let Some(at) = log.lines().position(|l| l.starts_with(start)) {
                return log.lines().take(at + 1).map(|l| format!("{l}\n")).collect();
            }
            assert!(
                Instant::now() < deadline,
                "waited for a line `{start}...`; the server printed:\n{log}"
            );
            std::thread::sleep(STEP);
        }
    }

    /// The port the server listens on.
    fn port(&self) -> &str {
        self.addr
            .rsplit_once(':')
            .map(|(_, port)| port)
            .unwrap_or_default()
    }

    /// Sends `request` as it is (the request line and headers, without the blank line) and reads
    /// the whole answer.
    fn raw(&self, request: &str) -> std::io::Result<Response> {
        self.raw_for(request, Some(&self.addr))
    }

    /// [`Server::raw`] with another `Host` header, or none. The request still goes to loopback.
    fn raw_for(&self, request: &str, host: Option<&str>) -> std::io::Result<Response> {
        let mut stream = TcpStream::connect(&self.addr)?;
        stream.set_read_timeout(Some(WAIT))?;
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        stream.write_all(format!("{request}\r\n{host}Connection: close\r\n\r\n").as_bytes())?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        Response::parse(&bytes)
    }

    fn request(&self, method: &str, path: &str) -> Response {
        let extra = if method == "GET" || method == "HEAD" {
            ""
        } else {
            "\r\nContent-Length: 0"
        };
        self.raw(&format!("{method} {path} HTTP/1.1{extra}"))
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log()))
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// GETs `path` until `done` holds for the answer, and returns that answer.
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            if let Ok(response) = self.raw(&format!("GET {path} HTTP/1.1")) {
                if done(&response) {
                    return response;
                }
                last = Some(response);
            }
            if Instant::now() > deadline {
                let last = last
                    .map(|r| r.describe())
                    .unwrap_or_else(|| "no answer".into());
                panic!(
                    "waited for {what} at {path}; the last answer:\n{last}\n\nserver log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(STEP);
        }
    }

    /// GETs `path` until it shows a build newer than `generation`, and returns it.
    fn wait_for_build_after(&self, path: &str, generation: u64) -> Response {
        self.wait_for(path, &format!("a build after #{generation}"), |r| {
            r.status == 200 && r.generation() > generation
        })
    }

    /// Opens the reload event stream and waits until it is connected.
    fn events(&self) -> EventStream {
        self.events_for(&self.addr)
    }

    /// [`Server::events`] with another `Host` header. The request still goes to loopback.
    fn events_for(&self, host: &str) -> EventStream {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the event stream");
        stream.set_read_timeout(Some(WAIT)).expect("read timeout");
        write!(
            stream,
            "GET {EVENTS} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("ask for events");
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("read the event stream's headers: {e}\n{}", self.log()));
            if line.is_empty() || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "the event stream answered:\n{head}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "the event stream answered:\n{head}"
        );
        EventStream { reader }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An open `/__polis/events` stream (chunked; only the event lines matter here).
struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    /// The generation of the next `reload` event announcing a build after `generation`.
    fn reload_after(&mut self, generation: u64) -> u64 {
        loop {
            let announced = self.next_reload();
            if announced > generation {
                return announced;
            }
        }
    }

    /// The generation of the next `reload` event.
    fn next_reload(&mut self) -> u64 {
        let mut event = None;
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("no reload event within {WAIT:?} ({e})"));
            assert!(n > 0, "the event stream closed before a reload event");
            let line = line.trim_end();
            if let Some(name) = line.strip_prefix("event:") {
                event = Some(name.trim().to_owned());
            } else if let Some(data) = line.strip_prefix("data:") {
                if event.as_deref() == Some("reload") {
                    return data
                        .trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("a reload event with data `{data}`"));
                }
            } else if line.is_empty() {
                event = None;
            }
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> std::io::Result<Response> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| bad("no end of headers"))?;
        let head = std::str::from_utf8(&bytes[..split]).map_err(|_| bad("headers not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(status_line))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = bytes[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// For failure messages: the status, the build, the overlay; not the whole page.
    fn describe(&self) -> String {
        let text = self.text();
        let overlay = text
            .find(OVERLAY_START)
            .map(|at| &text[at..])
            .and_then(|o| o.find("</div>").map(|end| &o[..end + 6]));
        format!(
            "{} (build #{}, {} bytes), overlay: {}",
            self.status,
            self.generation(),
            self.body.len(),
            overlay.unwrap_or("none")
        )
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn has_overlay(&self) -> bool {
        self.text().contains(OVERLAY_START)
    }

    /// The build number in the reload script; 0 without one.
    fn generation(&self) -> u64 {
        let text = self.text();
        let Some(at) = text.rfind(SCRIPT_START) else {
            return 0;
        };
        let digits: String = text[at + SCRIPT_START.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap_or(0)
    }
}

fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = bytes.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(
            std::str::from_utf8(&bytes[..end])
                .ok()?
                .split(';')
                .next()?
                .trim(),
            16,
        )
        .ok()?;
        bytes = &bytes[end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(bytes.get(..size)?);
        bytes = bytes.get(size + 2..)?;
    }
}

/// A served page taken apart: the page as built and the overlay (if any), after checking that
/// the reload script is there once, with the overlay right before it and `</body>` right after.
struct Served {
    page: String,
    overlay: Option<String>,
}

fn take_apart(html: &str) -> Served {
    let script_at = html
        .rfind(SCRIPT_START)
        .unwrap_or_else(|| panic!("no reload script in the page:\n{html}"));
    let script_len = html[script_at..]
        .find("</script>")
        .expect("the reload script ends")
        + "</script>".len();
    let script = html[script_at..script_at + script_len].to_owned();
    let rest = &html[script_at + script_len..];
    assert!(
        rest.starts_with("</body>"),
        "the reload script should come right before </body>, it is followed by:\n{rest}"
    );
    assert!(
        !rest[1..].contains("</body>"),
        "the reload script should be before the last </body>"
    );
    let (before, overlay) = match html[..script_at].rfind(OVERLAY_START) {
        Some(at) => {
            assert!(
                html[at..script_at].ends_with("</div>"),
                "the overlay should end right before the reload script"
            );
            (&html[..at], Some(html[at..script_at].to_owned()))
        }
        None => (&html[..script_at], None),
    };
    assert_eq!(
        html.matches(SCRIPT_START).count(),
        1,
        "one reload script per page"
    );
    assert!(
        script.contains(&format!("new EventSource(\"{EVENTS}\")")),
        "the script listens to {EVENTS}: {script}"
    );
    assert!(
        script.contains("\"reload\"") && script.contains("location.reload()"),
        "the script reloads on a reload event: {script}"
    );
    Served {
        page: format!("{before}{rest}"),
        overlay,
    }
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn serves_the_pages_with_the_reload_script() {
    let site = Site::new(false);
    let server = Server::start(&site);

    for path in [
        "/",
        PRIVACY_NL,
        PRIVACY_EN,
        "/nl/cookiebeleid/",
        "/en/cookie-policy/",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "GET {path}\n{}", server.log());
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8"),
            "GET {path}"
        );
        assert_eq!(
            response.header("cache-control"),
            Some("no-store"),
            "GET {path}"
        );
        let text = response.text();
        assert!(
            text.contains("Lumen"),
            "GET {path} does not name the company:\n{text}"
        );
        let served = take_apart(&text);
        assert!(
            served.overlay.is_none(),
            "GET {path}: an overlay on a good build:\n{text}"
        );
        assert!(
            !served.page.contains("EventSource"),
            "GET {path}: a second script"
        );
    }
    let privacy = server.get(PRIVACY_NL).text();
    assert!(
        privacy.contains("Atelier Lumen"),
        "the privacy page names the legal name"
    );

    // Not HTML: served as it is, without a script.
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("<script"));

    // HEAD: the headers of GET, no body.
    let head = server.request("HEAD", PRIVACY_NL);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(head.body.is_empty(), "HEAD answered with a body");

    // Unknown pages: a 404 page that still reloads, so it turns into the page once it exists.
    let missing = server.get("/nl/bestaat-niet/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("/nl/bestaat-niet/"));
    take_apart(&missing.text());

    // The site's sources are not served: only what a build writes is.
    for path in [
        "/site.yaml",
        "/content/privacy.nl.md",
        "/themes/default/templates/page.html",
    ] {
        let response = server.get(path);
        assert_eq!(
            response.status,
            404,
            "GET {path} should be a 404:\n{}",
            response.text()
        );
        assert!(
            !response.text().contains("legal_name"),
            "GET {path} leaks site.yaml"
        );
    }
}

#[test]
fn a_content_edit_shows_up_and_is_announced() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let before = server.get(PRIVACY_NL);
    assert_eq!(before.status, 200);
    let sentence = "Deze zin is net toegevoegd door de test.";
    assert!(!before.text().contains(sentence));

    let mut events = server.events();
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    let announced = events.reload_after(before.generation());

    let after = server.wait_for(PRIVACY_NL, "the new sentence", |r| {
        r.text().contains(sentence)
    });
    assert_eq!(after.status, 200);
    assert!(
        after.generation() >= announced,
        "the page of build #{} after the event for #{announced}",
        after.generation()
    );
    assert!(!after.has_overlay());
    // The English page has its own text.
    assert!(!server.get(PRIVACY_EN).text().contains(sentence));

    // Saved the way many editors save: a new file renamed over the old one.
    let second = "En deze zin kwam er via een hernoemd bestand bij.";
    let mut text = site.read("content/privacy.nl.md");
    append(&mut text, second);
    let tmp = site.path("content/.privacy.nl.md.swp-new");
    std::fs::write(&tmp, text).expect("write the new version");
    std::fs::rename(&tmp, site.path("content/privacy.nl.md")).expect("rename it over the old one");
    let after = server.wait_for(PRIVACY_NL, "the sentence saved by rename", |r| {
        r.text().contains(second)
    });
    assert!(after.text().contains(sentence));
}

#[test]
fn a_broken_site_yaml_keeps_the_last_good_page_under_an_overlay() {
    let site = Site::new(false);
    let server = Server::start(&site);
    let good = server.get(PRIVACY_NL);
    assert_eq!(good.status, 200);
    let good_page = take_apart(&good.text()).page;

    let (good_yaml, line, column) = break_site_yaml(&site, "bogus_key");
    let broken = server.wait_for(PRIVACY_NL, "the overlay", Response::has_overlay);
    assert_eq!(broken.status, 200, "the last good page is still served");
    let served = take_apart(&broken.text());
    assert_eq!(
        served.page, good_page,
        "under the overlay, the last good page, unchanged"
    );
    let overlay = served.overlay.expect("an overlay");
    assert!(
        overlay.starts_with("<div id=\"polis-overlay\" role=\"alert\""),
        "{overlay}"
    );
    for needle in [
        format!("site.yaml:{line}:{column}"),
        "unknown-key".into(),
        "bogus_key".into(),
    ] {
        assert!(
            overlay.contains(&needle),
            "the overlay should mention `{needle}`:\n{overlay}"
        );
    }
    assert!(
        broken.generation() > good.generation(),
        "the page tells a new build from the old one"
    );
    // Every page carries it, the 404 page too.
    for path in ["/", PRIVACY_EN, "/nl/bestaat-niet/"] {
        assert!(
            server.get(path).has_overlay(),
            "GET {path} has no overlay while the build is broken"
        );
    }
    assert!(
        server.log().contains("unknown-key"),
        "the server prints the problem too:\n{}",
        server.log()
    );

    site.write("site.yaml", &good_yaml);
    let fixed = server.wait_for(PRIVACY_NL, "the overlay to go", |r| {
        r.status == 200 && !r.has_overlay()
    });
    let served = take_apart(&fixed.text());
    assert_eq!(served.page, good_page);
    assert!(fixed.generation() > broken.generation());
    assert!(!server.get("/").has_overlay());
}

#[test]
fn paths_that_climb_out_of_the_site_are_refused() {
    let site = Site::new(false);
    // Next to the site folder: what `/../` would reach if it were followed.
    std::fs::copy(
        Path::new(REPO).join("Cargo.toml"),
        site.outside().join("Cargo.toml"),
    )
    .expect("copy Cargo.toml");
    std::fs::write(site.outside().join("secret.txt"), "do-not-serve-this").expect("write a secret");
    let server = Server::start(&site);

    for path in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/nl/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/secret.txt",
        "/nl/..%2f..%2fCargo.toml",
        "/..\\Cargo.toml",
        "/nl/%2e%2e/%2e%2e/secret.txt",
    ] {
        let response = server.get(path);
        assert_eq!(
            response.status,
            400,
            "GET {path} answered {}:\n{}",
            response.status,
            response.text()
        );
        let text = response.text();
        assert!(
            !text.contains("[package]") && !text.contains("do-not-serve-this"),
            "GET {path} leaked a file:\n{text}"
        );
    }
    // A path that only looks like it climbs stays inside.
    assert_eq!(server.get("/nl/./privacyverklaring/").status, 200);
}

/// What polis serve on loopback answers a request for `host`.
fn refusal_on_loopback(host: &str) -> String {
    format!(
        "polis serve refuses Host `{host}`: it answers only requests for localhost, 127.0.0.1 or [::1], so that no other web site can read these drafts by pointing its name at this machine (DNS rebinding)\n"
    )
}

fn assert_refused(response: &Response, refusal: &str, what: &str) {
    assert_eq!(response.status, 421, "{what}:\n{}", response.text());
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8"),
        "{what}"
    );
    assert_eq!(response.text(), refusal, "{what}");
}

#[test]
fn only_requests_for_this_server_are_answered() {
    // DNS rebinding: a page of evil.example points its name at 127.0.0.1, and its scripts reach
    // the server as evil.example, the browser sending that name as Host.
    let site = Site::new(false);
    let server = Server::start(&site);
    let port = server.port();

    for host in [
        format!("evil.example:{port}"),
        "evil.example".into(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("192.168.1.10:{port}"),
    ] {
        for path in [
            "/",
            PRIVACY_NL,
            "/nl/privacyverklaring",
            "/style.css",
            "/nl/bestaat-niet/",
            EVENTS,
        ] {
            for method in ["GET", "HEAD", "POST"] {
                let what = format!("{method} {path} for {host}");
                let extra = if method == "POST" {
                    "\r\nContent-Length: 0"
                } else {
                    ""
                };
                let response = server
                    .raw_for(&format!("{method} {path} HTTP/1.1{extra}"), Some(&host))
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let refusal = if method == "HEAD" {
                    String::new()
                } else {
                    refusal_on_loopback(&host)
                };
                assert_refused(&response, &refusal, &what);
            }
        }
    }
    // A URI with a host of its own is held to the same rule, whatever Host says.
    let absolute = server
        .raw_for(
            &format!("GET http://evil.example:{port}{PRIVACY_NL} HTTP/1.1"),
            Some(&server.addr),
        )
        .expect("an answer");
    assert_refused(
        &absolute,
        &refusal_on_loopback(&format!("evil.example:{port}")),
        "an absolute URI naming evil.example",
    );

    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".into(),
        "127.0.0.1".into(),
    ] {
        let response = server
            .raw_for(&format!("GET {PRIVACY_NL} HTTP/1.1"), Some(&host))
            .expect("an answer");
        assert_eq!(response.status, 200, "GET for {host}:\n{}", response.text());
        assert!(
            take_apart(&response.text()).page.contains("Atelier Lumen"),
            "GET for {host}"
        );
        let mut events = server.events_for(&host);
        assert_eq!(
            events.next_reload(),
            response.generation(),
            "the event stream for {host}"
        );
    }
    // HTTP/1.0 may leave out Host; a browser never does.
    let old = server
        .raw_for(&format!("GET {PRIVACY_NL} HTTP/1.0"), None)
        .expect("an answer");
    assert_eq!(old.status, 200, "{}", old.text());
}

#[test]
fn serving_beyond_loopback_warns_and_still_refuses_names() {
    let site = Site::new(false);
    let server = Server::start_bound(&site, "0.0.0.0");
    let port = server.port();
    // On stderr, before the build's own lines.
    let log = server.wait_for_line("[stderr] rebuilt");
    assert_eq!(
        log.lines().find(|l| l.starts_with("[stderr]")),
        Some(
            "[stderr] warning: serving on 0.0.0.0: anyone on your network can read these drafts (without --bind, polis serves this machine only)"
        ),
        "{log}"
    );

    // Bound to every address, it answers any IP address of the machine (only loopback is used
    // here), and still no name but localhost.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("0.0.0.0:{port}"),
        format!("192.168.1.10:{port}"),
        format!("localhost:{port}"),
    ] {
        let response = server
            .raw_for(&format!("GET {PRIVACY_NL} HTTP/1.1"), Some(&host))
            .expect("an answer");
        assert_eq!(response.status, 200, "GET for {host}:\n{}", response.text());
    }
    let host = format!("evil.example:{port}");
    let refused = server
        .raw_for(&format!("GET {PRIVACY_NL} HTTP/1.1"), Some(&host))
        .expect("an answer");
    let refusal = format!(
        "polis serve refuses Host `{host}`: it answers only requests for localhost or an IP address of this machine, so that no other web site can read these drafts by pointing its name at this machine (DNS rebinding)\n"
    );
    assert_refused(&refused, &refusal, "GET for evil.example");

    // On loopback: no warning.
    let quiet = Server::start(&site);
    let log = quiet.wait_for_line("[stderr] rebuilt");
    assert!(!log.contains("warning: serving"), "{log}");
}

#[test]
fn connections_without_a_request_are_closed() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let before = server.get(PRIVACY_NL);
    assert_eq!(before.status, 200);
    // Its request is complete; its answer goes on for as long as the tab is open.
    let mut events = server.events();

    let mut silent = TcpStream::connect(&server.addr).expect("connect");
    let mut slow = TcpStream::connect(&server.addr).expect("connect");
    write!(
        slow,
        "GET {PRIVACY_NL} HTTP/1.1\r\nHost: {}\r\n",
        server.addr
    )
    .expect("send half a request head");
    // polis gives a request head 10 seconds; twice that is only reached when it waits for good.
    for (sent, stream) in [("nothing", &mut silent), ("half a request head", &mut slow)] {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("read timeout");
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer).map_err(|e| e.kind());
        assert_eq!(
            (read, answer.as_slice()),
            (Ok(0), &b""[..]),
            "a connection that sent {sent} should be closed, without an answer"
        );
    }

    // The event stream outlived them: it still announces builds.
    let sentence = "Deze zin kwam na de stille verbindingen.";
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    let announced = events.reload_after(before.generation());
    server.wait_for(PRIVACY_NL, "the announced build", |r| {
        r.generation() >= announced && r.text().contains(sentence)
    });
}

#[test]
fn redirects_stay_on_this_server() {
    let site = Site::new(false);
    let server = Server::start(&site);

    // A folder without its slash is sent to the folder, at its normalised address: never to a
    // protocol-relative `//nl/...`, which a browser reads as the host `nl`.
    for path in [
        "/nl/privacyverklaring",
        "//nl/privacyverklaring",
        "///nl//privacyverklaring",
        "/%2F%2Fnl/privacyverklaring",
        "/%2Fnl%2Fprivacyverklaring",
        "/./nl/privacyverklaring",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 301, "GET {path}:\n{}", response.text());
        assert_eq!(response.header("location"), Some(PRIVACY_NL), "GET {path}");
    }
    // Backslashes, plain or encoded, are refused; an encoded `//evil.example` is only a missing page.
    for path in [
        "/\\\\evil.example",
        "/\\evil.example",
        "/%5C%5Cevil.example",
        "/%5c%5cevil.example/",
        "/%5C/evil.example",
    ] {
        let response = server.get(path);
        assert_eq!(
            (response.status, response.header("location")),
            (400, None),
            "GET {path}:\n{}",
            response.text()
        );
    }
    for path in ["/%2F%2Fevil.example", "/%2F%2Fevil.example/"] {
        let response = server.get(path);
        assert_eq!(
            (response.status, response.header("location")),
            (404, None),
            "GET {path}:\n{}",
            response.text()
        );
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::new(false);
    let server = Server::start(&site);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", PRIVACY_NL, "/style.css", "/nl/bestaat-niet/", EVENTS] {
            let response = server.request(method, path);
            assert_eq!(
                response.status,
                405,
                "{method} {path}:\n{}",
                response.text()
            );
            let allow = response
                .header("allow")
                .unwrap_or_else(|| panic!("{method} {path}: no Allow header"));
            let mut allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
            allowed.sort_unstable();
            assert_eq!(allowed, ["GET", "HEAD"], "{method} {path}: Allow: {allow}");
            assert!(
                !response.text().contains("Lumen"),
                "{method} {path} answered with the page"
            );
        }
    }
    assert_eq!(server.get(PRIVACY_NL).status, 200, "still serving");
}

#[test]
fn deleted_and_recreated_files_are_caught_up_with() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let start = server.get(PRIVACY_NL);
    assert_eq!(start.status, 200);

    // content/ gone: polis falls back to the texts it ships, which are the example's.
    std::fs::remove_dir_all(site.path("content")).expect("remove content/");
    let without = server.wait_for_build_after(PRIVACY_NL, start.generation());
    assert!(!without.has_overlay(), "{}", without.text());
    assert_eq!(
        take_apart(&without.text()).page,
        take_apart(&start.text()).page
    );

    // content/ back, with an edit made while it was away.
    let sentence = "Deze zin stond in de teruggezette map.";
    let stash = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&Path::new(REPO).join("content"), stash.path());
    let mut text = std::fs::read_to_string(stash.path().join("privacy.nl.md")).expect("read");
    append(&mut text, sentence);
    std::fs::write(stash.path().join("privacy.nl.md"), text).expect("write");
    copy_dir(stash.path(), &site.path("content"));
    server.wait_for(PRIVACY_NL, "the restored content/", |r| {
        r.text().contains(sentence)
    });

    // And the restored folder is watched again.
    let later = "Deze zin kwam later in de teruggezette map.";
    site.edit("content/privacy.nl.md", |t| append(t, later));
    server.wait_for(PRIVACY_NL, "an edit in the restored content/", |r| {
        r.text().contains(later)
    });

    // site.yaml gone: the build fails, the last good page stays with the overlay naming it.
    let good_yaml = site.read("site.yaml");
    std::fs::remove_file(site.path("site.yaml")).expect("remove site.yaml");
    let broken = server.wait_for(
        PRIVACY_NL,
        "the overlay for a missing site.yaml",
        Response::has_overlay,
    );
    assert_eq!(broken.status, 200);
    let served = take_apart(&broken.text());
    assert!(served.page.contains(later), "the last good page is served");
    assert!(served.overlay.expect("an overlay").contains("site.yaml"));

    // site.yaml back, with a new company name: the server caught up.
    let mut renamed = good_yaml.clone();
    replace(&mut renamed, "trade_name: Lumen", "trade_name: Lumière");
    site.write("site.yaml", &renamed);
    let back = server.wait_for(PRIVACY_NL, "the restored site.yaml", |r| {
        !r.has_overlay() && r.text().contains("Lumière")
    });
    assert!(back.text().contains(later));
}

#[test]
fn served_pages_are_the_built_pages_plus_the_script() {
    let site = Site::new(true);
    let out = site.outside().join("built");
    let build = Command::new(POLIS)
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run polis build");
    assert!(
        build.status.success(),
        "polis build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let server = Server::start(&site);

    let mut files = Vec::new();
    for entry in walk(&out) {
        let rel = entry
            .strip_prefix(&out)
            .expect("inside the output")
            .to_string_lossy()
            .replace('\\', "/");
        // The mark a build leaves in its output folder is not part of the site.
        if rel == polis::write::MARKER {
            continue;
        }
        files.push((rel, std::fs::read(&entry).expect("read a built file")));
    }
    assert!(
        files
            .iter()
            .any(|(rel, _)| rel == "nl/privacyverklaring/index.html"),
        "built: {:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let mut generation = None;
    for (rel, built) in &files {
        let response = server.get(&format!("/{rel}"));
        assert_eq!(response.status, 200, "GET /{rel}");
        if rel.ends_with(".html") {
            let built = String::from_utf8(built.clone()).expect("built HTML is UTF-8");
            assert!(
                !built.contains("EventSource"),
                "{rel}: the reload script got into a built file"
            );
            let served = take_apart(&response.text());
            assert!(served.overlay.is_none());
            assert_eq!(
                served.page, built,
                "/{rel} differs from the built file beyond the script"
            );
            // One build serves every page.
            assert_eq!(
                *generation.get_or_insert(response.generation()),
                response.generation()
            );
        } else {
            assert_eq!(&response.body, built, "/{rel} differs from the built file");
        }
    }
    // A folder's index is served at the folder's address too.
    assert_eq!(
        take_apart(&server.get(PRIVACY_NL).text()).page,
        take_apart(&server.get(&format!("{PRIVACY_NL}index.html")).text()).page
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let entry = entry.expect("folder entry");
        if entry.file_type().expect("file type").is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files.sort();
    files
}

#[test]
fn a_site_broken_from_the_start_shows_the_overlay_until_fixed() {
    let site = Site::new(false);
    let (good_yaml, line, column) = break_site_yaml(&site, "bogus_from_the_start");
    let server = Server::start(&site);

    // No good build yet: nothing to serve but the 404 page, with the overlay.
    let broken = server.get(PRIVACY_NL);
    assert_eq!(broken.status, 404, "{}", broken.text());
    let overlay = take_apart(&broken.text())
        .overlay
        .expect("an overlay on the 404 page");
    assert!(
        overlay.contains(&format!("site.yaml:{line}:{column}")) && overlay.contains("unknown-key"),
        "{overlay}"
    );

    site.write("site.yaml", &good_yaml);
    let fixed = server.wait_for(PRIVACY_NL, "the first good build", |r| r.status == 200);
    assert!(!fixed.has_overlay());
    assert!(fixed.text().contains("Lumen"));
}

#[test]
fn a_theme_folder_created_later_is_watched() {
    let site = Site::new(false);
    let server = Server::start(&site);
    let before = server.get("/style.css");
    assert_eq!(before.status, 200);

    // The site's own style.css replaces the shipped one.
    let css = format!("{}\n/* the site's own */\n", before.text());
    std::fs::create_dir_all(site.path("themes/default/static")).expect("create themes/");
    site.write("themes/default/static/style.css", &css);
    server.wait_for("/style.css", "the site's own style.css", |r| {
        r.text() == css
    });

    // And edits inside the new folder count.
    let edited = format!("{css}/* edited */\n");
    site.write("themes/default/static/style.css", &edited);
    server.wait_for("/style.css", "the edited style.css", |r| r.text() == edited);
}

#[test]
fn the_archive_is_served_and_watched() {
    let site = Site::new(false);
    let server = Server::start(&site);
    // archive/ made while serving, then the date moved: the earlier version is served beside the
    // current one, with its notice.
    let archived = Command::new(POLIS)
        .args(["archive", "--root"])
        .arg(site.root())
        .output()
        .expect("run polis archive");
    assert!(
        archived.status.success(),
        "polis archive failed:\n{}",
        String::from_utf8_lossy(&archived.stderr)
    );
    site.edit("site.yaml", |y| {
        replace(
            y,
            "effective_date: 2026-03-01 ",
            "effective_date: 2026-04-01 ",
        )
    });
    let old = server.wait_for(
        "/nl/privacyverklaring/2026-03-01/",
        "the archived version",
        |r| r.status == 200,
    );
    assert!(
        old.text()
            .contains("Deze versie gold van 1 maart 2026 tot 1 april 2026."),
        "{}",
        old.text()
    );
    assert_eq!(server.get("/nl/privacyverklaring/versions/").status, 200);

    // A change inside archive/ is a change of the site.
    site.write("archive/2026-03-01/privacy.nl.html", "no body");
    server.wait_for(PRIVACY_NL, "the overlay for the broken archive", |r| {
        r.has_overlay()
    });
}

// The next three tests were bugs of `polis serve`; each says what went wrong.

#[test]
fn serve_in_the_site_folder_rebuilds_on_changes() {
    // notify reports absolute paths (it joins a relative watch path to the current folder), and
    // watch::is_source strips the root as given (`.`) from them: nothing is a source, nothing is
    // rebuilt. `polis serve` run in the site folder, as the README says, never reloads.
    let site = Site::new(true);
    let server = Server::start_in(&site);
    assert_eq!(server.get(PRIVACY_NL).status, 200);
    let sentence = "Deze zin kwam erbij terwijl polis in de map draaide.";
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    server.wait_for(PRIVACY_NL, "the new sentence", |r| {
        r.text().contains(sentence)
    });
}

#[test]
fn content_replaced_at_once_is_still_watched() {
    // `rm -rf content && cp -r backup content` (or `mv`): both happen within one 30 ms burst, so
    // when watch::rewatch runs, content/ is a folder and in `watched`, and it is not watched
    // again, though the watch was on the removed folder. Every later edit in content/ is missed.
    let site = Site::new(true);
    let server = Server::start(&site);
    let start = server.get(PRIVACY_NL);
    let stash = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&site.path("content"), stash.path());
    std::fs::remove_dir_all(site.path("content")).expect("remove content/");
    copy_dir(stash.path(), &site.path("content"));
    server.wait_for_build_after(PRIVACY_NL, start.generation());

    let sentence = "Deze zin kwam na het terugzetten van de map.";
    site.edit("content/privacy.nl.md", |t| append(t, sentence));
    server.wait_for(PRIVACY_NL, "an edit in the replaced content/", |r| {
        r.text().contains(sentence)
    });
}

#[test]
fn a_late_event_stream_learns_of_the_current_build() {
    // A page is served with the generation it shows; its script opens the event stream only when
    // it runs, after the page (and its style sheet) loaded. A build finished in between is never
    // announced to it: `events` only forwards builds that happen after it subscribed. Two saves
    // in a row (format-on-save, or breaking and at once fixing site.yaml) leave the tab showing
    // the first, for instance the overlay of a build that was fixed since. Sending the current
    // generation first on every new stream fixes it; the script already ignores its own.
    let site = Site::new(true);
    let server = Server::start(&site);
    let tab = server.get(PRIVACY_NL);
    site.edit("content/privacy.nl.md", |t| {
        append(t, "Deze zin kwam terwijl de tab laadde.")
    });
    let current = server
        .wait_for_build_after(PRIVACY_NL, tab.generation())
        .generation();

    let mut events = server.events();
    assert_eq!(
        events.next_reload(),
        current,
        "a new stream should hear of the build it missed"
    );
}

// ---------------------------------------------------------------------------------------------
// A real browser

/// Why the browser test cannot run here, if it cannot.
fn browser_missing() -> Option<String> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.is_file() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if !Path::new(REPO)
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Some("no node_modules/playwright-core".into());
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("no `node`".into()),
    }
}

#[test]
fn browser_reloads_by_itself_and_shows_the_overlay() {
    let needs = "chromium and `npm install --ignore-scripts`";
    if skip("the browser test", Need::Browser, needs, browser_missing()) {
        return;
    }
    let site = Site::new(true);
    let server = Server::start(&site);
    let mut node = Command::new("node")
        .arg(Path::new(REPO).join("tests/browser/reload.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(site.root())
        .current_dir(REPO)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let output = collect_output(&mut node);
    // The script's own steps time out; this only stops a browser that hangs.
    let status = wait_at_most(&mut node, Duration::from_secs(180));
    let printed = output.join();
    assert!(
        status.is_some_and(|s| s.success()),
        "the browser test failed ({status:?}):\n{printed}\n\nserver log:\n{}",
        server.log()
    );
    eprintln!("{printed}");
}

/// The stdout and stderr of a child, read on threads so it cannot block on a full pipe.
struct Output(Vec<std::thread::JoinHandle<String>>);

fn collect_output(child: &mut Child) -> Output {
    let mut readers: Vec<Box<dyn Read + Send>> = Vec::new();
    readers.extend(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    readers.extend(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    Output(
        readers
            .into_iter()
            .map(|mut r| {
                std::thread::spawn(move || {
                    let mut text = String::new();
                    let _ = r.read_to_string(&mut text);
                    text
                })
            })
            .collect(),
    )
}

impl Output {
    fn join(self) -> String {
        self.0
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = Site::new(false);
    let mut server = Server::start(&site);
    assert_eq!(server.get(PRIVACY_NL).status, 200);
    // An open tab: its event stream never ends by itself, and must not keep the server running.
    let _tab = server.events();

    // Ctrl-C in a terminal sends SIGINT to the process.
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = wait_at_most(&mut server.child, Duration::from_secs(10));
    let status =
        status.unwrap_or_else(|| panic!("the server did not stop on SIGINT\n{}", server.log()));
    assert_eq!(status.code(), Some(0), "{}", server.log());
    assert!(server.log().contains("stopping"), "{}", server.log());
}

/// A template that builds text without end (a `set` doubling a text forty times: terabytes) ends
/// its rebuild, not the server: the last good page stays, under an overlay that names the
/// template, and the fix is picked up.
#[test]
fn a_template_that_asks_for_all_memory_does_not_take_the_server_down() {
    let site = Site::new(true);
    let server = Server::start(&site);
    let good = server.get(PRIVACY_NL);
    assert_eq!(good.status, 200);
    let good_page = take_apart(&good.text()).page;
    let good_text = site.read("content/privacy.nl.md");

    let doubling: String = (0..40).map(|_| "{% set s = s ~ s %}").collect();
    site.write(
        "content/privacy.nl.md",
        &format!("---\ntitle: Privacy\n---\n{{% set s = \"0123456789\" %}}{doubling}{{{{ s | length }}}}\n"),
    );
    let broken = server.wait_for(PRIVACY_NL, "the overlay", Response::has_overlay);
    assert_eq!(broken.status, 200, "the last good page is still served");
    let served = take_apart(&broken.text());
    assert_eq!(
        served.page, good_page,
        "under the overlay, the last good page, unchanged"
    );
    let overlay = served.overlay.expect("an overlay");
    assert!(
        overlay.contains(
            "<code>content/privacy.nl.md</code> <b>template-error</b><br>this template needs more than 2 GiB of memory for one page"
        ),
        "{overlay}"
    );

    site.write("content/privacy.nl.md", &good_text);
    let fixed = server.wait_for(PRIVACY_NL, "the overlay to go", |r| {
        r.status == 200 && !r.has_overlay()
    });
    assert_eq!(take_apart(&fixed.text()).page, good_page);
}
