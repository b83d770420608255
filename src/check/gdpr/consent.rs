//! The consent banner's rules (`polis export consent`): what site.yaml asks of the banner that a
//! regulator would not accept. Google Consent Mode v2 signals must follow the categories the
//! policy names: consent to marketing is what grants the advertising signals, and consent to
//! statistics does not (EDPB cookie banner taskforce report, 2023; Google's EU user consent
//! policy).

use super::{Out, SITE};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{CookieCategory, Site};

/// The Consent Mode signals of each category in `cookies.consent_mode`.
pub(super) fn consent_mode(site: &Site, out: &mut Out) {
    for mode in &site.cookies.consent_mode {
        let key = mode.category.key();
        match mode.category {
            CookieCategory::Marketing if !mode.signals.iter().any(|(s, _)| s.is_advertising()) => {
                out.push(
                    Diagnostic::warning(
                        Code::GdprConsentMode,
                        SITE,
                        mode.pos,
                        "consent to marketing cookies grants no advertising signal of Google Consent Mode: the \
                         advertising tags would stay denied after the visitor accepted them, or run under another \
                         category's consent",
                    )
                    .hint(
                        "grant the advertising signals with marketing: \
                         `marketing: [ad_storage, ad_user_data, ad_personalization]`",
                    ),
                    [key],
                );
            }
            CookieCategory::Marketing => {}
            _ => {
                for (signal, pos) in mode.signals.iter().filter(|(s, _)| s.is_advertising()) {
                    out.push(
                        Diagnostic::warning(
                            Code::GdprConsentMode,
                            SITE,
                            *pos,
                            format!(
                                "consent to {key} cookies grants `{}`, an advertising signal of Google Consent \
                                 Mode: a visitor who accepted only {key} would be tracked for advertising",
                                signal.key()
                            ),
                        )
                        .hint(format!(
                            "grant `{}` with `marketing:` only, and take it out of `{key}:`",
                            signal.key()
                        )),
                        [key],
                    );
                }
            }
        }
    }
}
