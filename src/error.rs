//! The one error type for runs that cannot start or cannot finish: setup mistakes on the command
//! line, output that cannot be written, and faults in consentlint itself. Problems in the user's
//! files are never errors: they are diagnostics at their place.

use std::path::{Path, PathBuf};

/// Why consentlint could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Paths named on the command line that do not exist.
    #[error("path not found: {}", list(.0))]
    MissingPaths(Vec<PathBuf>),
    /// The configuration file named by `--config` does not exist.
    #[error("the configuration file `{}` does not exist", .0.display())]
    MissingConfig(PathBuf),
    /// consentlint's own inputs (the configuration, policies, catalogs, baseline) have problems,
    /// each a diagnostic at its place: nothing can be judged with them.
    #[error("{} in consentlint's own inputs", plural(.0.len()))]
    Inputs(Vec<crate::diagnostic::Diagnostic>),
    /// A `--select` or `--ignore` entry that matches no rule or code.
    #[error("unknown rule or code `{code}`")]
    UnknownCode {
        /// As given.
        code: String,
        /// A suggestion.
        help: String,
    },
    /// A file consentlint was asked to write.
    #[error("cannot write `{}`: {reason}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why, in lowercase words.
        reason: String,
    },
    /// Command-line options that cannot be used together or as given.
    #[error("{message}")]
    Usage {
        /// What is wrong, in the house style.
        message: String,
        /// What to do instead.
        help: String,
    },
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// Why.
        reason: String,
    },
    /// Data compiled into consentlint is broken: a bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// What the user can do about it.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            Self::MissingPaths(_) => Some("check the spelling, or run from the repository root".into()),
            Self::MissingConfig(_) => Some("check the path given to `--config`".into()),
            Self::UnknownCode { help, .. } | Self::Usage { help, .. } => Some(help.clone()),
            Self::Write { .. } | Self::Threads { .. } | Self::Inputs(_) => None,
            Self::Internal(_) => {
                Some("this is a bug in consentlint; please report it with the command that caused it".into())
            }
        }
    }

    /// A write error for `path`.
    #[must_use]
    pub fn write(path: &Path, error: &std::io::Error) -> Self {
        Self::Write { path: path.to_path_buf(), reason: crate::source::describe_io(error) }
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
}

fn plural(count: usize) -> String {
    if count == 1 { "1 problem".into() } else { format!("{count} problems") }
}
