//! What the server answers, and to whom: paths that climb out of the site, Host headers of other
//! names (DNS rebinding), connections that send no request, redirects, methods.

use super::*;

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

/// Requests made to wear the server down or to break its parsing: a path of 64 KB, a flood of
/// headers, an encoded NUL or line break in the path, a header value with a control. Each gets a
/// refusal (never a page), and the server answers the next request as before.
#[test]
fn oversized_and_malformed_requests_are_refused_and_the_server_goes_on() {
    let site = Site::new(false);
    let server = Server::start(&site);
    let long_path = format!("GET /{} HTTP/1.1", "a".repeat(64 * 1024));
    let flood: String = (0..200)
        .map(|i| format!("\r\nX-Flood-{i}: {}", "v".repeat(1024)))
        .collect();
    for (what, request) in [
        ("a 64 KB path", long_path),
        (
            "200 headers of 1 KB",
            format!("GET {PRIVACY_NL} HTTP/1.1{flood}"),
        ),
        ("an encoded NUL", "GET /nl/%00/ HTTP/1.1".to_owned()),
        (
            "an encoded line break",
            "GET /%0d%0aSet-Cookie:x=1 HTTP/1.1".to_owned(),
        ),
        (
            "a control in a header",
            format!("GET {PRIVACY_NL} HTTP/1.1\r\nX-Bad: a\u{1}b"),
        ),
    ] {
        if let Ok(response) = server.raw(&request) {
            assert!(
                (400..500).contains(&response.status),
                "{what}: {}",
                response.describe()
            );
            assert!(
                response.header("set-cookie").is_none(),
                "{what}: {}",
                response.describe()
            );
        }
        assert_eq!(server.get(PRIVACY_NL).status, 200, "after {what}");
    }
}

/// A second `polis serve` (or anything else on the port) does not stop the first: the next
/// port takes over and the user reads which, and every rebuild line says when it happened.
#[test]
fn a_taken_port_gives_way_to_the_next_free_one_and_says_which() {
    let site = Site::new(false);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("its address").port().to_string();
    let mut command = Command::new(POLIS);
    command
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root());
    let server = Server::spawn(command, "127.0.0.1");
    assert_ne!(server.port(), port);
    let log = server.wait_for_line("[stderr] rebuilt");
    let notice = format!(
        "[stderr] port {port} is in use (another polis serve?): serving on port {} instead",
        server.port()
    );
    assert!(log.lines().any(|l| l == notice), "{log}");
    let rebuilt = log.lines().last().unwrap_or_default();
    // `rebuilt at 12:41:07 UTC (0 errors, 0 warnings)`
    let time = rebuilt
        .strip_prefix("[stderr] rebuilt at ")
        .and_then(|rest| rest.split_once(" UTC ("))
        .map(|(time, _)| time)
        .unwrap_or_else(|| panic!("no time of day in {rebuilt}"));
    assert!(
        time.len() == 8
            && time
                .split(':')
                .all(|n| n.len() == 2 && n.parse::<u8>().is_ok()),
        "{rebuilt}"
    );
    assert_eq!(server.get(PRIVACY_NL).status, 200);
    drop(taken);
}

/// `--open` opens the served address with the system's opener, and what the opener prints (gio's
/// and the browser's warnings) stays out of polis's lines. The opener here is a stand-in
/// `xdg-open` first on PATH, which notes the address and prints noise on both streams.
#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_opener_without_its_noise() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = Site::new(false);
    let bin = tempfile::tempdir().expect("a folder for the opener");
    let opened = bin.path().join("opened");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\necho \"$1\" > '{}'\necho 'gio: opener noise on stdout'\necho 'opener noise on stderr' >&2\n",
            opened.display()
        ),
    )
    .expect("write the opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new(POLIS);
    command
        .args(["serve", "--port", "0", "--open", "--root"])
        .arg(site.root())
        .env("PATH", path);
    let server = Server::spawn(command, "127.0.0.1");
    let started = Instant::now();
    while !opened.exists() && started.elapsed() < WAIT {
        std::thread::sleep(STEP);
    }
    let address = std::fs::read_to_string(&opened).expect("the opener was started");
    assert_eq!(
        address.trim(),
        format!("http://127.0.0.1:{}/", server.port())
    );
    // What the opener printed has had time to arrive, had it been let through.
    std::thread::sleep(Duration::from_millis(500));
    let log = server.log();
    assert!(!log.contains("noise"), "{log}");
}
