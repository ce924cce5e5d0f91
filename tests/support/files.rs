//! Writing a test repository and checking it with JSON output, for the CLI suites.

use std::path::Path;

use serde_json::Value;

use crate::support::run;

/// Writes `text` to `name` under `dir`, creating folders.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("create folders");
    std::fs::write(path, text).expect("write the file");
}

/// Runs `consentlint check --format json ARGS` in `dir`: the exit status and the parsed report.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    let report =
        serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}\n{}", out.stdout, out.stderr));
    (out.code, report)
}
