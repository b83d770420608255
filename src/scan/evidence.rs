//! Observations collected elsewhere: a HAR file, or the `inspection.json` of the EDPS Website
//! Evidence Collector.

use std::path::Path;

use super::ScanError;
use super::findings::Observations;

/// The observations of the evidence in `file`.
pub fn read(file: &Path) -> Result<Observations, ScanError> {
    Err(ScanError::Evidence(format!(
        "cannot read {}",
        file.display()
    )))
}
