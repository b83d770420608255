//! The controller's identity checked against its country (GDPR Art. 13(1)(a)): the privacy
//! policy prints the register number, the address and the phone numbers as the identity of the
//! company established in `company.address.country`, so each must have that country's form
//! (`facts::identity`). A company moved to another country with its old number, postal code and
//! phones would otherwise be published as a company that does not exist.

use super::{Out, SITE};
use crate::diagnostics::{Code, Diagnostic};
use crate::facts::identity::{self, Verdict};
use crate::model::{Site, Str};

/// Whether the register number, the postal code and the phones fit the company's country.
pub(super) fn identity(site: &Site, out: &mut Out) {
    let company = &site.company;
    let country = company.address.country.value.as_str();
    if crate::facts::CountryCode::parse(country).is_none() {
        return;
    }
    register_number(&company.enterprise_number, country, out);
    postal_code(&company.address.postal_code, country, out);
    for phone in &company.phones {
        phone_number(&phone.number, country, out);
    }
}

/// A value decoding reported (empty, a placeholder), which no rule repeats.
fn unread(value: &Str) -> bool {
    crate::model::decode::is_unfilled(&value.value)
}

fn register_number(number: &Str, country: &str, out: &mut Out) {
    let Some(register) = identity::register(country).filter(|_| !unread(number)) else {
        return;
    };
    let problem = match register.verdict(number.value.trim()) {
        Verdict::Valid => return,
        Verdict::WrongForm => "is not",
        Verdict::WrongCheck => "has the form but not the check digits of",
    };
    out.push(
        Diagnostic::error(
            Code::GdprIdentity,
            SITE,
            number.pos,
            format!(
                "`company.enterprise_number` `{}` {problem} {}, the register of the company's \
                 country `{country}`: the policy would print it as the controller's identity \
                 (GDPR Art. 13(1)(a))",
                number.value, register.name
            ),
        )
        .hint(format!(
            "write the company's number in the register of `{country}`: {}, e.g. `{}`; or \
             correct `company.address.country`",
            register.form, register.example
        )),
        ["company"],
    );
}

fn postal_code(code: &Str, country: &str, out: &mut Out) {
    let Some(form) = identity::postal_code(country).filter(|_| !unread(code)) else {
        return;
    };
    if form.fits(code.value.trim()) {
        return;
    }
    out.push(
        Diagnostic::error(
            Code::GdprIdentity,
            SITE,
            code.pos,
            format!(
                "the postal code `{}` does not have the form of a postal code of `{country}`, \
                 the company's country (GDPR Art. 13(1)(a))",
                code.value
            ),
        )
        .hint(format!(
            "a postal code of `{country}` is {}, e.g. `{}`; or correct \
             `company.address.country`",
            form.form, form.example
        )),
        ["company"],
    );
}

fn phone_number(number: &Str, country: &str, out: &mut Out) {
    let Some(own) = identity::calling_code(country) else {
        return;
    };
    let Some((dialled, digits)) = identity::dialled_country(number.value.trim()) else {
        return;
    };
    if digits.starts_with(own) {
        return;
    }
    let whose = dialled.map_or_else(
        || "a country outside the EEA".to_owned(),
        |c| format!("`{c}`"),
    );
    out.push(
        Diagnostic::warning(
            Code::GdprIdentity,
            SITE,
            number.pos,
            format!(
                "the phone number `{}` is a number of {whose}, not of `{country}`, the company's \
                 country (GDPR Art. 13(1)(a))",
                number.value
            ),
        )
        .hint(format!(
            "a phone number of `{country}` starts with +{own}; if the company is reached on this \
             number abroad, waive the rule for `company` with the reason"
        )),
        ["company"],
    );
}
