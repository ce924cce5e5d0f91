//! File names relative to the repository root, for the formats a CI platform reads (SARIF,
//! Markdown, GitLab Code Quality): GitHub and GitLab resolve a finding's path against the
//! repository's root, not against the directory the command ran in.
//!
//! The repository root is the nearest directory, from the working directory upwards, that holds a
//! `.git` entry (a directory, or a file in a worktree or submodule); without one, the working
//! directory itself. Shown file names are relative to the working directory (`Options::base`), so
//! a name becomes repository-relative by putting the working directory's place in the repository
//! (the prefix) in front of it and resolving `.` and `..` segments.

use std::borrow::Cow;
use std::path::{Component, Path};

/// Where `dir` is in its repository, as a `/`-separated prefix ending in `/` (`""` when `dir` is
/// the root or is in no repository). A directory whose name is not valid Unicode gives `""`, so
/// that names stay relative to `dir`.
#[must_use]
pub fn repository_prefix(dir: &Path) -> String {
    let Some(root) = dir.ancestors().find(|candidate| candidate.join(".git").exists()) else {
        return String::new();
    };
    let mut prefix = String::new();
    for component in dir.strip_prefix(root).unwrap_or(Path::new("")).components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(part) => {
                    prefix.push_str(part);
                    prefix.push('/');
                }
                None => return String::new(),
            },
            _ => return String::new(),
        }
    }
    prefix
}

/// A shown file name relative to the repository root: `prefix` in front, `.` and `..` resolved.
/// Absolute names (`/…`, `C:/…`) are returned unchanged; a `..` that leaves the repository stays.
pub(super) fn in_repository<'a>(prefix: &str, name: &'a str) -> Cow<'a, str> {
    let drive = matches!(name.as_bytes(), [letter, b':', b'/', ..] if letter.is_ascii_alphabetic());
    let absolute = name.starts_with('/') || drive;
    if absolute || (prefix.is_empty() && !name.split('/').any(|s| s == "." || s == "..")) {
        return Cow::Borrowed(name);
    }
    let mut parts: Vec<&str> = Vec::new();
    for segment in prefix.split('/').chain(name.split('/')) {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            segment => parts.push(segment),
        }
    }
    Cow::Owned(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_gain_the_prefix_and_lose_dot_segments() {
        assert_eq!(in_repository("", "apps/x.yaml"), "apps/x.yaml");
        assert_eq!(in_repository("sub/", "apps/x.yaml"), "sub/apps/x.yaml");
        assert_eq!(in_repository("a/b/", "../c/./x.yaml"), "a/c/x.yaml");
        assert_eq!(in_repository("", "../x.yaml"), "../x.yaml");
        assert_eq!(in_repository("sub/", "/abs/x.yaml"), "/abs/x.yaml");
        assert_eq!(in_repository("sub/", "C:/abs/x.yaml"), "C:/abs/x.yaml");
    }

    #[test]
    fn the_prefix_is_the_place_under_the_git_directory() {
        let root = std::env::temp_dir().join(format!("consentlint-prefix-{}", std::process::id()));
        let sub = root.join("one").join("two");
        assert!(std::fs::create_dir_all(&sub).is_ok() && std::fs::create_dir_all(root.join(".git")).is_ok());
        assert_eq!(repository_prefix(&sub), "one/two/");
        assert_eq!(repository_prefix(&root), "");
        let _ = std::fs::remove_dir_all(&root);
    }
}
