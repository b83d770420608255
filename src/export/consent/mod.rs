//! The consent banner polis configures: vanilla-cookieconsent v3 (orestbida/cookieconsent, MIT,
//! on npm as `vanilla-cookieconsent`). `polis export consent` writes its configuration from the
//! cookie facts of site.yaml, and `polis scan` presses its buttons; both name its elements here,
//! once, as the library's own markup has them.
//!
//! The export writes one object twice: `consent.json`, and `consent.mjs`, an ES module whose
//! `export default` is the same object with the wildcard cookie names as regular expressions
//! (in the JSON a name written `/…/` is one, docs/export.md). The banner asks what the cookie
//! policy says, in its words: the categories of the cookie table (necessary read-only and on,
//! every other one off until the visitor chooses), their cookies to clear when refused, the
//! providers as services, and in each language of the site the policy's own words from the
//! locale packs (`consent_banner:`) with the links to its pages. The settings a regulator sets
//! are not options: opt-in, "reject all" beside "accept all" with the same weight.

mod config;
mod revision;
mod words;

pub use revision::revision;

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ExportError, Facts, Files, Links};
use crate::render::{Page, View};

/// The library's root element, which holds both of its modals.
pub const ROOT: &str = "#cc-main";

/// The first layer's "accept all" button.
pub const ACCEPT_ALL: &str = "#cc-main .cm [data-role=\"all\"]";

/// The first layer's "reject all" button (the library's "accept necessary").
pub const REJECT_ALL: &str = "#cc-main .cm [data-role=\"necessary\"]";

/// The button of the first layer that opens the preferences modal.
pub const SHOW_PREFERENCES: &str = "#cc-main .cm [data-role=\"show\"]";

/// The attribute and value that make any element of a page open the preferences modal.
pub const OPEN_PREFERENCES_ATTRIBUTE: (&str, &str) = ("data-cc", "show-preferencesModal");

/// `consent.json` and `consent.mjs` for the site of `facts`, its pages and their views.
pub(super) fn consent(
    facts: &Facts,
    views: &BTreeMap<String, View>,
    pages: &[Page],
    links: &Links,
) -> Result<Files, ExportError> {
    let mut value = config::config(&facts.site, facts.consent_revision)?;
    let translations = words::translations(facts, views, pages, links)?;
    value["language"] = translations;
    let json = script_safe(&pretty(&value)?);
    let module = module(&json);
    Ok(Files::from([
        ("consent.json".to_owned(), format!("{json}\n").into_bytes()),
        ("consent.mjs".to_owned(), module.into_bytes()),
    ]))
}

fn pretty(value: &Value) -> Result<String, ExportError> {
    serde_json::to_string_pretty(value).map_err(ExportError::Json)
}

/// JSON that stays JSON and JavaScript inside an HTML `<script>`: `</script>` cannot end the
/// element (`<\/`), and the line separators U+2028 and U+2029, which older JavaScript reads as
/// the end of a line, are escaped.
fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The ES module: the object, its wildcard names made regular expressions.
fn module(json: &str) -> String {
    format!(
        "// Written by `polis export consent` from site.yaml; change site.yaml, not this file.\n\
         // The configuration of vanilla-cookieconsent v3: `CookieConsent.run(config)`.\n\
         const config = {json};\n\
         \n\
         // A cookie name written `/.../` is a wildcard of site.yaml, as a regular expression.\n\
         const pattern = (cookie) =>\n  \
           typeof cookie.name === \"string\" && cookie.name.length > 1 && cookie.name.startsWith(\"/\") && cookie.name.endsWith(\"/\")\n    \
             ? {{ ...cookie, name: new RegExp(cookie.name.slice(1, -1)) }}\n    \
             : cookie;\n\
         for (const category of Object.values(config.categories)) {{\n  \
           if (category.autoClear) category.autoClear.cookies = category.autoClear.cookies.map(pattern);\n  \
           for (const service of Object.values(category.services ?? {{}})) {{\n    \
             if (service.cookies) service.cookies = service.cookies.map(pattern);\n  \
           }}\n\
         }}\n\
         \n\
         export default config;\n"
    )
}

/// Text for HTML, in an element or a quoted attribute: the library writes its texts as HTML.
fn html(text: &str) -> String {
    super::fragment::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_end_it_or_a_line() {
        assert_eq!(
            script_safe("\"</script>\u{2028}\u{2029}\""),
            "\"<\\/script>\\u2028\\u2029\""
        );
    }
}
