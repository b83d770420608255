//! Templates that would run for minutes, write without end or ask for all memory: each stopped by
//! its budget and named, in every output format; and pages too large to number or count by hand.

use super::*;

/// How long a build may take to stop a template that asks for all memory at polis's limit.
#[cfg(target_os = "linux")]
const OUT_OF_MEMORY: Duration = Duration::from_secs(60);

/// What stops a template that asks for all memory: the memory, in about 2 seconds; on a machine so
/// loaded that getting there takes longer than the template's 10 seconds, its time, first (the
/// watchdog's message, which goes on to say why it names the template's first line). Either names
/// the template.
#[cfg(target_os = "linux")]
const OUT_OF_MEMORY_OR_TIME: [&str; 2] = [
    "this template needs more than 2 GiB of memory for one page",
    "this template takes more than 10 seconds for one page",
];

/// Whether `printed` holds the human report of a template stopped by its memory or its time.
#[cfg(target_os = "linux")]
fn reports_memory_or_time(printed: &str) -> bool {
    OUT_OF_MEMORY_OR_TIME
        .iter()
        .any(|m| printed.contains(&format!("error[template-error]: {m}")))
}

/// Whether the human report `printed` points at `file`: the whole file (memory), or a line of it
/// (the watchdog's first line).
#[cfg(target_os = "linux")]
fn names_file(printed: &str, file: &str) -> bool {
    printed.contains(&format!("--> {file}\n")) || printed.contains(&format!("--> {file}:"))
}

/// Whether `message` is that of a template stopped by its memory or its time.
#[cfg(target_os = "linux")]
fn memory_or_time(message: &str) -> bool {
    OUT_OF_MEMORY_OR_TIME.iter().any(|m| message.starts_with(m))
}

/// 20,000 headings of one name are numbered in one pass (they took 12–17 s when each heading
/// looked at every heading before it).
#[test]
fn twenty_thousand_headings_of_one_name_are_numbered_at_once() {
    let site = fixture("minimal");
    let mut text = String::from("---\ntitle: Privacy\n---\n");
    for _ in 0..20_000 {
        text.push_str("## Zelfde\n\n");
    }
    site.write("content/privacy.nl.md", &text);
    site.write("content/privacy.en.md", text.replace("Zelfde", "Same"));
    let outcome = site.run_within(AT_ONCE);
    let html = &page(&outcome, "privacy", "nl").html;
    assert!(
        html.contains(r#"<h2 id="zelfde-20000">Zelfde</h2>"#),
        "the last heading's id"
    );
}

/// A page full of placeholders names a hundred of them and counts the rest.
#[test]
fn past_a_hundred_placeholders_the_rest_are_counted() {
    let site = fixture("minimal");
    let many: String = (0..150).map(|i| format!("[vul {i} in] ")).collect();
    site.edit(SITE, |y| {
        replace(y, "legal_form: BV", &format!("legal_form: \"{many}\""))
    });
    let outcome = site.run();
    let found: Vec<&polis::diagnostics::Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "placeholder-text")
        .collect();
    // A hundred at their place in site.yaml (the same in both languages), then one count for each
    // page that shows the value.
    assert_eq!(
        found
            .iter()
            .filter(|d| d.file == SITE && d.line == site.line(SITE, "legal_form:"))
            .count(),
        100
    );
    let counts: Vec<&str> = found
        .iter()
        .filter(|d| d.line == 0)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        counts,
        [
            "50 more placeholders show on the privacy page (en)",
            "50 more placeholders show on the privacy page (nl)"
        ]
    );
}

/// A content template that would loop for minutes (two nested ranges of 100,000) fails at once,
/// at the line of the loop.
#[test]
fn a_template_cannot_loop_for_minutes() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}\n";
    site.write("content/privacy.nl.md", text);
    site.write("content/privacy.en.md", text);
    let outcome = site.run_within(AT_ONCE);
    assert_diagnostics(
        &outcome,
        &[
            ("template-error", "content/privacy.en.md", 4),
            ("template-error", "content/privacy.nl.md", 4),
        ],
    );
    for d in &outcome.diagnostics {
        assert_eq!(
            d.message,
            "`range` would give more than 10000 numbers; a policy text never needs that many"
        );
    }
    insta::assert_snapshot!(check::check_output(&site));
}

/// A template that writes without end (ten thousand times ten thousand lines) is stopped by its
/// budget, and named at the line of the loop that writes: the inner `range`, called again at the
/// next turn of the outer loop once the 32 MiB are written.
#[test]
fn a_template_cannot_write_without_end() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% for i in range(end=10000) %}{% for j in range(end=10000) %}Een regel tekst die telkens terugkomt.\n{% endfor %}{% endfor %}\n";
    site.write("content/privacy.nl.md", text);
    site.write("content/privacy.en.md", text);
    let outcome = site.run_within(AT_ONCE);
    assert_diagnostics_at(
        &outcome,
        &[
            ("template-error", "content/privacy.en.md", 4, 44),
            ("template-error", "content/privacy.nl.md", 4, 44),
        ],
    );
    for d in &outcome.diagnostics {
        assert!(
            d.message == "this template writes more than 32 MiB for one page"
                || d.message == "this template takes more than 10 seconds for one page",
            "{}",
            d.message
        );
    }
}

/// One expression that writes more than 32 MiB at once, outside any loop: Tera does not say where
/// it stopped, so the error is at the template's first line (line 4, after the front matter), and
/// says why there, instead of at no line.
#[test]
fn a_template_that_writes_too_much_at_once_is_named_at_its_first_line() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% set s = \"ab\" %}{% for i in range(end=25) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}\n";
    site.write("content/privacy.en.md", text);
    site.write("content/privacy.nl.md", shipped("content/privacy.nl.md"));
    let outcome = site.run_within(AT_ONCE);
    assert_diagnostics_at(
        &outcome,
        &[("template-error", "content/privacy.en.md", 4, 1)],
    );
    assert_eq!(
        outcome.diagnostics[0].message,
        "this template writes more than 32 MiB for one page (Tera does not say where it stopped, \
         so this is the template's first line)"
    );
}

/// Three nested loops of ten thousand with an empty body: a thousand billion turns that write
/// nothing, so no write ever sees the clock. Only the English text loops; the Dutch is polis's.
/// The innermost loop, on line 6, calls `range` at each turn of the loop around it.
const LOOPS_WITHOUT_WRITING: &str = "---\ntitle: Privacy\n---\n{% for i in range(end=10000) -%}\n{% for j in range(end=10000) -%}\n{% for k in range(end=10000) %}{% endfor -%}\n{% endfor -%}\n{% endfor %}\n";

/// A loop that writes nothing is stopped at the template's 10 seconds and named at the line of the
/// loop that was running, like one that writes, instead of running until the CPU limit kills the
/// process (SIGXCPU after 60 s, no message); the last good output stays.
#[test]
fn a_template_that_loops_without_writing_is_stopped_at_its_time() {
    let site = fixture("minimal");
    assert_eq!(site.polis(&["build"]).status.code(), Some(0));
    let before = site.tree("public");
    site.write("content/privacy.en.md", LOOPS_WITHOUT_WRITING);
    site.write("content/privacy.nl.md", shipped("content/privacy.nl.md"));
    let started = std::time::Instant::now();
    let out = site.polis_within(&["build"], Duration::from_secs(50));
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[template-error]: this template takes more than 10 seconds for one page\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n --> content/privacy.en.md:6:13\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("build failed: 1 error, 0 warnings; nothing was written"),
        "{stderr}"
    );
    // A loaded machine may start the build late.
    assert!(took < Duration::from_secs(25), "took {took:?}");
    assert_eq!(site.tree("public"), before, "the last good output stays");

    let out = site.polis_within(&["check", "--format", "json"], Duration::from_secs(50));
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    assert_eq!(doc["diagnostics"][0]["file"], "content/privacy.en.md");
    assert_eq!(doc["diagnostics"][0]["line"], 6);
    assert_eq!(doc["diagnostics"][0]["code"], "template-error");
    assert_eq!(doc["errors"], 1);
}

/// Loops over a list made once (line 5), which call nothing of polis's as they turn: the
/// watchdog stops them a second past the template's 10 seconds, and, since Tera does not say which
/// tag a render is in, names the template's first line (line 4, after the front matter) and
/// says why.
#[test]
fn a_loop_that_calls_nothing_is_stopped_at_the_templates_first_line() {
    let site = fixture("minimal");
    let text = "---\ntitle: Privacy\n---\n{% set n = range(end=10000) -%}\n{% for i in n %}{% for j in n %}{% for k in n %}{% endfor %}{% endfor %}{% endfor %}\n";
    site.write("content/privacy.en.md", text);
    site.write("content/privacy.nl.md", shipped("content/privacy.nl.md"));
    let started = std::time::Instant::now();
    let out = site.polis_within(&["check", "--format", "json"], Duration::from_secs(50));
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (&d["code"], &d["file"], &d["line"], &d["column"]),
        (
            &serde_json::json!("template-error"),
            &serde_json::json!("content/privacy.en.md"),
            &serde_json::json!(4),
            &serde_json::json!(1)
        ),
        "{doc}"
    );
    assert_eq!(
        d["message"],
        "this template takes more than 10 seconds for one page (stopped while it ran a loop; \
         Tera does not say which, so this is the template's first line)"
    );
    assert_eq!(doc["errors"], 1);
    assert!(took < Duration::from_secs(25), "took {took:?}");
}

/// A content template that asks for all memory: a text doubled forty times (terabytes), which Tera
/// has no budget for. (`set_global`: a plain `set` in a loop lasts one turn.)
#[cfg(target_os = "linux")]
const ASKS_FOR_ALL_MEMORY: &str = "---\ntitle: Privacy\n---\n{% set s = \"ab\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}\n";

/// Puts [`ASKS_FOR_ALL_MEMORY`] in the site's content/privacy.en.md, beside the Dutch text polis
/// ships as its translation.
#[cfg(target_os = "linux")]
fn asks_for_all_memory(site: &TestSite) {
    site.write("content/privacy.en.md", ASKS_FOR_ALL_MEMORY);
    site.write("content/privacy.nl.md", shipped("content/privacy.nl.md"));
}

/// The text of a file polis ships, by its path in this repository.
fn shipped(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// A template that asks for all memory fails the build at polis's limit of 2 GiB, in seconds, with
/// a located error like any other broken template (not an abort), and the output of the last good
/// build stays as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_template_that_asks_for_all_memory_fails_the_build_at_its_file() {
    let site = fixture("minimal");
    let good = site.polis(&["build"]);
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = site.tree("public");
    asks_for_all_memory(&site);
    let out = site.polis_within(&["build"], OUT_OF_MEMORY);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(reports_memory_or_time(&stderr), "{stderr}");
    assert!(names_file(&stderr, "content/privacy.en.md"), "{stderr}");
    assert!(
        stderr.contains("build failed: 1 error, 0 warnings; nothing was written"),
        "{stderr}"
    );
    assert_eq!(
        site.tree("public"),
        before,
        "the last good output is unchanged"
    );
    assert_eq!(staging_left(site.root()), Vec::<String>::new());
}

/// The same in a theme template of the site's own: the error names it.
#[cfg(target_os = "linux")]
#[test]
fn a_theme_template_that_asks_for_all_memory_is_named() {
    let site = fixture("minimal");
    site.write(
        "themes/default/templates/page.html",
        "{% set s = \"ab\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    let out = site.polis_within(&["check"], OUT_OF_MEMORY);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(reports_memory_or_time(&stderr), "{stderr}");
    assert!(
        names_file(&stderr, "themes/default/templates/page.html"),
        "{stderr}"
    );
    assert!(stderr.contains("check: 1 error, 0 warnings"), "{stderr}");
}

/// `check --format json` reports running out of memory as one diagnostic of the usual document,
/// and `--format github` as an annotation on the file.
#[cfg(target_os = "linux")]
#[test]
fn a_template_that_asks_for_all_memory_is_reported_in_each_format() {
    let site = fixture("minimal");
    asks_for_all_memory(&site);
    let out = site.polis_within(&["check", "--format", "json"], OUT_OF_MEMORY);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 0);
    let found = doc["diagnostics"]
        .as_array()
        .expect("a list of diagnostics");
    assert_eq!(found.len(), 1, "{doc}");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(found[0]["code"], "template-error");
    assert_eq!(found[0]["file"], "content/privacy.en.md");
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(memory_or_time(message), "{message}");

    let out = site.polis_within(&["check", "--format", "github"], OUT_OF_MEMORY);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::error file=content/privacy.en.md,")
            && stdout.contains("title=polis template-error::this template "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}
