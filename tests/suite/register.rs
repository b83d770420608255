//! `polis export register`: the record of processing activities, in every language, as a
//! spreadsheet opens it (the workbook read back by a spreadsheet reader), in the words of the locale
//! packs, refused while incomplete, and linear in the site's size.

use crate::export::{export, out_dir, run_export, text};
use crate::support::{self, example, example_with, replace};

#[test]
fn the_register_names_every_purpose_and_recipient_in_every_language() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "register", &out);
    let names: Vec<&String> = files.keys().filter(|k| !k.starts_with('.')).collect();
    assert_eq!(
        names,
        [
            "en/register.csv",
            "en/register.html",
            "en/register.md",
            "en/register.xlsx",
            "nl/register.csv",
            "nl/register.html",
            "nl/register.md",
            "nl/register.xlsx"
        ]
    );
    let mut reader = csv::Reader::from_reader(&files["en/register.csv"][..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header.len(), 10);
    for (i, article) in [
        "30(1)(a)", "30(1)(a)", "30(1)(b)", "6(1)", "30(1)(c)", "30(1)(c)", "30(1)(d)", "30(1)(e)",
        "30(1)(f)", "30(1)(g)",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            header[i].contains(article),
            "{} names Art. {article}",
            header[i]
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One row per purpose and data category.
    assert_eq!(rows.len(), 12);
    let column = |i: usize| {
        rows.iter()
            .map(|r| r[i].to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let example = support::example_yaml();
    for purpose in [
        "Delivering and invoicing your orders",
        "Our accounts and tax returns",
        "Sending our newsletter",
        "Handling job applications",
    ] {
        assert!(column(2).contains(purpose), "{purpose}");
    }
    for recipient in [
        "Combell",
        "Matomo (InnoCraft)",
        "Mailchimp (Intuit Inc.)",
        "Stripe Payments Europe",
        "Exact",
        "Our accountant",
    ] {
        assert!(column(6).contains(recipient), "{recipient}");
        assert!(
            example.contains(recipient),
            "{recipient} is the example's own"
        );
    }
    assert!(
        column(7).contains("Mailchimp (Intuit Inc.) (United States): "),
        "the transfer and its safeguard"
    );
    let nl = text(&files, "nl/register.md");
    assert!(nl.starts_with("# Register van verwerkingsactiviteiten — Lumen\n"));
    assert!(nl.contains("\n\nStand op 1 maart 2026\n\n"), "dated: {nl}");
    let html = text(&files, "nl/register.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">") && html.contains("<table>"));
}

/// The cells of the register's one sheet as a spreadsheet reader opens them, and how many of
/// them are formulas.
pub(crate) fn workbook(bytes: &[u8]) -> (Vec<Vec<String>>, usize) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let cells = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect();
    let formulas = book.worksheet_formula(&name).unwrap();
    let formulas = formulas
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .count();
    (cells, formulas)
}

/// The register opens right in a Dutch or Belgian spreadsheet: a workbook whose header says
/// "Categorieën" in one cell per column, dated, a row per purpose and category; and a CSV that
/// Excel reads as UTF-8 (a byte order mark) split on `;`, the list separator of nl-BE and nl-NL.
#[test]
fn the_register_opens_in_a_dutch_spreadsheet() {
    let (_dir, out) = out_dir();
    let files = export(&example(), "register", &out);
    let (cells, formulas) = workbook(&files["nl/register.xlsx"]);
    assert_eq!(cells[0][0], "Register van verwerkingsactiviteiten — Lumen");
    assert_eq!(cells[1][0], "Stand op 1 maart 2026");
    let header = &cells[3];
    assert_eq!(header.len(), 10, "{header:?}");
    assert_eq!(
        header[4],
        "Categorieën van betrokkenen (art. 30, lid 1, c) AVG)"
    );
    assert_eq!(
        header[5],
        "Categorieën van persoonsgegevens (art. 30, lid 1, c) AVG)"
    );
    let orders = cells
        .iter()
        .find(|r| {
            r[2] == "Je bestellingen leveren en factureren"
                && r[5].starts_with("Contactgegevens: je naam")
        })
        .expect("the row of the orders' contact data");
    assert!(
        orders[0].starts_with(
            "Atelier Lumen besloten vennootschap (BV) (Lumen), Ondernemingsnummer BE 0712.345.630, "
        ),
        "the controller by legal name and form, the number labelled: {}",
        orders[0]
    );
    assert_eq!(orders[4], "klanten");
    assert!(orders[6].contains("Combell"), "{orders:?}");
    assert_eq!(cells.len(), 4 + 12, "one row per purpose and data category");
    assert_eq!(formulas, 0);
    assert_eq!(
        files["nl/register.xlsx"],
        export(&example(), "register", &out.join("again"))["nl/register.xlsx"],
        "the workbook does not depend on the clock"
    );

    let csv = &files["nl/register.csv"];
    assert!(csv.starts_with(b"\xEF\xBB\xBFVerwerkingsverantwoordelijke (art. 30, lid 1, a) AVG);"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&csv[3..]);
    assert_eq!(reader.headers().unwrap().len(), 10);
    assert_eq!(reader.records().count(), 12);
}

/// A Dutch company's register cites the GDPR as Dutch lawyers do, from the pack's variant.
#[test]
fn a_dutch_companys_register_cites_as_the_netherlands_does() {
    let site = example_with(|yaml| {
        replace(
            yaml,
            "  theme: default\n",
            "  theme: default\n  variant: NL\n",
        )
    });
    let (_dir, out) = out_dir();
    let files = export(&site, "register", &out);
    let (cells, _) = workbook(&files["nl/register.xlsx"]);
    assert_eq!(
        cells[3][4],
        "Categorieën van betrokkenen (art. 30 lid 1 sub c AVG)"
    );
}

/// A locale pack of the site's own without the register's words: the export names each key and
/// writes nothing, rather than a register with columns in another language.
#[test]
fn a_locale_pack_without_the_registers_words_is_named_with_each_key() {
    let site = example();
    let shipped = site.read_repo("themes/default/i18n/en.yaml");
    let start = shipped.find("\nregister:\n").expect("the register's words");
    let end = start
        + 1
        + shipped[start + 1..]
            .find("\nui:\n")
            .expect("the next section");
    let mut pack = shipped.clone();
    pack.replace_range(start..end, "");
    site.write("themes/default/i18n/en.yaml", pack);
    let (_dir, out) = out_dir();
    let output = run_export(&site, "register", &out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for key in [
        "`register.title`",
        "`register.columns.purpose`",
        "`register.csv_separator`",
    ] {
        assert!(
            stderr.contains(&format!("themes/default/i18n/en.yaml: {key}")),
            "{key}: {stderr}"
        );
    }
    assert!(!out.exists(), "nothing written");
}

#[test]
fn the_register_is_not_published_by_build_and_is_refused_while_incomplete() {
    let site = example();
    let built = site.polis(&["build"]);
    assert!(built.status.success());
    assert!(!site.tree("public").keys().any(|k| k.contains("register")));

    let site = example_with(|yaml| replace(yaml, "    purposes: [analytics]\n", ""));
    let (_dir, out) = out_dir();
    let output = run_export(&site, "register", &out);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("gdpr-register"));
    assert!(!out.exists(), "nothing written");
}

/// A site of 20,000 data categories that one purpose uses: the register has one row for each of
/// them, named and described, in the order site.yaml gives them. (How long it takes, and that the
/// time grows linearly with the categories, is measured by bench/register.py: the register was
/// quadratic, a search through all categories per purpose and category.)
#[test]
fn the_register_of_a_site_with_twenty_thousand_categories_has_a_row_for_each() {
    const CATEGORIES: usize = 20_000;
    let site = example_with(|yaml| {
        let mut data = String::from("data:\n");
        let mut keys = String::from("contact, billing, correspondence");
        for i in 0..CATEGORIES {
            data.push_str(&format!(
                "  c{i}: {{ name: D{i}, description: K{i}, sources: [person], retention: {{ period: 5 years, from: visit }} }}\n"
            ));
            keys.push_str(&format!(", c{i}"));
        }
        replace(yaml, "data:\n", &data);
        replace(
            yaml,
            "    data: [contact, billing, correspondence]\n    subjects: { nl: klanten",
            &format!("    data: [{keys}]\n    subjects: {{ nl: klanten"),
        );
    });
    let (_dir, out) = out_dir();
    let files = export(&site, "register", &out);
    let mut reader = csv::Reader::from_reader(&files["en/register.csv"][..]);
    let cells: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .flat_map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let named: Vec<usize> = cells
        .iter()
        .filter_map(|c| {
            let (name, description) = c.strip_prefix('D')?.split_once(": K")?;
            (name == description).then(|| name.parse().ok())?
        })
        .collect();
    assert_eq!(
        named,
        (0..CATEGORIES).collect::<Vec<_>>(),
        "one row for each category, in order"
    );
}

/// A site of 3,000 purposes, each with a data category of its own, and a recipient of all of
/// them: the Markdown register has a section for each purpose, in order, with its one row and the
/// recipient named (the sections were once found by a search of all rows per purpose, and the
/// recipients by one of all recipients: quadratic, see bench/register.py).
#[test]
fn the_register_of_three_thousand_purposes_has_a_section_for_each() {
    const PURPOSES: usize = 3_000;
    let site = example_with(|yaml| {
        let (mut data, mut purposes, mut keys) = (
            String::from("data:\n"),
            String::from("purposes:\n"),
            String::new(),
        );
        for i in 0..PURPOSES {
            data.push_str(&format!(
                "  c{i}: {{ name: D{i}, description: K{i}, sources: [person], retention: {{ period: 5 years, from: visit }} }}\n"
            ));
            purposes.push_str(&format!(
                "  - {{ key: p{i}, name: P{i}, basis: contract, data: [c{i}], subjects: S{i} }}\n"
            ));
            keys.push_str(&format!("p{i}, "));
        }
        replace(yaml, "data:\n", &data);
        replace(yaml, "purposes:\n", &purposes);
        replace(
            yaml,
            "    purposes: [orders, customer_mail,",
            &format!("    purposes: [{keys}orders, customer_mail,"),
        );
    });
    let (_dir, out) = out_dir();
    let files = export(&site, "register", &out);
    let md = text(&files, "en/register.md");
    let sections: Vec<&str> = md.split("\n## ").skip(1).collect();
    let ours: Vec<&&str> = sections.iter().take(PURPOSES).collect();
    assert_eq!(ours.len(), PURPOSES);
    for (i, section) in ours.iter().enumerate() {
        assert!(section.starts_with(&format!("P{i}\n")), "{section}");
        let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| D")).collect();
        assert_eq!(rows, [format!("| D{i}: K{i} | five years after visit |")]);
        assert!(section.contains("Combell"), "{section}");
    }
}
