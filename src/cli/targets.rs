//! Where `check` writes its report: standard output (or `--output`) in `--format`, every
//! `--output-format FORMAT:PATH` besides, from one run; `--statistics` and `--quiet`; the document
//! read from standard input (`check -`).

use std::collections::BTreeMap;
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum as _;

use super::output::{self, ColorChoice, Output};
use crate::codes::Code;
use crate::discover::Piped;
use crate::error::Error;
use crate::load::MAX_FILE_SIZE;
use crate::render::{self, Format, Platform, Style, neutralise};
use crate::report::Report;

/// `--output-format FORMAT[:PATH]`: a format, and the file it goes to (standard output without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Target {
    /// The format.
    pub format: Format,
    /// The file, or `None` for standard output.
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT[:PATH]`; the format is matched in any case.
pub(super) fn parse_target(text: &str) -> Result<Target, String> {
    let (name, path) = match text.split_once(':') {
        Some((name, path)) => (name, Some(path)),
        None => (text, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        let known: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(clap::ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_owned())
            .collect();
        format!("unknown format `{name}`; expected one of {} followed by `:PATH`", known.join(", "))
    })?;
    match path {
        Some("") => Err(format!("no path after `{name}:`; write `{name}:FILE`")),
        Some(path) => Ok(Target { format, path: Some(PathBuf::from(path)) }),
        None => Ok(Target { format, path: None }),
    }
}

/// How the report reaches people: colour, quiet, statistics.
#[derive(Clone, Copy, Debug)]
pub(super) struct Terminal {
    /// `--color`.
    pub color: ColorChoice,
    /// `--quiet`.
    pub quiet: bool,
    /// `--statistics`.
    pub statistics: bool,
}

/// Writes the report to standard output (or `output`) in `format`, then to every target with a
/// path. A pathless target names the standard output format instead of `format`.
pub(super) fn write_all(
    report: &Report,
    format: Format,
    output: Option<&PathBuf>,
    targets: &[Target],
    terminal: Terminal,
    platform: &Platform,
) -> Result<(), Error> {
    let pathless: Vec<&Target> = targets.iter().filter(|t| t.path.is_none()).collect();
    if pathless.len() > 1 {
        return Err(Error::Usage {
            message: "`--output-format` names the standard output format more than once".into(),
            help: "give one `--output-format FORMAT`; add `:PATH` to write another format to a file".into(),
        });
    }
    let mut seen: Vec<&Path> = output.map(PathBuf::as_path).into_iter().collect();
    for path in targets.iter().filter_map(|t| t.path.as_deref()) {
        if seen.contains(&path) {
            return Err(Error::Usage {
                message: format!(
                    "`{}` is named as an output more than once",
                    neutralise(&path.display().to_string())
                ),
                help: "give each output its own file".into(),
            });
        }
        seen.push(path);
    }
    for target in targets {
        if let Some(path) = &target.path {
            let plain = Terminal { color: ColorChoice::Never, quiet: false, statistics: false };
            write_one(report, target.format, Some(path), plain, platform)?;
        }
    }
    let format = pathless.first().map_or(format, |t| t.format);
    write_one(report, format, output, terminal, platform)
}

fn write_one(
    report: &Report,
    format: Format,
    path: Option<&PathBuf>,
    terminal: Terminal,
    platform: &Platform,
) -> Result<(), Error> {
    let shown = path.cloned().unwrap_or_else(|| PathBuf::from("-"));
    let mut out = Output::open(path).map_err(|e| Error::write(&shown, &e))?;
    let on_terminal = out.is_terminal();
    let style = Style {
        // A file named by `--output` gets colour only when asked for: `FORCE_COLOR` in a CI
        // environment is about the log, not about report files.
        color: if path.is_some() {
            terminal.color == ColorChoice::Always
        } else {
            output::color_wanted(terminal.color, on_terminal)
        },
        width: output::width(on_terminal),
        quiet: terminal.quiet,
    };
    let written = if terminal.statistics {
        statistics(report, out.writer())
    } else {
        render::render_for(report, format, style, platform, out.writer())
    };
    output::quiet_pipe(written).and_then(|()| out.finish()).map_err(|e| Error::write(&shown, &e))
}

/// `--statistics`: how many findings each rule or code produced, most first, as `count code name`.
fn statistics(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in report.visible() {
        *counts.entry(diagnostic.code.as_str()).or_default() += 1;
    }
    let mut rows: Vec<(usize, &str)> = counts.into_iter().map(|(code, count)| (count, code)).collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let count_width = rows.first().map_or(1, |(count, _)| count.to_string().len());
    let code_width = rows.iter().map(|(_, code)| code.len()).max().unwrap_or(0);
    for (count, code) in rows {
        let name = report
            .rules
            .iter()
            .find(|rule| rule.id == code)
            .map(|rule| rule.name.as_str())
            .or_else(|| Code::parse(code).map(Code::name))
            .unwrap_or_default();
        writeln!(out, "{count:>count_width$} {:<code_width$} {}", neutralise(code), neutralise(name))?;
    }
    Ok(())
}

/// Takes `-` out of the paths and reads standard input for it, named `stdin_filename` (default
/// `<stdin>`); `None` without a `-`.
pub(super) fn read_piped(
    paths: &mut Vec<PathBuf>,
    stdin_filename: Option<&PathBuf>,
) -> Result<Option<Piped>, Error> {
    let before = paths.len();
    paths.retain(|path| path.as_os_str() != "-");
    if paths.len() == before {
        return match stdin_filename {
            Some(_) => Err(Error::Usage {
                message: "`--stdin-filename` names a document read from standard input, but no path is `-`"
                    .into(),
                help: "add `-` to the paths, as in `consentlint check - --stdin-filename apps/app.yaml`"
                    .into(),
            }),
            None => Ok(None),
        };
    }
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(|error| {
        Error::Usage {
            message: format!("cannot read standard input: {}", crate::source::describe_io(&error)),
            help: "pipe a YAML or JSON document into `consentlint check -`".into(),
        }
    })?;
    let path = stdin_filename.cloned().unwrap_or_else(|| PathBuf::from("<stdin>"));
    Ok(Some(Piped { path, bytes }))
}
