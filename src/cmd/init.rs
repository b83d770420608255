//! `polis init`: a first site.yaml, from what polis knows of a country or from the example.

use std::io::IsTerminal;
use std::path::Path;

use super::{Failure, shown};

/// Writes a first site.yaml into `dir` (and the schema beside it, unless one is there). Asks for
/// the country and languages at a terminal when no flag says them.
pub(super) fn init(
    dir: &Path,
    country: Option<String>,
    locales: Option<Vec<String>>,
    from_example: bool,
) -> Result<(), Failure> {
    let text = if from_example {
        polis::init::example()
    } else {
        polis::init::site_yaml(&request(country, locales)?).map_err(Failure::Init)?
    };
    let written =
        polis::write::create_new(dir, "site.yaml", text.as_bytes()).map_err(Failure::Create)?;
    // An editor's schema is polis's own file: one already there is left as it is.
    let _ = polis::write::create_new(dir, polis::init::SCHEMA_FILE, polis::SCHEMA.as_bytes());
    let placeholders = text
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with('#') && l.contains(polis::model::decode::PLACEHOLDER)
        })
        .count();
    println!("wrote {}", shown(&written));
    if placeholders > 0 {
        println!(
            "fill in its {placeholders} \"[fill in: ...]\" values; `polis check` names those left, at their lines"
        );
    }
    Ok(())
}

/// What to write a site.yaml for: the flags, or the answers at a terminal when no flag is given.
fn request(
    country: Option<String>,
    locales: Option<Vec<String>>,
) -> Result<polis::init::Request, Failure> {
    let asked = country.is_none()
        && locales.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal();
    if asked {
        return ask().map_err(Failure::Ask);
    }
    let Some(country) = country else {
        return Err(Failure::Usage(
            "polis init needs the company's country: --country NL (or BE, DE, ...)".to_owned(),
        ));
    };
    Ok(polis::init::Request {
        country,
        locales: locales.unwrap_or_else(|| vec!["nl".into(), "en".into()]),
    })
}

/// The country and languages, asked at the terminal.
fn ask() -> Result<polis::init::Request, dialoguer::Error> {
    let countries = polis::init::countries();
    let default = countries.iter().position(|c| c == "NL").unwrap_or(0);
    let theme = dialoguer::theme::SimpleTheme;
    let labels: Vec<String> = countries
        .iter()
        .map(|c| {
            format!(
                "{c}  {}",
                polis::init::country_name(c, "en").unwrap_or_default()
            )
        })
        .collect();
    let country = dialoguer::Select::with_theme(&theme)
        .with_prompt("The company's country")
        .items(&labels)
        .default(default)
        .interact()?;
    let shipped = polis::init::shipped_locales();
    let chosen = dialoguer::MultiSelect::with_theme(&theme)
        .with_prompt(
            "The site's languages (space to choose, enter to go on; the first is the default)",
        )
        .items(&shipped)
        .defaults(&vec![true; shipped.len()])
        .interact()?;
    Ok(polis::init::Request {
        country: countries[country].clone(),
        locales: chosen.into_iter().map(|i| shipped[i].to_owned()).collect(),
    })
}
