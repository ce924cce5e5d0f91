//! Two promises of `docs/security.md`, watched at the system-call level: consentlint opens no
//! network connection, and writes nothing but what its command line asked for. Each command runs
//! under `strace`, which records every socket, connection, file opened for writing, directory made,
//! link made, rename and removal, from every thread.
//!
//! Linux only; `strace` is required (`.ci/run` installs it where it is missing), and its absence
//! fails the test rather than passing it unexamined.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The system calls watched: everything that reaches a network or changes the file system.
const CALLS: &str = "trace=socket,connect,sendto,openat,open,creat,rename,renameat,renameat2,unlink,unlinkat,\
                     rmdir,mkdir,mkdirat,link,linkat,symlink,symlinkat,truncate,ftruncate";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs consentlint with `args` in `dir` under strace and returns the recorded calls that are not
/// reads: lines naming a socket or connection, a file opened for writing, or a change to a name.
fn changes(dir: &Path, args: &[&str]) -> Vec<String> {
    let trace = dir.join("strace.txt");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", CALLS, "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_consentlint"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!("strace could not be started ({e}); install it (Debian: apt-get install strace)")
        });
    assert!(status.code().is_some_and(|code| code <= 1), "consentlint {args:?} ended with {status:?}");
    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(text.contains("openat("), "strace recorded no call at all:\n{text}");
    text.lines()
        .filter(|line| {
            let opens = line.contains("openat(") || line.contains(" open(");
            let read_only = opens && line.contains("O_RDONLY") && !line.contains("O_CREAT");
            !read_only && !line.contains("resumed>") && !line.trim().is_empty() && !line.contains("+++")
        })
        .map(str::to_owned)
        .collect()
}

/// The path a recorded call names (its first quoted argument), made absolute from `dir`.
fn named(line: &str, dir: &Path) -> Option<PathBuf> {
    let quoted = line.split('"').nth(1)?;
    Some(dir.join(quoted))
}

fn assert_only_writes_to(what: &str, lines: &[String], dir: &Path, allowed: &[PathBuf]) {
    for line in lines {
        assert!(
            !line.contains("socket(") && !line.contains("connect(") && !line.contains("sendto("),
            "{what}: a network call: {line}"
        );
        let path = named(line, dir).unwrap_or_else(|| panic!("{what}: a change to no path: {line}"));
        assert!(allowed.iter().any(|a| path.starts_with(a)), "{what}: writes {}: {line}", path.display());
    }
}

#[test]
fn check_writes_only_its_outputs_and_reaches_no_network() {
    let dir = tempfile::tempdir().unwrap();
    let examples = root().join("examples");
    let examples = examples.to_str().unwrap();
    let lines = changes(
        dir.path(),
        &[
            "check",
            examples,
            "--format",
            "json",
            "--output",
            "out.json",
            "--output-format",
            "sarif:out.sarif",
        ],
    );
    assert_only_writes_to(
        "check",
        &lines,
        dir.path(),
        &[dir.path().join("out.json"), dir.path().join("out.sarif")],
    );
    assert!(lines.iter().any(|l| l.contains("out.sarif")), "the SARIF output was written: {lines:?}");

    let baseline = changes(dir.path(), &["check", examples, "--write-baseline", "baseline.json"]);
    assert_only_writes_to("--write-baseline", &baseline, dir.path(), &[dir.path().join("baseline.json")]);
}

#[test]
fn import_and_simulate_write_only_what_they_are_asked_to() {
    let dir = tempfile::tempdir().unwrap();
    let export = root().join("examples/entra-export");
    let lines = changes(dir.path(), &["import", "--no-config", "--output", "repo", export.to_str().unwrap()]);
    assert_only_writes_to("import", &lines, dir.path(), &[dir.path().join("repo")]);
    assert!(lines.iter().any(|l| l.contains("repo/tenants/")), "the import was written: {lines:?}");

    let tenant = root().join("examples/tenants/contoso.yaml");
    let apps = root().join("examples/apps/contoso");
    let lines = changes(
        dir.path(),
        &["simulate", "--tenant", tenant.to_str().unwrap(), apps.to_str().unwrap(), "--format", "json"],
    );
    assert_only_writes_to("simulate", &lines, dir.path(), &[]);
}
