//! `polis export register`: the record of processing activities that GDPR Art. 30(1) asks a
//! controller to keep, from the facts the policies are written from. It is for the company and
//! the supervisory authority, not the public: `build` never publishes it.
//!
//! Per language: `<lang>/register.csv`, one row per purpose and data category, a column for each
//! point of Art. 30(1)(a)-(g); and the same as a page, `<lang>/register.md` and
//! `<lang>/register.html`. The values are the pages' own words (the variables of
//! docs/templates.md); the column names are here, in Dutch and English, and English for a
//! language polis has no words for.

use std::collections::{BTreeMap, HashMap};

use super::fragment::escape;
use super::{ExportError, Files};
use crate::render::markdown::{escape_markdown, to_html};
use crate::render::view::{Company, DataCategory, Dpo, Recipient, View};

/// The register's words in one language.
struct Words {
    title: &'static str,
    intro: &'static str,
    controller: &'static str,
    dpo: &'static str,
    purpose: &'static str,
    basis: &'static str,
    subjects: &'static str,
    data: &'static str,
    recipients: &'static str,
    transfers: &'static str,
    retention: &'static str,
    security: &'static str,
    none: &'static str,
    no_dpo: &'static str,
}

const EN: Words = Words {
    title: "Record of processing activities",
    intro: "The record of processing activities of GDPR Art. 30(1), kept by the controller and made available to the supervisory \
            authority on request.",
    controller: "Controller (Art. 30(1)(a))",
    dpo: "Data protection officer (Art. 30(1)(a))",
    purpose: "Purpose (Art. 30(1)(b))",
    basis: "Legal basis (Art. 6(1))",
    subjects: "Categories of data subjects (Art. 30(1)(c))",
    data: "Categories of personal data (Art. 30(1)(c))",
    recipients: "Recipients (Art. 30(1)(d))",
    transfers: "Transfers outside the EEA and safeguards (Art. 30(1)(e))",
    retention: "Retention (Art. 30(1)(f))",
    security: "Security measures (Art. 30(1)(g), 32(1))",
    none: "none",
    no_dpo: "none appointed",
};

const NL: Words = Words {
    title: "Register van verwerkingsactiviteiten",
    intro: "Het register van verwerkingsactiviteiten van art. 30, lid 1 AVG, dat de verwerkingsverantwoordelijke bijhoudt en \
            op verzoek aan de toezichthoudende autoriteit ter beschikking stelt.",
    controller: "Verwerkingsverantwoordelijke (art. 30, lid 1, a))",
    dpo: "Functionaris voor gegevensbescherming (art. 30, lid 1, a))",
    purpose: "Doeleinde (art. 30, lid 1, b))",
    basis: "Rechtsgrond (art. 6, lid 1)",
    subjects: "Categorieën van betrokkenen (art. 30, lid 1, c))",
    data: "Categorieën van persoonsgegevens (art. 30, lid 1, c))",
    recipients: "Ontvangers (art. 30, lid 1, d))",
    transfers: "Doorgiften buiten de EER en waarborgen (art. 30, lid 1, e))",
    retention: "Bewaartermijn (art. 30, lid 1, f))",
    security: "Beveiligingsmaatregelen (art. 30, lid 1, g), 32, lid 1)",
    none: "geen",
    no_dpo: "niet aangesteld",
};

fn words(locale: &str) -> &'static Words {
    if locale == "nl" { &NL } else { &EN }
}

/// The register's files in every language of the site, from the facts its pages were rendered
/// from.
pub(super) fn register(views: &BTreeMap<String, View>) -> Result<Files, ExportError> {
    let mut files = Files::new();
    for (locale, view) in views {
        let w = words(locale);
        let record = Record::new(view, w);
        files.insert(format!("{locale}/register.csv"), record.csv(w)?);
        let markdown = record.markdown(w);
        let body = to_html(&markdown, |_| None);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <main>\n{body}</main>\n</body>\n</html>\n",
            lang = escape(locale),
            title = escape(&format!("{} — {}", w.title, record.company)),
            body = body.html,
        );
        files.insert(format!("{locale}/register.md"), markdown.into_bytes());
        files.insert(format!("{locale}/register.html"), html.into_bytes());
    }
    Ok(files)
}

/// Enough style to read the page and print it.
const STYLE: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;margin:2rem auto;max-width:60rem;padding:0 1rem}\
                     table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;\
                     vertical-align:top}";

/// One row: a purpose and one category of the data it uses.
struct Row {
    purpose: String,
    basis: String,
    subjects: String,
    data: String,
    recipients: String,
    transfers: String,
    retention: String,
}

/// The register in one language.
struct Record {
    company: String,
    controller: String,
    dpo: String,
    security: String,
    rows: Vec<Row>,
}

/// `items` joined by `; `, or the word for none.
fn or_none(items: Vec<String>, w: &Words) -> String {
    if items.is_empty() {
        w.none.to_owned()
    } else {
        items.join("; ")
    }
}

impl Record {
    /// The register of `view`: each purpose's rows, its data categories found by key in one map,
    /// so that the register is linear in the site's categories and purposes.
    fn new(view: &View, w: &Words) -> Record {
        let categories: HashMap<&str, &DataCategory> = view
            .data
            .iter()
            .map(|c| (c.key.as_str(), c))
            .rev()
            .collect();
        let mut rows = Vec::new();
        for p in &view.purposes {
            let basis = p
                .basis
                .as_ref()
                .map_or(String::new(), |b| format!("{} ({})", b.name, b.article));
            let (recipients, transfers) = recipients_of(view, &p.key, w);
            for d in &p.data {
                let category = categories.get(d.key.as_str());
                let data = match category.and_then(|c| c.description.as_deref()) {
                    Some(description) if !description.is_empty() => {
                        format!("{}: {description}", d.name)
                    }
                    _ => d.name.clone(),
                };
                let retention = category
                    .and_then(|c| c.retention.as_ref())
                    .map_or(String::new(), |r| r.text.clone());
                rows.push(Row {
                    purpose: p.name.clone(),
                    basis: basis.clone(),
                    subjects: p.subjects.clone().unwrap_or_default(),
                    data,
                    recipients: recipients.clone(),
                    transfers: transfers.clone(),
                    retention,
                });
            }
        }
        Record {
            company: view.company.name.clone(),
            controller: controller(&view.company),
            dpo: dpo(&view.dpo, w),
            security: or_none(view.security.clone(), w),
            rows,
        }
    }

    /// One row per purpose and data category; the controller, DPO and security measures on each,
    /// so that every row holds all of Art. 30(1).
    fn csv(&self, w: &Words) -> Result<Vec<u8>, ExportError> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let fail = |e: csv::Error| ExportError::Csv(e.to_string());
        out.write_record([
            w.controller,
            w.dpo,
            w.purpose,
            w.basis,
            w.subjects,
            w.data,
            w.recipients,
            w.transfers,
            w.retention,
            w.security,
        ])
        .map_err(fail)?;
        for r in &self.rows {
            let cells = [
                &self.controller,
                &self.dpo,
                &r.purpose,
                &r.basis,
                &r.subjects,
                &r.data,
                &r.recipients,
                &r.transfers,
                &r.retention,
                &self.security,
            ];
            out.write_record(cells.map(|c| cell(c))).map_err(fail)?;
        }
        out.into_inner()
            .map_err(|e| ExportError::Csv(e.to_string()))
    }

    /// The register as a page: who is responsible, then each purpose with its data.
    fn markdown(&self, w: &Words) -> String {
        let e = |value: &str| md(value);
        let mut out = format!("# {} — {}\n\n{}\n\n", w.title, e(&self.company), w.intro);
        out.push_str(&format!(
            "- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n",
            w.controller,
            e(&self.controller),
            w.dpo,
            e(&self.dpo),
            w.security,
            e(&self.security)
        ));
        let mut purposes: Vec<&str> = self.rows.iter().map(|r| r.purpose.as_str()).collect();
        purposes.dedup();
        for purpose in purposes {
            let rows: Vec<&Row> = self.rows.iter().filter(|r| r.purpose == purpose).collect();
            let first = rows[0];
            out.push_str(&format!("\n## {}\n\n", e(purpose)));
            out.push_str(&format!(
                "- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n\n",
                w.basis,
                e(&first.basis),
                w.subjects,
                e(&first.subjects),
                w.recipients,
                e(&first.recipients),
                w.transfers,
                e(&first.transfers)
            ));
            out.push_str(&format!("| {} | {} |\n|---|---|\n", w.data, w.retention));
            for r in rows {
                out.push_str(&format!("| {} | {} |\n", e(&r.data), e(&r.retention)));
            }
        }
        out
    }
}

/// Art. 30(1)(a): who the controller is and how to reach them.
fn controller(company: &Company) -> String {
    let a = &company.address;
    let who = if company.legal_name == company.name {
        company.name.clone()
    } else {
        format!("{} ({})", company.name, company.legal_name)
    };
    format!(
        "{who}, {}, {} {}, {}; {}; {}",
        a.street,
        a.postal_code,
        a.city,
        a.country_name,
        company.enterprise_number,
        company.privacy_email
    )
}

/// Art. 30(1)(a): the data protection officer, or that none is appointed.
fn dpo(dpo: &Dpo, w: &Words) -> String {
    if dpo.appointed != Some(true) {
        return w.no_dpo.to_owned();
    }
    let phone = dpo
        .phone
        .as_ref()
        .map_or(String::new(), |p| format!(", {p}"));
    format!(
        "{}, {}{phone}",
        dpo.names_text.as_deref().unwrap_or_default(),
        dpo.email.as_deref().unwrap_or_default()
    )
}

/// Art. 30(1)(d) and (e) for the purpose `key`: the recipients that receive its data, and those
/// of them outside the EEA with their safeguards.
fn recipients_of(view: &View, key: &str, w: &Words) -> (String, String) {
    let theirs: Vec<&Recipient> = view
        .recipients
        .iter()
        .map(|r| &**r)
        .filter(|r| {
            r.purposes
                .as_ref()
                .is_some_and(|ks| ks.iter().any(|k| k == key))
        })
        .collect();
    let named = theirs
        .iter()
        .map(|r| {
            format!(
                "{} ({}, {}, {})",
                r.name, r.role_name, r.service, r.country_name
            )
        })
        .collect();
    let transfers = theirs
        .iter()
        .filter(|r| !r.in_eea)
        .map(|r| {
            let safeguard = r
                .safeguard
                .as_ref()
                .map_or(String::new(), |s| format!(": {} ({})", s.name, s.article));
            format!("{} ({}){safeguard}", r.name, r.country_name)
        })
        .collect();
    (or_none(named, w), or_none(transfers, w))
}

/// A value as CSV cell text that a spreadsheet shows and never runs: a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it starts with `'`
/// instead (OWASP's advice). Quoting is the CSV writer's.
fn cell(value: &str) -> String {
    match value.trim_start_matches(' ').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// A value as Markdown text (the escaper of the policy texts, which escapes `|` too).
fn md(value: &str) -> String {
    let mut out = Vec::new();
    let _ = escape_markdown(value, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_text() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell(" -1+1"), "' -1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Lumen"), "Lumen");
    }
}
