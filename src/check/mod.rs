//! The checks: what the GDPR requires of site.yaml, whenever it parses as YAML, and what finished
//! pages must not show, once a site renders without errors.
//!
//! Two families share nothing, so `run` runs them side by side: `pages` finds what a reader should
//! not see (leftover placeholders, broken links), and `gdpr` checks that site.yaml declares, and the
//! policies say, what the GDPR requires, rule by rule, with the site's waivers.

mod gdpr;
mod pages;

pub(crate) use gdpr::lint as gdpr;
pub(crate) use pages::lint as pages;
