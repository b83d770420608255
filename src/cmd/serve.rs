//! `polis serve`, and the rebuild it runs in a process of its own (`polis __serve-build`).

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use super::{Failure, pipeline};

/// Serves the site in `root` until Ctrl-C.
pub(super) fn serve(
    root: &Path,
    port: u16,
    bind: IpAddr,
    open: bool,
    debounce: u64,
) -> Result<(), Failure> {
    // Each rebuild runs in a process of its own: no content can take the server down.
    let options = polis::serve::Options {
        bind,
        port,
        open,
        debounce: Duration::from_millis(debounce),
        builder: std::env::current_exe().ok(),
    };
    polis::serve::serve(root, options).map_err(Failure::Serve)
}

/// One rebuild for the server: the outcome, written to stdout for it to read.
pub(super) fn rebuild(root: &Path) -> Result<(), Failure> {
    let report = |outcome: &polis::Outcome| match polis::serve::child::report(outcome) {
        Ok(()) => 0,
        Err(_) => 2,
    };
    let outcome = pipeline(root, polis::run, Box::new(report));
    polis::serve::child::report(outcome).map_err(Failure::Io)
}
