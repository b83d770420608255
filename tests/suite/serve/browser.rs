//! A real browser (tests/browser/reload.mjs, headless Chromium through playwright-core) on a
//! served site: it reloads by itself and shows the overlay. Skipped, saying so, without Chromium,
//! node or `node_modules/playwright-core`, unless CI's `POLIS_REQUIRE_BROWSER=1`.

use super::*;

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
