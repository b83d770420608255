//! The checks on finished pages, which run only once a site renders without errors.
//!
//! Two families read the same pages and share nothing else, so `run` runs them side by side:
//! `pages` finds what a reader should not see (leftover placeholders, broken links), and `gdpr`
//! checks that the policies say what the GDPR requires, rule by rule, with the site's waivers.

mod gdpr;
mod pages;

pub(crate) use gdpr::lint as gdpr;
pub(crate) use pages::lint as pages;
