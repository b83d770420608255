//! The harness: a site in a temporary folder, made from the example site plus one edit, run
//! through `polis::run` or the `polis` binary.
//!
//! Diagnostics are compared as compact tuples, `(code, file, line)` or `(code, file, line,
//! column)`, and always as the exact list: a test fails on a missing diagnostic and on an extra
//! one. Lines are found from the text a test put in (`site.line("legal_nam:")`), so the tests say
//! "at the line I broke" and do not depend on the layout of the example site.yaml.

#![allow(dead_code, unreachable_pub)]

pub mod check;
pub mod machine;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output};
use std::time::{Duration, Instant};

use polis::Outcome;
use polis::diagnostics::Diagnostic;
use tempfile::TempDir;

/// A site folder of its own, removed when dropped.
pub struct TestSite {
    dir: TempDir,
}

/// The example site of the repository (site.yaml, content/, themes/), copied.
pub fn example() -> TestSite {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::Builder::new()
        .prefix("polis-test-")
        .tempdir()
        .expect("a temporary folder");
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).expect("copy site.yaml");
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    copy_dir(&repo.join("themes"), &dir.path().join("themes"));
    TestSite { dir }
}

/// The example site with one edit of its site.yaml.
pub fn example_with(edit: impl FnOnce(&mut String)) -> TestSite {
    let site = example();
    site.edit("site.yaml", edit);
    site
}

/// A site folder holding only `site_yaml`: the texts and theme are the ones polis ships.
pub fn site_yaml_only(site_yaml: &str) -> TestSite {
    let dir = tempfile::Builder::new()
        .prefix("polis-test-")
        .tempdir()
        .expect("a temporary folder");
    std::fs::write(dir.path().join("site.yaml"), site_yaml).expect("write site.yaml");
    TestSite { dir }
}

/// The repository's example site.yaml.
pub fn example_yaml() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"))
        .expect("read site.yaml")
}

/// A folder of tests/fixtures/, copied.
pub fn fixture(name: &str) -> TestSite {
    let dir = tempfile::Builder::new()
        .prefix("polis-test-")
        .tempdir()
        .expect("a temporary folder");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    TestSite { dir }
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

impl TestSite {
    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The text of a file of the site.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replaces a file of the site (creating folders as needed).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// A file of the repository (what polis ships), as text.
    pub fn read_repo(&self, rel: &str) -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Edits a text file of the site in place.
    pub fn edit(&self, rel: &str, edit: impl FnOnce(&mut String)) {
        let mut text = self.read(rel);
        edit(&mut text);
        self.write(rel, text);
    }

    /// Removes a file of the site.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// The 1-based line of `rel` that holds `needle`, which must occur exactly once.
    pub fn line(&self, rel: &str, needle: &str) -> usize {
        self.pos(rel, needle).0
    }

    /// The 1-based line and column (in characters) of `needle` in `rel`; it must occur exactly once.
    pub fn pos(&self, rel: &str, needle: &str) -> (usize, usize) {
        position(&self.read(rel), needle)
            .unwrap_or_else(|| panic!("`{needle}` is not in {rel} exactly once"))
    }

    /// The line and column of the character right after `needle` in `rel`: where the value of
    /// `pos_after("site.yaml", "phones: ")` starts.
    pub fn pos_after(&self, rel: &str, needle: &str) -> (usize, usize) {
        let (line, column) = self.pos(rel, needle);
        assert!(
            !needle.contains('\n'),
            "pos_after needs a needle on one line"
        );
        (line, column + needle.chars().count())
    }

    /// Every file under `rel`, by path relative to it, with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.path(rel), "", &mut files);
        files
    }

    /// Runs the pipeline in memory.
    pub fn run(&self) -> Outcome {
        polis::run(self.root())
    }

    /// Runs the `polis` binary in the site folder, with a clean environment for colours.
    pub fn polis(&self, args: &[&str]) -> Output {
        polis_command(self.root())
            .args(args)
            .output()
            .expect("run polis")
    }
}

fn collect(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let entry = entry.expect("folder entry");
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().expect("file type").is_dir() {
            collect(&entry.path(), &format!("{name}/"), files);
        } else {
            files.insert(name, std::fs::read(entry.path()).expect("read file"));
        }
    }
}

/// The `polis` binary, run in `dir`, with nothing in the environment that changes its output.
pub fn polis_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_polis"));
    command.current_dir(dir);
    for var in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "TERM",
        "COLUMNS",
        "RUST_BACKTRACE",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
}

/// 1-based line and column (in characters) of the only occurrence of `needle` in `text`.
pub fn position(text: &str, needle: &str) -> Option<(usize, usize)> {
    let mut found = text.match_indices(needle);
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    ))
}

/// Replaces the only occurrence of `from` in `text` with `to`.
pub fn replace(text: &mut String, from: &str, to: &str) {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` should occur exactly once in the file being edited"
    );
    *text = text.replacen(from, to, 1);
}

/// Deletes the only line of `text` that contains `needle`.
pub fn delete_line(text: &mut String, needle: &str) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let hits: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "`{needle}` should be on exactly one line of the file being edited"
    );
    *text = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != hits[0])
        .map(|(_, l)| *l)
        .collect();
}

/// Appends a paragraph at the end of a content file.
pub fn append(text: &mut String, paragraph: &str) {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(paragraph);
    text.push('\n');
}

/// Every diagnostic, in full, for failure messages.
pub fn describe(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "  {:?} {} {}:{}:{} {}",
            d.severity, d.code, d.file, d.line, d.column, d.message
        );
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "      hint: {hint}");
        }
    }
    if out.is_empty() {
        "  (none)\n".to_owned()
    } else {
        out
    }
}

/// Asserts that the run reported exactly these `(code, file, line)`, in any order.
#[track_caller]
pub fn assert_diagnostics(outcome: &Outcome, expected: &[(&str, &str, usize)]) {
    let mut actual: Vec<(String, String, usize)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.file.clone(), d.line))
        .collect();
    let mut expected: Vec<(String, String, usize)> = expected
        .iter()
        .map(|(c, f, l)| ((*c).to_owned(), (*f).to_owned(), *l))
        .collect();
    actual.sort();
    expected.sort();
    assert_eq!(
        actual,
        expected,
        "\ndiagnostics reported:\n{}",
        describe(&outcome.diagnostics)
    );
}

/// Asserts that the run reported exactly these `(code, file, line, column)`, in any order.
#[track_caller]
pub fn assert_diagnostics_at(outcome: &Outcome, expected: &[(&str, &str, usize, usize)]) {
    let mut actual: Vec<(String, String, usize, usize)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.file.clone(), d.line, d.column))
        .collect();
    let mut expected: Vec<(String, String, usize, usize)> = expected
        .iter()
        .map(|(c, f, l, col)| ((*c).to_owned(), (*f).to_owned(), *l, *col))
        .collect();
    actual.sort();
    expected.sort();
    assert_eq!(
        actual,
        expected,
        "\ndiagnostics reported:\n{}",
        describe(&outcome.diagnostics)
    );
}

/// Asserts the places the run complained about, `(code, file, line)`, as a set: each must be
/// reported at least once, and nothing else may be. For findings that polis may report once per
/// page; the tests that they are reported only once are separate.
#[track_caller]
pub fn assert_diagnostic_places(outcome: &Outcome, expected: &[(&str, &str, usize)]) {
    let actual: BTreeSet<(String, String, usize)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.file.clone(), d.line))
        .collect();
    let expected: BTreeSet<(String, String, usize)> = expected
        .iter()
        .map(|(c, f, l)| ((*c).to_owned(), (*f).to_owned(), *l))
        .collect();
    assert_eq!(
        actual,
        expected,
        "\ndiagnostics reported:\n{}",
        describe(&outcome.diagnostics)
    );
}

/// The one diagnostic with `code`; fails when there is not exactly one.
#[track_caller]
pub fn the<'a>(outcome: &'a Outcome, code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}`; reported:\n{}",
        describe(&outcome.diagnostics)
    );
    found[0]
}

/// The page `name` in `locale`.
#[track_caller]
pub fn page<'a>(outcome: &'a Outcome, name: &str, locale: &str) -> &'a polis::render::Page {
    outcome
        .rendered
        .pages
        .iter()
        .find(|p| p.name.as_str() == name && p.locale == locale)
        .unwrap_or_else(|| {
            panic!(
                "no {name} page in {locale}; diagnostics:\n{}",
                describe(&outcome.diagnostics)
            )
        })
}

/// The inside of the page's `<main>` element.
pub fn main_html(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let start = start + html[start..].find('>').expect("end of <main> tag") + 1;
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The text a reader sees inside `<main>`, one block (heading, paragraph, list item, table row,
/// term or description of a definition list) per line, written the way Markdown would
/// (`## heading`, `- item` indented by depth, `| cell |`, `[link](href)`), so that a snapshot reads
/// as the page does.
pub fn main_text(html: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut lists = 0usize;
    let mut indent = 0usize;
    let mut hrefs: Vec<String> = Vec::new();
    let mut rest = main_html(html);
    while let Some(open) = rest.find('<') {
        line.push_str(&decode(&rest[..open]));
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c);
        let tag = &rest[open + 1..close];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        match (name.as_str(), closing) {
            ("h1" | "h2" | "h3" | "h4", false) => {
                flush(&mut line, &mut indent, &mut out);
                out.push('\n');
                line.push_str(&"#".repeat(name[1..].parse().unwrap_or(1)));
                line.push(' ');
            }
            ("ul" | "ol", false) => {
                flush(&mut line, &mut indent, &mut out);
                lists += 1;
            }
            ("ul" | "ol", true) => {
                flush(&mut line, &mut indent, &mut out);
                lists = lists.saturating_sub(1);
            }
            ("li", false) => {
                flush(&mut line, &mut indent, &mut out);
                indent = lists.saturating_sub(1);
                line.push_str("- ");
            }
            ("tr", false) => {
                flush(&mut line, &mut indent, &mut out);
                line.push('|');
            }
            ("td" | "th", false) => line.push(' '),
            ("td" | "th", true) => line.push_str(" |"),
            ("a", false) => {
                hrefs.push(attribute(tag, "href").unwrap_or_default());
                line.push('[');
            }
            ("a", true) => {
                let href = hrefs.pop().unwrap_or_default();
                line.push_str(&format!("]({href})"));
            }
            (
                "p" | "div" | "nav" | "section" | "dl" | "dt" | "dd" | "br" | "table" | "thead"
                | "tbody" | "tr" | "li" | "h1" | "h2" | "h3" | "h4",
                _,
            ) => flush(&mut line, &mut indent, &mut out),
            _ => {}
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    line.push_str(&decode(rest));
    flush(&mut line, &mut indent, &mut out);
    out.trim().to_owned() + "\n"
}

/// Ends a block: its words, single-spaced, indented two spaces per level of list nesting.
fn flush(line: &mut String, indent: &mut usize, out: &mut String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    if !words.is_empty() {
        out.push_str(&"  ".repeat(*indent));
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    line.clear();
    *indent = 0;
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')?;
    Some(decode(&tag[start..start + end]))
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Waits for `child` to end; after `limit` kills it and returns `None`.
pub fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait for a child process") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// site.yaml of tests/fixtures/minimal, the smallest site polis builds: only what it requires.
pub fn minimal_yaml() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/site.yaml"),
    )
    .unwrap()
}

/// Runs a site made of `yaml` alone and asserts it has no error.
pub fn built(yaml: &str) -> Outcome {
    let outcome = site_yaml_only(yaml).run();
    assert!(!outcome.has_errors(), "{}", describe(&outcome.diagnostics));
    outcome
}
