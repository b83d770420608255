//! Dates and periods as site.yaml writes them (`2026-03-01`, `12 months`, `session`).

use super::choice::keyed;

/// A calendar date, as written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// `2026-03-01`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The date written `YYYY-MM-DD`, if it is one (a day the month has).
    pub fn parse(s: &str) -> Option<Date> {
        let [y, m, d] = s.split('-').collect::<Vec<_>>()[..] else {
            return None;
        };
        if y.len() != 4
            || m.len() != 2
            || d.len() != 2
            || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return None;
        }
        let (year, month, day) = (
            y.parse::<u16>().ok()?,
            m.parse::<u8>().ok()?,
            d.parse::<u8>().ok()?,
        );
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How long something lasts: a number of units, or until the browser closes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Period {
    /// Until the browser closes (cookies only).
    #[default]
    Session,
    /// A number of units.
    Span(u32, Unit),
}

impl Period {
    /// The period as site.yaml writes it: "1 month", "12 months", "30 days", and, where
    /// `session_allowed`, "session". Case and spaces around it do not matter.
    pub fn parse(s: &str, session_allowed: bool) -> Option<Period> {
        let v = s.trim().to_ascii_lowercase();
        if session_allowed && v == "session" {
            return Some(Period::Session);
        }
        let mut words = v.split_whitespace();
        match (
            words.next().and_then(|n| n.parse::<u32>().ok()),
            words.next(),
            words.next(),
        ) {
            (Some(n), Some(unit), None) if n > 0 => {
                let unit = Unit::parse(unit.trim_end_matches('s'))?;
                Some(Period::Span(n, unit))
            }
            _ => None,
        }
    }
}

/// "session", "1 month", "12 months": as site.yaml writes it, and as [`Period::parse`] reads it.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Session => f.write_str("session"),
            Period::Span(n, unit) => {
                write!(f, "{n} {}{}", unit.key(), if *n == 1 { "" } else { "s" })
            }
        }
    }
}

keyed! {
    /// The units a period is written in, shortest first; the key is also the unit's key in a
    /// locale pack (`units.month`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Unit {
        /// Minutes.
        Minute = "minute",
        /// Hours.
        Hour = "hour",
        /// Days.
        Day = "day",
        /// Weeks.
        Week = "week",
        /// Months.
        Month = "month",
        /// Years.
        Year = "year",
    }
}
