//! Waivers: a site may set a GDPR rule aside, for one key or for the whole site, and must say why.
//!
//! A waived finding is not reported as a problem but as a note at the waiver, so nothing is left
//! out silently. A waiver that names no rule, or matches no finding, is reported too, with the rule
//! or key it most likely meant.

use super::{Finding, SITE, names};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::model::decode::nearest;

/// The findings no waiver covers, and what became of each waiver: used, naming no rule, or
/// matching nothing.
pub(super) fn apply_waivers(site: &Site, findings: Vec<Finding>) -> Vec<Diagnostic> {
    let mut used = vec![false; site.waivers.len()];
    let mut diagnostics = Vec::new();
    for finding in findings {
        let mut waived = false;
        for (i, w) in site.waivers.iter().enumerate() {
            let at = w.at.as_ref().map(|a| a.value.as_str());
            if w.code == Some(finding.diagnostic.code)
                && at.is_none_or(|a| finding.subjects.iter().any(|s| s == a))
            {
                used[i] = true;
                waived = true;
            }
        }
        if !waived {
            diagnostics.push(finding.diagnostic);
        }
    }
    let subjects = known_subjects(site);
    for (w, used) in site.waivers.iter().zip(used) {
        let rule = &w.rule.value;
        let place =
            w.at.as_ref()
                .map_or("the whole site".to_owned(), |a| format!("`{}`", a.value));
        if !w.code.is_some_and(Code::waivable) {
            let rules: Vec<&str> = Code::ALL
                .iter()
                .filter(|c| c.waivable())
                .map(|c| c.as_str())
                .collect();
            let hint = match nearest(rule, &rules) {
                Some(near) => format!(
                    "did you mean `{near}`? The GDPR rules are: {}",
                    rules.join(", ")
                ),
                None => format!("the GDPR rules are: {}", rules.join(", ")),
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownRule,
                    SITE,
                    w.rule.pos,
                    format!("a waiver names the rule `{rule}`, which polis does not have"),
                )
                .hint(hint),
            );
        } else if used {
            diagnostics.push(
                Diagnostic::note(
                    Code::Waived,
                    SITE,
                    w.rule.pos,
                    format!("`{rule}` waived for {place}: {}", w.reason.value),
                )
                .hint(
                    "the finding is not reported as a problem; remove the waiver once it is fixed",
                ),
            );
        } else {
            let pos = w.at.as_ref().map_or(w.rule.pos, |a| a.pos);
            let near =
                w.at.as_ref()
                    .filter(|a| !subjects.contains(&a.value))
                    .and_then(|a| {
                        nearest(
                            &a.value,
                            &subjects.iter().map(String::as_str).collect::<Vec<_>>(),
                        )
                    })
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnusedWaiver,
                    SITE,
                    pos,
                    format!("the waiver of `{rule}` for {place} matches nothing"),
                )
                .hint(format!(
                    "remove the waiver, or check that `at` names the key the finding is about{near}"
                )),
            );
        }
    }
    diagnostics
}

/// The keys a waiver's `at` can name.
fn known_subjects(site: &Site) -> Vec<String> {
    let mut all: Vec<String> = ["recipients", "dpo", "authority", "company"]
        .map(str::to_owned)
        .into();
    all.extend(site.settings.locales.iter().map(|l| l.value.clone()));
    all.extend(site.purposes.iter().map(|p| p.key.value.clone()));
    all.extend(site.data.iter().map(|d| d.key.value.clone()));
    all.extend(site.sources.iter().map(|s| s.key.value.clone()));
    all.extend(site.recipients.iter().flat_map(|r| names(&r.name)));
    all.extend(site.cookies.list.iter().map(|c| c.name.value.clone()));
    all.extend(site.documents.iter().map(|d| d.key.value.clone()));
    all.extend(crate::model::PageKind::ALL.map(|p| p.to_string()));
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use crate::check::gdpr::test_support::{example, line_of, one, run, waive};
    use crate::diagnostics::{Code, Severity};

    #[test]
    fn waivers_name_a_rule_and_are_used() {
        let found = run(
            &waive(&example(), "gdpr-retension", Some("contact"), "typo"),
            &[],
        );
        let d = one(&found, Code::UnknownRule);
        assert_eq!(d.severity, Severity::Error);
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean `gdpr-retention`?")
        );
        let yaml = waive(
            &example(),
            Code::GdprRetention,
            Some("contcat"),
            "kept by law",
        );
        let found = run(&yaml, &[]);
        let d = one(&found, Code::UnusedWaiver);
        assert_eq!(
            (d.severity, d.line),
            (Severity::Warning, line_of(&yaml, "at: \"contcat\""))
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .ends_with("did you mean `contact`?")
        );
        let whole_site = waive(&example(), Code::GdprDpo, None, "just in case");
        assert_eq!(
            one(&run(&whole_site, &[]), Code::UnusedWaiver).message,
            "the waiver of `gdpr-dpo` for the whole site matches nothing"
        );
    }
}
