//! The register's own words in one language, from the locale pack the pages were written with
//! (`register:` in themes/default/i18n/*.yaml), in the variant of the company's country: the
//! title, the columns named after the points of Art. 30(1), the security measures named as a
//! record names them. A language is files here too, so a pack that lacks one of them makes the
//! export fail, naming each key, rather than print a column in another language.

use crate::render::Pack;

/// The keys of `register.columns`, in the order of the columns: Art. 30(1)(a) to (g).
pub(super) const COLUMNS: [&str; 10] = [
    "controller",
    "dpo",
    "purpose",
    "basis",
    "subjects",
    "data",
    "recipients",
    "transfers",
    "retention",
    "security",
];

/// The register's words in one language.
pub(super) struct Words<'a> {
    /// "Register van verwerkingsactiviteiten".
    pub(super) title: String,
    /// The sentence under the title, `{controller}` filled in by the record.
    pub(super) intro: String,
    /// "Stand op {date}".
    pub(super) date: String,
    /// The worksheet's name.
    pub(super) sheet: String,
    /// The CSV's separator: `;` where the spreadsheets of the language split on it.
    pub(super) csv_separator: u8,
    /// The word for no recipient, no transfer, no measure.
    pub(super) none: String,
    /// That no data protection officer is appointed.
    pub(super) no_dpo: String,
    /// The label of the company's register number (`words.enterprise_number`: "KvK-nummer").
    pub(super) enterprise_number: String,
    /// The column names, in the order of [`COLUMNS`].
    pub(super) columns: [String; 10],
    /// The pack itself, for the measures by key (`register.measures.<key>`).
    pack: Pack<'a>,
}

impl<'a> Words<'a> {
    /// The words of `pack`, or every key it lacks.
    pub(super) fn new(pack: Pack<'a>) -> Result<Words<'a>, Vec<String>> {
        let mut lacking = Vec::new();
        let mut get = |path: &str| {
            pack.scalar(path).unwrap_or_else(|| {
                lacking.push(path.to_owned());
                String::new()
            })
        };
        let title = get("register.title");
        let intro = get("register.intro");
        let date = get("register.date");
        let sheet = get("register.sheet");
        let separator = get("register.csv_separator");
        let none = get("register.none");
        let no_dpo = get("register.no_dpo");
        let enterprise_number = get("words.enterprise_number");
        let columns = COLUMNS.map(|c| get(&format!("register.columns.{c}")));
        let csv_separator = match separator.as_bytes() {
            [b] if b.is_ascii_punctuation() => *b,
            _ => {
                if !lacking.iter().any(|k| k == "register.csv_separator") {
                    lacking.push("register.csv_separator (one character: `;` or `,`)".to_owned());
                }
                b','
            }
        };
        if !lacking.is_empty() {
            return Err(lacking);
        }
        Ok(Words {
            title,
            intro,
            date,
            sheet,
            csv_separator,
            none,
            no_dpo,
            enterprise_number,
            columns,
            pack,
        })
    }

    /// A measure polis knows, named as a record names it; `None` when the pack lacks it.
    pub(super) fn measure(&self, key: &str) -> Option<String> {
        self.pack.scalar(&format!("register.measures.{key}"))
    }
}
