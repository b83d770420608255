//! `polis init`: a first site.yaml, from what polis knows of a country or from the example.

use std::io::IsTerminal;
use std::path::Path;

use super::{Failure, shown};

/// What `polis init` was asked on its command line.
pub(super) struct Asked {
    /// `--country`.
    pub(super) country: Option<String>,
    /// `--locales`.
    pub(super) locales: Option<Vec<String>>,
    /// `--from-example`.
    pub(super) from_example: bool,
}

/// Writes a first site.yaml into `dir` (and the schema beside it, unless one is there). Asks for
/// the country, the languages and the easy facts at a terminal when no flag says them; with
/// `quiet`, says nothing when it worked.
pub(super) fn init(dir: &Path, asked: Asked, quiet: bool) -> Result<(), Failure> {
    let text = if asked.from_example {
        polis::init::example()
    } else {
        polis::init::site_yaml(&request(asked.country, asked.locales)?).map_err(Failure::Init)?
    };
    let written =
        polis::write::create_new(dir, "site.yaml", text.as_bytes()).map_err(Failure::Create)?;
    // An editor's schema is polis's own file: one already there is left as it is.
    let _ = polis::write::create_new(dir, polis::init::SCHEMA_FILE, polis::SCHEMA.as_bytes());
    if quiet {
        return Ok(());
    }
    let placeholders = text
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with('#') && l.contains(polis::model::decode::PLACEHOLDER)
        })
        .count();
    println!("wrote {}", shown(&written));
    // The command to run next, as it must be typed from here: the new site is not found upward
    // from the current folder when it was written into another.
    let check = if dir == Path::new(".") || dir.as_os_str().is_empty() {
        "polis check".to_owned()
    } else {
        format!("polis check --root {}", shown(dir))
    };
    if placeholders > 0 {
        println!(
            "fill in its {placeholders} \"[fill in: ...]\" values; `{check}` names those left, at their lines"
        );
    } else {
        println!("`{check}` checks it");
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
        legal_name: None,
        website: None,
        email: None,
    })
}

/// The country, the languages and the facts anyone knows by heart, asked at the terminal. The
/// country is chosen by typing part of its code or name: the list holds the EEA only, where the
/// GDPR applies to a company established there.
fn ask() -> Result<polis::init::Request, dialoguer::Error> {
    let countries: Vec<String> = polis::init::countries()
        .into_iter()
        .filter(|c| polis::facts::in_eea(c))
        .collect();
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
    let country = dialoguer::FuzzySelect::with_theme(&theme)
        .with_prompt("The company's country (type to search, e.g. BE or Belg)")
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
    let legal_name = text(&theme, "The company's registered name", |_| Ok(()))?;
    let website = text(&theme, "Its website, https://...", |v| {
        if v.starts_with("https://") {
            Ok(())
        } else {
            Err("an address that starts with https://")
        }
    })?;
    let email = text(&theme, "Its general e-mail address", |v| {
        if v.contains('@') && !v.contains(char::is_whitespace) {
            Ok(())
        } else {
            Err("an e-mail address, name@example.com")
        }
    })?;
    Ok(polis::init::Request {
        country: countries[country].clone(),
        locales: chosen.into_iter().map(|i| shipped[i].to_owned()).collect(),
        legal_name,
        website,
        email,
    })
}

/// One answer typed at the terminal, checked by `valid`; empty leaves the placeholder.
fn text(
    theme: &dyn dialoguer::theme::Theme,
    prompt: &str,
    valid: fn(&str) -> Result<(), &'static str>,
) -> Result<Option<String>, dialoguer::Error> {
    let answer: String = dialoguer::Input::with_theme(theme)
        .with_prompt(format!("{prompt} (enter to fill in later)"))
        .allow_empty(true)
        .validate_with(|v: &String| {
            let v = v.trim();
            if v.is_empty() { Ok(()) } else { valid(v) }
        })
        .interact_text()?;
    let answer = answer.trim().to_owned();
    Ok((!answer.is_empty()).then_some(answer))
}
