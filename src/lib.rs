//! polis: privacy and cookie policies, in every language, from one description of a company.
//!
//! The pipeline reads as the modules do: [`load`] reads site.yaml, content/, the theme and the
//! archive into memory; [`model`] types site.yaml, keeping positions; [`validate`] checks across it
//! and the files read (references, slugs, a text for every page in every language); [`history`]
//! compares the facts with the archived versions; [`render`] turns content, theme, model and
//! history into pages, in memory; [`check`] looks at the finished pages for anything a
//! reader should not see (`check::pages`) and checks that they say what the GDPR requires
//! (`check::gdpr`); [`write`](mod@write) puts them on disk, atomically. `build`, `check` and
//! `serve` all run [`run`]; only `build` writes. Every stage reports problems as
//! [`diagnostics::Diagnostic`]s and goes on, so one run names everything to fix.

pub mod check;
pub mod cli;
pub mod cookiedb;
pub mod diagnostics;
pub mod export;
pub mod facts;
pub mod history;
pub mod init;
pub mod load;
pub mod model;
pub mod render;
pub mod scan;
pub mod serve;
pub mod text;
pub mod validate;
pub mod write;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use diagnostics::{Diagnostic, Severity, Sources};
use render::Rendered;

/// The JSON Schema of site.yaml (`polis schema`).
pub const SCHEMA: &str = include_str!("../schema/site.schema.json");

/// The JSON Schema of what `polis export json` writes (`polis schema --export`).
pub const EXPORT_SCHEMA: &str = include_str!("../schema/export.schema.json");

/// What one run of the pipeline produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the files the diagnostics point into.
    pub sources: Sources,
    /// The display paths of the files polis ships rather than the site folder holds.
    pub shipped: BTreeSet<String>,
    /// The pages, when rendering got that far.
    pub rendered: Rendered,
    /// Where site.yaml says the output goes (`site.output`), relative to the site folder.
    pub output: PathBuf,
    /// What `polis export` reads, kept by [`run_for_export`] on a site without errors.
    pub facts: Option<export::Facts>,
    /// The version in effect as `polis archive` records it, when asked for ([`run_to_archive`]).
    pub version: Option<Version>,
}

/// The version of the policies in effect, as `polis archive` records it in archive/<date>/
/// (docs/archive.md).
#[derive(Debug, Default)]
pub struct Version {
    /// The date it took effect, `2026-03-01`: the name of its folder.
    pub date: String,
    /// Whether archive/ holds it already, with the same facts.
    pub archived: bool,
    /// Its files by name: `facts.json` and each page as published, `privacy.nl.html`.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Outcome {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Runs load → decode → validate → render → check on the site in `root`, in memory.
///
/// Rendering runs even when site.yaml has errors (broken values decode to placeholders that
/// templates accept), so one run also names the problems of content and templates. The GDPR rules
/// on site.yaml run whenever site.yaml parses as YAML; the checks on finished pages only on a site
/// without errors: on a half-decoded site they would report consequences rather than causes.
pub fn run(root: &Path) -> Outcome {
    run_with(root, Keep::Nothing)
}

/// [`run`], and the version in effect as `polis archive` records it ([`Outcome::version`]).
pub fn run_to_archive(root: &Path) -> Outcome {
    run_with(root, Keep::Version)
}

/// [`run`], keeping what `polis export` reads ([`Outcome::facts`]) when the site has no errors.
pub fn run_for_export(root: &Path) -> Outcome {
    run_with(root, Keep::Facts)
}

/// What a run keeps beyond its diagnostics and pages, for the command that asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    Nothing,
    Facts,
    Version,
}

fn run_with(root: &Path, keep: Keep) -> Outcome {
    // On rayon's pool, like the work it splits: what load and decode free is then reused by the
    // language rendered on the same thread (glibc gives each thread a heap of its own), which
    // lowers the peak memory of a large site.yaml at no cost in time (bench/changes.md).
    let mut outcome = None;
    rayon::scope(|_| outcome = Some(run_on_pool(root, keep)));
    outcome.expect("the scope ran the pipeline")
}

/// [`run`], on a thread of the pool.
fn run_on_pool(root: &Path, keep: Keep) -> Outcome {
    let (mut input, mut diagnostics) = timed("load", || load::load(root));
    let parsed = input.site_yaml.is_some();
    let (site, problems) = timed("decode", || match &input.site_yaml {
        Some(tree) => model::decode_site("site.yaml", tree),
        None => Default::default(),
    });
    // The tree has served its purpose: everything later reads the typed site.
    input.site_yaml = None;
    diagnostics.extend(problems);
    diagnostics.extend(timed("validate", || validate::validate(&site, &input)));
    // Versions are compared on facts site.yaml states in full: a value that failed to decode would
    // differ from every version.
    let compare = parsed
        && !diagnostics
            .iter()
            .any(|d| d.file == "site.yaml" && d.severity == Severity::Error);
    let (history, problems) = timed("history", || {
        history::history(&site, &input.archive, &input.sources, compare)
    });
    diagnostics.extend(problems);
    let (rendered, problems) = timed("render", || render::render(&site, &input, &history));
    diagnostics.extend(problems);
    // What site.yaml lacks is reported on every run, whatever else failed; the pages are checked
    // once they rendered from a site without errors.
    let clean = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    let pages = clean.then_some(&rendered);
    let (lints, gdpr) = rayon::join(
        || {
            timed("lint", || {
                pages
                    .map(|r| check::pages(r, &input.sources))
                    .unwrap_or_default()
            })
        },
        || {
            timed("gdpr", || {
                if parsed {
                    check::gdpr(&site, pages, &input.sources, &history.stale)
                } else {
                    Vec::new()
                }
            })
        },
    );
    diagnostics.extend(lints);
    // One mistake, one error: no GDPR rule repeats what decoding reported on the same line (an
    // invalid country is not also a country without a supervisory authority).
    let broken: HashSet<usize> = diagnostics
        .iter()
        .filter(|d| d.file == "site.yaml" && d.severity == Severity::Error)
        .map(|d| d.line)
        .collect();
    diagnostics.extend(
        gdpr.into_iter()
            .filter(|d| d.file != "site.yaml" || d.line == 0 || !broken.contains(&d.line)),
    );
    for d in &mut diagnostics {
        if input.shipped.contains(&d.file) {
            *d = polis_bug(d);
        }
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    let output = PathBuf::from(&site.settings.output.value);
    let clean = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    let version = (keep == Keep::Version).then(|| version(&site, &rendered, history.archived));
    let facts = (keep == Keep::Facts && clean).then(|| export::Facts {
        site,
        locale_packs: std::mem::take(&mut input.locale_packs),
        consent_revision: export::consent::revision(&history),
    });
    Outcome {
        diagnostics,
        sources: input.sources,
        shipped: input.shipped,
        rendered,
        output,
        facts,
        version,
    }
}

/// The version in effect as `polis archive` records it: its facts and its pages as published.
fn version(site: &model::Site, rendered: &Rendered, archived: bool) -> Version {
    let mut facts = serde_json::to_vec_pretty(&history::record(site)).unwrap_or_default();
    facts.push(b'\n');
    let mut files = BTreeMap::from([(load::FACTS.to_owned(), facts)]);
    for page in &rendered.pages {
        files.insert(
            format!("{}.{}.html", page.name, page.locale),
            page.html.clone().into_bytes(),
        );
    }
    Version {
        date: site.settings.effective_date.iso(),
        archived,
        files,
    }
}

/// A problem found in a file polis ships, which the site cannot fix: the texts polis ships guard
/// every value site.yaml may leave out, and the GDPR rules ask for what they need at site.yaml. So
/// it is reported as polis's bug, at site.yaml (the file a pull request shows), never in a file
/// the site does not have.
fn polis_bug(d: &Diagnostic) -> Diagnostic {
    let at = if d.line > 0 {
        format!("{}:{}", d.file, d.line)
    } else {
        d.file.clone()
    };
    Diagnostic::error(
        diagnostics::Code::PolisBug,
        "site.yaml",
        diagnostics::Pos::default(),
        format!("a bug in polis: its own text {at} fails on this site.yaml: {} [{}]", d.message, d.code),
    )
    .hint("please report it to the polis maintainers with this site.yaml; the site itself is not at fault")
}

/// Runs one stage; with `POLIS_TIMINGS` set, says on stderr how long it took (for bench/).
fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let value = f();
    if std::env::var_os("POLIS_TIMINGS").is_some() {
        eprintln!(
            "polis: {stage} {:.2} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::polis_bug;
    use crate::diagnostics::{Code, Diagnostic, Pos};

    /// No site can make a shipped text fail; if one does, the user reads that it is polis's bug, at
    /// site.yaml, and never a path into polis.
    #[test]
    fn a_problem_in_a_shipped_text_is_polis_bug_at_site_yaml() {
        let found = Diagnostic::error(
            Code::UnfilledField,
            "<polis>/content/privacy.en.md",
            Pos::new(115, 60, 10),
            "`p.interest` has no value",
        );
        let bug = polis_bug(&found);
        assert_eq!(
            (bug.code, bug.file.as_str(), bug.line),
            (Code::PolisBug, "site.yaml", 0)
        );
        assert_eq!(
            bug.message,
            "a bug in polis: its own text <polis>/content/privacy.en.md:115 fails on this site.yaml: `p.interest` has no value \
             [unfilled-field]"
        );
    }
}
