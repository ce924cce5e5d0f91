//! Running the `consentlint` binary from integration tests.

use std::path::Path;

use assert_cmd::Command;

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `consentlint ARGS` in `dir`; fails the test if it panicked, or if it had not finished after
/// a minute (a hang is killed, and its status is then no exit code).
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().expect("exit status"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}
