//! The invariant ARCHITECTURE.md states first: the modules form one line, load → model → init →
//! validate → history → render → check → export → write, with serve beside them and scan (which
//! serves the site it scans) after serve, and no module uses one later in the line (init writes a
//! first site.yaml from what load and model know; history compares the facts with the archived
//! versions; export turns what render made into other formats, which write puts on disk). The
//! modules at the bottom (yaml, text, diagnostics, facts) use none of the stages.

use std::path::Path;

/// The stages in order; a module may use its own stage and earlier ones.
const LINE: &[&str] = &[
    "load", "model", "cookiedb", "init", "validate", "history", "render", "check", "export",
    "write", "serve", "scan",
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
    visit_files(dir, "rs", files);
}

/// Every file under `dir` whose name ends in `.extension`.
fn visit_files(dir: &Path, extension: &str, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit_files(&path, extension, files);
        } else if path.extension().is_some_and(|e| e == extension) {
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
        for (line, used) in crate_modules_used(&text) {
            if let Some(theirs) = rank(&used)
                && (theirs > own
                    || (own == 0
                        && theirs == 0
                        && used != module
                        && !matches!(used.as_str(), "diagnostics")))
            {
                wrong.push(format!("src/{rel}:{line}: `{module}` uses `{used}`"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every module of the crate that `text` names, with the 1-based line where it does: the first
/// segment after each `crate::` (`crate::render::Page`, `$crate::model`) and, in a grouped use,
/// the first segment of each item, however nested (`use crate::{model::{Site, Text}, render};`
/// names `model` and `render`). Comments, strings and characters are skipped.
fn crate_modules_used(text: &str) -> Vec<(usize, String)> {
    let code = code_only(text);
    let bytes = code.as_bytes();
    let mut used = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let glued = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if glued {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let mut names = Vec::new();
        first_segments(&code, at + "crate::".len(), &mut names);
        used.extend(names.into_iter().map(|name| (line, name)));
    }
    used
}

/// What opens a group of items in a `use`.
const GROUP: char = '{';

/// The first segment of the path that starts at `at`, or of each item of the group there.
fn first_segments(code: &str, at: usize, names: &mut Vec<String>) {
    let rest = code[at..].trim_start();
    let at = code.len() - rest.len();
    if !rest.starts_with(GROUP) {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && name != "self" {
            names.push(name);
        }
        return;
    }
    // A group: each item starts after its opening brace or after a comma at its own depth.
    let mut depth = 0;
    for (i, c) in code[at..].char_indices() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    first_segments(code, at + i + 1, names);
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            ',' if depth == 1 => first_segments(code, at + i + 1, names),
            _ => {}
        }
    }
}

/// `text` with comments, string literals and character literals blanked out (newlines kept, so
/// lines still count), leaving only code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        let end = match (c, next) {
            ('/', Some('/')) => (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len()),
            ('/', Some('*')) => (i + 2..chars.len())
                .find(|&j| chars[j - 1] == '*' && chars[j] == '/')
                .map_or(chars.len(), |j| j + 1),
            ('r', Some('"' | '#')) if i == 0 || !is_ident(chars[i - 1]) => {
                raw_string_end(&chars, i)
            }
            ('"', _) => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                (j + 1).min(chars.len())
            }
            // A character literal (`'x'`, `'\''`), not a lifetime (`'a`).
            ('\'', _) if chars.get(i + 2) == Some(&'\'') => i + 3,
            ('\'', Some('\\')) => (i + 2..chars.len())
                .find(|&j| chars[j] == '\'')
                .map_or(chars.len(), |j| j + 1),
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        out.extend(chars[i..end].iter().map(|&c| blank(c)));
        i = end;
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The end of the raw string `r#"..."#` that starts at `at` (or of the `r` alone, if it is none).
fn raw_string_end(chars: &[char], at: usize) -> usize {
    let hashes = chars[at + 1..].iter().take_while(|&&c| c == '#').count();
    let open = at + 1 + hashes;
    if chars.get(open) != Some(&'"') {
        return at + 1;
    }
    let close: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (open + 1..chars.len())
        .find(|&j| chars[j..].starts_with(&close))
        .map_or(chars.len(), |j| j + close.len())
}

#[test]
fn grouped_and_nested_uses_are_read_as_the_modules_they_name() {
    let text = "use crate::{\n    model::{Site, Text},\n    render,\n    {check::x},\n};\n\
                // crate::serve in a comment\nlet s = \"crate::write\";\nlet c = '{';\n\
                fn f() -> crate::export::Facts { $crate::load::x() }\nuse mycrate::yaml;\n";
    let used = crate_modules_used(text);
    let used: Vec<(usize, &str)> = used
        .iter()
        .map(|(line, name)| (*line, name.as_str()))
        .collect();
    assert_eq!(
        used,
        [
            (1, "model"),
            (1, "render"),
            (1, "check"),
            (9, "export"),
            (9, "load")
        ]
    );
}

/// README.md promises a stable code for every problem; each one is something a test saw polis
/// say: it is in the output of a run that a snapshot under tests/suite/ pins (as `error[code]`,
/// `warning[code]`, `note[code]`, `"code": "code"` or `title=polis code::`). A code that a test
/// only names, say to assert that it is absent, does not count. The one exception is `polis-bug`,
/// which no site can make polis say (it means a text polis ships fails on a site.yaml); the unit
/// test of src/lib.rs makes one.
#[test]
fn every_code_is_triggered_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    visit_files(&root.join("tests/suite"), "snap", &mut files);
    let snapshots: String = files
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("fn a_problem_in_a_shipped_text_is_polis_bug_at_site_yaml()"),
        "the unit test that makes a polis-bug"
    );
    let untested: Vec<&str> = polis::diagnostics::Code::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|&name| {
            let seen = ["error[", "warning[", "note["]
                .iter()
                .any(|severity| snapshots.contains(&format!("{severity}{name}]")))
                || snapshots.contains(&format!("\"code\": \"{name}\""))
                || snapshots.contains(&format!("title=polis {name}::"));
            !seen && name != "polis-bug"
        })
        .collect();
    assert!(
        untested.is_empty(),
        "no snapshot shows polis reporting: {untested:?}"
    );
}

/// The `fn` items of a rustfmt-formatted file that run over `most` lines, as `name (lines)`: a
/// body ends at the first line that is its indentation and `}`.
fn long_functions(text: &str, most: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let mut words = code.split_whitespace().skip_while(|w| {
            w.starts_with("pub") || ["const", "async", "unsafe", "extern", "\"C\""].contains(w)
        });
        if words.next() != Some("fn") || code.ends_with(';') || code.ends_with('}') {
            continue;
        }
        let name = words.next().unwrap_or_default();
        let name = name.split(['(', '<']).next().unwrap_or_default();
        let end = lines[i..].iter().position(|l| {
            l.strip_prefix(indent)
                .is_some_and(|rest| rest == "}" || rest.ends_with(" {}"))
        });
        if let Some(end) = end.filter(|end| end + 1 > most) {
            long.push(format!("{name} ({} lines)", end + 1));
        }
    }
    long
}

#[test]
fn no_file_is_over_600_lines_and_no_function_over_100() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    visit(&root.join("src"), &mut files);
    visit(&root.join("tests"), &mut files);
    assert!(files.len() > 50, "{files:?}");
    let mut over = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(root).unwrap().display();
        let count = text.lines().count();
        if count > 600 {
            over.push(format!("{name}: {count} lines"));
        }
        over.extend(
            long_functions(&text, 100)
                .into_iter()
                .map(|f| format!("{name}: fn {f}")),
        );
    }
    assert_eq!(over, Vec::<String>::new());
}

#[test]
fn a_long_function_is_found_and_a_short_one_is_not() {
    let body = "    let x = 1;\n".repeat(98);
    let text = format!(
        "fn short() {{\n{body}}}\n\nimpl A {{\n    pub(crate) fn long(\n        a: u8,\n    ) {{\n{body}{body}    }}\n    fn one() -> u8 {{ 1 }}\n}}\n"
    );
    assert_eq!(long_functions(&text, 100), ["long (200 lines)"]);
}
