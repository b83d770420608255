//! Translations left behind: a text of site.yaml that changed in one language since the last
//! archived version, and not in another, so that the languages may no longer say the same (GDPR
//! Art. 12(1): the same information whichever language people read). A warning at the text that
//! did not change, which a site waives like a GDPR rule when the change needed no translation.

use super::{Out, SITE};
use crate::diagnostics::{Code, Diagnostic};
use crate::history::{Section, Stale};
use crate::model::{AutomatedDecisions, Dpo, Site, Text};

/// Reports each text of `stale` at its value in the language that did not change.
pub(super) fn stale_translations(site: &Site, stale: &[Stale], out: &mut Out) {
    for s in stale {
        let Some(text) = text_of(site, s) else {
            continue;
        };
        let pos = text
            .value(&s.locale)
            .filter(|v| !v.value.is_empty())
            .and_then(|v| v.place(0, v.value.chars().count()))
            .unwrap_or(text.pos);
        let changed = s.changed.join(" and ");
        let subject = s.subjects.first().map_or(s.locale.as_str(), String::as_str);
        out.push(
            Diagnostic::warning(
                Code::StaleTranslation,
                SITE,
                pos,
                format!("the {changed} text of {} changed since {}; check the {} translation", s.path, s.since.iso(), s.locale),
            )
            .hint(format!(
                "make the `{}` text of `{}` say what the {changed} text now says; if it already does, waive `stale-translation` \
                 at `{subject}` with the reason",
                s.locale, s.path
            )),
            s.subjects.iter().cloned(),
        );
    }
}

/// The text of site.yaml a finding is about: the field of the item at its index.
fn text_of<'s>(site: &'s Site, s: &Stale) -> Option<&'s Text> {
    let i = s.index;
    let c = &site.company;
    match (s.section, s.field.key) {
        (Section::Company, "legal_name") => Some(&c.legal_name),
        (Section::Company, "trade_name") => c.trade_name.as_ref(),
        (Section::Company, "legal_form") => Some(&c.legal_form),
        (Section::Company, "address.street") => Some(&c.address.street),
        (Section::Company, "address.city") => Some(&c.address.city),
        (Section::Phones, "label") => c.phones.get(i)?.label.as_ref(),
        (Section::Dpo, "contact") => match &site.dpo {
            Dpo::NotAppointed { contact } => Some(contact),
            _ => None,
        },
        (Section::Sources, "name") => site.sources.get(i)?.name.as_ref(),
        (Section::Sources, "description") => site.sources.get(i)?.description.as_ref(),
        (Section::Data, "name") => site.data.get(i)?.name.as_ref(),
        (Section::Data, "description") => site.data.get(i)?.description.as_ref(),
        (Section::Purposes, "name") => Some(&site.purposes.get(i)?.name),
        (Section::Purposes, "description") => site.purposes.get(i)?.description.as_ref(),
        (Section::Purposes, "interest") => site.purposes.get(i)?.interest.as_ref(),
        (Section::Recipients, "name") => Some(&site.recipients.get(i)?.name),
        (Section::Recipients, "service") => Some(&site.recipients.get(i)?.service),
        (Section::AutomatedDecisions, field) => {
            let AutomatedDecisions::Some(list) = &site.automated_decisions else {
                return None;
            };
            let d = list.get(i)?;
            match field {
                "decision" => Some(&d.decision),
                "logic" => Some(&d.logic),
                "consequences" => Some(&d.consequences),
                _ => None,
            }
        }
        (Section::Authority, field) => {
            let a = site.authority.as_ref()?;
            match field {
                "name" => Some(&a.name),
                "url" => Some(&a.url),
                "address" => a.address.as_ref(),
                _ => None,
            }
        }
        (Section::CookieSettings, "settings_url") => site.cookies.settings_url.as_ref(),
        (Section::Cookies, "provider") => site.cookies.list.get(i)?.provider.as_ref(),
        (Section::Cookies, "purpose") => site.cookies.list.get(i)?.purpose.as_ref(),
        (Section::Documents, "title") => Some(&site.documents.get(i)?.title),
        (Section::Documents, "url") => Some(&site.documents.get(i)?.url),
        _ => None,
    }
}
