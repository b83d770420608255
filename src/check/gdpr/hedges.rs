//! The hedges of each language the vague-language lint knows (`vague`): a language is added
//! here by its words, as data.

/// Vague qualifiers (WP260 rev.01, paragraph 13), per locale: words that are vague wherever they
/// stand, and modal verbs that are vague when they hedge what is done with data.
pub(super) const VAGUE: &[(&str, &[&str], &[&str])] = &[
    (
        "en",
        &["some", "possible", "possibly", "certain"],
        &["may", "might"],
    ),
    (
        "nl",
        &["mogelijk", "mogelijke", "bepaalde", "eventueel"],
        &["kunnen", "kan", "kunt"],
    ),
    (
        "fr",
        &[
            "certain",
            "certaine",
            "certains",
            "certaines",
            "éventuel",
            "éventuelle",
            "éventuels",
            "éventuelles",
            "éventuellement",
            "possible",
            "possibles",
            "possiblement",
        ],
        &[
            "peut",
            "peuvent",
            "pourra",
            "pourront",
            "pourrait",
            "pourraient",
            "pouvons",
            "pourrons",
            "pourrions",
        ],
    ),
    (
        "de",
        &[
            "eventuell",
            "eventuelle",
            "eventuellen",
            "eventueller",
            "bestimmte",
            "bestimmten",
            "bestimmter",
            "bestimmtes",
            "gegebenenfalls",
            "ggf",
            "möglicherweise",
            "einige",
            "einigen",
            "einiger",
            "manche",
            "manchen",
        ],
        &["kann", "können", "könnte", "könnten", "dürfen"],
    ),
];

/// A modal verb hedges when its clause is about us or about the data: "we may share", "your data
/// may be shared". "Businesses that cannot pay" or "that could become customers" state a fact about
/// someone else, and are not what WP260 warns against.
pub(super) const HEDGED: &[(&str, &[&str])] = &[
    (
        "en",
        &["we", "data", "information", "details", "cookie", "cookies"],
    ),
    (
        "nl",
        &[
            "we",
            "wij",
            "gegevens",
            "persoonsgegevens",
            "informatie",
            "cookie",
            "cookies",
        ],
    ),
    (
        "fr",
        &[
            "nous",
            "données",
            "informations",
            "renseignements",
            "cookie",
            "cookies",
        ],
    ),
    (
        "de",
        &[
            "wir",
            "daten",
            "personenbezogene",
            "informationen",
            "angaben",
            "cookie",
            "cookies",
        ],
    ),
];
