//! Each rebuild of `polis serve` in a child process of its own, so that the server stays up
//! whatever the site's content does.
//!
//! A site's own template is code, and Tera has no budget for memory: a text doubled forty times
//! with `set` asks for terabytes, and an allocation that fails ends the process that made it. So
//! the server runs the pipeline in `polis __serve-build`, whose memory and CPU time are limited
//! (as those of `build` and `check` are), and reads back the pages and the problems; a template
//! that runs out of memory is among them, at its file. When the child dies otherwise or takes too
//! long, the server keeps the last good pages and shows why in the overlay. When the server is
//! stopped, it ends the child first ([`stop`]), so no rebuild outlives it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic, Pos, Severity, Sources};

/// The hidden subcommand the server runs for each rebuild.
pub const SUBCOMMAND: &str = "__serve-build";

/// How much memory a build may use: ten times what the largest site.yaml polis reads needs
/// (bench/changes.md), and far less than a template that grows without end asks for.
pub const MAX_MEMORY: u64 = 2 << 30;
/// How long a build may take: the example takes milliseconds.
pub const MAX_TIME: Duration = Duration::from_secs(60);

/// What a rebuild produced: the files when it had no errors, and every problem.
#[derive(Debug, Default)]
pub struct Built {
    /// The files to serve, or `None` when the build failed (the last good files stay).
    pub files: Option<BTreeMap<String, Vec<u8>>>,
    /// Every problem.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the files the problems point into.
    pub sources: Sources,
}

/// The first line the child writes; the files' bytes follow, one after another.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    diagnostics: Cow<'a, [Diagnostic]>,
    /// Each diagnostic's length, which the overlay underlines by and the printed JSON format,
    /// which is the diagnostics' serialization, leaves out.
    lens: Vec<usize>,
    /// Borrowed from the outcome when written: site.yaml alone can be 4 MiB.
    sources: Cow<'a, Sources>,
    /// Each file's path and length, in the order their bytes follow.
    files: Vec<(String, usize)>,
}

/// What `polis __serve-build` writes to stdout for the server: the outcome of building the site
/// (the files only when it has no errors). The child's `main` has limited the process's memory and
/// time to [`MAX_MEMORY`] and [`MAX_TIME`], and reports a template that ran out of memory here too.
pub fn report(outcome: &crate::Outcome) -> std::io::Result<()> {
    let no_files = BTreeMap::new();
    let files = if outcome.has_errors() {
        &no_files
    } else {
        &outcome.rendered.files
    };
    let listed = files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.len()))
        .collect();
    let header = Header {
        diagnostics: Cow::Borrowed(&outcome.diagnostics),
        lens: outcome.diagnostics.iter().map(|d| d.len).collect(),
        sources: Cow::Borrowed(&outcome.sources),
        files: listed,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, &header)?;
    out.write_all(b"\n")?;
    for bytes in files.values() {
        out.write_all(bytes)?;
    }
    out.flush()
}

/// The rebuilds under way, and whether the server is stopping: a child is started, waited for
/// and ended under this lock, so [`stop`] never signals a process that was already reaped (whose
/// number may be another's by then), and no child starts after it.
struct Children {
    running: Vec<Child>,
    stopping: bool,
}

static CHILDREN: Mutex<Children> = Mutex::new(Children {
    running: Vec::new(),
    stopping: false,
});

fn children() -> MutexGuard<'static, Children> {
    CHILDREN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Ends every rebuild under way and lets no other start: for a server that stops (Ctrl-C, a
/// termination signal), whose children would otherwise build on, orphaned, until their CPU limit.
pub fn stop() {
    let mut children = children();
    children.stopping = true;
    for child in &mut children.running {
        let _ = child.kill();
        let _ = child.wait();
    }
    children.running.clear();
}

/// Builds the site in `root` with `exe __serve-build`, within [`MAX_TIME`].
pub fn build(exe: &Path, root: &Path) -> Built {
    let (id, stdout) = {
        let mut children = children();
        if children.stopping {
            return stopped("the server is stopping".to_owned());
        }
        let child = Command::new(exe)
            .arg(SUBCOMMAND)
            .arg("--root")
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => return stopped(format!("polis could not start the build ({e})")),
        };
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return stopped("polis could not read the build".to_owned());
        };
        let id = child.id();
        children.running.push(child);
        (id, stdout)
    };
    let reader = std::thread::spawn(move || read(stdout));
    let status = wait(id);
    let result = reader.join().ok().flatten();
    match (status, result) {
        (Ok(status), Some(built)) if status.success() => built,
        (Err(Ended::Stopped), _) => stopped("the server stopped during the build".to_owned()),
        (Err(Ended::OverTime), _) => stopped(format!(
            "the build took more than {} seconds and was stopped",
            MAX_TIME.as_secs()
        )),
        _ => stopped(format!(
            "the build stopped before it finished: it needed more than {} GiB of memory or {} seconds",
            MAX_MEMORY >> 30,
            MAX_TIME.as_secs()
        )),
    }
}

/// Why a child was ended before it finished.
enum Ended {
    /// It ran past [`MAX_TIME`] (or could not be waited for).
    OverTime,
    /// The server is stopping ([`stop`]).
    Stopped,
}

/// Waits for the child `id` to end, within [`MAX_TIME`], and takes it off the list: its status,
/// or why it was ended.
fn wait(id: u32) -> Result<std::process::ExitStatus, Ended> {
    let started = Instant::now();
    loop {
        {
            let mut children = children();
            let Some(at) = children.running.iter().position(|c| c.id() == id) else {
                return Err(Ended::Stopped);
            };
            let child = &mut children.running[at];
            let status = match child.try_wait() {
                Ok(None) if started.elapsed() <= MAX_TIME => None,
                Ok(Some(status)) => Some(Ok(status)),
                Ok(None) | Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    Some(Err(Ended::OverTime))
                }
            };
            if let Some(status) = status {
                // Reaped already: `wait` returns the status it kept.
                let _ = children.running.swap_remove(at).wait();
                return status;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A build that did not finish: one error that says so, and the last good files stay.
fn stopped(message: String) -> Built {
    let d = Diagnostic::error(Code::TemplateError, "content", Pos::default(), message).hint(
        "look for a template in content/ or themes/ that builds text without end (a `set` that doubles a text) or loops far \
         more often than the site has items, and undo it",
    );
    Built {
        files: None,
        diagnostics: vec![d],
        sources: Sources::new(),
    }
}

/// The child's output, or `None` when it is cut short or malformed.
fn read(stdout: impl Read) -> Option<Built> {
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let header: Header = serde_json::from_str(&line).ok()?;
    let mut files = BTreeMap::new();
    for (path, len) in header.files {
        let mut bytes = vec![0; len];
        reader.read_exact(&mut bytes).ok()?;
        files.insert(path, bytes);
    }
    if header.lens.len() != header.diagnostics.len() {
        return None;
    }
    let mut diagnostics = header.diagnostics.into_owned();
    for (d, len) in diagnostics.iter_mut().zip(header.lens) {
        d.len = len;
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Some(Built {
        files: (!failed).then_some(files),
        diagnostics,
        sources: header.sources.into_owned(),
    })
}
