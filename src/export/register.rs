//! `polis export register`: the record of processing activities that GDPR Art. 30(1) asks a
//! controller to keep, from the facts the policies are written from. It is for the company and
//! the supervisory authority, not the public: `build` never publishes it.
//!
//! Per language: `<lang>/register.csv`, one row per purpose and data category, a column for each
//! point of Art. 30(1)(a)-(g); and the same as a page, `<lang>/register.md` and
//! `<lang>/register.html`. The values are the pages' own words (the variables of
//! docs/templates.md); the column names are here, in Dutch and English, and English for a
//! language polis has no words for.

use serde_json::Value;

use super::fragment::escape;
use super::{Facts, Files};
use crate::render::markdown::{escape_markdown, to_html};

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

/// The register's files in every language of the site.
pub(super) fn register(facts: &Facts) -> Result<Files, String> {
    let mut files = Files::new();
    for (locale, vars) in &facts.variables {
        let w = words(locale);
        let record = Record::new(vars, w);
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

/// The text at `key` of `value`, or empty.
fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list(value: &Value, key: &str) -> Vec<Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

impl Record {
    fn new(vars: &Value, w: &Words) -> Record {
        let company = &vars["company"];
        let address = &company["address"];
        let name = text(company, "name").to_owned();
        let legal = text(company, "legal_name");
        let who = if legal == name {
            name.clone()
        } else {
            format!("{name} ({legal})")
        };
        let controller = format!(
            "{who}, {}, {} {}, {}; {}; {}",
            text(address, "street"),
            text(address, "postal_code"),
            text(address, "city"),
            text(address, "country_name"),
            text(company, "enterprise_number"),
            text(company, "privacy_email"),
        );
        let dpo = &vars["dpo"];
        let dpo = if dpo.get("appointed").and_then(Value::as_bool) == Some(true) {
            let phone = dpo
                .get("phone")
                .and_then(Value::as_str)
                .map_or(String::new(), |p| format!(", {p}"));
            format!("{}, {}{phone}", text(dpo, "names_text"), text(dpo, "email"))
        } else {
            w.no_dpo.to_owned()
        };
        let security: Vec<String> = list(vars, "security")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let security = if security.is_empty() {
            w.none.to_owned()
        } else {
            security.join("; ")
        };

        let data = list(vars, "data");
        let recipients = list(vars, "recipients");
        let mut rows = Vec::new();
        for p in list(vars, "purposes") {
            let key = text(&p, "key");
            let basis = match p.get("basis") {
                Some(b) => format!("{} ({})", text(b, "name"), text(b, "article")),
                None => String::new(),
            };
            let theirs: Vec<&Value> = recipients
                .iter()
                .filter(|r| {
                    r.get("purposes")
                        .and_then(Value::as_array)
                        .is_some_and(|ks| ks.iter().any(|k| k.as_str() == Some(key)))
                })
                .collect();
            let named: Vec<String> = theirs
                .iter()
                .map(|r| {
                    format!(
                        "{} ({}, {}, {})",
                        text(r, "name"),
                        text(r, "role_name"),
                        text(r, "service"),
                        text(r, "country_name")
                    )
                })
                .collect();
            let transfers: Vec<String> = theirs
                .iter()
                .filter(|r| r.get("in_eea").and_then(Value::as_bool) == Some(false))
                .map(|r| {
                    let safeguard = r.get("safeguard").map_or(String::new(), |s| {
                        format!(": {} ({})", text(s, "name"), text(s, "article"))
                    });
                    format!(
                        "{} ({}){safeguard}",
                        text(r, "name"),
                        text(r, "country_name")
                    )
                })
                .collect();
            let or_none = |items: Vec<String>| {
                if items.is_empty() {
                    w.none.to_owned()
                } else {
                    items.join("; ")
                }
            };
            let (recipients, transfers) = (or_none(named), or_none(transfers));
            for d in list(&p, "data") {
                let category = data.iter().find(|c| text(c, "key") == text(&d, "key"));
                let described = match category
                    .map(|c| text(c, "description"))
                    .filter(|s| !s.is_empty())
                {
                    Some(description) => format!("{}: {description}", text(&d, "name")),
                    None => text(&d, "name").to_owned(),
                };
                let retention = category
                    .and_then(|c| c.get("retention"))
                    .map_or(String::new(), |r| text(r, "text").to_owned());
                rows.push(Row {
                    purpose: text(&p, "name").to_owned(),
                    basis: basis.clone(),
                    subjects: text(&p, "subjects").to_owned(),
                    data: described,
                    recipients: recipients.clone(),
                    transfers: transfers.clone(),
                    retention,
                });
            }
        }
        Record {
            company: name,
            controller,
            dpo,
            security,
            rows,
        }
    }

    /// One row per purpose and data category; the controller, DPO and security measures on each,
    /// so that every row holds all of Art. 30(1).
    fn csv(&self, w: &Words) -> Result<Vec<u8>, String> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let fail = |e: csv::Error| format!("cannot write the register as CSV: {e}");
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
            .map_err(|e| format!("cannot write the register as CSV: {e}"))
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
