//! The outputs quoted in README.md are real: every `text` code block that starts with a
//! `$ consentlint …` line is run again and must print exactly what the README shows.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use assert_cmd::Command;

#[test]
fn quoted_outputs_match_the_tool() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some(command) = line.strip_prefix("$ consentlint ") else { continue };
        if index == 0 || lines[index - 1] != "```text" {
            continue;
        }
        let expected: Vec<&str> = lines[index + 1..].iter().take_while(|l| **l != "```").copied().collect();
        let output = Command::cargo_bin("consentlint")
            .unwrap()
            .current_dir(root)
            .args(command.split_whitespace())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        let actual = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            actual.lines().collect::<Vec<_>>(),
            expected,
            "README output of `consentlint {command}` is stale"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the README quotes at least two runs");
}

#[test]
fn the_json_example_is_real() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block =
        readme.split("```json\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a JSON block");
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(root)
        .args(["check", "examples/", "--format", "json", "--select", "CL-S001"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), block);
}
