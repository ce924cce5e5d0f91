//! Finding the files to check.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// Directory names never walked into (hidden directories are skipped too).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];
/// File endings read when walking a directory.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to read, sorted, without repeats.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason.
    pub problems: Vec<(PathBuf, String)>,
    /// Files loaded only for cross-document rules: their own findings are not reported.
    pub context: Vec<PathBuf>,
}

/// Paths named by the user that do not exist.
#[derive(Debug, thiserror::Error)]
#[error("path not found: {}", .0.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", "))]
pub struct MissingPaths(pub Vec<PathBuf>);

/// Walks `paths`: files are taken as they are, directories are searched for YAML and JSON files.
///
/// # Errors
/// When a path does not exist.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, MissingPaths> {
    let missing: Vec<PathBuf> =
        paths.iter().filter(|p| std::fs::symlink_metadata(p).is_err()).cloned().collect();
    if !missing.is_empty() {
        return Err(MissingPaths(missing));
    }
    let mut found = Discovered::default();
    for path in paths {
        if !path.is_dir() {
            found.files.push(path.clone());
            continue;
        }
        let walker = WalkDir::new(path).follow_links(true).sort_by_file_name().into_iter();
        for entry in walker.filter_entry(|entry| entry.depth() == 0 || !skipped(entry)) {
            match entry {
                Ok(entry) if entry.file_type().is_file() && wanted(entry.path()) => {
                    found.files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(error) => {
                    let at = error.path().unwrap_or(path).to_path_buf();
                    let reason = if error.loop_ancestor().is_some() {
                        "symbolic link loop".to_owned()
                    } else {
                        error.io_error().map_or_else(|| error.to_string(), crate::load::describe_io)
                    };
                    found.problems.push((at, reason));
                }
            }
        }
    }
    // `a.yaml` and `./a.yaml` are one file.
    for file in &mut found.files {
        *file = file.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    }
    found.files.sort();
    found.files.dedup();
    Ok(found)
}

fn skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()))
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
}
