//! polis: privacy and cookie policies, in every language, from one description of a company.
//!
//! The pipeline reads as the modules do: [`load`] reads site.yaml, content/ and the theme into
//! memory; [`model`] types site.yaml, keeping positions; [`validate`] checks across it and the files
//! read (references, slugs, a text for every page in every language); [`render`] turns content,
//! theme and model into pages, in memory; [`check`] looks at the finished pages for anything a
//! reader should not see (`check::pages`) and checks that they say what the GDPR requires
//! (`check::gdpr`); [`write`](mod@write) puts them on disk, atomically. `build`, `check` and
//! `serve` all run [`run`]; only `build` writes. Every stage reports problems as
//! [`diagnostics::Diagnostic`]s and goes on, so one run names everything to fix.

pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod facts;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod text;
pub mod validate;
pub mod write;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use diagnostics::{Diagnostic, Severity, Sources};
use render::Rendered;

/// The JSON Schema of site.yaml (`polis schema`).
pub const SCHEMA: &str = include_str!("../schema/site.schema.json");

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
}

impl Outcome {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Runs load → decode → validate → render → check on the site in `root`, in memory.
///
/// Rendering runs even when site.yaml has errors (broken values decode to placeholders that
/// templates accept), so one run also names the problems of content and templates. The checks on
/// finished pages run only on a site without errors: on a half-decoded site they would report
/// consequences rather than causes.
pub fn run(root: &Path) -> Outcome {
    // On rayon's pool, like the work it splits: what load and decode free is then reused by the
    // language rendered on the same thread (glibc gives each thread a heap of its own). A 4 MiB
    // site.yaml peaks at 191 MB instead of 257 MB (bench/changes.md); the time is the same.
    let mut outcome = None;
    rayon::scope(|_| outcome = Some(run_on_pool(root)));
    outcome.expect("the scope ran the pipeline")
}

/// [`run`], on a thread of the pool.
fn run_on_pool(root: &Path) -> Outcome {
    let (mut input, mut diagnostics) = timed("load", || load::load(root));
    let (site, problems) = timed("decode", || match &input.site_yaml {
        Some(tree) => model::decode_site("site.yaml", tree),
        None => Default::default(),
    });
    // The tree has served its purpose: everything later reads the typed site.
    input.site_yaml = None;
    diagnostics.extend(problems);
    diagnostics.extend(timed("validate", || validate::validate(&site, &input)));
    let (rendered, problems) = timed("render", || render::render(&site, &input));
    diagnostics.extend(problems);
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        // The two sets of checks read the same pages and share nothing else.
        let (lints, gdpr) = rayon::join(
            || timed("lint", || check::pages(&rendered, &input.sources)),
            || timed("gdpr", || check::gdpr(&site, &rendered, &input.sources)),
        );
        diagnostics.extend(lints);
        diagnostics.extend(gdpr);
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    Outcome { diagnostics, sources: input.sources, shipped: input.shipped, rendered, output: PathBuf::from(&site.settings.output.value) }
}

/// Runs one stage; with `POLIS_TIMINGS` set, says on stderr how long it took (for bench/).
fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let value = f();
    if std::env::var_os("POLIS_TIMINGS").is_some() {
        eprintln!("polis: {stage} {:.2} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
    value
}
