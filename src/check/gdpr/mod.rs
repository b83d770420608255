//! The GDPR completeness lint: what a privacy notice and a cookie policy must say
//! (../shared/reference/gdpr-checklist.md), checked against site.yaml and the rendered pages.
//!
//! Every rule has a stable `gdpr-...` code, cites its article, points at the value in site.yaml
//! (or the line of the content file) that needs work, and says what to add. The rules live in one
//! file per family (`rules`: Art. 13/14; `cookies`; `languages`; `vague`) and push findings here: a
//! diagnostic with the keys it is about, which `waivers` matches against the site's `waivers:`. A
//! waived finding is still reported, as a `waived` note at the waiver, so nothing is ever left out
//! silently.

mod cookies;
mod hedges;
mod identity;
mod languages;
mod retention;
mod rules;
mod translations;
mod vague;
mod waivers;

use crate::diagnostics::{Diagnostic, Pos, Sources};
use crate::history::Stale;
use crate::model::{Site, Text};
use crate::render::Rendered;

const SITE: &str = "site.yaml";

const SAFEGUARDS: &str = "adequacy, data_privacy_framework, standard_contractual_clauses, binding_corporate_rules, code_of_conduct, certification or derogation";

/// A diagnostic and the keys it concerns (purpose key, cookie name, recipient name, data key, ...),
/// which a waiver's `at` is matched against.
struct Finding {
    diagnostic: Diagnostic,
    subjects: Vec<String>,
}

struct Out(Vec<Finding>);

impl Out {
    fn push<S: Into<String>>(
        &mut self,
        diagnostic: Diagnostic,
        subjects: impl IntoIterator<Item = S>,
    ) {
        let mut subjects: Vec<String> = subjects
            .into_iter()
            .map(Into::into)
            .filter(|s| !s.is_empty())
            .collect();
        subjects.dedup();
        self.0.push(Finding {
            diagnostic,
            subjects,
        });
    }
}

/// Checks `site` for what GDPR Art. 12-14 and ePrivacy Art. 5(3) require, and, given its rendered
/// `pages`, that they say it; and reports the texts history found `stale` (changed in some
/// languages only since the last archived version).
///
/// The rules on site.yaml run whenever it parses, whatever else failed: they are what the shipped
/// texts need, and each names the item to fix. The rules on pages need pages rendered from a site
/// without errors (on a half-decoded site they would report consequences rather than causes).
pub(crate) fn lint(
    site: &Site,
    pages: Option<&Rendered>,
    sources: &Sources,
    stale: &[Stale],
) -> Vec<Diagnostic> {
    let mut out = Out(Vec::new());
    // Comparing the languages reads every page word by word: it runs beside the other rules.
    let (languages, ()) = rayon::join(
        || {
            let mut out = Out(Vec::new());
            if let Some(rendered) = pages {
                languages::locales_differ(site, rendered, sources, &mut out);
            }
            out.0
        },
        || {
            rules::purposes(site, &mut out);
            rules::data(site, &mut out);
            retention::retention_from(site, &mut out);
            rules::recipients(site, &mut out);
            rules::controller(site, &mut out);
            identity::identity(site, &mut out);
            rules::register(site, &mut out);
            cookies::cookies(site, &mut out);
            vague::vague_language(site, sources, &mut out);
            languages::belgian_languages(site, &mut out);
            translations::stale_translations(site, stale, &mut out);
            if let Some(rendered) = pages {
                rules::consent_withdrawal(site, rendered, &mut out);
            }
        },
    );
    out.0.extend(languages);
    let mut diagnostics = waivers::apply_waivers(site, out.0);
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

fn first_locale(site: &Site) -> &str {
    site.settings
        .locales
        .first()
        .map_or("", |l| l.value.as_str())
}

/// Every variant of a text, without repeats: the keys a waiver may name it by.
fn names(text: &Text) -> Vec<String> {
    let mut all: Vec<String> = text.all().map(str::to_owned).collect();
    all.sort();
    all.dedup();
    all
}

/// A non-default position, or the fallback.
fn or(pos: Pos, fallback: Pos) -> Pos {
    if pos == Pos::default() { fallback } else { pos }
}

/// `nl: ..., en: ...` for the site's locales.
fn locale_skeleton(site: &Site) -> String {
    site.settings
        .locales
        .iter()
        .map(|l| format!("{}: ...", l.value))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod test_support {
    //! What the tests of every rule share: the example site, edits to it, and the whole lint run on
    //! the result.

    use std::path::Path;

    use super::lint;
    use crate::diagnostics::{Code, Diagnostic, Pos, Severity};
    use crate::model::Site;

    pub(super) fn repo_file(name: &str) -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
    }

    pub(super) fn example() -> String {
        repo_file("site.yaml")
    }

    /// `text` with the first `from` replaced by `to`; `from` must be there.
    pub(super) fn edit(text: &str, from: &str, to: &str) -> String {
        assert!(text.contains(from), "`{from}` is not in the text");
        text.replacen(from, to, 1)
    }

    /// site.yaml with one waiver appended.
    pub(super) fn waive(
        yaml: &str,
        rule: impl std::fmt::Display,
        at: Option<&str>,
        reason: &str,
    ) -> String {
        let at = at.map_or(String::new(), |a| format!("    at: \"{a}\"\n"));
        format!("{yaml}\nwaivers:\n  - rule: {rule}\n{at}    reason: {reason}\n")
    }

    /// The 1-based line of the first `needle` in `text`.
    pub(super) fn line_of(text: &str, needle: &str) -> usize {
        Pos::find(text, needle).expect("needle").line
    }

    /// Loads a site made of `yaml` and `files` (the rest comes from what polis ships), renders it
    /// and runs this lint on it.
    pub(super) fn run(yaml: &str, files: &[(&str, String)]) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (input, site) = load(dir.path());
        let (rendered, _) = crate::render::render(&site, &input, &Default::default());
        lint(&site, Some(&rendered), &input.sources, &[])
    }

    /// The site in `root`, read and decoded.
    pub(super) fn load(root: &Path) -> (crate::load::Input, Site) {
        let (input, _) = crate::load::load(root);
        let (site, _) = crate::model::decode_site(
            "site.yaml",
            input.site_yaml.as_ref().expect("site.yaml is read"),
        );
        (input, site)
    }

    pub(super) fn with_code(diagnostics: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
        diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// The only diagnostic with `code`.
    pub(super) fn one(diagnostics: &[Diagnostic], code: Code) -> &Diagnostic {
        let found = with_code(diagnostics, code);
        assert_eq!(found.len(), 1, "{diagnostics:#?}");
        found[0]
    }

    /// `rule` is not reported, and a `waived` warning says so.
    pub(super) fn assert_waived(diagnostics: &[Diagnostic], rule: Code, at: Option<&str>) {
        assert!(with_code(diagnostics, rule).is_empty(), "{diagnostics:#?}");
        let place = at.map_or("the whole site".to_owned(), |a| format!("`{a}`"));
        let waived = one(diagnostics, Code::Waived);
        assert_eq!(waived.severity, Severity::Note);
        assert!(
            waived
                .message
                .starts_with(&format!("`{rule}` waived for {place}: ")),
            "{}",
            waived.message
        );
        assert!(
            with_code(diagnostics, Code::UnusedWaiver).is_empty(),
            "{diagnostics:#?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::lint;
    use super::test_support::{example, load, run};

    #[test]
    fn the_example_is_clean() {
        let (input, site) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
        let (rendered, diags) = crate::render::render(&site, &input, &Default::default());
        assert!(diags.is_empty(), "{diags:#?}");
        let found = lint(&site, Some(&rendered), &input.sources, &[]);
        assert!(found.is_empty(), "{found:#?}");
        // The same site read from a copy, with the texts polis ships.
        assert!(run(&example(), &[]).is_empty());
    }
}
