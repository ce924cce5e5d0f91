//! Entry points for the fuzz targets in `fuzz/` and the property tests in `tests/fuzz_props.rs`.
//! Hidden from the documentation and not part of the supported API: it may change at any time.
//!
//! A [`Checker`] loads the rules, catalog and schemas once and then runs the whole `check`
//! pipeline (discovery, reading, parsing, validation, rules, suppressions) on one file whose
//! bytes it is given, so that a fuzzer spends its time on the input rather than on setup.

use std::path::{Path, PathBuf};

use crate::check::{self, Setup};
use crate::error::Error;
use crate::options::Options;
use crate::report::Report;

/// Checks bytes as the one file of a run, with the built-in rules.
pub struct Checker {
    options: Options,
    setup: Setup,
    file: PathBuf,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker").field("file", &self.file).finish_non_exhaustive()
    }
}

impl Checker {
    /// A checker whose input file is `input.yaml` in `dir`, a directory the caller owns.
    ///
    /// # Errors
    /// When the built-in rules, catalog or schemas do not load, which is a bug.
    pub fn new(dir: &Path) -> Result<Self, Error> {
        let file = dir.join("input.yaml");
        let options = Options::new(vec![file.clone()], dir.to_path_buf());
        let setup = check::load_setup(&options)?;
        Ok(Self { options, setup, file })
    }

    /// Writes `bytes` to the input file and checks it.
    ///
    /// # Errors
    /// When the file cannot be written, or the run cannot be done at all.
    pub fn check(&self, bytes: &[u8]) -> Result<Report, Error> {
        std::fs::write(&self.file, bytes).map_err(|e| Error::Internal(format!("writing the input: {e}")))?;
        check::run_with(&self.options, &self.setup)
    }
}
