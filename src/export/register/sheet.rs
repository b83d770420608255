//! The register's rows as a spreadsheet: an .xlsx workbook, and a CSV for the tools that read
//! one.
//!
//! A workbook is what opens right everywhere: every cell is a string cell, so Excel neither splits
//! it on the locale's separator nor reads it as a number, a date or a formula, and its text is
//! UTF-8 whatever the system's code page. The sheet has the title and the register's date above
//! the header, the header frozen and filtered. A CSV is read by Excel in the locale's code page
//! and split on the locale's list separator: it starts with a UTF-8 byte order mark and uses the
//! language's separator (`register.csv_separator`, `;` in Dutch).
//!
//! Nothing here reads the clock: the workbook's creation date is the register's own, so two
//! exports of the same site are byte-identical.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::words::{COLUMNS, Words};
use super::{Facts, Record};
use crate::export::ExportError;

/// The row of the header, below the title, the date and an empty row.
const HEADER: u32 = 3;

/// The register as a workbook of one sheet.
pub(super) fn xlsx(record: &Record, w: &Words, facts: &Facts) -> Result<Vec<u8>, ExportError> {
    workbook(record, w, facts).map_err(|e| ExportError::Xlsx(e.to_string()))
}

fn workbook(record: &Record, w: &Words, facts: &Facts) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The newest of the effective date and the changes: the date the record states.
    let settings = &facts.site.settings;
    let date = settings
        .changes
        .iter()
        .map(|c| c.date)
        .fold(settings.effective_date, Ord::max);
    let created = ExcelDateTime::from_ymd(date.year, date.month, date.day)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} — {}", w.title, record.company))
            .set_company(&record.legal_name)
            .set_creation_datetime(&created),
    );
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#DDDDDD");
    let cell = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&w.sheet))?;
    sheet.write_string_with_format(0, 0, format!("{} — {}", w.title, record.company), &title)?;
    sheet.write_string(1, 0, record.dated(w))?;
    for (col, name) in (0u16..).zip(&w.columns) {
        sheet.write_string_with_format(HEADER, col, name, &header)?;
        sheet.set_column_width(
            col,
            if COLUMNS[usize::from(col)] == "retention" {
                30
            } else {
                40
            },
        )?;
    }
    let mut last = HEADER;
    for (row, r) in (HEADER + 1..).zip(&record.rows) {
        for (col, value) in (0u16..).zip(r.cells(record)) {
            sheet.write_string_with_format(row, col, value, &cell)?;
        }
        last = row;
    }
    sheet.set_freeze_panes(HEADER + 1, 0)?;
    sheet.autofilter(HEADER, 0, last, COLUMNS.len() as u16 - 1)?;
    book.save_to_buffer()
}

/// A worksheet's name as Excel allows it: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "Register".to_owned()
    } else {
        name
    }
}

/// The same rows as CSV: a UTF-8 byte order mark, the language's separator, CRLF line ends.
pub(super) fn csv(record: &Record, w: &Words) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut out = csv::WriterBuilder::new()
        .delimiter(w.csv_separator)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(&w.columns).map_err(fail)?;
    for r in &record.rows {
        out.write_record(r.cells(record).map(cell)).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))
}

/// A value as CSV cell text that a spreadsheet shows and never runs: a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it starts with `'`
/// instead (OWASP's advice). Quoting is the CSV writer's. (The workbook needs no such guard: its
/// cells are strings, never formulas.)
fn cell(value: &str) -> String {
    match value.trim_start_matches(' ').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
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

    #[test]
    fn a_sheet_name_is_one_excel_accepts() {
        assert_eq!(sheet_name("Register"), "Register");
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("[]"), "Register");
    }
}
