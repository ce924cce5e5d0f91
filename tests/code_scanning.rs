#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]
//! SARIF as GitHub code scanning reads it: alerts are identified by
//! `partialFingerprints.primaryLocationLineHash`, and an alert's `security-severity` is read from
//! the rule (reporting descriptor) its result refers to. The oracle for the line hash is a port of
//! the algorithm `codeql-action/upload-sarif` runs when a result has none (`src/fingerprints.ts`).

#[path = "support/tenant.rs"]
mod tenant;
use std::collections::HashMap;
use std::path::Path;
use tenant::TENANT;

use assert_cmd::Command;
use serde_json::Value;

/// Two high-risk application permissions, one of them critical.
const APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: provisioner, appId: 7c9e6679-7425-40de-944b-e07fc1f90ae7}
spec:
  displayName: Provisioner
  publisher: {name: Contoso IT, origin: organization}
  signInAudience: single-tenant
  consent: admin
  permissions:
    - name: Application.ReadWrite.All
      type: application
      justification: Registers the apps of new teams.
    - name: AccessReview.ReadWrite.All
      type: application
      justification: Starts the quarterly access reviews.
";

/// An app that expects user consent, which the tenant does not allow.
const USER_APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}
spec:
  displayName: Notes
  publisher: {name: Contoso IT, origin: organization}
  signInAudience: single-tenant
  consent: user
  permissions:
    - {name: User.Read, type: delegated, justification: Sign the user in.}
";

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("apps")).unwrap();
    std::fs::write(dir.path().join("tenant.yaml"), TENANT).unwrap();
    std::fs::write(dir.path().join("apps/provisioner.yaml"), APP).unwrap();
    std::fs::write(dir.path().join("apps/notes.yaml"), USER_APP).unwrap();
    dir
}

fn sarif(dir: &Path) -> Value {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", ".", "--format", "sarif", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn start_line(result: &Value) -> usize {
    usize::try_from(result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap())
        .unwrap()
}

/// codeql-action's line hashes of `text`, by 1-based line: a rolling hash (base 37, 64-bit
/// wrapping, as `Long` in JavaScript) over the next 100 UTF-16 code units from the start of the
/// line, spaces and tabs skipped and CR LF read as LF, written as unsigned hexadecimal, then `:n`
/// for the n-th line with that hash in the file.
fn codeql_line_hashes(text: &str) -> HashMap<usize, String> {
    const BLOCK_SIZE: usize = 100;
    const MOD: i64 = 37;
    const EOF: i64 = 65_535;
    let first_mod = (0..BLOCK_SIZE).fold(1_i64, |acc, _| acc.wrapping_mul(MOD));
    let mut window = [0_i64; BLOCK_SIZE];
    let mut line_numbers = [0_usize; BLOCK_SIZE]; // 0: not the start of a line
    let (mut hash_raw, mut index, mut line_number) = (0_i64, 0_usize, 0_usize);
    let (mut line_start, mut prev_cr) = (true, false);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut hashes = HashMap::new();
    let mut output = |hash_raw: i64, line: usize| {
        #[expect(clippy::cast_sign_loss, reason = "`Long.toUnsigned()`: the same 64 bits, unsigned")]
        let value = format!("{:x}", hash_raw as u64);
        let count = counts.entry(value.clone()).or_insert(0);
        *count += 1;
        hashes.insert(line, format!("{value}:{count}"));
    };
    let update = |current: i64, hash_raw: &mut i64, index: &mut usize, window: &mut [i64; BLOCK_SIZE]| {
        let begin = window[*index];
        window[*index] = current;
        *hash_raw =
            MOD.wrapping_mul(*hash_raw).wrapping_add(current).wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK_SIZE;
    };
    let units: Vec<i64> = text.encode_utf16().map(i64::from).chain([EOF]).collect();
    for mut current in units {
        if current == i64::from(b' ')
            || current == i64::from(b'\t')
            || (prev_cr && current == i64::from(b'\n'))
        {
            prev_cr = false;
            continue;
        }
        if current == i64::from(b'\r') {
            current = i64::from(b'\n');
            prev_cr = true;
        } else {
            prev_cr = false;
        }
        if line_numbers[index] != 0 {
            output(hash_raw, line_numbers[index]);
            line_numbers[index] = 0;
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[index] = line_number;
        }
        if current == i64::from(b'\n') {
            line_start = true;
        }
        update(current, &mut hash_raw, &mut index, &mut window);
    }
    for _ in 0..BLOCK_SIZE {
        if line_numbers[index] != 0 {
            output(hash_raw, line_numbers[index]);
            line_numbers[index] = 0;
        }
        update(0, &mut hash_raw, &mut index, &mut window);
    }
    hashes
}

#[test]
fn the_ported_line_hash_behaves_as_codeql_action_documents() {
    // Spaces and tabs do not count, and CR LF reads as LF.
    let spaced = codeql_line_hashes("a:  1\nb: 2\n");
    assert_eq!(spaced, codeql_line_hashes("a:1\nb:\t2\n"));
    assert_eq!(codeql_line_hashes("a\r\nb\r\n"), codeql_line_hashes("a\nb\n"));
    assert_eq!(spaced.len(), 3, "the end of the file, after the last line break, counts as a line");
    // Lines whose next 100 characters are equal share a hash, told apart by `:1`, `:2`.
    let repeated = codeql_line_hashes(&"x\n".repeat(150));
    assert_eq!(repeated.len(), 151);
    let (value, count) = repeated[&1].split_once(':').unwrap();
    assert_eq!(count, "1");
    assert_eq!(repeated[&2], format!("{value}:2"));
    // An edit within the window changes the hash; one after it does not.
    let text = format!("key: value\n{}", "y\n".repeat(80));
    let near = format!("key: value\nz\n{}", "y\n".repeat(79));
    let far = format!("key: value\n{}z\n", "y\n".repeat(79));
    assert_ne!(codeql_line_hashes(&text)[&1], codeql_line_hashes(&near)[&1]);
    assert_eq!(codeql_line_hashes(&text)[&1], codeql_line_hashes(&far)[&1]);
}

#[test]
fn alerts_keep_their_identity_when_a_nearby_line_is_inserted() {
    let repo = repository();
    let before = sarif(repo.path());
    let finding = |log: &Value| -> Value {
        results(log)
            .iter()
            .find(|r| r["ruleId"].as_str().is_some_and(|id| id.starts_with("CL-A007")))
            .cloned()
            .expect("CL-A007 reports `Application.ReadWrite.All`")
    };
    let first = finding(&before);
    let line = start_line(&first);
    // A reviewer's comment right below the finding: an unrelated edit.
    let edited = APP.replace(
        "      type: application\n      justification: Registers",
        "      # reviewed with the platform team\n      type: application\n      justification: Registers",
    );
    assert_ne!(edited, APP);
    std::fs::write(repo.path().join("apps/provisioner.yaml"), &edited).unwrap();
    let after = sarif(repo.path());
    let second = finding(&after);
    assert_eq!(start_line(&second), line, "the finding did not move");
    // What codeql-action would compute for the line changes with the edit ...
    let (computed_before, computed_after) =
        (codeql_line_hashes(APP)[&line].clone(), codeql_line_hashes(&edited)[&line].clone());
    assert_ne!(computed_before, computed_after, "the edit is within codeql-action's 100-character window");
    // ... so consentlint gives its own, which the action keeps, and which does not change.
    let hash = |r: &Value| r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap().to_owned();
    assert_eq!(hash(&first), hash(&second));
    assert_eq!(hash(&first).len(), 32);
    // Every result carries one, unique in the run.
    let mut all: Vec<String> = results(&before).iter().map(hash).collect();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total);
}

#[test]
fn each_alert_shows_its_own_security_severity() {
    let repo = repository();
    let log = sarif(repo.path());
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let rule_of = |r: &Value| -> &Value {
        let rule = &rules[usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap()];
        assert_eq!(rule["id"], r["ruleId"], "ruleId and ruleIndex name one descriptor");
        rule
    };
    let a007: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r["ruleId"].as_str().is_some_and(|id| id.starts_with("CL-A007")))
        .collect();
    assert_eq!(a007.len(), 2, "{a007:?}");
    let scores: Vec<(&str, &str)> = a007
        .iter()
        .map(|r| {
            let rule = rule_of(r);
            (rule["id"].as_str().unwrap(), rule["properties"]["security-severity"].as_str().unwrap())
        })
        .collect();
    // The critical permission is critical; the high-risk one stays a medium warning.
    assert_eq!(scores, [("CL-A007/critical", "9.5"), ("CL-A007", "5.0")]);
    // A rule downgraded to a warning is scored as a warning, below GitHub's default `high` gate.
    let a002 =
        results(&log).iter().find(|r| r["ruleId"].as_str().is_some_and(|id| id.starts_with("CL-A002")));
    let a002 = a002.expect("CL-A002 reports the user-consent app");
    assert_eq!(a002["level"], "warning");
    let rule = rule_of(a002);
    assert_eq!(rule["id"], "CL-A002/warning");
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
    assert_eq!(rule["properties"]["security-severity"], "5.0");
    // The rule's own descriptor keeps the rule's own score.
    let own = rules.iter().find(|r| r["id"] == "CL-A002").unwrap();
    assert_eq!(own["properties"]["security-severity"], "7.5");
    // Every result's score is its descriptor's.
    for r in results(&log) {
        assert_eq!(
            rule_of(r)["properties"]["security-severity"],
            r["properties"]["security-severity"],
            "{r}"
        );
    }
}
