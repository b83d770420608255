//! `polis scan`: the website, visited in Chromium or read from evidence, held against site.yaml;
//! the findings printed as `check` prints problems, with its exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};

use polis::cli::Format;
use polis::diagnostics;
use polis::scan::{self, Buttons, findings::Moment};

use super::{Failure, closing, counted, print_human};

/// What the command line asked `polis scan` for.
pub(super) struct Asked {
    pub(super) options: scan::Options,
    pub(super) evidence: Option<PathBuf>,
    pub(super) format: Format,
    pub(super) strict: bool,
    pub(super) quiet: bool,
}

/// Scans the site of `root` (or the URLs asked for) and prints the findings.
pub(super) fn scan(root: &Path, mut asked: Asked) -> Result<(), Failure> {
    // In this process, without the build's limits: they would also bind Chromium.
    let outcome = polis::run_for_export(root);
    let Some(facts) = outcome.facts.as_ref().filter(|_| !outcome.has_errors()) else {
        print_human(root, &outcome);
        eprintln!(
            "scan failed: {}; fix site.yaml first",
            closing(root, &outcome)
        );
        return Err(super::unreadable(&outcome).unwrap_or(Failure::Problems));
    };
    let site = &facts.site;
    if asked.options.buttons.is_none() {
        asked.options.buttons = site_buttons(site);
    }
    let observed = match &asked.evidence {
        Some(file) => scan::evidence::read(file),
        None => {
            let files = asked
                .options
                .urls
                .is_empty()
                .then(|| outcome.rendered.files.clone());
            scan::scan(&asked.options, files)
        }
    }
    .map_err(Failure::Scan)?;
    let found = scan::findings::findings(site, &observed, polis::cookiedb::lookup);
    let (seen, sources) = diagnostics::seen_from(root, &found, &outcome.sources);
    let text = match asked.format {
        Format::Human => {
            let styled = polis::cli::stderr_styled();
            let text = diagnostics::render_human(&seen, &sources, styled);
            let _ = anstream::stderr().lock().write_all(text.as_bytes());
            String::new()
        }
        Format::Json => diagnostics::render_json(&seen),
        Format::Github => diagnostics::render_github(&seen),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if asked.format == Format::Human && !(asked.quiet && found.is_empty()) {
        let moments: Vec<&str> = observed.visits.iter().map(|v| v.moment.words()).collect();
        let only_first = !observed
            .visits
            .iter()
            .any(|v| v.moment != Moment::BeforeChoice);
        eprintln!(
            "scan: {} ({}){}: {}",
            counted(observed.visits.len(), "visit"),
            moments.join(", "),
            if only_first && asked.evidence.is_none() {
                "; no banner buttons known, so only the visit before any choice ran (name them \
                 with --accept and --reject, or site.yaml's `scan:`)"
            } else {
                ""
            },
            diagnostics::summary(&found)
        );
    }
    let (errors, warnings) = diagnostics::count(&found);
    if errors > 0 || (asked.strict && warnings > 0) {
        return Err(Failure::Problems);
    }
    Ok(())
}

/// The banner's buttons site.yaml knows: its `scan:` selectors, or vanilla-cookieconsent's when
/// the site uses the banner `polis export consent` configures (`cookies.settings: banner`).
fn site_buttons(site: &polis::model::Site) -> Option<Buttons> {
    if let Some(scan) = &site.scan {
        return Some(Buttons {
            accept: scan.accept.value.clone(),
            reject: scan.reject.value.clone(),
        });
    }
    site.cookies.settings.map(|_| Buttons {
        accept: polis::export::consent::ACCEPT_ALL.to_owned(),
        reject: polis::export::consent::REJECT_ALL.to_owned(),
    })
}
