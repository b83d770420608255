//! The invariant ARCHITECTURE.md states first: the modules form one line, load → model → init →
//! validate → history → render → check → export → write, with serve beside them, and no module
//! uses one later in the line (init writes a first site.yaml from what load and model know; history
//! compares the facts with the archived versions; export turns what render made into other formats,
//! which write puts on disk). The modules at the bottom (yaml, text, diagnostics, facts) use none
//! of the stages.

use std::path::Path;

/// The stages in order; a module may use its own stage and earlier ones.
const LINE: &[&str] = &[
    "load", "model", "init", "validate", "history", "render", "check", "export", "write", "serve",
];
const BOTTOM: &[&str] = &["yaml", "text", "diagnostics", "facts"];

fn rank(module: &str) -> Option<usize> {
    if BOTTOM.contains(&module) {
        Some(0)
    } else {
        LINE.iter().position(|m| *m == module).map(|i| i + 1)
    }
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_module_uses_one_later_in_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel.split(['/', '.']).next().unwrap().to_owned();
        let Some(own) = rank(&module) else { continue }; // lib.rs, main.rs, cli.rs: the top
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let used: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(theirs) = rank(&used)
                    && (theirs > own
                        || (own == 0
                            && theirs == 0
                            && used != module
                            && !matches!(used.as_str(), "diagnostics")))
                {
                    wrong.push(format!("src/{rel}:{}: `{module}` uses `{used}`", n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// README.md promises a stable code for every problem; each one is something a test makes polis
/// say: an end-to-end test names it (`"unknown-page"`), or a unit test of the rule that reports it
/// does (`Code::GdprDpo`, in a test module of src/).
#[test]
fn every_code_is_triggered_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    visit(&root.join("tests"), &mut files);
    let end_to_end: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut files = Vec::new();
    visit(&root.join("src"), &mut files);
    // A module's tests: from `#[cfg(test)]` on, or a whole `tests.rs` beside the module.
    let unit: String = files
        .iter()
        .map(|f| (f.ends_with("tests.rs"), std::fs::read_to_string(f).unwrap()))
        .filter_map(|(whole, text)| match whole {
            true => Some(text),
            false => text.find("#[cfg(test)]").map(|at| text[at..].to_owned()),
        })
        .collect();
    let untested: Vec<&str> = polis::diagnostics::Code::ALL
        .iter()
        .filter(|code| {
            let variant = format!("Code::{code:?}");
            !end_to_end.contains(&format!("\"{}\"", code.as_str())) && !unit.contains(&variant)
        })
        .map(|code| code.as_str())
        .collect();
    assert!(
        untested.is_empty(),
        "no test makes polis report: {untested:?}"
    );
}
