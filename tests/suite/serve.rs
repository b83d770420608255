//! `polis serve`, run as the user runs it: the binary as a child process on a free port, over a
//! copy of the example site, spoken to over plain HTTP/1.1.
//!
//! Every wait polls until what the test expects shows up, or gives up after [`WAIT`] with the
//! server's log; no test asserts how long anything took. The server is killed when its
//! [`Server`] is dropped, also when a test fails.
//!
//! This module is the harness; the tests are its children, by subject: what a server serves
//! (pages), what it answers and to whom (requests), what it sees change (watch), and a real
//! browser on it (browser).

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

mod browser;
mod pages;
mod requests;
mod watch;

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
