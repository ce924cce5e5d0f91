//! Finding the files to check: paths named on the command line, and the YAML and JSON files of
//! the directories named, less what the configuration excludes.

use std::path::{Component, Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

use crate::error::Error;

/// Directory names never walked into (hidden directories are skipped too).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];
/// File endings read when walking a directory.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// The names a configuration file may have, in order of preference (`config::FILE_NAMES`): such a
/// file in a directory checked is read as the configuration, never judged.
pub const CONFIG_FILE_NAMES: [&str; 2] = [".consentlint.yaml", ".consentlint.yml"];

/// Which files walked directories yield (`include`), and which files are never checked
/// (`exclude`); patterns are relative to `dir`.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// The directory patterns are relative to.
    pub dir: PathBuf,
    /// Files found in directories must match one of these; all when `None`.
    pub include: Option<GlobSet>,
    /// Files that are never checked, named or walked.
    pub exclude: Option<GlobSet>,
}

impl Filter {
    /// Whether a file may be checked: not excluded and, for files found in a directory, included.
    #[must_use]
    pub fn allows(&self, path: &Path, base: &Path, named: bool) -> bool {
        let absolute = absolute(path, base);
        let relative = absolute.strip_prefix(&self.dir).unwrap_or(&absolute);
        if self.exclude.as_ref().is_some_and(|set| set.is_match(relative)) {
            return false;
        }
        named || self.include.as_ref().is_none_or(|set| set.is_match(relative))
    }
}

/// A file to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// Where it is, without `./` components.
    pub path: PathBuf,
    /// Whether it was named on the command line rather than found in a directory.
    pub named: bool,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to read, sorted by path, without repeats.
    pub files: Vec<Input>,
    /// Named files that the configuration excludes.
    pub excluded: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

/// Walks `paths`: files are taken as they are, directories are searched for YAML and JSON files;
/// `filter` (with `base`, the working directory) decides which of them are kept.
///
/// # Errors
/// When a path does not exist.
pub fn discover(paths: &[PathBuf], filter: Option<&Filter>, base: &Path) -> Result<Discovered, Error> {
    let missing: Vec<PathBuf> =
        paths.iter().filter(|p| std::fs::symlink_metadata(p).is_err()).cloned().collect();
    if !missing.is_empty() {
        return Err(Error::MissingPaths(missing));
    }
    let mut found = Discovered::default();
    for path in paths {
        if !path.is_dir() {
            found.files.push(Input { path: clean(path), named: true });
            continue;
        }
        let walker = WalkDir::new(path).follow_links(true).sort_by_file_name().into_iter();
        for entry in walker.filter_entry(|entry| entry.depth() == 0 || !skipped(entry)) {
            match entry {
                // Not only regular files: a FIFO or a link to a device with a wanted name is an
                // input too, which reading refuses (without opening it) like a named one.
                // consentlint's own configuration configures the run: it is read, not checked,
                // unless named.
                Ok(entry)
                    if !entry.file_type().is_dir() && wanted(entry.path()) && !is_config(entry.path()) =>
                {
                    found.files.push(Input { path: clean(entry.path()), named: false });
                }
                Ok(_) => {}
                Err(error) => {
                    let at = error.path().unwrap_or(path).to_path_buf();
                    let reason = if error.loop_ancestor().is_some() {
                        "symbolic link loop".to_owned()
                    } else {
                        error.io_error().map_or_else(|| error.to_string(), crate::source::describe_io)
                    };
                    found.problems.push((at, reason));
                }
            }
        }
    }
    // A file both named and walked counts as named: `Input`s sort named (`true`) last per path.
    found.files.sort();
    found.files.reverse();
    found.files.dedup_by(|a, b| a.path == b.path);
    found.files.reverse();
    if let Some(filter) = filter {
        let (kept, dropped): (Vec<Input>, Vec<Input>) =
            found.files.into_iter().partition(|input| filter.allows(&input.path, base, input.named));
        found.files = kept;
        found.excluded = dropped.into_iter().filter(|input| input.named).map(|input| input.path).collect();
    }
    Ok(found)
}

/// A document read from standard input (`check -`): the name it is shown under and matched by
/// (`--stdin-filename`, default `<stdin>`), and its bytes.
#[derive(Clone, Debug, Default)]
pub struct Piped {
    /// The name given to it; it need not exist.
    pub path: PathBuf,
    /// What standard input held (read up to the file size limit, plus one byte).
    pub bytes: Vec<u8>,
}

impl Discovered {
    /// Adds the piped document as a named file, in the place of a file of that name, unless the
    /// configuration excludes it.
    pub fn add_piped(&mut self, piped: &Piped, filter: Option<&Filter>, base: &Path) {
        let path = clean(&piped.path);
        self.files.retain(|input| input.path != path);
        if filter.is_some_and(|filter| !filter.allows(&path, base, true)) {
            self.excluded.push(path);
            return;
        }
        let at = self.files.partition_point(|input| input.path < path);
        self.files.insert(at, Input { path, named: true });
    }
}

/// The path without `.` components: `a.yaml` and `./a.yaml` are one file.
pub(crate) fn clean(path: &Path) -> PathBuf {
    path.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

fn skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()))
}

/// The schema of the configuration that `consentlint init --schema` writes beside it.
pub const CONFIG_SCHEMA_NAME: &str = ".consentlint.schema.json";

/// Whether a walked file is consentlint's own configuration or its schema.
fn is_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| CONFIG_FILE_NAMES.contains(&name) || name == CONFIG_SCHEMA_NAME)
}

fn wanted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// How a path is shown: relative to `base` when under it, with `/` separators and no `./`.
#[must_use]
pub fn display_name(path: &Path, base: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

/// `path` made absolute against `base`, with `.` and `..` resolved lexically (links are kept).
#[must_use]
pub fn absolute(path: &Path, base: &Path) -> PathBuf {
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_with_slashes() {
        let base = Path::new("/repo");
        assert_eq!(display_name(Path::new("/repo/a/b.yaml"), base), "a/b.yaml");
        assert_eq!(display_name(Path::new("./a/b.yaml"), base), "a/b.yaml");
        assert_eq!(display_name(Path::new("/elsewhere/c.yaml"), base), "/elsewhere/c.yaml");
    }

    #[test]
    fn a_file_named_and_walked_counts_as_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "a: 1\n").unwrap();
        let found = discover(&[dir.path().to_path_buf(), file.clone()], None, dir.path()).unwrap();
        assert_eq!(found.files, [Input { path: file, named: true }]);
    }
}
