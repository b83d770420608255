//! What a test needs of the machine, and how long it may take.
//!
//! A test that needs a tool (Chromium, Java, Hugo) or root skips without it, and says so where it
//! is seen; CI sets `POLIS_REQUIRE_*=1` (.ci/run), which makes the missing need a failure, so that
//! CI never passes a test it did not run. A test that guards against slowness runs under a bound
//! and fails with it, so it cannot fail only by hanging.

use std::io::{Read, Write as _};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What CI can require of the machine, each with its variable.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// Chromium, node, Java and the node packages (`POLIS_REQUIRE_BROWSER`).
    Browser,
    /// Hugo (`POLIS_REQUIRE_HUGO`).
    Hugo,
    /// Root, and the tools that need it: mount, setpriv (`POLIS_REQUIRE_ROOT`).
    Root,
}

impl Need {
    /// The variable that makes this need mandatory.
    pub fn variable(self) -> &'static str {
        match self {
            Need::Browser => "POLIS_REQUIRE_BROWSER",
            Need::Hugo => "POLIS_REQUIRE_HUGO",
            Need::Root => "POLIS_REQUIRE_ROOT",
        }
    }
}

/// Whether `test` must return now: `missing` says what of `needs` the machine lacks (`None`: it
/// has everything). Says so on stderr; when CI requires `need`, fails instead.
#[track_caller]
pub fn skip(test: &str, need: Need, needs: &str, missing: Option<String>) -> bool {
    let Some(why) = missing else { return false };
    let variable = need.variable();
    if std::env::var(variable).as_deref() == Ok("1") {
        panic!("{variable}=1 but {test} cannot run: it needs {needs} ({why})");
    }
    // Straight to the process's stderr: the test harness captures eprintln!, and a skip must be
    // seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!!\nSKIPPED: {test} needs {needs} ({why}); {variable}=1 makes this a failure\n!!!!!!!!\n"
    );
    true
}

/// `f`'s value, or a failure naming `what` and the bound once `limit` has passed. `f` runs on a
/// thread of its own, which is left to end with the test binary if it does not end.
#[track_caller]
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} took longer than {limit:?}"),
        // `f` panicked: fail with its panic.
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker ended without sending"),
        },
    }
}

/// Runs `command` to its end, its output read on threads so that it cannot block on a full pipe;
/// kills it and fails naming `what` once `limit` has passed.
#[track_caller]
pub fn output_within(mut command: Command, limit: Duration, what: &str) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"));
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let Some(status) = super::wait_at_most(&mut child, limit) else {
        panic!("{what} took longer than {limit:?}");
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

impl super::TestSite {
    /// [`TestSite::run`](super::TestSite::run), failing once `limit` has passed.
    #[track_caller]
    pub fn run_within(&self, limit: Duration) -> polis::Outcome {
        let root = self.root().to_owned();
        within(limit, "polis::run", move || polis::run(&root))
    }

    /// [`TestSite::polis`](super::TestSite::polis), failing once `limit` has passed.
    #[track_caller]
    pub fn polis_within(&self, args: &[&str], limit: Duration) -> Output {
        let mut command = super::polis_command(self.root());
        command.args(args);
        output_within(command, limit, &format!("polis {}", args.join(" ")))
    }
}
