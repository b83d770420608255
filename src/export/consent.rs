//! The consent banner polis configures: vanilla-cookieconsent v3 (orestbida/cookieconsent, MIT,
//! on npm as `vanilla-cookieconsent`). `polis export consent` writes its configuration from the
//! cookie facts of site.yaml, and `polis scan` presses its buttons; both name its elements here,
//! once, as the library's own markup has them.

/// The library's root element, which holds both of its modals.
pub const ROOT: &str = "#cc-main";

/// The first layer's "accept all" button.
pub const ACCEPT_ALL: &str = "#cc-main .cm [data-role=\"all\"]";

/// The first layer's "reject all" button (the library's "accept necessary").
pub const REJECT_ALL: &str = "#cc-main .cm [data-role=\"necessary\"]";

/// The button of the first layer that opens the preferences modal.
pub const SHOW_PREFERENCES: &str = "#cc-main .cm [data-role=\"show\"]";

/// The attribute and value that make any element of a page open the preferences modal.
pub const OPEN_PREFERENCES_ATTRIBUTE: (&str, &str) = ("data-cc", "show-preferencesModal");
