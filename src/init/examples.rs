//! The examples init's comments give, from the company's own country.

/// A town and a telephone number of `country` (its capital, as dialled from abroad), for the
/// examples in the comments: a Belgian company reads Belgian ones. The town is named in Dutch and
/// English, the languages polis ships; a country not listed gets neutral examples.
pub(super) fn local_examples(country: &str) -> (&'static str, &'static str, &'static str) {
    const EXAMPLES: &[(&str, &str, &str, &str)] = &[
        ("AT", "Wenen", "Vienna", "+43 1 234 56 78"),
        ("BE", "Brussel", "Brussels", "+32 2 123 45 67"),
        ("BG", "Sofia", "Sofia", "+359 2 123 4567"),
        ("CY", "Nicosia", "Nicosia", "+357 22 123456"),
        ("CZ", "Praag", "Prague", "+420 212 345 678"),
        ("DE", "Berlijn", "Berlin", "+49 30 1234567"),
        ("DK", "Kopenhagen", "Copenhagen", "+45 32 12 34 56"),
        ("EE", "Tallinn", "Tallinn", "+372 612 3456"),
        ("ES", "Madrid", "Madrid", "+34 912 345 678"),
        ("FI", "Helsinki", "Helsinki", "+358 9 123 4567"),
        ("FR", "Parijs", "Paris", "+33 1 23 45 67 89"),
        ("GR", "Athene", "Athens", "+30 21 1234 5678"),
        ("HR", "Zagreb", "Zagreb", "+385 1 234 5678"),
        ("HU", "Boedapest", "Budapest", "+36 1 234 5678"),
        ("IE", "Dublin", "Dublin", "+353 1 234 5678"),
        ("IS", "Reykjavik", "Reykjavik", "+354 512 3456"),
        ("IT", "Rome", "Rome", "+39 06 1234 5678"),
        ("LI", "Vaduz", "Vaduz", "+423 234 56 78"),
        ("LT", "Vilnius", "Vilnius", "+370 5 212 3456"),
        ("LU", "Luxemburg", "Luxembourg", "+352 27 12 34"),
        ("LV", "Riga", "Riga", "+371 6712 3456"),
        ("MT", "Valletta", "Valletta", "+356 2123 4567"),
        ("NL", "Den Haag", "The Hague", "+31 70 123 45 67"),
        ("NO", "Oslo", "Oslo", "+47 21 23 45 67"),
        ("PL", "Warschau", "Warsaw", "+48 22 123 45 67"),
        ("PT", "Lissabon", "Lisbon", "+351 21 123 4567"),
        ("RO", "Boekarest", "Bucharest", "+40 21 123 4567"),
        ("SE", "Stockholm", "Stockholm", "+46 8 123 456 78"),
        ("SI", "Ljubljana", "Ljubljana", "+386 1 234 56 78"),
        ("SK", "Bratislava", "Bratislava", "+421 2 1234 5678"),
    ];
    EXAMPLES.iter().find(|(code, ..)| *code == country).map_or(
        ("...", "...", "+<country code> <number>"),
        |&(_, nl, en, phone)| (nl, en, phone),
    )
}
