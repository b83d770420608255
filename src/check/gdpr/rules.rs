//! The Art. 13/14 rules: what a privacy notice must tell people about the processing itself. Why
//! and on which legal basis (Art. 13(1)(c)-(d)), that consent can be withdrawn (13(2)(c)), how long
//! data is kept and where it comes from (13(2)(a), 14(2)(f)), who receives it and how a transfer
//! outside the EEA is safeguarded (13(1)(e)-(f)), whether there is a data protection officer and
//! where to complain (13(1)(b), 13(2)(d)).
//!
//! All but one read the typed site.yaml; the right to withdraw consent is looked for in the rendered
//! privacy pages, which must state it in words.

use std::collections::HashSet;

use super::{Out, SAFEGUARDS, SITE, first_locale, locale_skeleton, names, or};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::facts;
use crate::model::decode::is_unfilled;
use crate::model::{AutomatedDecisions, Declared, Dpo, LegalBasis, Safeguard, Site};
use crate::render::Rendered;

const BASES: &str =
    "consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests";

/// Phrases that state the right to withdraw consent, per locale (lowercase).
const WITHDRAWAL: &[(&str, &[&str])] = &[
    ("nl", &["intrekken", "intrekt", "trek je toestemming"]),
    ("en", &["withdraw"]),
    ("fr", &["retirer", "retirez"]),
    ("de", &["widerrufen", "widerruf"]),
];

// ---------------------------------------------------------------------------------------------
// Purposes: Art. 13(1)(c), 13(1)(d), 13(2)(c).

/// Every purpose names its legal basis; one based on legitimate interests says which interest.
pub(super) fn purposes(site: &Site, out: &mut Out) {
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

/// Where a purpose is based on consent, each privacy page says that consent can be withdrawn.
pub(super) fn consent_withdrawal(site: &Site, rendered: &Rendered, out: &mut Out) {
    let consent: Vec<&str> = site
        .purposes
        .iter()
        .filter(|p| p.basis == Some(LegalBasis::Consent))
        .map(|p| p.key.value.as_str())
        .collect();
    if consent.is_empty() {
        return;
    }
    let listed = consent
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for page in rendered
        .pages
        .iter()
        .filter(|p| p.name == crate::model::PageKind::Privacy)
    {
        let Some((_, phrases)) = WITHDRAWAL.iter().find(|(l, _)| *l == page.locale) else {
            continue;
        };
        let text = page.text.to_lowercase();
        if phrases.iter().any(|p| text.contains(p)) {
            continue;
        }
        let (is, they) = if consent.len() == 1 {
            ("purpose", "is")
        } else {
            ("purposes", "are")
        };
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

/// Every data category says how long it is kept and where it comes from.
pub(super) fn data(site: &Site, out: &mut Out) {
    // The keys the purposes use. A purpose whose data is still to be filled in, or names a key
    // that is no data category (reported as `unknown-reference`), may mean any of them.
    let keys = site.purposes.iter().flat_map(|p| &p.data);
    let used: HashSet<&str> = keys.map(|k| k.value.as_str()).collect();
    let declared: HashSet<&str> = site.data.iter().map(|d| d.key.value.as_str()).collect();
    let unknown = used.iter().any(|k| is_unfilled(k) || !declared.contains(k));
    for d in &site.data {
        let key = &d.key.value;
        if !unknown {
            unused(&used, key, d.key.pos, out);
        }
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

/// The recipients are named, and a transfer outside the EEA is safeguarded.
pub(super) fn recipients(site: &Site, out: &mut Out) {
    if site.recipients_declared == Declared::Silent
        && !site.misspelled.iter().any(|m| m == "recipients")
    {
        out.push(
            Diagnostic::error(
                Code::GdprRecipients,
                SITE,
                site.section_pos("recipients"),
                "site.yaml does not say who receives the data; the privacy policy must name the recipients or categories of \
                 recipients (GDPR Art. 13(1)(e))",
            )
            .hint(
                "add `recipients:` to site.yaml with each party that receives data (hosting, mailing, accountant...): \
                 `- { name: ..., role: processor, service: ..., country: BE }`; if really nobody outside the company does, \
                 write `recipients: none`",
            ),
            ["recipients"],
        );
    }
    let first = first_locale(site);
    for r in &site.recipients {
        if let Some((Safeguard::Derogation, pos)) = r.safeguard
            && r.derogation.is_none()
        {
            let name = r.name.get(first);
            out.push(
                Diagnostic::error(
                    Code::GdprTransferSafeguard,
                    SITE,
                    pos,
                    format!(
                        "the recipient `{name}` receives data under a derogation of GDPR Art. 49, but site.yaml does not say \
                         which one; people must be told on what basis their data leaves the EEA (Art. 13(1)(f))"
                    ),
                )
                .hint(format!(
                    "add `derogation:` to the recipient `{name}`: which case of Art. 49(1) applies, e.g. `derogation: {{ {} }}` \
                     (your explicit consent after being told the risks; a contract with you that needs it)",
                    locale_skeleton(site)
                )),
                names(&r.name),
            );
        }
        if let Some((Safeguard::Adequacy, pos)) = r.safeguard
            && r.region.is_some()
        {
            adequacy_without_country(site, r, pos, out);
        }
        if !r.transfers() || r.safeguard.is_some() {
            continue;
        }
        let name = r.name.get(first);
        let place = if r.country.value.is_empty() {
            "partly or wholly outside the EEA".to_owned()
        } else {
            format!("in {}, outside the EEA", r.country.value)
        };
        out.push(
            Diagnostic::error(
                Code::GdprTransferSafeguard,
                SITE,
                or(r.country.pos, r.name.pos),
                format!(
                    "the recipient `{name}` processes data {place}, but site.yaml does not say how that \
                     transfer is safeguarded (GDPR Art. 13(1)(f))"
                ),
            )
            .hint(format!("add `safeguard:` to the recipient `{name}` in site.yaml: {SAFEGUARDS} (GDPR Art. 45-49)")),
            names(&r.name),
        );
    }
}

/// An adequacy decision is the Commission's for one country (Art. 45(1)): a recipient that
/// names a region instead has none the policy can name.
fn adequacy_without_country(site: &Site, r: &crate::model::Recipient, pos: Pos, out: &mut Out) {
    let name = r.name.get(first_locale(site));
    out.push(
        Diagnostic::error(
            Code::GdprTransferSafeguard,
            SITE,
            pos,
            format!(
                "the recipient `{name}` relies on an adequacy decision, but names a region, not \
                 the country the decision is for; the policy must say to which country the data \
                 goes on that basis (GDPR Art. 13(1)(f), 45)"
            ),
        )
        .hint(format!(
            "write the country instead of `region:` for the recipient `{name}`, e.g. \
             `country: CH`; or, for recipients spread over countries, the safeguard they share, \
             e.g. `safeguard: standard_contractual_clauses` ({SAFEGUARDS})"
        )),
        names(&r.name),
    );
}

// ---------------------------------------------------------------------------------------------
// The record of processing: Art. 30(1).

/// What the record of processing activities needs beyond the policies: whose data each purpose
/// is (Art. 30(1)(c)), and which purposes each recipient receives data for (30(1)(d)). A warning:
/// the policies are complete without them, and a company of fewer than 250 people that processes
/// data only occasionally may keep no record (Art. 30(5)), and waive the rule.
pub(super) fn register(site: &Site, out: &mut Out) {
    for p in site.purposes.iter().filter(|p| p.subjects.is_none()) {
        let key = &p.key.value;
        out.push(
            Diagnostic::warning(
                Code::GdprRegister,
                SITE,
                p.key.pos,
                format!("the purpose `{key}` does not say whose data it is, which the record of processing names (GDPR Art. 30(1)(c))"),
            )
            .hint(format!(
                "add `subjects:` to the purpose `{key}` in site.yaml: `subjects: {{ {} }}`, e.g. customers, job applicants, \
                 website visitors",
                locale_skeleton(site)
            )),
            [key.clone()],
        );
    }
    if site.purposes.is_empty() {
        return;
    }
    let first = first_locale(site);
    let keys = site
        .purposes
        .iter()
        .map(|p| p.key.value.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for r in site.recipients.iter().filter(|r| r.purposes.is_none()) {
        let name = r.name.get(first);
        out.push(
            Diagnostic::warning(
                Code::GdprRegister,
                SITE,
                r.name.pos,
                format!(
                    "the recipient `{name}` does not say for which purposes it receives data, which the record of processing \
                     names (GDPR Art. 30(1)(d))"
                ),
            )
            .hint(format!("add `purposes:` to the recipient `{name}` in site.yaml, with keys of `purposes:` ({keys})")),
            names(&r.name),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Automated decisions: Art. 13(2)(f).

/// Whether decisions are taken without a person, profiling included, is said either way: the
/// policy cannot state it for the company.
pub(super) fn automated_decisions(site: &Site, out: &mut Out) {
    if !matches!(site.automated_decisions, AutomatedDecisions::Unspecified)
        || site.misspelled.iter().any(|m| m == "automated_decisions")
    {
        return;
    }
    let skeleton = locale_skeleton(site);
    out.push(
        Diagnostic::error(
            Code::GdprAutomatedDecisions,
            SITE,
            site.section_pos("automated_decisions"),
            "site.yaml does not say whether you take decisions about people based solely on automated processing, \
             including profiling (GDPR Art. 13(2)(f), 22)",
        )
        .hint(format!(
            "add `automated_decisions: none` to site.yaml if no decision about a person is taken without a person; \
             otherwise list each: `automated_decisions: [{{ decision: {{ {skeleton} }}, logic: {{ {skeleton} }}, \
             consequences: {{ {skeleton} }}, profiling: true }}]`"
        )),
        ["automated_decisions"],
    );
}

/// A data category no purpose uses: the policy would list it with no purpose and no legal basis
/// (Art. 13(1)(c)), and the register would leave it out.
fn unused(used: &HashSet<&str>, key: &str, pos: Pos, out: &mut Out) {
    if is_unfilled(key) || used.contains(key) {
        return;
    }
    out.push(
        Diagnostic::error(
            Code::GdprLegalBasis,
            SITE,
            pos,
            format!(
                "no purpose uses the data `{key}`, so the policy gives it no purpose and no legal \
                 basis (GDPR Art. 13(1)(c)) and the record of processing leaves it out"
            ),
        )
        .hint(format!(
            "add `{key}` to the `data:` of each purpose it is processed for, e.g. \
             `data: [{key}]`; or remove `data.{key}` if it is not processed"
        )),
        [key.to_owned()],
    );
}

// ---------------------------------------------------------------------------------------------
// The controller: Art. 13(1)(b), 13(2)(d).

/// Whether a data protection officer is appointed, and which authority hears complaints.
pub(super) fn controller(site: &Site, out: &mut Out) {
    automated_decisions(site, out);
    if matches!(site.dpo, Dpo::Unspecified) && !site.misspelled.iter().any(|m| m == "dpo") {
        out.push(
            Diagnostic::error(
                Code::GdprDpo,
                SITE,
                site.section_pos("dpo"),
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
    let regions = facts::regions(&country.value);
    if site.authority.is_none()
        && facts::CountryCode::parse(&country.value).is_some_and(|c| c.authority().is_none())
        && !site.misspelled.iter().any(|m| m == "authority")
    {
        if !regions.is_empty() {
            // A region given is the authority, or an invalid value reported where it is written.
            if site.company.address.region.is_none() {
                regional_authority(site, &regions, out);
            }
            return;
        }
        let place = if country.value.is_empty() {
            "the company's country".to_owned()
        } else {
            format!("`{}`", country.value)
        };
        out.push(
            Diagnostic::error(
                Code::GdprAuthority,
                SITE,
                or(country.pos, site.section_pos("company")),
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

/// A company in a country whose authorities are regional (Germany's Länder), with neither its
/// region nor an `authority:`: polis cannot tell which authority hears complaints.
fn regional_authority(site: &Site, regions: &[&str], out: &mut Out) {
    let country = &site.company.address.country;
    out.push(
        Diagnostic::error(
            Code::GdprAuthority,
            SITE,
            or(country.pos, site.section_pos("company")),
            format!(
                "a company in `{}` answers to the supervisory authority of its Land (§ 40 BDSG), \
                 not the federal one, and site.yaml names neither the Land nor the authority, so \
                 the policy cannot name where people can lodge a complaint (GDPR Art. 13(2)(d))",
                country.value
            ),
        )
        .hint(format!(
            "add `region:` under `company.address` with the Land of the registered office, one \
             of {}; or `authority:` with the authority that hears complaints: `name`, `url`",
            regions.join(", ")
        )),
        ["authority", "company"],
    );
}

#[cfg(test)]
mod tests;
