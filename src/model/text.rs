//! Text a reader sees, as site.yaml gives it: one text for every language (`name: Lumen`), or one
//! per language (`city: { nl: Gent, en: Ghent }`), each value with the place it is written at, so
//! that a finding about a word of it can point at the word.

use super::Str;
use crate::diagnostics::Pos;

/// Text a reader sees, and where site.yaml writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    /// The text, in every language or in each.
    pub text: Localized,
    /// Where the value is written (the mapping, for one text per language).
    pub pos: Pos,
}

/// One text for every language, or one per language.
#[derive(Debug, Clone, PartialEq)]
pub enum Localized {
    /// The same text in every language.
    Same(Str),
    /// One text per language, in the order written. Decoding has checked that every language of
    /// the site has one; a text that failed to decode has none.
    PerLocale(Vec<(String, Str)>),
}

impl Default for Localized {
    /// No text at all: what a value of the wrong type decodes to.
    fn default() -> Self {
        Localized::PerLocale(Vec::new())
    }
}

impl Text {
    /// One text for every language, written at `pos`.
    pub fn same(value: Str) -> Self {
        let pos = value.pos;
        Text {
            text: Localized::Same(value),
            pos,
        }
    }

    /// The text for `locale`, with where it is written.
    pub fn value(&self, locale: &str) -> Option<&Str> {
        match &self.text {
            Localized::Same(value) => Some(value),
            Localized::PerLocale(values) => {
                values.iter().find(|(l, _)| l == locale).map(|(_, v)| v)
            }
        }
    }

    /// The text for `locale`; empty when it has none (decoding reported that).
    pub fn get(&self, locale: &str) -> &str {
        self.value(locale).map_or("", |v| v.value.as_str())
    }

    /// Every text written, for checks that look at all languages at once.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.written().map(|(_, v)| v.value.as_str())
    }

    /// Every text written, with its language (`None` for the one text of every language).
    pub fn written(&self) -> impl Iterator<Item = (Option<&str>, &Str)> {
        let (same, each) = match &self.text {
            Localized::Same(value) => (Some(value), &[][..]),
            Localized::PerLocale(values) => (None, values.as_slice()),
        };
        same.map(|v| (None, v))
            .into_iter()
            .chain(each.iter().map(|(l, v)| (Some(l.as_str()), v)))
    }
}
