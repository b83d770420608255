//! Values are data: what site.yaml holds is shown, never run, whether it reads as HTML, as a
//! template or as a Markdown link.

use super::*;

fn all_html(outcome: &polis::Outcome) -> Vec<(String, String)> {
    outcome
        .rendered
        .files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| {
            (
                name.clone(),
                String::from_utf8(bytes.clone()).expect("pages are UTF-8"),
            )
        })
        .collect()
}

#[test]
fn html_in_a_value_is_escaped() {
    let site = example_with(|y| {
        replace(
            y,
            "trade_name: Lumen",
            "trade_name: \"<script>alert(1)</script>\"",
        )
    });

    let outcome = site.run();
    assert_diagnostics(&outcome, &[]);
    let files = all_html(&outcome);
    assert_eq!(files.len(), 5);
    for (name, html) in &files {
        assert!(!html.contains("<script"), "{name} has a script element");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{name} does not show the name"
        );
    }
    assert!(
        page(&outcome, "privacy", "nl")
            .html
            .contains("wij, &lt;script&gt;alert(1)&lt;/script&gt;, over je")
    );
}

#[test]
fn a_template_expression_in_a_value_is_shown_not_evaluated() {
    let site = example_with(|y| replace(y, "trade_name: Lumen", "trade_name: \"{{ 7*7 }}\""));

    let outcome = site.run();
    // What polis does: the value is shown as written, and its braces are then caught as a
    // template instruction left in the text, once per page that shows the name.
    assert_diagnostic_places(
        &outcome,
        &[("placeholder-text", SITE, site.line(SITE, "{{ 7*7 }}"))],
    );
    assert!(
        outcome
            .diagnostics
            .iter()
            .all(|d| d.column == site.pos(SITE, "{{ 7*7 }}").1)
    );
    for (name, html) in all_html(&outcome) {
        assert!(html.contains("{{ 7*7 }}"), "{name} does not show the name");
        assert!(!html.contains(">49<"), "{name} evaluated the name");
    }
    assert!(
        page(&outcome, "privacy", "nl")
            .html
            .contains("wij, {{ 7*7 }}, over je")
    );
}

#[test]
fn a_markdown_link_in_a_value_is_text_not_a_link() {
    let site = example_with(|y| {
        replace(
            y,
            "trade_name: Lumen",
            "trade_name: \"[x](javascript:alert(1))\"",
        )
    });

    let outcome = site.run();
    // What polis does: `[x]` looks like a bracketed instruction, so the name is also reported.
    assert_diagnostic_places(
        &outcome,
        &[("placeholder-text", SITE, site.line(SITE, "[x](javascript"))],
    );
    for (name, html) in all_html(&outcome) {
        assert!(
            !html.to_lowercase().contains("href=\"javascript"),
            "{name} links to javascript:"
        );
        assert!(
            html.contains("[x](javascript:alert(1))"),
            "{name} does not show the name"
        );
    }
}
