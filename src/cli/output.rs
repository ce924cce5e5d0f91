//! The one writer every command prints through: standard output or `--output FILE`.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Where output goes.
pub(super) struct Output {
    writer: BufWriter<Box<dyn Write>>,
    terminal: bool,
}

impl Output {
    /// Standard output, or a new file at `path`.
    pub(super) fn open(path: Option<&PathBuf>) -> io::Result<Self> {
        match path {
            Some(path) => Ok(Self { writer: BufWriter::new(Box::new(create(path)?)), terminal: false }),
            None => {
                let stdout = io::stdout();
                let terminal = stdout.is_terminal();
                Ok(Self { writer: BufWriter::new(Box::new(stdout)), terminal })
            }
        }
    }

    /// Whether output goes to a terminal, where colour may be used.
    pub(super) fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// The writer.
    pub(super) fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Flushes. A closed pipe (`| head`) is not an error.
    pub(super) fn finish(mut self) -> io::Result<()> {
        quiet_pipe(self.writer.flush())
    }
}

fn create(path: &Path) -> io::Result<File> {
    File::create(path)
}

/// Treats a closed pipe as success.
pub(super) fn quiet_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Whether colour is wanted: on a terminal, and `NO_COLOR` unset or empty.
pub(super) fn color_wanted(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// The terminal width, from `COLUMNS` when set.
pub(super) fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
