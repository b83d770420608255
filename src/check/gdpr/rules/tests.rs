//! The site-wide GDPR rules, each tested on the example with one edit.

use crate::check::gdpr::test_support::{
    assert_waived, edit, example, line_of, one, repo_file, run, waive, with_code,
};
use crate::diagnostics::{Code, Severity};

/// `text` without the part from `start` up to (not including) `end`.
fn cut(text: &str, start: &str, end: &str) -> String {
    let a = text.find(start).expect("start");
    let b = a + text[a..].find(end).expect("end");
    format!("{}{}", &text[..a], &text[b..])
}

#[test]
fn every_purpose_has_a_legal_basis() {
    let yaml = edit(&example(), "    basis: legal_obligation\n", "");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprLegalBasis);
    assert_eq!(
        (d.severity, d.file.as_str()),
        (Severity::Error, "site.yaml")
    );
    assert_eq!((d.line, d.column), (line_of(&yaml, "key: accounting"), 10));
    assert!(
        d.message.contains("`accounting`") && d.message.contains("Art. 13(1)(c)"),
        "{}",
        d.message
    );
    assert!(d.hint.as_deref().unwrap().contains("add `basis:`"));
    assert!(with_code(&run(&example(), &[]), Code::GdprLegalBasis).is_empty());
    assert_waived(
        &run(
            &waive(
                &yaml,
                Code::GdprLegalBasis,
                Some("accounting"),
                "decided later",
            ),
            &[],
        ),
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
    assert_eq!(
        d.line,
        line_of(&yaml, "key: credit") + 2,
        "points at `basis:`"
    );
    assert!(
        d.message.contains("`credit`") && d.message.contains("Art. 13(1)(d)"),
        "{}",
        d.message
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("interest: { nl: ..., en: ... }")
    );
    // Another basis needs no interest.
    let contract = edit(
        &yaml,
        "    basis: legitimate_interests\n    data: [creditworthiness]",
        "    basis: contract\n    data: [creditworthiness]",
    );
    assert!(with_code(&run(&contract, &[]), Code::GdprLegitimateInterest).is_empty());
    assert_waived(
        &run(
            &waive(
                &yaml,
                Code::GdprLegitimateInterest,
                Some("credit"),
                "obvious",
            ),
            &[],
        ),
        Code::GdprLegitimateInterest,
        Some("credit"),
    );
}

#[test]
fn consent_comes_with_the_right_to_withdraw_it() {
    let text = repo_file("content/privacy.en.md")
        .replace("withdraw", "revoke")
        .replace("Withdraw", "Revoke");
    let files = [("content/privacy.en.md", text)];
    let found = run(&example(), &files);
    let d = one(&found, Code::GdprConsentWithdrawal);
    assert_eq!(
        (d.severity, d.file.as_str()),
        (Severity::Error, "content/privacy.en.md")
    );
    assert!(
        d.message
            .contains("`newsletter`, `analytics`, `recruitment_reserve`")
            && d.message.contains("Art. 13(2)(c)"),
        "{}",
        d.message
    );
    // Without a purpose based on consent there is nothing to withdraw.
    let no_consent = example().replace("basis: consent", "basis: contract");
    assert!(with_code(&run(&no_consent, &files), Code::GdprConsentWithdrawal).is_empty());
    assert!(with_code(&run(&example(), &[]), Code::GdprConsentWithdrawal).is_empty());
    assert_waived(
        &run(
            &waive(
                &example(),
                Code::GdprConsentWithdrawal,
                Some("en"),
                "said on the cookie page",
            ),
            &files,
        ),
        Code::GdprConsentWithdrawal,
        Some("en"),
    );
}

#[test]
fn every_data_category_says_how_long_it_is_kept() {
    let retention = "    retention: { period: 5 years, from: { nl: het einde van onze klantrelatie, en: the end of our customer relationship } }\n";
    let yaml = edit(&example(), retention, "");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprRetention);
    assert_eq!(
        (d.severity, d.line, d.column),
        (Severity::Error, line_of(&yaml, "  contact:\n"), 3)
    );
    assert!(
        d.message.contains("`contact`") && d.message.contains("Art. 13(2)(a)"),
        "{}",
        d.message
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("`retention: { period: 2 years, from: { nl: ..., en: ... } }`")
    );
    let rule = edit(
        &example(),
        retention,
        "    retention: { rule: { nl: tot je het ons vraagt, en: until you ask us } }\n",
    );
    assert!(with_code(&run(&rule, &[]), Code::GdprRetention).is_empty());
    assert_waived(
        &run(
            &waive(&yaml, Code::GdprRetention, Some("contact"), "kept by law"),
            &[],
        ),
        Code::GdprRetention,
        Some("contact"),
    );
}

#[test]
fn transfers_outside_the_eea_are_safeguarded() {
    let yaml = edit(&example(), "    safeguard: data_privacy_framework\n", "");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprTransferSafeguard);
    assert_eq!(
        (d.severity, d.line),
        (Severity::Error, line_of(&yaml, "country: US"))
    );
    assert!(
        d.message.contains("`Mailchimp (Intuit Inc.)`") && d.message.contains("Art. 13(1)(f)"),
        "{}",
        d.message
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("standard_contractual_clauses")
    );
    // Inside the EEA nothing is needed.
    let eea = edit(&yaml, "country: US", "country: IE");
    assert!(with_code(&run(&eea, &[]), Code::GdprTransferSafeguard).is_empty());
    let waived = run(
        &waive(
            &yaml,
            Code::GdprTransferSafeguard,
            Some("Mailchimp (Intuit Inc.)"),
            "DPF certified",
        ),
        &[],
    );
    assert_waived(
        &waived,
        Code::GdprTransferSafeguard,
        Some("Mailchimp (Intuit Inc.)"),
    );
    // The cookie that Mailchimp reads is the same transfer: no second error.
    assert!(
        with_code(&found, Code::GdprCookieSettings).is_empty() && found.len() == 1,
        "{found:#?}"
    );
}

#[test]
fn recipients_are_named() {
    let yaml = cut(&example(), "recipients:\n  - name: Combell", "\nrights:");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprRecipients);
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("Art. 13(1)(e)"), "{}", d.message);
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("write `recipients: none`")
    );
    assert!(with_code(&run(&example(), &[]), Code::GdprRecipients).is_empty());
    // Nobody, said in so many words.
    let none = format!("{yaml}\nrecipients: none\n");
    assert!(with_code(&run(&none, &[]), Code::GdprRecipients).is_empty());
    assert_waived(
        &run(
            &waive(&yaml, Code::GdprRecipients, None, "we share nothing"),
            &[],
        ),
        Code::GdprRecipients,
        None,
    );
}

#[test]
fn the_record_of_processing_has_whose_data_and_who_receives_it() {
    let yaml = edit(
        &example(),
        "    subjects: { nl: sollicitanten, en: job applicants }\n",
        "",
    );
    let yaml = edit(&yaml, "    purposes: [analytics]\n", "");
    let found = run(&yaml, &[]);
    let found = with_code(&found, Code::GdprRegister);
    assert_eq!(found.len(), 2, "{found:#?}");
    let (purpose, recipient) = (found[0], found[1]);
    assert_eq!(
        (purpose.severity, purpose.line),
        (Severity::Warning, line_of(&yaml, "key: recruitment\n"))
    );
    assert!(
        purpose.message.contains("`recruitment`") && purpose.message.contains("Art. 30(1)(c)"),
        "{}",
        purpose.message
    );
    assert!(
        purpose
            .hint
            .as_deref()
            .unwrap()
            .contains("subjects: { nl: ..., en: ... }")
    );
    assert_eq!(
        (recipient.severity, recipient.line),
        (Severity::Warning, line_of(&yaml, "name: Matomo"))
    );
    assert!(
        recipient.message.contains("Art. 30(1)(d)"),
        "{}",
        recipient.message
    );
    assert!(with_code(&run(&example(), &[]), Code::GdprRegister).is_empty());
    // A small company that keeps no record (Art. 30(5)) says so once.
    let waived = run(
        &waive(
            &yaml,
            Code::GdprRegister,
            Some("recruitment"),
            "fewer than 250 people",
        ),
        &[],
    );
    assert_eq!(with_code(&waived, Code::GdprRegister).len(), 1);
}

#[test]
fn automated_decisions_are_declared_either_way() {
    let yaml = edit(&example(), "automated_decisions: none\n", "");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprAutomatedDecisions);
    assert_eq!(
        (d.severity, d.file.as_str(), d.line),
        (Severity::Error, "site.yaml", 0)
    );
    assert!(d.message.contains("Art. 13(2)(f)"), "{}", d.message);
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .starts_with("add `automated_decisions: none`")
    );
    let listed = edit(
        &example(),
        "automated_decisions: none\n",
        "automated_decisions:\n  - decision: { nl: krediet, en: credit }\n    logic: { nl: score, en: score }\n    consequences: { nl: geen krediet, en: no credit }\n",
    );
    assert!(with_code(&run(&listed, &[]), Code::GdprAutomatedDecisions).is_empty());
    assert_waived(
        &run(
            &waive(&yaml, Code::GdprAutomatedDecisions, None, "being assessed"),
            &[],
        ),
        Code::GdprAutomatedDecisions,
        None,
    );
}

#[test]
fn the_dpo_question_is_answered() {
    let yaml = cut(&example(), "dpo:  ", "# Where personal data");
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprDpo);
    assert_eq!(
        (d.severity, d.file.as_str()),
        (Severity::Error, "site.yaml")
    );
    assert!(d.message.contains("Art. 13(1)(b)"), "{}", d.message);
    assert!(d.hint.as_deref().unwrap().contains("appointed: false"));
    let none = cut(&example(), "dpo:  ", "# Where personal data").replacen(
        "# Where personal data",
        "dpo:\n  appointed: false\n  contact: { nl: onze zaakvoerder, en: our manager }\n\n# Where personal data",
        1,
    );
    assert!(with_code(&run(&none, &[]), Code::GdprDpo).is_empty());
    assert_waived(
        &run(
            &waive(&yaml, Code::GdprDpo, Some("dpo"), "being decided"),
            &[],
        ),
        Code::GdprDpo,
        Some("dpo"),
    );
}

#[test]
fn an_authority_hears_complaints() {
    let yaml = edit(
        &example(),
        "country: BE                #",
        "country: US                #",
    );
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprAuthority);
    assert_eq!(
        (d.severity, d.line),
        (Severity::Error, line_of(&yaml, "country: US"))
    );
    assert!(
        d.message.contains("`US`") && d.message.contains("Art. 13(2)(d)"),
        "{}",
        d.message
    );
    let named = format!(
        "{yaml}\nauthority:\n  name: Federal Trade Commission\n  url: https://www.ftc.gov\n"
    );
    assert!(with_code(&run(&named, &[]), Code::GdprAuthority).is_empty());
    assert_waived(
        &run(
            &waive(
                &yaml,
                Code::GdprAuthority,
                Some("authority"),
                "EU representative answers",
            ),
            &[],
        ),
        Code::GdprAuthority,
        Some("authority"),
    );
}

#[test]
fn data_names_its_sources() {
    let yaml = edit(
        &example(),
        "  contact:\n    sources: [person]\n",
        "  contact:\n",
    );
    let found = run(&yaml, &[]);
    let d = one(&found, Code::GdprSource);
    assert_eq!(
        (d.severity, d.line),
        (Severity::Error, line_of(&yaml, "  contact:\n"))
    );
    assert!(
        d.message.contains("`contact`") && d.message.contains("Art. 14(2)(f)"),
        "{}",
        d.message
    );
    assert!(d.hint.as_deref().unwrap().contains("sources: [person]"));
    assert!(with_code(&run(&example(), &[]), Code::GdprSource).is_empty());
    assert_waived(
        &run(
            &waive(&yaml, Code::GdprSource, Some("contact"), "obvious"),
            &[],
        ),
        Code::GdprSource,
        Some("contact"),
    );
}
