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

/// When to use colour: `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` or `CLICOLOR_FORCE` force it anywhere.
    #[default]
    Auto,
    /// Always, whatever the environment says.
    Always,
    /// Never, whatever the environment says.
    Never,
}

/// Whether colour is wanted. The flag wins over the environment; in `auto`, a non-empty `NO_COLOR`
/// turns colour off, then a `FORCE_COLOR` or `CLICOLOR_FORCE` that is non-empty and not `0` turns it
/// on, and otherwise colour follows whether the output is a terminal.
pub(super) fn color_wanted(choice: ColorChoice, terminal: bool) -> bool {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if var("NO_COLOR").is_some() => false,
        ColorChoice::Auto
            if ["FORCE_COLOR", "CLICOLOR_FORCE"].iter().any(|n| var(n).is_some_and(|v| v != "0")) =>
        {
            true
        }
        ColorChoice::Auto => terminal,
    }
}

/// The width to wrap at: the terminal's when standard output is one, else `COLUMNS` when set, else
/// 100. Widths under 40 are not used.
pub(super) fn width(terminal: bool) -> usize {
    let measured = terminal.then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))).flatten();
    measured
        .filter(|&w| w >= 40)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40))
        .unwrap_or(100)
}

/// Writes to standard output, or to `output` when given, with the style of the destination:
/// colour as `color` asks (on a file, only when `always`), the terminal's width, quiet on a closed
/// pipe.
pub(super) fn write_to(
    output: Option<&std::path::PathBuf>,
    color: ColorChoice,
    render: impl FnOnce(&mut dyn io::Write, crate::render::Style) -> io::Result<()>,
) -> Result<(), crate::error::Error> {
    let shown = output.cloned().unwrap_or_else(|| std::path::PathBuf::from("-"));
    let mut out = Output::open(output).map_err(|e| crate::error::Error::write(&shown, &e))?;
    let terminal = out.is_terminal();
    let colored = if output.is_some() { color == ColorChoice::Always } else { color_wanted(color, terminal) };
    let style = crate::render::Style { color: colored, width: width(terminal), quiet: false };
    let written = render(out.writer(), style);
    quiet_pipe(written).and_then(|()| out.finish()).map_err(|e| crate::error::Error::write(&shown, &e))
}
