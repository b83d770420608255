//! The versions of the policies: the ones archive/ holds, what changed in the facts from each to
//! the next, and whether site.yaml still states the facts archived for its effective date.
//!
//! Versions are compared as JSON values, never as today's Rust types: an archive written by this
//! polis stays readable by a later one that knows more fields, and an archive written by a later
//! polis is read by this one, which compares the fields it knows (`sections`) and passes over the
//! rest. What this module finds is structured (a recipient added, a retention changed from one
//! value to another): render words it in each language, and check points a translation left
//! behind at site.yaml. An archive it cannot read, and facts that changed under a date already
//! archived, it reports itself.

mod diff;
mod sections;
mod shape;

use serde_json::{Value, json};

use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::load::{ARCHIVE, Archived};
use crate::model::{Date, Site};
pub use diff::{Change, FieldChange, What, diff};
use diff::{describe, list, stale};
pub use sections::{Field, Kind, Section, text_in};

/// The archive format this polis writes and reads (docs/archive.md).
pub const FORMAT: u64 = 1;

/// The changes a forgotten date's error names one by one; more are counted.
const MAX_LISTED: usize = 10;

/// The versions of the site's policies, as far as the archive knows them.
#[derive(Debug, Default)]
pub struct History {
    /// The archived versions no longer in effect (dated before site.effective_date), oldest
    /// first: each date with the index of its folder in `Input::archive`.
    pub earlier: Vec<(Date, usize)>,
    /// What changed with each version since the archived one before it, oldest first; the last is
    /// the version in effect when the archive holds an earlier one.
    pub steps: Vec<Step>,
    /// Texts that changed in some languages and not in others since the last archived version.
    pub stale: Vec<Stale>,
    /// Whether the archive holds the version in effect, with the facts site.yaml states.
    pub archived: bool,
}

/// The changes a version brought.
#[derive(Debug, Clone)]
pub struct Step {
    /// When the version took effect.
    pub date: Date,
    /// The archived version before it.
    pub since: Date,
    /// What changed, section by section.
    pub changes: Vec<Change>,
    /// The data categories and sources of both versions (the newer first), which name the keys
    /// a purpose or a data category refers to.
    pub names: Names,
}

/// The items keys refer to.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Data categories, each with its `key` and maybe its `name`.
    pub data: Vec<Value>,
    /// Sources, likewise.
    pub sources: Vec<Value>,
}

/// A text changed in some languages since an archived version, and not in `locale`.
#[derive(Debug, Clone)]
pub struct Stale {
    /// Where it is: the section, the item's index in site.yaml's list (0 for a section that is one
    /// item), and the field.
    pub section: Section,
    /// The index of the item.
    pub index: usize,
    /// The field.
    pub field: &'static Field,
    /// Its path in site.yaml's terms: `purposes.credit.name`.
    pub path: String,
    /// The languages whose text changed.
    pub changed: Vec<String>,
    /// The language whose text did not.
    pub locale: String,
    /// The keys a waiver may name it by: the item's key or names, and the language.
    pub subjects: Vec<String>,
    /// The archived version it changed since.
    pub since: Date,
}

/// The facts of `site` as `polis archive` records them in facts.json (docs/archive.md).
pub fn record(site: &Site) -> Value {
    let locales = site.settings.locale_keys();
    json!({
        "format": FORMAT,
        "polis": env!("CARGO_PKG_VERSION"),
        "effective_date": site.settings.effective_date.iso(),
        "locales": locales,
        "facts": crate::model::facts(site),
    })
}

/// The versions in `archive` next to the site in effect. With `compare` (site.yaml decoded
/// without errors), the versions are compared with each other and with site.yaml; without it, a
/// half-decoded site would differ from every version, so only the archive itself is checked.
pub fn history(
    site: &Site,
    archive: &[Archived],
    sources: &Sources,
    compare: bool,
) -> (History, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut history = History::default();
    let versions: Vec<(Date, usize, &Value)> = archive
        .iter()
        .enumerate()
        .filter_map(|(i, version)| {
            readable(version, sources, &mut diagnostics).map(|(date, facts)| (date, i, facts))
        })
        .collect();
    let effective = site.settings.effective_date;
    history.earlier = versions
        .iter()
        .filter(|(date, ..)| *date < effective)
        .map(|(date, i, _)| (*date, *i))
        .collect();
    // A site without an archive has nothing to compare (and its facts need not be written out).
    if !compare || versions.is_empty() {
        return (history, diagnostics);
    }
    let locales: Vec<String> = site
        .settings
        .locales
        .iter()
        .map(|l| l.value.clone())
        .collect();
    let current = crate::model::facts(site);
    let pos = site.settings.effective_date_pos;
    if let Some((later, ..)) = versions.iter().rev().find(|(date, ..)| *date > effective) {
        diagnostics.push(
            Diagnostic::error(
                Code::ArchiveDate,
                "site.yaml",
                pos,
                format!(
                    "site.effective_date is {}, but archive/ holds a version that took effect later, on {}",
                    effective.iso(),
                    later.iso()
                ),
            )
            .hint("a new version takes effect after the ones before it: set the date this version takes effect"),
        );
    }
    let same = versions.iter().find(|(date, ..)| *date == effective);
    if let Some((_, i, facts)) = same {
        let changed = changed_since_archived(facts, &current, &locales);
        history.archived = changed.is_none();
        if let Some(listed) = changed {
            diagnostics.push(
                Diagnostic::error(
                    Code::ArchiveDate,
                    "site.yaml",
                    pos,
                    format!(
                        "the facts changed since the version of {} was archived ({}): {listed}",
                        effective.iso(),
                        archive[*i].facts_path,
                    ),
                )
                .hint(
                    "set site.effective_date to the date the new version takes effect; the archived version stays as it was \
                     published",
                ),
            );
        }
    }
    // The chain of versions: the earlier ones, then the one in effect (site.yaml's facts).
    let mut chain: Vec<(Date, &Value)> = versions
        .iter()
        .filter(|(date, ..)| *date < effective)
        .map(|(date, _, facts)| (*date, *facts))
        .collect();
    chain.push((effective, &current));
    for pair in chain.windows(2) {
        let ((since, old), (date, new)) = (pair[0], pair[1]);
        let names = Names {
            data: items_of(new, &["data"], old),
            sources: items_of(new, &["sources"], old),
        };
        history.steps.push(Step {
            date,
            since,
            changes: diff(old, new, &locales),
            names,
        });
    }
    // Translations are compared with the last version archived: the one in effect, else the one before.
    if let Some((since, old)) = same
        .map(|(d, _, f)| (*d, *f))
        .or_else(|| chain.len().checked_sub(2).map(|i| chain[i]))
    {
        history.stale = stale(old, &current, &locales, since);
    }
    (history, diagnostics)
}

/// What changed between the archived facts of the date in effect and site.yaml's, listed for a
/// message (at most [`MAX_LISTED`], then a count), or `None` when nothing did.
fn changed_since_archived(archived: &Value, current: &Value, locales: &[String]) -> Option<String> {
    let changes = diff(archived, current, locales);
    if changes.is_empty() {
        return None;
    }
    let first = locales.first().map_or("", String::as_str);
    let mut listed: Vec<String> = changes
        .iter()
        .take(MAX_LISTED)
        .map(|c| describe(c, first))
        .collect();
    if changes.len() > MAX_LISTED {
        listed.push(format!("and {} more", changes.len() - MAX_LISTED));
    }
    Some(listed.join("; "))
}

/// The date and facts of an archived version, or `None` when it cannot be read (reported).
fn readable<'a>(
    version: &'a Archived,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Date, &'a Value)> {
    let folder = format!("{ARCHIVE}/{}", version.name);
    let Some(date) = Date::parse(&version.name) else {
        diagnostics.push(
            Diagnostic::error(Code::ArchiveInvalid, &folder, Pos::default(), format!("{folder} is not named after a date"))
                .hint("each folder of archive/ is the version that took effect on its date, YYYY-MM-DD, as `polis archive` names it"),
        );
        return None;
    };
    let record = version.facts.as_ref()?;
    let text = sources.get(&version.facts_path).map_or("", String::as_str);
    let at = |needle: &str| Pos::find(text, needle).unwrap_or_default();
    let file = &version.facts_path;
    let invalid = |pos: Pos, message: String, hint: &str| {
        Diagnostic::error(Code::ArchiveInvalid, file, pos, message).hint(hint)
    };
    let restore =
        "an archived version is what `polis archive` wrote; restore the file from version control";
    match record.get("format").and_then(Value::as_u64) {
        Some(FORMAT) => {}
        Some(later) if later > FORMAT => {
            let message = format!(
                "{file} is in archive format {later}, written by a later polis; this polis reads format {FORMAT}"
            );
            diagnostics.push(invalid(
                at("\"format\""),
                message,
                "update polis to the version that wrote the archive, or a later one",
            ));
            return None;
        }
        _ => {
            diagnostics.push(invalid(
                at("\"format\""),
                format!("{file} does not say it is in archive format {FORMAT}"),
                restore,
            ));
            return None;
        }
    }
    if record.get("effective_date").and_then(Value::as_str) != Some(version.name.as_str()) {
        let message = format!(
            "{file} is not the version of {}: its effective_date differs",
            version.name
        );
        diagnostics.push(invalid(at("\"effective_date\""), message, restore));
        return None;
    }
    match record.get("facts") {
        Some(facts @ Value::Object(_)) => {
            let wrong = shape::misshapen(facts);
            for w in &wrong {
                diagnostics.push(invalid(w.pos(text), w.message(file), restore));
            }
            wrong.is_empty().then_some((date, facts))
        }
        _ => {
            diagnostics.push(invalid(
                Pos::new(1, 1, 1),
                format!("{file} has no facts"),
                restore,
            ));
            None
        }
    }
}

/// The items of the list at `at` in `first`, then those of `second` whose key `first` lacks.
fn items_of(first: &Value, at: &[&str], second: &Value) -> Vec<Value> {
    let mut items = list(first, at).to_vec();
    for item in list(second, at) {
        if !items.iter().any(|i| i.get("key") == item.get("key")) {
            items.push(item.clone());
        }
    }
    items
}
