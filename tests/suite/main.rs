//! polis's integration tests, in one binary (as ripgrep and mdBook have them): polis is linked once,
//! not once per file. Each module is one subject; `support` is the harness they share.
//!
//! Run one subject with `cargo test --test suite build::`, one test by its name.

mod support;

mod architecture;
mod archive;
mod build;
mod check;
mod claims;
mod consent;
mod export;
mod habits;
mod hardening;
mod hostile;
mod hostile_values;
mod hugo;
mod init;
mod languages;
mod purposes;
mod register;
mod requirements;
mod scan;
mod schema;
mod serve;
mod truth;
mod validators;
mod wording;
mod zola;
