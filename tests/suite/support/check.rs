//! What `polis check` says about a site, as a test states it: the exact diagnostics, each found by
//! the text at its place, and the whole output of the binary, which the test pins in a snapshot
//! (in `snapshots/` beside the test's file), so that the wording of every message and hint is part
//! of the spec.
//!
//! [`check_cases!`] writes one test per case: a site (the example or a fixture, edited), the
//! diagnostics `check` must report and nothing else, and the sentences the output must say.

use std::fmt::Write as _;

use super::{TestSite, describe};

/// Where a diagnostic is, found by text in its file: the 1-based line, and the column when the
/// case pins it.
#[derive(Debug, Clone, Copy)]
pub enum At {
    /// The line that holds this text (exactly once in the file); any column.
    Line(&'static str),
    /// The line and column where this text starts.
    Start(&'static str),
    /// The line and column right after this text (where the value after `key: ` starts).
    After(&'static str),
    /// The file as a whole: line 0.
    File,
}

/// The line holding `needle`.
pub fn line(needle: &'static str) -> At {
    At::Line(needle)
}

/// The line and column where `needle` starts.
pub fn at(needle: &'static str) -> At {
    At::Start(needle)
}

/// The line and column right after `needle`.
pub fn after(needle: &'static str) -> At {
    At::After(needle)
}

/// The whole file (line 0).
pub fn file() -> At {
    At::File
}

/// Runs the pipeline and asserts it reported exactly `expected`, `(code, file, where)`, in any
/// order; when every place pins a column, columns are compared too. Then runs `polis check` and
/// returns what it printed, with its exit code, for a snapshot; the output must say each of `says`.
#[track_caller]
pub fn check(site: &TestSite, expected: &[(&str, &str, At)], says: &[&str]) -> String {
    let outcome = site.run();
    let with_columns = expected.iter().all(|(_, _, at)| !matches!(at, At::Line(_)));
    let place = |code: &str, file: &str, line: usize, column: usize| {
        let column = if with_columns { Some(column) } else { None };
        (code.to_owned(), file.to_owned(), line, column)
    };
    let mut wanted: Vec<_> = expected
        .iter()
        .map(|(code, file, at)| {
            let (line, column) = match *at {
                At::Line(needle) => (site.line(file, needle), 0),
                At::Start(needle) => site.pos(file, needle),
                At::After(needle) => site.pos_after(file, needle),
                At::File => (0, 0),
            };
            place(code, file, line, column)
        })
        .collect();
    let mut reported: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| place(d.code.as_str(), &d.file, d.line, d.column))
        .collect();
    wanted.sort();
    reported.sort();
    assert_eq!(
        reported,
        wanted,
        "\ndiagnostics reported:\n{}",
        describe(&outcome.diagnostics)
    );
    let printed = check_output(site);
    for sentence in says {
        assert!(
            printed.contains(sentence),
            "`{sentence}` is not in:\n{printed}"
        );
    }
    printed
}

/// What `polis check` prints in the site folder (its exit code, then stdout and stderr), with the
/// site's temporary folder written as `[site]`.
pub fn check_output(site: &TestSite) -> String {
    let output = site.polis(&["check"]);
    let mut printed = String::new();
    match output.status.code() {
        Some(code) => writeln!(printed, "exit: {code}"),
        None => writeln!(printed, "exit: killed by a signal"),
    }
    .expect("write to a String");
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if !bytes.is_empty() {
            writeln!(printed, "--- {name}").expect("write to a String");
            printed.push_str(&String::from_utf8_lossy(bytes));
        }
    }
    let root = site.root().to_string_lossy().into_owned();
    printed.replace(&root, "[site]")
}

/// One test per case: `name: site => [(code, file, where), ...]`, optionally followed by
/// `says ["...", ...]`. Each test asserts the exact diagnostics and pins `polis check`'s whole
/// output in `snapshots/suite__<module>__<name>.snap`.
macro_rules! check_cases {
    ($(
        $(#[$meta:meta])*
        $name:ident: $site:expr => [$($expected:expr),* $(,)?] $(says [$($says:expr),* $(,)?])?;
    )*) => {$(
        $(#[$meta])*
        #[test]
        fn $name() {
            let site = $site;
            let printed =
                $crate::support::check::check(&site, &[$($expected),*], &[$($($says),*)?]);
            insta::assert_snapshot!(printed);
        }
    )*};
}
pub(crate) use check_cases;
