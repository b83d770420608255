//! What starts a retention period (GDPR Art. 13(2)(a)). `from` is the company's own words for an
//! event ("the end of our customer relationship", "your last order"): the events differ too much
//! between companies for a closed list, and each language words them. What is certainly no event
//! is a name site.yaml declares (a person, the company, a recipient) or a value without a word:
//! "five years after Jan Janssens" tells the reader nothing.

use super::{Out, SITE, locale_skeleton};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Dpo, Retention, Site, Text};

/// Every `retention.from` names an event, not a name or nothing.
pub(super) fn retention_from(site: &Site, out: &mut Out) {
    let names = declared_names(site);
    for d in &site.data {
        let Some(Retention::Period { from, .. }) = &d.retention else {
            continue;
        };
        let key = &d.key.value;
        for (_, value) in from.written() {
            let words = value.value.trim();
            let name = names.iter().find(|n| n.eq_ignore_ascii_case(words));
            let why = match name {
                Some(_) => "a name site.yaml declares, not an event",
                None if !words.is_empty() && !words.chars().any(char::is_alphabetic) => {
                    "no event, only signs"
                }
                None => continue,
            };
            out.push(
                Diagnostic::error(
                    Code::GdprRetention,
                    SITE,
                    value.pos,
                    format!(
                        "`data.{key}.retention.from` is `{words}`, {why}: the policy would say \
                         the data is kept for its period after `{words}` (GDPR Art. 13(2)(a))"
                    ),
                )
                .hint(format!(
                    "`from` names the event that starts the period, in the words of each \
                     language, e.g. the end of the contract, the last order, our last contact: \
                     `from: {{ {} }}`; or give a rule in words, `retention: {{ rule: ... }}`",
                    locale_skeleton(site)
                )),
                [key.clone()],
            );
        }
    }
}

/// The names site.yaml gives people and organisations: the company, its DPO or contact, the
/// recipients.
fn declared_names(site: &Site) -> Vec<&str> {
    let c = &site.company;
    let mut texts: Vec<&Text> = vec![&c.legal_name];
    texts.extend(&c.trade_name);
    texts.extend(site.recipients.iter().map(|r| &r.name));
    let mut names: Vec<&str> = texts.iter().flat_map(|t| t.all()).collect();
    match &site.dpo {
        Dpo::Appointed { names: dpos, .. } => names.extend(dpos.iter().map(|n| n.value.as_str())),
        Dpo::NotAppointed { contact } => names.extend(contact.all()),
        Dpo::Unspecified => {}
    }
    names.retain(|n| !n.trim().is_empty());
    names
}
