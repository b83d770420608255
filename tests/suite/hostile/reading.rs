//! What a build reads in all: files no page uses are not read, however many or large, and the
//! files a build does read are bounded together, each file past the bound named.

use super::*;

use polis::load::{MAX_FACTS_BYTES, MAX_READ_BYTES};

/// A file of `len` bytes that takes no room on disk (a sparse file, read as zeros).
fn sparse(site: &TestSite, rel: &str, len: u64) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

/// 300 texts of 4 MB for a page polis has not (1.2 GB, which 560 of made an abort): each is
/// reported as an unknown page, at its file, without being read.
#[test]
fn three_hundred_large_texts_for_no_page_are_reported_unread() {
    let site = fixture("minimal");
    for i in 0..300 {
        sparse(&site, &format!("content/page{i:03}.nl.md"), 4_000_000);
    }
    let outcome = site.run_within(AT_ONCE);
    let expected: Vec<(String, &str)> = (0..300)
        .map(|i| (format!("content/page{i:03}.nl.md"), "unknown-page"))
        .collect();
    let found: Vec<(String, &str)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.code.as_str()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        outcome.diagnostics[0].message,
        "polis has no page `page000`"
    );
}

/// A text whose name is not `<page>.<locale>.md` and one for no page, each over the 4 MiB a text
/// may have: only their names are reported (they were file-too-large, read to find out).
#[test]
fn texts_named_for_no_page_are_not_read() {
    let site = fixture("minimal");
    sparse(&site, "content/notes.md", 5 << 20);
    sparse(&site, "content/faq.en.md", 5 << 20);
    let outcome = site.run_within(AT_ONCE);
    assert_diagnostics(
        &outcome,
        &[
            ("unknown-page", "content/notes.md", 0),
            ("unknown-page", "content/faq.en.md", 0),
        ],
    );
}

/// Five static files of 60 MiB (each under the 64 MiB a static file may have): the build reads
/// what fits in [`MAX_READ_BYTES`] and names the file that passes it, instead of holding 36 of
/// them (2 GB) until the memory runs out.
#[test]
fn static_files_are_bounded_together() {
    let site = fixture("minimal");
    let each = 60 << 20;
    for name in ["a", "b", "c", "d", "e"] {
        sparse(&site, &format!("themes/default/static/{name}.woff2"), each);
    }
    assert!(4 * each < MAX_READ_BYTES && 5 * each > MAX_READ_BYTES);
    let out = site.polis_within(&["check", "--format", "json"], AT_ONCE);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    let found = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(found.len(), 1, "{doc}");
    assert_eq!(found[0]["code"], "file-too-large");
    assert_eq!(found[0]["file"], "themes/default/static/e.woff2");
    assert_eq!(
        found[0]["message"],
        format!(
            "themes/default/static/e.woff2 ({each} bytes) passes what polis reads of the files of a site in one build: {} MiB together",
            MAX_READ_BYTES >> 20
        )
    );
}

/// Archived facts, each under the size of one facts file, that pass [`MAX_FACTS_BYTES`] together
/// (held parsed, they take about twenty times their size): the version that passes it is named.
#[test]
fn archived_facts_are_bounded_together() {
    let site = example();
    for args in [&["build"][..], &["archive"]] {
        assert_eq!(site.polis(args).status.code(), Some(0), "{args:?}");
    }
    let facts = site.read("archive/2026-03-01/facts.json");
    let padding = " ".repeat(usize::try_from(MAX_FACTS_BYTES).unwrap() * 3 / 8);
    let dates = ["2025-01-01", "2025-02-01", "2025-03-01"];
    for date in dates {
        copy_dir(
            &site.path("archive/2026-03-01"),
            &site.path(&format!("archive/{date}")),
        );
        let dated = facts.replace("\"2026-03-01\"", &format!("\"{date}\""));
        site.write(
            &format!("archive/{date}/facts.json"),
            format!("{dated}{padding}"),
        );
    }
    std::fs::remove_dir_all(site.path("archive/2026-03-01")).unwrap();
    let outcome = site.run_within(AT_ONCE);
    assert_diagnostics(
        &outcome,
        &[("file-too-large", "archive/2025-03-01/facts.json", 0)],
    );
    assert!(
        outcome.diagnostics[0].message.ends_with(&format!(
            "passes what polis reads of the archived facts in one build: {} MiB together",
            MAX_FACTS_BYTES >> 20
        )),
        "{}",
        outcome.diagnostics[0].message
    );
}
