//! Facts of law polis knows without being told: which countries are in the EEA, and which
//! supervisory authority hears complaints in each (../shared/reference/gdpr-checklist.md), and the
//! form of a company's identity in each country (`identity`).

pub mod identity;

/// The EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway.
pub const EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
];

/// Whether data sent to `country` stays in the EEA.
pub fn in_eea(country: &str) -> bool {
    EEA.contains(&country)
}

/// A country as ISO 3166-1 writes it: two upper-case ASCII letters (`BE`). The one test of that
/// form: decoding reports a value that fails it, and every later step asks [`CountryCode::parse`]
/// rather than repeating the test, so a placeholder or a typo is never taken for a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The code written as `s`, if `s` has the form of one (it need not be assigned by ISO).
    pub fn parse(s: &str) -> Option<Self> {
        match *s.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some(CountryCode([a, b])),
            _ => None,
        }
    }

    /// The code as written (`BE`).
    pub fn as_str(&self) -> &str {
        // Two ASCII letters, checked by `parse`, are always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Whether data sent to this country stays in the EEA.
    pub fn in_eea(self) -> bool {
        in_eea(self.as_str())
    }

    /// The authority for a company established in this country, if polis knows one.
    pub fn authority(self) -> Option<&'static Authority> {
        authority(self.as_str())
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Data categories the locale packs name and describe, so a site can list them by key alone.
pub const KNOWN_DATA_CATEGORIES: &[&str] = &[
    "contact",
    "technical",
    "browsing",
    "billing",
    "creditworthiness",
    "correspondence",
    "prospects",
    "applicants",
    "newsletter",
];

/// Security measures the locale packs word (`security.<key>`), so a site can name them by key.
pub const KNOWN_MEASURES: &[&str] = &[
    "access_control",
    "personal_accounts",
    "two_factor",
    "encryption_in_transit",
    "encryption_at_rest",
    "backups",
    "updates",
    "firewall",
    "confidentiality",
    "training",
    "pseudonymisation",
    "logging",
];

/// A supervisory authority for complaints (GDPR Art. 77), by its own name and website. Its name
/// and website in a reader's language are words, and live in the locale packs
/// (`authorities.<country>.name`, `.url`), so a language added by files can give them too.
pub struct Authority {
    /// ISO country code.
    pub country: &'static str,
    /// Its name, in its own language: what a pack without `authorities.<country>.name` shows.
    pub name: &'static str,
    /// Its website, where a pack gives none of its own.
    pub url: &'static str,
    /// Postal address, where checked.
    pub address: Option<&'static str>,
    /// E-mail, where checked.
    pub email: Option<&'static str>,
}

macro_rules! authority {
    ($c:literal, $name:literal, $url:literal) => {
        Authority {
            country: $c,
            name: $name,
            url: $url,
            address: None,
            email: None,
        }
    };
}

/// The authority of each EEA country whose companies answer to one national authority (Germany's
/// answer to their Land's, [`GERMAN_LAENDER`]: the federal one hears no complaint about a
/// company). Only BE and NL were checked against the authorities' own pages; a site can override
/// any of them with `authority:` in site.yaml.
pub static AUTHORITIES: &[Authority] = &[
    Authority {
        country: "BE",
        name: "Gegevensbeschermingsautoriteit (GBA)",
        url: "https://www.gegevensbeschermingsautoriteit.be",
        address: Some("Drukpersstraat 35, 1000 Brussel"),
        email: Some("contact@apd-gba.be"),
    },
    Authority {
        country: "NL",
        name: "Autoriteit Persoonsgegevens (AP)",
        url: "https://autoriteitpersoonsgegevens.nl",
        address: Some("Postbus 93374, 2509 AJ Den Haag"),
        email: None,
    },
    authority!(
        "AT",
        "Österreichische Datenschutzbehörde",
        "https://www.dsb.gv.at"
    ),
    authority!(
        "BG",
        "Commission for Personal Data Protection",
        "https://www.cpdp.bg"
    ),
    authority!(
        "CY",
        "Commissioner for Personal Data Protection",
        "https://www.dataprotection.gov.cy"
    ),
    authority!(
        "CZ",
        "Úřad pro ochranu osobních údajů",
        "https://www.uoou.cz"
    ),
    authority!("DK", "Datatilsynet", "https://www.datatilsynet.dk"),
    authority!("EE", "Andmekaitse Inspektsioon", "https://www.aki.ee"),
    authority!(
        "ES",
        "Agencia Española de Protección de Datos",
        "https://www.aepd.es"
    ),
    authority!(
        "FI",
        "Tietosuojavaltuutetun toimisto",
        "https://tietosuoja.fi"
    ),
    authority!(
        "FR",
        "Commission Nationale de l'Informatique et des Libertés (CNIL)",
        "https://www.cnil.fr"
    ),
    authority!(
        "GR",
        "Hellenic Data Protection Authority",
        "https://www.dpa.gr"
    ),
    authority!(
        "HR",
        "Agencija za zaštitu osobnih podataka (AZOP)",
        "https://azop.hr"
    ),
    authority!(
        "HU",
        "Nemzeti Adatvédelmi és Információszabadság Hatóság (NAIH)",
        "https://naih.hu"
    ),
    authority!(
        "IE",
        "Data Protection Commission",
        "https://www.dataprotection.ie"
    ),
    authority!("IS", "Persónuvernd", "https://www.personuvernd.is"),
    authority!(
        "IT",
        "Garante per la protezione dei dati personali",
        "https://www.garanteprivacy.it"
    ),
    authority!(
        "LI",
        "Datenschutzstelle",
        "https://www.datenschutzstelle.li"
    ),
    authority!(
        "LT",
        "Valstybinė duomenų apsaugos inspekcija",
        "https://vdai.lrv.lt"
    ),
    authority!(
        "LU",
        "Commission nationale pour la protection des données (CNPD)",
        "https://cnpd.public.lu"
    ),
    authority!("LV", "Datu valsts inspekcija", "https://www.dvi.gov.lv"),
    authority!(
        "MT",
        "Information and Data Protection Commissioner",
        "https://idpc.org.mt"
    ),
    authority!("NO", "Datatilsynet", "https://www.datatilsynet.no"),
    authority!(
        "PL",
        "Urząd Ochrony Danych Osobowych (UODO)",
        "https://uodo.gov.pl"
    ),
    authority!(
        "PT",
        "Comissão Nacional de Proteção de Dados (CNPD)",
        "https://www.cnpd.pt"
    ),
    authority!(
        "RO",
        "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal (ANSPDCP)",
        "https://www.dataprotection.ro"
    ),
    authority!(
        "SE",
        "Integritetsskyddsmyndigheten (IMY)",
        "https://www.imy.se"
    ),
    authority!("SI", "Informacijski pooblaščenec", "https://www.ip-rs.si"),
    authority!(
        "SK",
        "Úrad na ochranu osobných údajov",
        "https://dataprotection.gov.sk"
    ),
];

/// The authority of a company in each German Land (`company.address.region`, ISO 3166-2 without
/// `DE-`): in Germany a company answers to the authority of the Land where it is established
/// (§ 40 BDSG), not to the federal one. Bavaria has one for companies (BayLDA) beside the one for
/// public bodies. Names without the article the office holder's gender gives them.
pub static GERMAN_LAENDER: &[Authority] = &[
    authority!(
        "DE-BW",
        "Landesbeauftragter für den Datenschutz und die Informationsfreiheit Baden-Württemberg",
        "https://www.baden-wuerttemberg.datenschutz.de"
    ),
    authority!(
        "DE-BY",
        "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)",
        "https://www.lda.bayern.de"
    ),
    authority!(
        "DE-BE",
        "Berliner Beauftragte für Datenschutz und Informationsfreiheit",
        "https://www.datenschutz-berlin.de"
    ),
    authority!(
        "DE-BB",
        "Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg",
        "https://www.lda.brandenburg.de"
    ),
    authority!(
        "DE-HB",
        "Landesbeauftragte für Datenschutz und Informationsfreiheit der Freien Hansestadt Bremen",
        "https://www.datenschutz.bremen.de"
    ),
    authority!(
        "DE-HH",
        "Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
        "https://datenschutz-hamburg.de"
    ),
    authority!(
        "DE-HE",
        "Hessischer Beauftragter für Datenschutz und Informationsfreiheit",
        "https://datenschutz.hessen.de"
    ),
    authority!(
        "DE-MV",
        "Landesbeauftragter für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern",
        "https://www.datenschutz-mv.de"
    ),
    authority!(
        "DE-NI",
        "Landesbeauftragte für den Datenschutz Niedersachsen",
        "https://www.lfd.niedersachsen.de"
    ),
    authority!(
        "DE-NW",
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)",
        "https://www.ldi.nrw.de"
    ),
    authority!(
        "DE-RP",
        "Landesbeauftragter für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz",
        "https://www.datenschutz.rlp.de"
    ),
    authority!(
        "DE-SL",
        "Unabhängiges Datenschutzzentrum Saarland",
        "https://www.datenschutz.saarland.de"
    ),
    authority!(
        "DE-SN",
        "Sächsische Datenschutz- und Transparenzbeauftragte",
        "https://www.datenschutz.sachsen.de"
    ),
    authority!(
        "DE-ST",
        "Landesbeauftragter für den Datenschutz Sachsen-Anhalt",
        "https://datenschutz.sachsen-anhalt.de"
    ),
    authority!(
        "DE-SH",
        "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein (ULD)",
        "https://www.datenschutzzentrum.de"
    ),
    authority!(
        "DE-TH",
        "Thüringer Landesbeauftragter für den Datenschutz und die Informationsfreiheit (TLfDI)",
        "https://www.tlfdi.de"
    ),
];

/// The countries whose companies answer to the authority of their region, and that region's
/// authorities: `company.address.region` names it.
pub static REGIONAL_AUTHORITIES: &[(&str, &[Authority])] = &[("DE", GERMAN_LAENDER)];

/// The authority of a company in `region` of `country` (`DE`, `BY`), if the country has
/// regional authorities and polis knows the region.
pub fn regional_authority(country: &str, region: &str) -> Option<&'static Authority> {
    let (_, table) = REGIONAL_AUTHORITIES.iter().find(|(c, _)| *c == country)?;
    table.iter().find(|a| {
        a.country
            .strip_prefix(country)
            .and_then(|r| r.strip_prefix('-'))
            == Some(region)
    })
}

/// The regions of `country` that have an authority of their own (`BW`, `BY`, ...), empty for a
/// country with one authority.
pub fn regions(country: &str) -> Vec<&'static str> {
    REGIONAL_AUTHORITIES
        .iter()
        .filter(|(c, _)| *c == country)
        .flat_map(|(_, table)| {
            table
                .iter()
                .filter_map(|a| a.country.split_once('-').map(|(_, r)| r))
        })
        .collect()
}

/// The authority for a company established in `country`, if polis knows one.
pub fn authority(country: &str) -> Option<&'static Authority> {
    AUTHORITIES.iter().find(|a| a.country == country)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_german_land_has_its_authority() {
        assert_eq!(regions("DE").len(), 16);
        assert!(regional_authority("DE", "BY").is_some_and(|a| a.name.contains("BayLDA")));
        assert!(regional_authority("DE", "XX").is_none());
        assert!(regional_authority("AT", "BY").is_none() && regions("AT").is_empty());
    }

    #[test]
    fn every_eea_country_has_an_authority_national_or_regional() {
        for c in EEA {
            assert!(authority(c).is_some() == regions(c).is_empty(), "{c}");
        }
    }

    #[test]
    fn a_country_code_is_two_upper_case_letters() {
        let be = CountryCode::parse("BE").unwrap();
        assert_eq!(be.as_str(), "BE");
        assert_eq!(be.to_string(), "BE");
        assert!(be.in_eea());
        assert!(be.authority().is_some());
        assert!(!CountryCode::parse("US").unwrap().in_eea());
        for not_a_code in ["be", "Be", "BEL", "B", "", "B1", "ÉÉ", "[country]"] {
            assert_eq!(CountryCode::parse(not_a_code), None, "{not_a_code}");
        }
    }
}
