//! polis: privacy and cookie policies, in every language, from one description of a company.
//!
//! The pipeline reads as the modules do: [`load`] reads site.yaml, content/ and the theme into
//! memory; [`model`] types site.yaml, keeping positions; [`validate`] checks references across it;
//! [`render`] turns content, theme and model into pages, in memory; [`lint`] looks at the finished
//! pages for anything a reader should not see, and [`gdpr`] checks that they say what the GDPR
//! requires; [`write`] puts them on disk, atomically. `build`,
//! `check` and `serve` all run [`run`]; only `build` writes. Every stage reports problems as
//! [`diagnostics::Diagnostic`]s and goes on, so one run names everything to fix.

pub mod alloc;
pub mod cli;
pub mod diagnostics;
pub mod facts;
pub mod gdpr;
pub mod lint;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod validate;
pub mod write;

use std::path::Path;

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
    /// The pages, when rendering got that far.
    pub rendered: Rendered,
    /// What was read (its sources moved to `sources`). Kept, so that freeing it is the caller's
    /// choice: a command that ends with the run leaves it to the system.
    pub input: load::Input,
}

impl Outcome {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Runs load → validate → render → lint on the site in `root`, in memory.
///
/// Rendering runs even when site.yaml has errors (broken values decode to placeholders that
/// templates accept), so one run also names the problems of content and templates. The checks on
/// finished pages run only on a site without errors: on a half-decoded site they would report
/// consequences rather than causes.
pub fn run(root: &Path) -> Outcome {
    run_with(root, |_, _| ()).0
}

/// [`run`], and `alongside` with the rendered pages while the checks read them, when rendering
/// found no error. `polis build` stages its output this way; whether to keep it is decided on the
/// outcome, which `alongside` cannot see.
pub fn run_with<T: Send>(root: &Path, alongside: impl FnOnce(&load::Input, &Rendered) -> T + Send) -> (Outcome, Option<T>) {
    // The pipeline runs on the pool's threads: where it splits in two, the thread that splits
    // takes one half and the other thread the other.
    workers().install(|| run_in_pool(root, alongside))
}

/// The threads the pipeline runs on, one per CPU. Starting them takes a moment; a command can
/// start them early (`polis` does, before it reads its arguments) so that they are ready.
pub fn workers() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let pool = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("polis-{i}")).start_handler(pin).build();
        pool.expect("the system lets polis start threads")
    })
}

fn run_in_pool<T: Send>(root: &Path, alongside: impl FnOnce(&load::Input, &Rendered) -> T + Send) -> (Outcome, Option<T>) {
    let (mut input, mut diagnostics) = timed("load", || load::load(root));
    diagnostics.extend(timed("validate", || validate::validate(&input.site)));
    let (rendered, problems) = timed("render", || render::render(&input));
    diagnostics.extend(problems);
    let mut beside = None;
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        // The two sets of checks read the same pages and share nothing else.
        let checks = || {
            rayon::join(
                || timed("lint", || lint::lint(&rendered, &input.sources)),
                || timed("gdpr", || gdpr::lint(&input.site, &rendered, &input.sources)),
            )
        };
        let ((lints, gdpr), done) = rayon::join(checks, || alongside(&input, &rendered));
        diagnostics.extend(lints);
        diagnostics.extend(gdpr);
        beside = Some(done);
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    let sources = std::mem::take(&mut input.sources);
    (Outcome { diagnostics, sources, rendered, input }, beside)
}

/// Keeps worker `index` on a CPU of its own. Left to the scheduler, two workers woken together
/// sometimes share one CPU for milliseconds while the other idles, which undoes the split.
#[cfg(target_os = "linux")]
fn pin(index: usize) {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
    let Ok(allowed) = sched_getaffinity(None) else { return };
    let cpus: Vec<usize> = (0..CpuSet::MAX_CPU).filter(|&c| allowed.is_set(c)).collect();
    if cpus.len() > 1 {
        let mut one = CpuSet::new();
        one.set(cpus[index % cpus.len()]);
        let _ = sched_setaffinity(None, &one);
    }
}

#[cfg(not(target_os = "linux"))]
fn pin(_: usize) {}

/// Runs one stage; with `POLIS_TIMINGS` set, says on stderr how long it took (for bench/).
fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let value = f();
    if std::env::var_os("POLIS_TIMINGS").is_some() {
        eprintln!("polis: {stage} {:.2} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
    value
}
