//! The closed sets of site.yaml's values that have a key (`legal_obligation`): each declared once
//! by [`keyed!`], which gives the key, the parse back from it, the table decode offers as the
//! choices, and serializes the value as its key.

/// Declares an enum whose variants each have a key, in site.yaml and the locale packs alike.
///
/// From one list of `Variant = "key"` it gives `ALL` (every `(key, variant)`, in the order
/// written: the order decode lists the choices in), `key()`, `parse()` and `Serialize` as the key.
macro_rules! keyed {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $key:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every value with its key, in the order they are listed.
            pub const ALL: [(&'static str, $name); <[&str]>::len(&[$($key),+])] =
                [$(($key, $name::$variant)),+];

            /// Its key in site.yaml and in locale packs.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// The value whose key is `key`.
            pub fn parse(key: &str) -> Option<Self> {
                match key {
                    $($key => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.key())
            }
        }
    };
}
pub(super) use keyed;

keyed! {
    /// The six legal bases of GDPR Art. 6(1), in the order of the article.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
    pub enum LegalBasis {
        /// (a) consent.
        #[default]
        Consent = "consent",
        /// (b) performance of a contract.
        Contract = "contract",
        /// (c) legal obligation.
        LegalObligation = "legal_obligation",
        /// (d) vital interests.
        VitalInterests = "vital_interests",
        /// (e) public task.
        PublicTask = "public_task",
        /// (f) legitimate interests.
        LegitimateInterests = "legitimate_interests",
    }
}

keyed! {
    /// How a transfer outside the EEA is safeguarded (GDPR chapter V).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum Safeguard {
        /// Art. 45 adequacy decision.
        #[default]
        Adequacy = "adequacy",
        /// Art. 45, EU-US Data Privacy Framework.
        DataPrivacyFramework = "data_privacy_framework",
        /// Art. 46(2)(c).
        StandardContractualClauses = "standard_contractual_clauses",
        /// Art. 47.
        BindingCorporateRules = "binding_corporate_rules",
        /// Art. 46(2)(e).
        CodeOfConduct = "code_of_conduct",
        /// Art. 46(2)(f).
        Certification = "certification",
        /// Art. 49.
        Derogation = "derogation",
    }
}

keyed! {
    /// Where a category of recipients processes data, when it is not one country.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum Region {
        /// Within the EEA.
        #[default]
        Eea = "eea",
        /// Outside the EEA.
        Outside = "outside_eea",
        /// Mostly within the EEA, some outside.
        MostlyEea = "mostly_eea",
    }
}

keyed! {
    /// The usual cookie categories of consent platforms, in the order a policy lists them.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
    pub enum CookieCategory {
        /// Strictly necessary: no consent needed.
        #[default]
        Necessary = "necessary",
        /// Preferences / functional.
        Preferences = "preferences",
        /// Statistics / analytics.
        Statistics = "statistics",
        /// Marketing.
        Marketing = "marketing",
    }
}

keyed! {
    /// The signals of Google Consent Mode v2 a cookie category can grant (`cookies.consent_mode`).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
    pub enum ConsentSignal {
        /// Storage for advertising.
        #[default]
        AdStorage = "ad_storage",
        /// Sending data about the visitor to Google for advertising.
        AdUserData = "ad_user_data",
        /// Personalised advertising.
        AdPersonalization = "ad_personalization",
        /// Storage for analytics, such as visit duration.
        AnalyticsStorage = "analytics_storage",
        /// Storage for the website's functions, such as its language.
        FunctionalityStorage = "functionality_storage",
        /// Storage for personalisation, such as recommendations.
        PersonalizationStorage = "personalization_storage",
        /// Storage for security, such as authentication and fraud prevention.
        SecurityStorage = "security_storage",
    }
}

impl ConsentSignal {
    /// Whether the signal is one of advertising (`ad_*`).
    pub fn is_advertising(self) -> bool {
        matches!(
            self,
            ConsentSignal::AdStorage | ConsentSignal::AdUserData | ConsentSignal::AdPersonalization
        )
    }
}

keyed! {
    /// Cookies and the techniques the cookie rules also cover.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum CookieKind {
        /// An HTTP cookie.
        #[default]
        Cookie = "cookie",
        /// The browser's local storage.
        LocalStorage = "local_storage",
        /// A tracking pixel.
        Pixel = "pixel",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_back_to_its_value() {
        for (key, basis) in LegalBasis::ALL {
            assert_eq!(basis.key(), key);
            assert_eq!(LegalBasis::parse(key), Some(basis));
        }
        for (key, safeguard) in Safeguard::ALL {
            assert_eq!(Safeguard::parse(safeguard.key()), Some(safeguard), "{key}");
        }
        for (key, region) in Region::ALL {
            assert_eq!(Region::parse(region.key()), Some(region), "{key}");
        }
        for (key, category) in CookieCategory::ALL {
            assert_eq!(
                CookieCategory::parse(category.key()),
                Some(category),
                "{key}"
            );
        }
        for (key, kind) in CookieKind::ALL {
            assert_eq!(CookieKind::parse(kind.key()), Some(kind), "{key}");
        }
        assert_eq!(LegalBasis::ALL.len(), 6);
        assert_eq!(LegalBasis::parse("Consent"), None);
        assert_eq!(Region::parse("outside"), None);
    }

    #[test]
    fn a_value_serializes_as_its_key() {
        assert_eq!(
            serde_json::to_string(&Region::Outside).unwrap(),
            "\"outside_eea\""
        );
        assert_eq!(
            serde_json::to_string(&[LegalBasis::LegitimateInterests]).unwrap(),
            "[\"legitimate_interests\"]"
        );
    }
}
