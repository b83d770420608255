//! What one build may read in all. Each file is bounded by its own size limit, and the files
//! together by [`MAX_READ_BYTES`], so that many files of the largest size one may have (hundreds of
//! texts of 4 MiB, dozens of static files of 60 MiB) cannot take the build's memory. The archived
//! facts, which history holds parsed at many times the size of their text, have a smaller bound of
//! their own ([`MAX_FACTS_BYTES`]), counted in the total too.

use crate::diagnostics::{Code, Diagnostic, Pos};

/// The most bytes a build reads from a site folder: many times what a real site holds (a site of
/// 20,000 data categories and its archive is tens of megabytes), and an eighth of a build's memory.
pub const MAX_READ_BYTES: u64 = 256 << 20;

/// The most bytes of archived facts (every `archive/<date>/facts.json` together) a build reads:
/// parsed, they take about twenty times their size.
pub const MAX_FACTS_BYTES: u64 = 32 << 20;

/// Which bounds a file counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pool {
    /// The total alone.
    Any,
    /// The archived facts' bound and the total.
    Facts,
}

/// What is left to read.
#[derive(Debug)]
pub(super) struct Budget {
    read: u64,
    facts: u64,
}

impl Budget {
    /// The whole budget of one build.
    pub(super) fn new() -> Budget {
        Budget {
            read: MAX_READ_BYTES,
            facts: MAX_FACTS_BYTES,
        }
    }

    /// The most bytes a file of `pool` may still have.
    pub(super) fn left(&self, pool: Pool) -> u64 {
        match pool {
            Pool::Any => self.read,
            Pool::Facts => self.read.min(self.facts),
        }
    }

    /// Counts `bytes` read from a file of `pool`.
    pub(super) fn spend(&mut self, pool: Pool, bytes: u64) {
        self.read = self.read.saturating_sub(bytes);
        if pool == Pool::Facts {
            self.facts = self.facts.saturating_sub(bytes);
        }
    }

    /// The error for the file `rel`, of `len` bytes (or more), that passes what is left.
    pub(super) fn exceeded(&self, pool: Pool, rel: &str, len: u64) -> Diagnostic {
        let (what, bound) = if pool == Pool::Facts && self.facts < self.read {
            ("the archived facts", MAX_FACTS_BYTES)
        } else {
            ("the files of a site", MAX_READ_BYTES)
        };
        Diagnostic::error(
            Code::FileTooLarge,
            rel,
            Pos::default(),
            format!(
                "{rel} ({len} bytes) passes what polis reads of {what} in one build: {} MiB together",
                bound >> 20
            ),
        )
        .hint("no site needs this much; remove the files no page uses, or the large ones this file is among")
    }
}
