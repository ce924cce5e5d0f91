//! Writing an import into its output directory: all of it or nothing, never replacing a file, never
//! through a symbolic link, and never a file larger than `check` reads.
//!
//! Everything that can be known beforehand is checked before the first byte is written: sizes,
//! names already taken, links and files on the way. A new output directory is written under a
//! hidden name beside it and renamed into place at the end. Into an existing one, each file is
//! created new (an existing name fails, whatever appeared since the check), and when a write fails
//! (no space, a name the file system refuses), every file and directory this import created is
//! removed again, so the output directory is as it was and the import can be run again.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use super::ImportedFile;
use crate::load::MAX_FILE_SIZE;
use crate::source::describe_io;

/// Why nothing was written.
#[derive(Debug)]
pub struct Refused {
    /// What went wrong, in one lowercase sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// Writes `files` under `dir`, which may exist: every file or none.
///
/// A new `dir` is written whole under a hidden name beside it and renamed into place in one step,
/// so that even an interrupted import leaves no partial output behind; into an existing `dir`, the
/// files are created one by one and taken back when one fails.
///
/// # Errors
/// When a file exists already, a directory on the way is a symbolic link or not a directory, a
/// file would be over the size limit, or writing fails; nothing is left written then.
pub fn write_all(dir: &Path, files: &[ImportedFile]) -> Result<(), Refused> {
    if files.is_empty() {
        return Ok(());
    }
    preflight(dir, files)?;
    let (Some(name), Err(_)) = (dir.file_name(), fs::symlink_metadata(dir)) else {
        return write_into(dir, files);
    };
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut created = Vec::new();
    make_root(parent, &mut created).map_err(|(path, error)| cannot("create", &path, &error))?;
    let mut staged = OsString::from(".");
    staged.push(name);
    staged.push(format!(".consentlint-import-{}", std::process::id()));
    let staging = parent.join(staged);
    let result = write_into(&staging, files).and_then(|()| {
        fs::rename(&staging, dir).map_err(|error| {
            let _ = fs::remove_dir_all(&staging);
            cannot("create", dir, &error)
        })
    });
    if result.is_err() {
        for path in created.iter().rev() {
            let _ = fs::remove_dir(path);
        }
    }
    result
}

/// Writes `files` under `dir`, creating `dir` where it is missing; on a failure, removes what it
/// created.
fn write_into(dir: &Path, files: &[ImportedFile]) -> Result<(), Refused> {
    let mut created: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let result = make_root(dir, &mut created)
        .and_then(|()| files.iter().try_for_each(|file| write_one(dir, file, &mut created, &mut written)));
    if let Err((path, error)) = result {
        for path in written.iter().rev() {
            let _ = fs::remove_file(path);
        }
        for path in created.iter().rev() {
            let _ = fs::remove_dir(path);
        }
        return Err(cannot("write", &path, &error));
    }
    Ok(())
}

type Failed = (PathBuf, io::Error);

fn write_one(
    dir: &Path,
    file: &ImportedFile,
    created: &mut Vec<PathBuf>,
    written: &mut Vec<PathBuf>,
) -> Result<(), Failed> {
    make_dirs(dir, file.path.parent().unwrap_or(Path::new("")), created)?;
    let path = dir.join(&file.path);
    let mut out =
        fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| (path.clone(), e))?;
    written.push(path.clone());
    out.write_all(file.text.as_bytes()).map_err(|e| (path, e))
}

/// What can be known before writing: sizes, paths that stay inside `dir`, names already taken and
/// links on the way.
fn preflight(dir: &Path, files: &[ImportedFile]) -> Result<(), Refused> {
    for file in files {
        if file.text.len() as u64 > MAX_FILE_SIZE {
            return Err(Refused {
                message: format!(
                    "`{}` would be larger than the {} MiB that `check` reads, so nothing was written",
                    file.path.display(),
                    MAX_FILE_SIZE / 1024 / 1024
                ),
                help: Some("import the export's parts separately, or exclude the largest of them".into()),
            });
        }
        if !file.path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Refused {
                message: format!("`{}` is not a path inside the output directory", file.path.display()),
                help: None,
            });
        }
        let mut at = dir.to_path_buf();
        let mut parts = file.path.components().peekable();
        while let Some(part) = parts.next() {
            at.push(part);
            let last = parts.peek().is_none();
            match fs::symlink_metadata(&at) {
                Err(error) if error.kind() == io::ErrorKind::NotFound => break,
                Err(error) => return Err(cannot("read", &at, &error)),
                Ok(found) if found.file_type().is_symlink() => {
                    return Err(Refused {
                        message: format!(
                            "`{}` is a symbolic link, and import writes nothing through a link",
                            at.display()
                        ),
                        help: Some("choose an output directory without links in it".into()),
                    });
                }
                Ok(_) if last => {
                    return Err(Refused {
                        message: format!("`{}` already exists, and import replaces no file", at.display()),
                        help: Some(
                            "choose an empty directory with `--output`, or move the earlier import away"
                                .into(),
                        ),
                    });
                }
                Ok(found) if !found.is_dir() => {
                    return Err(Refused {
                        message: format!("`{}` exists and is not a directory", at.display()),
                        help: None,
                    });
                }
                Ok(_) => {}
            }
        }
    }
    Ok(())
}

/// Creates `dir` where it is missing, with the missing directories above it, recording them.
fn make_root(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), Failed> {
    let mut missing = Vec::new();
    let mut at = dir;
    while fs::symlink_metadata(at).is_err() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent,
            _ => break,
        }
    }
    for path in missing.into_iter().rev() {
        fs::create_dir(&path).map_err(|e| (path.clone(), e))?;
        created.push(path);
    }
    Ok(())
}

/// Creates the directories of `relative` under `dir`, recording those it created.
fn make_dirs(dir: &Path, relative: &Path, created: &mut Vec<PathBuf>) -> Result<(), Failed> {
    let mut at = dir.to_path_buf();
    for part in relative.components() {
        at.push(part);
        match fs::create_dir(&at) {
            Ok(()) => created.push(at.clone()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                // There before (checked not to be a link) or made by this import a moment ago.
                let found = fs::symlink_metadata(&at).map_err(|e| (at.clone(), e))?;
                if found.file_type().is_symlink() || !found.is_dir() {
                    return Err((at, io::Error::other("not a directory, or a link that appeared since")));
                }
            }
            Err(error) => return Err((at, error)),
        }
    }
    Ok(())
}

fn cannot(what: &str, path: &Path, error: &io::Error) -> Refused {
    Refused {
        message: format!(
            "cannot {what} `{}`: {}, so nothing was written",
            path.display(),
            describe_io(error)
        ),
        help: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails loudly when its setup fails")]

    use std::path::PathBuf;

    use super::{ImportedFile, MAX_FILE_SIZE, write_all};

    #[test]
    fn a_file_over_the_size_check_reads_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let size = usize::try_from(MAX_FILE_SIZE).unwrap() + 1;
        let files = [
            ImportedFile { path: PathBuf::from("tenants/a.yaml"), text: "a: 1\n".into() },
            ImportedFile { path: PathBuf::from("tenants/b.yaml"), text: "x".repeat(size) },
        ];
        let refused = write_all(&dir.path().join("out"), &files).unwrap_err();
        assert!(refused.message.contains("larger than the 10 MiB"), "{}", refused.message);
        assert!(!dir.path().join("out").exists(), "nothing is written, not even the directory");
    }
}
