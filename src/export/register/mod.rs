//! `polis export register`: the record of processing activities that GDPR Art. 30(1) asks a
//! controller to keep, from the facts the policies are written from. It is for the company and
//! the supervisory authority, not the public: `build` never publishes it.
//!
//! Per language: `<lang>/register.xlsx`, a workbook that a spreadsheet opens right in every
//! locale, with one row per purpose and data category and a column for each point of Art.
//! 30(1)(a)-(g) (`sheet`); the same rows as `<lang>/register.csv`, for tools that read CSV; and
//! the record as a page, `<lang>/register.md` and `<lang>/register.html`. The values are the
//! pages' own facts (the variables of docs/templates.md); the register's own words, its column
//! names among them, are the locale pack's (`words`), written about the processing, not to the
//! people whose data it is.

mod sheet;
mod words;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::fragment::escape;
use super::{ExportError, Facts, Files};
use crate::model::Measure;
use crate::render::markdown::{escape_markdown, to_html};
use crate::render::view::{Company, DataCategory, Dpo, Recipient, View};
use crate::render::{Pack, fill};
use words::Words;

/// The register's files in every language of the site, from the facts its pages were rendered
/// from and the words of each language's locale pack.
pub(super) fn register(
    facts: &Facts,
    views: &BTreeMap<String, View>,
) -> Result<Files, ExportError> {
    let mut files = Files::new();
    let mut lacking = Vec::new();
    for (locale, view) in views {
        let Some((file, root)) = facts.locale_packs.get(locale) else {
            continue;
        };
        let words = Words::new(Pack::new(file, root, facts.site.variant()));
        let words = match words {
            Ok(w) => w,
            Err(keys) => {
                lacking.extend(keys.into_iter().map(|k| format!("{file}: `{k}`")));
                continue;
            }
        };
        let record = match Record::new(view, facts, &words) {
            Ok(record) => record,
            Err(keys) => {
                lacking.extend(keys.into_iter().map(|k| format!("{file}: `{k}`")));
                continue;
            }
        };
        files.insert(
            format!("{locale}/register.xlsx"),
            sheet::xlsx(&record, &words, facts)?,
        );
        files.insert(
            format!("{locale}/register.csv"),
            sheet::csv(&record, &words)?,
        );
        let markdown = record.markdown(&words);
        let body = to_html(&markdown, |_| None);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <main>\n{body}</main>\n</body>\n</html>\n",
            lang = escape(locale),
            title = escape(&format!("{} — {}", words.title, record.company)),
            body = body.html,
        );
        files.insert(format!("{locale}/register.md"), markdown.into_bytes());
        files.insert(format!("{locale}/register.html"), html.into_bytes());
    }
    if !lacking.is_empty() {
        return Err(ExportError::RegisterWords(lacking));
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

impl Row {
    /// The row's cells in the order of the columns, with the controller, DPO and security
    /// measures of `record` on each, so that every row holds all of Art. 30(1).
    fn cells<'r>(&'r self, record: &'r Record) -> [&'r str; 10] {
        [
            &record.controller,
            &record.dpo,
            &self.purpose,
            &self.basis,
            &self.subjects,
            &self.data,
            &self.recipients,
            &self.transfers,
            &self.retention,
            &record.security,
        ]
    }
}

/// The register in one language.
struct Record {
    company: String,
    /// The legal name and form, "Atelier Lumen BV".
    legal_name: String,
    controller: String,
    dpo: String,
    security: String,
    /// The date of the facts, in words: the newest of the effective date and the changes.
    date: String,
    rows: Vec<Row>,
}

/// `items` joined by `; `, or the word for none.
fn or_none(items: Vec<String>, w: &Words) -> String {
    if items.is_empty() {
        w.none.clone()
    } else {
        items.join("; ")
    }
}

impl Record {
    /// The register of `view`: each purpose's rows, its data categories found by key in one map,
    /// so that the register is linear in the site's categories and purposes. A data category is
    /// its name, with the description site.yaml gives it: a locale pack's description speaks to
    /// the reader of the policy. Fails with the measures the pack has no name for.
    fn new(view: &View, facts: &Facts, w: &Words) -> Result<Record, Vec<String>> {
        let categories: HashMap<&str, &DataCategory> = view
            .data
            .iter()
            .map(|c| (c.key.as_str(), c))
            .rev()
            .collect();
        let described: HashSet<&str> = facts
            .site
            .data
            .iter()
            .filter(|c| c.description.is_some())
            .map(|c| c.key.value.as_str())
            .collect();
        let receive = receivers(view);
        let mut rows = Vec::new();
        for p in &view.purposes {
            let basis = p
                .basis
                .as_ref()
                .map_or(String::new(), |b| format!("{} ({})", b.name, b.article));
            let theirs = receive.get(p.key.as_str()).map_or(&[][..], Vec::as_slice);
            let (recipients, transfers) = recipients_of(theirs, w);
            for d in &p.data {
                let category = categories.get(d.key.as_str());
                let data = match category.and_then(|c| c.description.as_deref()) {
                    Some(description)
                        if !description.is_empty() && described.contains(d.key.as_str()) =>
                    {
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
        Ok(Record {
            company: view.company.name.clone(),
            legal_name: legal_name(&view.company),
            controller: controller(&view.company, w),
            dpo: dpo(&view.dpo, w),
            security: or_none(measures(facts, view, w)?, w),
            date: view.site.last_updated.clone(),
            rows,
        })
    }

    /// The sentence under the title, with the controller's legal name and form.
    fn intro(&self, w: &Words) -> String {
        fill(&w.intro, &[("controller", &self.legal_name)])
    }

    /// "Stand op 1 maart 2026".
    fn dated(&self, w: &Words) -> String {
        fill(&w.date, &[("date", &self.date)])
    }

    /// The register as a page: who is responsible, then each purpose with its data.
    fn markdown(&self, w: &Words) -> String {
        let e = |value: &str| md(value);
        let [
            controller,
            dpo,
            _,
            basis,
            subjects,
            data,
            recipients,
            transfers,
            retention,
            security,
        ] = &w.columns;
        let mut out = format!(
            "# {} — {}\n\n{}\n\n{}\n\n",
            e(&w.title),
            e(&self.company),
            e(&self.intro(w)),
            e(&self.dated(w))
        );
        out.push_str(&format!(
            "- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n",
            e(controller),
            e(&self.controller),
            e(dpo),
            e(&self.dpo),
            e(security),
            e(&self.security)
        ));
        // A purpose's rows follow one another: one pass, not a search of all rows per purpose.
        for rows in self.rows.chunk_by(|a, b| a.purpose == b.purpose) {
            let first = &rows[0];
            out.push_str(&format!("\n## {}\n\n", e(&first.purpose)));
            out.push_str(&format!(
                "- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n- **{}**: {}\n\n",
                e(basis),
                e(&first.basis),
                e(subjects),
                e(&first.subjects),
                e(recipients),
                e(&first.recipients),
                e(transfers),
                e(&first.transfers)
            ));
            out.push_str(&format!("| {} | {} |\n|---|---|\n", e(data), e(retention)));
            for r in rows {
                out.push_str(&format!("| {} | {} |\n", e(&r.data), e(&r.retention)));
            }
        }
        out
    }
}

/// Art. 30(1)(a): who the controller is, led by the legal name and form, with the register
/// number labelled, and how to reach them.
fn controller(company: &Company, w: &Words) -> String {
    let a = &company.address;
    let legal = legal_name(company);
    let who = match &company.trade_name {
        Some(trade) if *trade != company.legal_name => format!("{legal} ({trade})"),
        _ => legal,
    };
    format!(
        "{who}, {} {}, {}, {} {}, {}; {}",
        w.enterprise_number,
        company.enterprise_number,
        a.street,
        a.postal_code,
        a.city,
        a.country_name,
        company.privacy_email
    )
}

/// "Atelier Lumen BV": the legal name and form.
fn legal_name(company: &Company) -> String {
    if company.legal_form.is_empty() {
        company.legal_name.clone()
    } else {
        format!("{} {}", company.legal_name, company.legal_form)
    }
}

/// Art. 30(1)(a): the data protection officer, or that none is appointed.
fn dpo(dpo: &Dpo, w: &Words) -> String {
    if dpo.appointed != Some(true) {
        return w.no_dpo.clone();
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

/// Art. 30(1)(g): the security measures, those polis knows named as a record names them
/// (`register.measures`), the site's own as site.yaml writes them; or the keys the pack lacks.
fn measures(facts: &Facts, view: &View, w: &Words) -> Result<Vec<String>, Vec<String>> {
    let mut lacking = Vec::new();
    let named = facts
        .site
        .security
        .iter()
        .zip(&view.security)
        .map(|(measure, worded)| match measure {
            Measure::Known(key) => w.measure(&key.value).unwrap_or_else(|| {
                lacking.push(format!("register.measures.{}", key.value));
                String::new()
            }),
            Measure::Own(_) => worded.clone(),
        })
        .collect();
    if lacking.is_empty() {
        Ok(named)
    } else {
        Err(lacking)
    }
}

/// The recipients of each purpose, by its key, in the order site.yaml lists them: one pass over
/// the recipients, not one per purpose.
fn receivers(view: &View) -> HashMap<&str, Vec<&Recipient>> {
    let mut by_purpose: HashMap<&str, Vec<&Recipient>> = HashMap::new();
    for r in view.recipients.iter().map(|r| &**r) {
        for key in r.purposes.iter().flatten() {
            let theirs = by_purpose.entry(key.as_str()).or_default();
            if !theirs.last().is_some_and(|last| std::ptr::eq(*last, r)) {
                theirs.push(r);
            }
        }
    }
    by_purpose
}

/// Art. 30(1)(d) and (e) for a purpose whose data `theirs` receive: those recipients, and those
/// of them outside the EEA with their safeguards.
fn recipients_of(theirs: &[&Recipient], w: &Words) -> (String, String) {
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

/// A value as Markdown text (the escaper of the policy texts, which escapes `|` too).
fn md(value: &str) -> String {
    let mut out = Vec::new();
    let _ = escape_markdown(value, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
