//! The GDPR completeness lint: what a privacy notice and a cookie policy must say
//! (../shared/reference/gdpr-checklist.md), checked against site.yaml and the rendered pages.
//!
//! Every rule has a stable `gdpr-...` code, cites its article, points at the value in site.yaml
//! (or the line of the content file) that needs work, and says what to add. A site can waive a rule,
//! for one key or for the whole site, under `waivers:`; a waived finding is still reported, as a
//! `waived` warning at the waiver, so nothing is ever left out silently.

mod cookies;
mod languages;
mod vague;
mod waivers;

use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::facts;
use crate::model::{Dpo, LegalBasis, Site, Text};
use crate::render::Rendered;

const SITE: &str = "site.yaml";

const BASES: &str = "consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests";
const SAFEGUARDS: &str =
    "adequacy, data_privacy_framework, standard_contractual_clauses, binding_corporate_rules, code_of_conduct, certification or derogation";

/// Phrases that state the right to withdraw consent, per locale (lowercase).
const WITHDRAWAL: &[(&str, &[&str])] = &[("nl", &["intrekken", "intrekt", "trek je toestemming"]), ("en", &["withdraw"])];

/// A diagnostic and the keys it concerns (purpose key, cookie name, recipient name, data key, ...),
/// which a waiver's `at` is matched against.
struct Finding {
    diagnostic: Diagnostic,
    subjects: Vec<String>,
}

struct Out(Vec<Finding>);

impl Out {
    fn push<S: Into<String>>(&mut self, diagnostic: Diagnostic, subjects: impl IntoIterator<Item = S>) {
        let mut subjects: Vec<String> = subjects.into_iter().map(Into::into).filter(|s| !s.is_empty()).collect();
        subjects.dedup();
        self.0.push(Finding { diagnostic, subjects });
    }
}

/// Checks `site` and its rendered pages for what GDPR Art. 12-14 and ePrivacy Art. 5(3) require.
pub(crate) fn lint(site: &Site, rendered: &Rendered, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Out(Vec::new());
    let yaml = sources.get(SITE).map_or("", String::as_str);
    // Comparing the languages reads every page word by word: it runs beside the other rules.
    let (languages, ()) = rayon::join(
        || {
            let mut out = Out(Vec::new());
            languages::locales_differ(site, rendered, sources, &mut out);
            out.0
        },
        || {
            purposes(site, &mut out);
            consent_withdrawal(site, rendered, &mut out);
            data(site, &mut out);
            recipients(site, yaml, &mut out);
            controller(site, yaml, &mut out);
            cookies::cookies(site, &mut out);
            vague::vague_language(site, sources, &mut out);
        },
    );
    out.0.extend(languages);
    let mut diagnostics = waivers::apply_waivers(site, out.0);
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

fn first_locale(site: &Site) -> &str {
    site.settings.locales.first().map_or("", |l| l.value.as_str())
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

/// Where a top-level key such as `dpo:` is written, or the whole file.
fn top_key(yaml: &str, key: &str) -> Pos {
    let needle = format!("{key}:");
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if line.starts_with(&needle) {
            return Pos::at_offset(yaml, offset, key.chars().count());
        }
        offset += line.len();
    }
    Pos::default()
}

// ---------------------------------------------------------------------------------------------
// Purposes: Art. 13(1)(c), 13(1)(d), 13(2)(c).

fn purposes(site: &Site, out: &mut Out) {
    for p in &site.purposes {
        let key = &p.key.value;
        match p.basis {
            None => out.push(
                Diagnostic::error(
                    Code::GdprLegalBasis,
                    SITE,
                    p.key.pos,
                    format!("the purpose `{key}` does not say on which legal basis the data is processed (GDPR Art. 13(1)(c))"),
                )
                .hint(format!("add `basis:` to the purpose `{key}` in site.yaml: {BASES} (GDPR Art. 6(1))")),
                [key.clone()],
            ),
            Some(LegalBasis::LegitimateInterests) if p.interest.is_none() => out.push(
                Diagnostic::error(
                    Code::GdprLegitimateInterest,
                    SITE,
                    or(p.basis_pos, p.key.pos),
                    format!("the purpose `{key}` is based on legitimate interests but does not say which interest (GDPR Art. 13(1)(d))"),
                )
                .hint(format!(
                    "add `interest:` to the purpose `{key}` in site.yaml, saying in every language what you gain from it: \
                     `interest: {{ {} }}`",
                    locale_skeleton(site)
                )),
                [key.clone()],
            ),
            _ => {}
        }
    }
}

/// `nl: ..., en: ...` for the site's locales.
fn locale_skeleton(site: &Site) -> String {
    site.settings.locales.iter().map(|l| format!("{}: ...", l.value)).collect::<Vec<_>>().join(", ")
}

fn consent_withdrawal(site: &Site, rendered: &Rendered, out: &mut Out) {
    let consent: Vec<&str> = site.purposes.iter().filter(|p| p.basis == Some(LegalBasis::Consent)).map(|p| p.key.value.as_str()).collect();
    if consent.is_empty() {
        return;
    }
    let listed = consent.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    for page in rendered.pages.iter().filter(|p| p.name == "privacy") {
        let Some((_, phrases)) = WITHDRAWAL.iter().find(|(l, _)| *l == page.locale) else { continue };
        let text = page.text.to_lowercase();
        if phrases.iter().any(|p| text.contains(p)) {
            continue;
        }
        let (is, they) = if consent.len() == 1 { ("purpose", "is") } else { ("purposes", "are") };
        out.push(
            Diagnostic::error(
                Code::GdprConsentWithdrawal,
                &page.source,
                Pos::default(),
                format!(
                    "the {is} {listed} {they} based on consent, but the privacy policy in `{}` does not tell people they can \
                     withdraw their consent at any time (GDPR Art. 13(2)(c))",
                    page.locale
                ),
            )
            .hint(format!(
                "add to {} a paragraph saying that consent can be withdrawn at any time, as easily as it was given, and how \
                 (it must contain \"{}\"); site.yaml needs nothing more",
                page.source, phrases[0]
            )),
            [page.locale.clone(), page.source.clone()],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Data categories: Art. 13(2)(a), 14(2)(f).

fn data(site: &Site, out: &mut Out) {
    for d in &site.data {
        let key = &d.key.value;
        if d.retention.is_none() {
            out.push(
                Diagnostic::error(
                    Code::GdprRetention,
                    SITE,
                    d.key.pos,
                    format!("the data `{key}` does not say how long it is kept, or how that is decided (GDPR Art. 13(2)(a))"),
                )
                .hint(format!(
                    "add `retention:` under `data.{key}` in site.yaml: a period and what starts it, \
                     `retention: {{ period: 2 years, from: {{ {} }} }}`, or a rule in words, `retention: {{ rule: {{ {} }} }}`",
                    locale_skeleton(site),
                    locale_skeleton(site)
                )),
                [key.clone()],
            );
        }
        if d.sources.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::GdprSource,
                    SITE,
                    d.key.pos,
                    format!(
                        "the data `{key}` does not say where it comes from; data not collected from the person must name its \
                         source (GDPR Art. 14(2)(f))"
                    ),
                )
                .hint(format!(
                    "add `sources:` under `data.{key}` in site.yaml: `sources: [person]` if people give it to you themselves, \
                     otherwise the keys of `sources:` it comes from, e.g. `sources: [public]`"
                )),
                [key.clone()],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Recipients: Art. 13(1)(e), 13(1)(f).

fn recipients(site: &Site, yaml: &str, out: &mut Out) {
    if site.recipients.is_empty() {
        out.push(
            Diagnostic::warning(
                Code::GdprRecipients,
                SITE,
                top_key(yaml, "recipients"),
                "site.yaml names no recipients; the privacy policy must name the recipients or categories of recipients of \
                 the data (GDPR Art. 13(1)(e))",
            )
            .hint(
                "add `recipients:` to site.yaml with each party that receives data (hosting, mailing, accountant...): \
                 `- { name: ..., role: processor, service: ..., country: BE }`; if really nobody does, waive it: \
                 `waivers: [{ rule: gdpr-recipients, reason: ... }]`",
            ),
            ["recipients"],
        );
    }
    let first = first_locale(site);
    for r in &site.recipients {
        let country = &r.country.value;
        if country.is_empty() || facts::in_eea(country) || r.safeguard.is_some() {
            continue;
        }
        let name = r.name.get(first);
        out.push(
            Diagnostic::error(
                Code::GdprTransferSafeguard,
                SITE,
                or(r.country.pos, r.name.pos),
                format!(
                    "the recipient `{name}` processes data in {country}, outside the EEA, but site.yaml does not say how that \
                     transfer is safeguarded (GDPR Art. 13(1)(f))"
                ),
            )
            .hint(format!("add `safeguard:` to the recipient `{name}` in site.yaml: {SAFEGUARDS} (GDPR Art. 45-49)")),
            names(&r.name),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The controller: Art. 13(1)(b), 13(2)(d).

fn controller(site: &Site, yaml: &str, out: &mut Out) {
    if matches!(site.dpo, Dpo::Unspecified) {
        out.push(
            Diagnostic::error(
                Code::GdprDpo,
                SITE,
                top_key(yaml, "dpo"),
                "site.yaml does not say whether a data protection officer is appointed (GDPR Art. 13(1)(b))",
            )
            .hint(
                "add `dpo:` to site.yaml: `appointed: true` with `names`, `email` (and `phone`), or `appointed: false` with a \
                 `contact` who answers privacy questions",
            ),
            ["dpo"],
        );
    }
    let country = &site.company.address.country;
    if site.authority.is_none() && facts::authority(&country.value).is_none() {
        let place = if country.value.is_empty() { "the company's country".to_owned() } else { format!("`{}`", country.value) };
        out.push(
            Diagnostic::error(
                Code::GdprAuthority,
                SITE,
                or(country.pos, top_key(yaml, "company")),
                format!(
                    "polis knows no supervisory authority for {place}, so the policy cannot name where people can lodge a \
                     complaint (GDPR Art. 13(2)(d))"
                ),
            )
            .hint(
                "add `authority:` to site.yaml with the supervisory authority that hears complaints: `name`, `url` \
                 (and `address`, `email`)",
            ),
            ["authority"],
        );
    }
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
    pub(super) fn waive(yaml: &str, rule: impl std::fmt::Display, at: Option<&str>, reason: &str) -> String {
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
        let (rendered, _) = crate::render::render(&site, &input);
        lint(&site, &rendered, &input.sources)
    }

    /// The site in `root`, read and decoded.
    pub(super) fn load(root: &Path) -> (crate::load::Input, Site) {
        let (input, _) = crate::load::load(root);
        let (site, _) = crate::model::decode_site("site.yaml", input.site_yaml.as_ref().expect("site.yaml is read"));
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
        assert!(waived.message.starts_with(&format!("`{rule}` waived for {place}: ")), "{}", waived.message);
        assert!(with_code(diagnostics, Code::UnusedWaiver).is_empty(), "{diagnostics:#?}");
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::test_support::{assert_waived, edit, example, line_of, load, one, repo_file, run, waive, with_code};
    use super::*;
    use crate::diagnostics::Severity;

    /// `text` without the part from `start` up to (not including) `end`.
    fn cut(text: &str, start: &str, end: &str) -> String {
        let a = text.find(start).expect("start");
        let b = a + text[a..].find(end).expect("end");
        format!("{}{}", &text[..a], &text[b..])
    }

    #[test]
    fn the_example_is_clean() {
        let (input, site) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
        let (rendered, diags) = crate::render::render(&site, &input);
        assert!(diags.is_empty(), "{diags:#?}");
        let found = lint(&site, &rendered, &input.sources);
        assert!(found.is_empty(), "{found:#?}");
        // The same site read from a copy, with the texts polis ships.
        assert!(run(&example(), &[]).is_empty());
    }

    #[test]
    fn every_purpose_has_a_legal_basis() {
        let yaml = edit(&example(), "    basis: legal_obligation\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprLegalBasis);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "site.yaml"));
        assert_eq!((d.line, d.column), (line_of(&yaml, "key: accounting"), 10));
        assert!(d.message.contains("`accounting`") && d.message.contains("Art. 13(1)(c)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("add `basis:`"));
        assert!(with_code(&run(&example(), &[]), Code::GdprLegalBasis).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprLegalBasis, Some("accounting"), "decided later"), &[]),
            Code::GdprLegalBasis,
            Some("accounting"),
        );
    }

    #[test]
    fn legitimate_interests_name_the_interest() {
        let interest = "    interest: { nl: niet leveren aan bedrijven die hun facturen niet kunnen betalen, en: not delivering to businesses that cannot pay their invoices }\n";
        let yaml = edit(&example(), interest, "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprLegitimateInterest);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.line, line_of(&yaml, "key: credit") + 2, "points at `basis:`");
        assert!(d.message.contains("`credit`") && d.message.contains("Art. 13(1)(d)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("interest: { nl: ..., en: ... }"));
        // Another basis needs no interest.
        let contract = edit(
            &yaml,
            "    basis: legitimate_interests\n    data: [creditworthiness]",
            "    basis: contract\n    data: [creditworthiness]",
        );
        assert!(with_code(&run(&contract, &[]), Code::GdprLegitimateInterest).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprLegitimateInterest, Some("credit"), "obvious"), &[]),
            Code::GdprLegitimateInterest,
            Some("credit"),
        );
    }

    #[test]
    fn consent_comes_with_the_right_to_withdraw_it() {
        let text = repo_file("content/privacy.en.md").replace("withdraw", "revoke").replace("Withdraw", "Revoke");
        let files = [("content/privacy.en.md", text)];
        let found = run(&example(), &files);
        let d = one(&found, Code::GdprConsentWithdrawal);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "content/privacy.en.md"));
        assert!(d.message.contains("`newsletter`, `analytics`, `recruitment`") && d.message.contains("Art. 13(2)(c)"), "{}", d.message);
        // Without a purpose based on consent there is nothing to withdraw.
        let no_consent = example().replace("basis: consent", "basis: contract");
        assert!(with_code(&run(&no_consent, &files), Code::GdprConsentWithdrawal).is_empty());
        assert!(with_code(&run(&example(), &[]), Code::GdprConsentWithdrawal).is_empty());
        assert_waived(
            &run(&waive(&example(), Code::GdprConsentWithdrawal, Some("en"), "said on the cookie page"), &files),
            Code::GdprConsentWithdrawal,
            Some("en"),
        );
    }

    #[test]
    fn every_data_category_says_how_long_it_is_kept() {
        let retention =
            "    retention: { period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }\n";
        let yaml = edit(&example(), retention, "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprRetention);
        assert_eq!((d.severity, d.line, d.column), (Severity::Error, line_of(&yaml, "  contact:\n"), 3));
        assert!(d.message.contains("`contact`") && d.message.contains("Art. 13(2)(a)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("retention: { period: 2 years"));
        let rule = edit(&example(), retention, "    retention: { rule: { nl: tot je het ons vraagt, en: until you ask us } }\n");
        assert!(with_code(&run(&rule, &[]), Code::GdprRetention).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprRetention, Some("contact"), "kept by law"), &[]), Code::GdprRetention, Some("contact"));
    }

    #[test]
    fn transfers_outside_the_eea_are_safeguarded() {
        let yaml = edit(&example(), "    safeguard: data_privacy_framework\n", "");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprTransferSafeguard);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "country: US")));
        assert!(d.message.contains("`Mailchimp (Intuit Inc.)`") && d.message.contains("Art. 13(1)(f)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("standard_contractual_clauses"));
        // Inside the EEA nothing is needed.
        let eea = edit(&yaml, "country: US", "country: IE");
        assert!(with_code(&run(&eea, &[]), Code::GdprTransferSafeguard).is_empty());
        let waived = run(&waive(&yaml, Code::GdprTransferSafeguard, Some("Mailchimp (Intuit Inc.)"), "DPF certified"), &[]);
        assert_waived(&waived, Code::GdprTransferSafeguard, Some("Mailchimp (Intuit Inc.)"));
        // The cookie's own rule is another finding, waived on its own.
        assert_eq!(with_code(&waived, Code::GdprCookieTransfer).len(), 1);
    }

    #[test]
    fn recipients_are_named() {
        let yaml = cut(&example(), "recipients:\n  - name: Combell", "\nrights:");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprRecipients);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("Art. 13(1)(e)"), "{}", d.message);
        assert!(with_code(&run(&example(), &[]), Code::GdprRecipients).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprRecipients, None, "we share nothing"), &[]), Code::GdprRecipients, None);
    }

    #[test]
    fn the_dpo_question_is_answered() {
        let yaml = cut(&example(), "dpo:  ", "# Where personal data");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprDpo);
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "site.yaml"));
        assert!(d.message.contains("Art. 13(1)(b)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("appointed: false"));
        let none = cut(&example(), "dpo:  ", "# Where personal data").replacen(
            "# Where personal data",
            "dpo:\n  appointed: false\n  contact: { nl: onze zaakvoerder, en: our manager }\n\n# Where personal data",
            1,
        );
        assert!(with_code(&run(&none, &[]), Code::GdprDpo).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprDpo, Some("dpo"), "being decided"), &[]), Code::GdprDpo, Some("dpo"));
    }

    #[test]
    fn an_authority_hears_complaints() {
        let yaml = edit(&example(), "country: BE                #", "country: US                #");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprAuthority);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "country: US")));
        assert!(d.message.contains("`US`") && d.message.contains("Art. 13(2)(d)"), "{}", d.message);
        let named = format!("{yaml}\nauthority:\n  name: Federal Trade Commission\n  url: https://www.ftc.gov\n");
        assert!(with_code(&run(&named, &[]), Code::GdprAuthority).is_empty());
        assert_waived(
            &run(&waive(&yaml, Code::GdprAuthority, Some("authority"), "EU representative answers"), &[]),
            Code::GdprAuthority,
            Some("authority"),
        );
    }

    #[test]
    fn data_names_its_sources() {
        let yaml = edit(&example(), "  contact:\n    sources: [person]\n", "  contact:\n");
        let found = run(&yaml, &[]);
        let d = one(&found, Code::GdprSource);
        assert_eq!((d.severity, d.line), (Severity::Error, line_of(&yaml, "  contact:\n")));
        assert!(d.message.contains("`contact`") && d.message.contains("Art. 14(2)(f)"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap().contains("sources: [person]"));
        assert!(with_code(&run(&example(), &[]), Code::GdprSource).is_empty());
        assert_waived(&run(&waive(&yaml, Code::GdprSource, Some("contact"), "obvious"), &[]), Code::GdprSource, Some("contact"));
    }
}
