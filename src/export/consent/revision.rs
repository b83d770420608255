//! The banner's `revision`: 1, plus one for each version of the policies whose cookie facts
//! differ from the version before it, so that visitors are asked again after a material change
//! and not after a reworded sentence. A cookie added or removed is material, and so is a change
//! of who sets it, whose it is (party), its category or its duration; a new purpose text is not.

use crate::history::{History, Section, What};

/// The revision of the versions `history` knows, the one in effect included.
pub fn revision(history: &History) -> u32 {
    let material = history
        .steps
        .iter()
        .filter(|step| {
            step.changes.iter().any(|change| {
                change.section == Section::Cookies
                    && match &change.what {
                        What::Added | What::Removed => true,
                        What::Changed(fields) => fields.iter().any(|f| f.field.name() != "purpose"),
                    }
            })
        })
        .count();
    1 + u32::try_from(material).unwrap_or(u32::MAX - 1)
}
