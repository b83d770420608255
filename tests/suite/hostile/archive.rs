//! archive/ under attack: an archived facts.json edited by hand into another shape, and more than
//! a build may hold of it.

use super::*;

const FACTS: &str = "archive/2026-03-01/facts.json";

/// The example site, built and archived on 2026-03-01, then given a later date: the archived
/// version is the one before, whose facts the current pages compare with.
fn archived_earlier() -> TestSite {
    let site = example();
    for args in [&["build"][..], &["archive"]] {
        let out = site.polis(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    }
    site.edit(SITE, |y| {
        replace(
            y,
            "effective_date: 2026-03-01 ",
            "effective_date: 2026-04-01 ",
        )
    });
    site
}

/// A facts.json of the wrong shape is `archive-invalid` at the wrong value, and the version is
/// not compared: the changes section used to read the section as empty and claim that the legal
/// name changed from none to Atelier Lumen.
#[test]
fn archived_facts_of_the_wrong_shape_are_refused_at_their_line() {
    /// The path of the wrong value, the damage done to the facts, the value as written, and what
    /// the value should be.
    type Case = (
        &'static str,
        fn(&mut serde_json::Value),
        &'static str,
        &'static str,
    );
    let cases: [Case; 5] = [
        (
            "facts.company",
            |f| f["company"] = 5.into(),
            "\"company\": 5",
            "a mapping",
        ),
        (
            "facts.recipients",
            |f| f["recipients"] = "x".into(),
            "\"recipients\": \"x\"",
            "a list",
        ),
        (
            "facts.purposes[0].key",
            |f| f["purposes"][0]["key"] = serde_json::Value::Null,
            "\"key\": null",
            "a text",
        ),
        (
            "facts.data[0].sources",
            |f| f["data"][0]["sources"] = "person".into(),
            "\"sources\": \"person\"",
            "a list of texts",
        ),
        (
            "facts.dpo.appointed",
            |f| f["dpo"]["appointed"] = "yes".into(),
            "\"appointed\": \"yes\"",
            "true or false",
        ),
    ];
    for (path, damage, written, expected) in cases {
        let site = archived_earlier();
        let mut record: serde_json::Value = serde_json::from_str(&site.read(FACTS)).unwrap();
        damage(&mut record["facts"]);
        site.write(FACTS, serde_json::to_string_pretty(&record).unwrap());
        let outcome = site.run_within(AT_ONCE);
        assert_diagnostics(
            &outcome,
            &[("archive-invalid", FACTS, site.line(FACTS, written))],
        );
        assert_eq!(
            outcome.diagnostics[0].message,
            format!("`{path}` in {FACTS} should be {expected}, as `polis archive` writes it")
        );
    }
}

/// A text of an archived facts.json that holds a character site.yaml refuses (a direction
/// override, a control): `archive-invalid` at its line, and no page shows it. It used to reach the
/// current page's changes section, where U+202E turned the rest of the line around.
#[test]
fn invisible_characters_in_archived_facts_are_refused_at_their_line() {
    for (c, what) in [
        ('\u{202e}', "a text-direction control"),
        ('\u{200b}', "a zero-width character"),
        ('\u{7}', "a control character"),
    ] {
        let site = archived_earlier();
        let mut record: serde_json::Value = serde_json::from_str(&site.read(FACTS)).unwrap();
        record["facts"]["company"]["legal_name"] = format!("Atelier {c}Lumen").into();
        site.write(FACTS, serde_json::to_string_pretty(&record).unwrap());
        let outcome = site.run_within(AT_ONCE);
        assert_diagnostics(
            &outcome,
            &[(
                "archive-invalid",
                FACTS,
                site.line(FACTS, "\"legal_name\":"),
            )],
        );
        assert_eq!(
            outcome.diagnostics[0].message,
            format!(
                "`facts.company.legal_name` in {FACTS} contains the invisible character U+{:04X} \
                 ({what}), which `polis archive` never writes",
                c as u32
            )
        );
        for (path, bytes) in &outcome.rendered.files {
            assert!(!String::from_utf8_lossy(bytes).contains(c), "{path}");
        }
    }
}
