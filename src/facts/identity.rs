//! The form of a controller's identity in each country polis names: how its company register
//! writes a number (with the check digits where the register has them), how its post writes a
//! postal code, and its telephone country code. A fact written in another country's form is a
//! fact of the wrong country, which the privacy policy would print as the controller's identity
//! (GDPR Art. 13(1)(a)).

/// A company register and the form of its numbers.
pub struct Register {
    /// ISO country code.
    pub country: &'static str,
    /// The register's number, named for the message: "a Belgian enterprise number (KBO/BCE)".
    pub name: &'static str,
    /// What the form is, for the hint.
    pub form: &'static str,
    /// A number of that form.
    pub example: &'static str,
    check: fn(&str) -> Verdict,
}

/// What a register says of a number.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The number has the register's form.
    Valid,
    /// Not the register's form at all.
    WrongForm,
    /// The register's form, but its check digits do not match: a digit is mistyped.
    WrongCheck,
}

impl Register {
    /// What the register says of `number`.
    pub fn verdict(&self, number: &str) -> Verdict {
        (self.check)(number)
    }
}

/// The registers polis knows, by country.
pub static REGISTERS: &[Register] = &[
    Register {
        country: "BE",
        name: "a Belgian enterprise number (KBO/BCE)",
        form: "10 digits, the first 0 or 1, the last two the check digits (97 minus the first \
               eight modulo 97)",
        example: "BE 0712.345.630",
        check: belgian_enterprise_number,
    },
    Register {
        country: "NL",
        name: "a Dutch Chamber of Commerce (KvK) number",
        form: "8 digits",
        example: "12345678",
        check: kvk_number,
    },
    Register {
        country: "DE",
        name: "a German commercial register (Handelsregister) number",
        form: "HRB or HRA and the number, after the register court if you like",
        example: "Amtsgericht München HRB 123456",
        check: handelsregister_number,
    },
    Register {
        country: "FR",
        name: "a French SIREN (or SIRET) number",
        form: "9 digits (14 for a SIRET) whose Luhn check holds, after `RCS` and the town if you \
               like",
        example: "RCS Paris 732 829 320",
        check: siren_number,
    },
    Register {
        country: "LU",
        name: "a Luxembourg trade register (RCS) number",
        form: "B and the number, after `RCS Luxembourg` if you like",
        example: "B123456",
        check: luxembourg_rcs_number,
    },
    Register {
        country: "AT",
        name: "an Austrian company register (Firmenbuch) number",
        form: "FN, the number and its check letter",
        example: "FN 123456a",
        check: firmenbuch_number,
    },
];

/// The register of companies in `country`, if polis knows its form.
pub fn register(country: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.country == country)
}

/// `number` without the words before its first digit (`BE`, `KvK`, `RCS Paris`), or `None` when
/// those words are not only letters, spaces and a colon.
fn after_words(number: &str) -> Option<&str> {
    let at = number.find(|c: char| c.is_ascii_digit())?;
    let (words, rest) = number.split_at(at);
    words
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == ':' || c == '.')
        .then_some(rest)
}

/// The digits of `rest`, if it holds only digits and the separators in `separators`.
fn digits(rest: &str, separators: &[char]) -> Option<Vec<u32>> {
    rest.chars()
        .filter(|c| !separators.contains(c))
        .map(|c| c.to_digit(10))
        .collect()
}

fn belgian_enterprise_number(number: &str) -> Verdict {
    let words = number
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or("");
    let Some(rest) = after_words(number).filter(|_| ["", "BE", "BE "].contains(&words)) else {
        return Verdict::WrongForm;
    };
    match digits(rest, &[' ', '.']) {
        Some(d) if d.len() == 10 && d[0] <= 1 => {
            let body = d[..8].iter().fold(0u64, |n, &x| n * 10 + u64::from(x));
            let check = u64::from(d[8] * 10 + d[9]);
            if 97 - body % 97 == check {
                Verdict::Valid
            } else {
                Verdict::WrongCheck
            }
        }
        _ => Verdict::WrongForm,
    }
}

fn kvk_number(number: &str) -> Verdict {
    let words = number
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or("");
    let words = words.trim_end_matches([' ', ':']);
    match after_words(number).and_then(|rest| digits(rest, &[' ', '.'])) {
        Some(d) if d.len() == 8 && ["", "KvK", "KVK"].contains(&words) => Verdict::Valid,
        _ => Verdict::WrongForm,
    }
}

fn handelsregister_number(number: &str) -> Verdict {
    let mut words = number.split_whitespace();
    let found = words.by_ref().any(|w| w == "HRB" || w == "HRA");
    let rest: Vec<&str> = words.collect();
    let valid = match rest.as_slice() {
        [n] | [n, _] => n.len() <= 6 && n.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    // Berlin's numbers end in a B: `HRB 12345 B`.
    let suffix_ok = rest.get(1).is_none_or(|s| s.len() == 1);
    if found && valid && suffix_ok {
        Verdict::Valid
    } else {
        Verdict::WrongForm
    }
}

fn siren_number(number: &str) -> Verdict {
    match after_words(number).and_then(|rest| digits(rest, &[' '])) {
        Some(d) if d.len() == 9 || d.len() == 14 => {
            if luhn(&d) {
                Verdict::Valid
            } else {
                Verdict::WrongCheck
            }
        }
        _ => Verdict::WrongForm,
    }
}

/// The Luhn check: doubling every second digit from the right, the sum is a multiple of 10.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| match (i % 2, d * 2) {
            (0, _) => d,
            (_, twice) if twice > 9 => twice - 9,
            (_, twice) => twice,
        })
        .sum();
    sum.is_multiple_of(10)
}

fn luxembourg_rcs_number(number: &str) -> Verdict {
    let number = number
        .strip_prefix("RCS Luxembourg")
        .unwrap_or(number)
        .trim_start();
    let Some(rest) = number.strip_prefix('B') else {
        return Verdict::WrongForm;
    };
    match digits(rest.trim_start(), &[]) {
        Some(d) if (1..=6).contains(&d.len()) => Verdict::Valid,
        _ => Verdict::WrongForm,
    }
}

fn firmenbuch_number(number: &str) -> Verdict {
    let number = number.strip_prefix("FN").unwrap_or(number).trim_start();
    let Some((last, rest)) = number
        .chars()
        .last()
        .map(|c| (c, &number[..number.len() - 1]))
    else {
        return Verdict::WrongForm;
    };
    match digits(rest.trim_end(), &[]) {
        Some(d) if (1..=6).contains(&d.len()) && last.is_ascii_lowercase() => Verdict::Valid,
        _ => Verdict::WrongForm,
    }
}

/// The form of the postal codes of a country.
pub struct PostalCode {
    /// ISO country code.
    pub country: &'static str,
    /// What the form is, for the hint.
    pub form: &'static str,
    /// A code of that form.
    pub example: &'static str,
    check: fn(&str) -> bool,
}

impl PostalCode {
    /// Whether `code` has this form.
    pub fn fits(&self, code: &str) -> bool {
        (self.check)(code)
    }
}

/// The postal codes polis knows the form of, by country.
pub static POSTAL_CODES: &[PostalCode] = &[
    PostalCode {
        country: "BE",
        form: "4 digits",
        example: "9000",
        check: |c| four_digits(c),
    },
    PostalCode {
        country: "NL",
        form: "4 digits and 2 capital letters",
        example: "1012 AB",
        check: dutch_postal_code,
    },
    PostalCode {
        country: "DE",
        form: "5 digits",
        example: "80331",
        check: |c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()),
    },
    PostalCode {
        country: "FR",
        form: "5 digits",
        example: "75001",
        check: |c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()),
    },
    PostalCode {
        country: "LU",
        form: "4 digits, after `L-` if you like",
        example: "L-1111",
        check: |c| four_digits(c.strip_prefix("L-").unwrap_or(c)),
    },
    PostalCode {
        country: "AT",
        form: "4 digits",
        example: "1010",
        check: |c| four_digits(c),
    },
];

fn four_digits(code: &str) -> bool {
    code.len() == 4 && !code.starts_with('0') && code.bytes().all(|b| b.is_ascii_digit())
}

fn dutch_postal_code(code: &str) -> bool {
    let Some((digits, letters)) = code.split_at_checked(4) else {
        return false;
    };
    let letters = letters.strip_prefix(' ').unwrap_or(letters);
    four_digits(digits) && letters.len() == 2 && letters.bytes().all(|b| b.is_ascii_uppercase())
}

/// The form of postal codes in `country`, if polis knows it.
pub fn postal_code(country: &str) -> Option<&'static PostalCode> {
    POSTAL_CODES.iter().find(|p| p.country == country)
}

/// The telephone country code of each EEA country (ITU-T E.164).
pub static CALLING_CODES: &[(&str, &str)] = &[
    ("AT", "43"),
    ("BE", "32"),
    ("BG", "359"),
    ("CY", "357"),
    ("CZ", "420"),
    ("DE", "49"),
    ("DK", "45"),
    ("EE", "372"),
    ("ES", "34"),
    ("FI", "358"),
    ("FR", "33"),
    ("GR", "30"),
    ("HR", "385"),
    ("HU", "36"),
    ("IE", "353"),
    ("IT", "39"),
    ("LT", "370"),
    ("LU", "352"),
    ("LV", "371"),
    ("MT", "356"),
    ("NL", "31"),
    ("PL", "48"),
    ("PT", "351"),
    ("RO", "40"),
    ("SE", "46"),
    ("SI", "386"),
    ("SK", "421"),
    ("IS", "354"),
    ("LI", "423"),
    ("NO", "47"),
];

/// The telephone country code of `country` (`32`), if polis knows it.
pub fn calling_code(country: &str) -> Option<&'static str> {
    CALLING_CODES
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, code)| *code)
}

/// The country code a number dialled from abroad starts with, if it is written so (`+32 9 ...`,
/// `0032 9 ...`) and the code is one polis knows; and the digits after `+` otherwise.
pub fn dialled_country(number: &str) -> Option<(Option<&'static str>, String)> {
    let international = number
        .strip_prefix('+')
        .or_else(|| number.strip_prefix("00"))?;
    let digits: String = international
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();
    let country = CALLING_CODES
        .iter()
        .find(|(_, code)| digits.starts_with(code))
        .map(|(c, _)| *c);
    Some((country, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(country: &str, number: &str) -> Verdict {
        register(country).expect("a register").verdict(number)
    }

    #[test]
    fn a_belgian_enterprise_number_has_its_check_digits() {
        for valid in [
            "BE 0712.345.630",
            "BE 0123.456.749",
            "0712.345.630",
            "BE0712345630",
        ] {
            assert_eq!(verdict("BE", valid), Verdict::Valid, "{valid}");
        }
        assert_eq!(verdict("BE", "BE 0712.345.678"), Verdict::WrongCheck);
        assert_eq!(verdict("BE", "BE 0123.456.789"), Verdict::WrongCheck);
        for wrong in [
            "BE 2712.345.630",
            "712.345.630",
            "NL 0712.345.630",
            "12345678",
        ] {
            assert_eq!(verdict("BE", wrong), Verdict::WrongForm, "{wrong}");
        }
    }

    #[test]
    fn each_register_has_its_form() {
        for r in REGISTERS {
            assert_eq!(r.verdict(r.example), Verdict::Valid, "{}", r.country);
        }
        for (country, valid) in [
            ("NL", "KvK 12345678"),
            ("DE", "HRB 12345"),
            ("DE", "Amtsgericht Charlottenburg HRB 12345 B"),
            ("FR", "732 829 320"),
            ("FR", "73282932000074"),
            ("LU", "RCS Luxembourg B 123456"),
            ("AT", "123456a"),
        ] {
            assert_eq!(verdict(country, valid), Verdict::Valid, "{country} {valid}");
        }
        for (country, wrong) in [
            ("NL", "BE 0712.345.630"),
            ("NL", "1234567"),
            ("DE", "12345"),
            ("DE", "HRC 12345"),
            ("LU", "123456"),
            ("AT", "FN 123456"),
            ("FR", "BE 0712.345.630"),
        ] {
            assert_eq!(
                verdict(country, wrong),
                Verdict::WrongForm,
                "{country} {wrong}"
            );
        }
        assert_eq!(verdict("FR", "732 829 321"), Verdict::WrongCheck);
    }

    #[test]
    fn each_postal_code_has_its_form() {
        for p in POSTAL_CODES {
            assert!(p.fits(p.example), "{}", p.country);
        }
        let fits = |c: &str, code: &str| postal_code(c).unwrap().fits(code);
        assert!(fits("NL", "1012AB") && !fits("NL", "9000") && !fits("NL", "1012 ab"));
        assert!(!fits("BE", "90000") && !fits("DE", "9000") && fits("LU", "1111"));
    }

    #[test]
    fn a_number_dialled_from_abroad_names_its_country() {
        assert_eq!(
            dialled_country("+32 9 123 45 67"),
            Some((Some("BE"), "3291234567".to_owned()))
        );
        assert_eq!(
            dialled_country("00352 12 34").map(|d| d.0),
            Some(Some("LU"))
        );
        assert_eq!(dialled_country("+1 212 555 0100").map(|d| d.0), Some(None));
        assert_eq!(dialled_country("09 123 45 67"), None);
        assert_eq!(calling_code("NL"), Some("31"));
    }
}
