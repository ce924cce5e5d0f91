//! The command-line contract of consentlint (PRODUCT.md §7): exit statuses, flags, the JSON shape,
//! deterministic and sorted output, broken pipes, the `schema` command and colour-free pipes.
//!
//! Inputs are built in temporary directories; only `examples/` is read from the repository.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly; tests index what they built"
)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// No run may take longer than this.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What one run of consentlint gave.
struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("standard output is UTF-8")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", String::from_utf8_lossy(&self.stdout)))
    }
}

fn command(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("consentlint").unwrap();
    command.current_dir(dir).timeout(TIMEOUT);
    command
}

/// Runs consentlint in `dir` with `args` and checks that it finished and did not panic.
fn run(dir: &Path, args: &[&str]) -> Run {
    finish(args, command(dir).args(args).output().expect("consentlint starts"))
}

fn finish(args: &[&str], output: std::process::Output) -> Run {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "consentlint {args:?} panicked:\n{stderr}");
    let code = output.status.code().unwrap_or_else(|| {
        panic!("consentlint {args:?} was killed (timeout or signal): {:?}\n{stderr}", output.status)
    });
    Run { code, stdout: output.stdout, stderr }
}

/// The repository root, to read `examples/`.
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp() -> TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

fn diagnostics(report: &Value) -> &[Value] {
    report["diagnostics"].as_array().expect("`diagnostics` is an array")
}

fn keys(object: &Value) -> BTreeSet<&str> {
    object.as_object().expect("an object").keys().map(String::as_str).collect()
}

/// A schema-valid tenant: no diagnostics.
const TENANT: &str = "\
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84
spec:
  userConsent:
    enabled: false
    allowRiskyApps: false
    groupOwnerConsent: false
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers:
      - group: App Consent Reviewers
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
";

/// A file with one error: an unknown kind.
const ONE_ERROR: &str = "apiVersion: consentlint/v1\nkind: TenantConfg\n";

/// Two tenant documents with five errors: four schema errors in the first document (3:18, 3:38,
/// 5:26, 12:5) and a duplicate key in the second (18:3), which is found first, while parsing.
const FIVE_ERRORS: &str = "\
apiVersion: consentlint/v1
kind: TenantConfig
metadata: {name: BAD NAME, tenantId: nope}
spec:
  userConsent: {enabled: yes}
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
    reviewrs: []
---
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: x
  name: y
";

/// A directory holding one clean tenant.
fn clean_repo() -> TempDir {
    let dir = temp();
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    dir
}

/// A directory holding one file with one error.
fn failing_repo() -> TempDir {
    let dir = temp();
    write(dir.path(), "tenants/contoso.yaml", ONE_ERROR);
    dir
}

// ---------------------------------------------------------------------------------------------
// Exit statuses and thresholds

#[test]
fn check_examples_exits_1_on_their_schema_error() {
    let run = run(repository(), &["check", "examples/", "--format", "plain"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout().contains("error[CL-S001]"), "{}", run.stdout());
}

#[test]
fn clean_tenant_exits_0_with_no_problems_found() {
    let dir = clean_repo();
    let run = run(dir.path(), &["check", "tenants/contoso.yaml", "--format", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout(), "no problems found in 1 file (1 document)\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_defaults_to_the_working_directory() {
    let dir = failing_repo();
    let run = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout().contains("--> tenants/contoso.yaml:2:7"), "{}", run.stdout());
}

#[test]
fn fail_on_never_exits_0_despite_errors() {
    let dir = failing_repo();
    let run = run(dir.path(), &["check", "--fail-on", "never", "--format", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout().contains("error[CL-P002]"), "the findings are still reported");
}

#[test]
fn errors_fail_every_threshold_at_or_below_error() {
    let dir = failing_repo();
    for threshold in ["error", "warning", "info"] {
        let run = run(dir.path(), &["check", "--fail-on", threshold, "--format", "json"]);
        assert_eq!(run.code, 1, "--fail-on {threshold}: {}", run.stderr);
        assert_eq!(run.json()["summary"]["errors"], 1);
    }
    // The default threshold is `error`.
    assert_eq!(run(dir.path(), &["check", "--format", "json"]).code, 1);
}

#[test]
fn clean_run_passes_every_threshold() {
    let dir = clean_repo();
    for threshold in ["error", "warning", "info", "never"] {
        let run = run(dir.path(), &["check", "--fail-on", threshold, "--format", "plain"]);
        assert_eq!(run.code, 0, "--fail-on {threshold}: {}", run.stderr);
    }
}

#[test]
fn missing_path_exits_2_naming_it() {
    let dir = clean_repo();
    let run = run(dir.path(), &["check", "tenants", "nope.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: path not found: `nope.yaml`"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", String::from_utf8_lossy(&run.stdout));
}

#[test]
fn bad_arguments_exit_2() {
    let dir = clean_repo();
    for args in [
        &["check", "--bogus"][..],
        &["frobnicate"],
        &["check", "--format", "xml"],
        &["check", "--fail-on", "sometimes"],
        &["check", "--threads", "0"],
    ] {
        let run = run(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error:"), "{args:?}: {}", run.stderr);
    }
    let bogus = run(dir.path(), &["check", "--bogus"]);
    assert!(bogus.stderr.contains("--bogus"), "{}", bogus.stderr);
    // No command at all: the usage goes to standard error.
    let bare = run(dir.path(), &[]);
    assert_eq!(bare.code, 2);
    assert!(bare.stderr.contains("Usage: consentlint"), "{}", bare.stderr);
}

#[test]
fn help_and_version_exit_0() {
    let dir = temp();
    for args in [&["--help"][..], &["-h"], &["check", "--help"], &["schema", "--help"], &["help", "check"]] {
        let run = run(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout().contains("Usage: consentlint"), "{args:?}: {}", run.stdout());
    }
    for flag in ["--version", "-V"] {
        let run = run(dir.path(), &[flag]);
        assert_eq!(run.code, 0);
        assert_eq!(run.stdout(), format!("consentlint {}\n", env!("CARGO_PKG_VERSION")));
    }
}

// ---------------------------------------------------------------------------------------------
// --output

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let dir = failing_repo();
    let expected = run(dir.path(), &["check", "tenants", "--format", "json"]);
    assert_eq!(expected.json()["summary"]["errors"], 1, "the report compared below is not empty");

    for flag in ["--output", "-o"] {
        let run = run(dir.path(), &["check", "tenants", "--format", "json", flag, "report.json"]);
        assert_eq!(run.code, 1, "{flag}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{flag}: {}", String::from_utf8_lossy(&run.stdout));
        assert_eq!(run.stderr, "");
        let written = std::fs::read(dir.path().join("report.json")).unwrap();
        assert_eq!(written, expected.stdout, "{flag}");
        std::fs::remove_file(dir.path().join("report.json")).unwrap();
    }
}

#[test]
fn output_file_in_a_missing_directory_exits_2() {
    let dir = failing_repo();
    let run = run(dir.path(), &["check", "tenants", "--output", "no/such/dir/report.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot write `no/such/dir/report.txt`"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// --format json

/// A small repository with a known content: 4 files read (notes.txt is not), 3 documents of ours
/// (the YAML of `other/` is not ours; `broken.yml` names our apiVersion but does not parse), 3 errors.
fn known_repo() -> TempDir {
    let dir = temp();
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    write(
        dir.path(),
        "apps/contoso/expense.yaml",
        "\
apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: payroll
  appId: 0811e686-dee1-4f49-af66-ffdfcd7051db
spec:
  displayName: Payroll
  publisher: {name: Contoso, origin: organization}
  permissions:
    - {name: User.Read, type: delegated}
---
apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: expense-tracker
  appId: 0811e686-dee1-4f49-af66-ffdfcd7051db
spec:
  displayName: Expense Tracker
  publisher:
    name: Litware
    origin: third-partyy
  permissions:
    - name: User.Read
      type: delegated
      justfication: Sign the user in.
",
    );
    write(dir.path(), "other/values.yaml", "replicas: 3\nimage: nginx\n");
    write(dir.path(), "broken.yml", "a: [1, 2 # consentlint/v1, but broken\n");
    write(dir.path(), "notes.txt", "not a document\n");
    dir
}

#[test]
fn json_has_the_documented_shape() {
    let dir = known_repo();
    // The shape of the output, not the rule pack, is under test here.
    let run = run(dir.path(), &["check", "--format", "json", "--no-builtin-policies"]);
    assert_eq!(run.code, 1);
    let report = run.json();

    assert_eq!(keys(&report), BTreeSet::from(["version", "diagnostics", "notes", "summary"]));
    assert_eq!(report["notes"], serde_json::json!([]), "everything named was judged");
    assert_eq!(report["version"], 1);
    let expected_keys = BTreeSet::from([
        "code",
        "severity",
        "message",
        "help",
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "pointer",
        "document",
        "url",
        "related",
    ]);
    for d in diagnostics(&report) {
        assert_eq!(keys(d), expected_keys, "{d:#}");
        assert!(d["code"].as_str().is_some_and(|c| c.starts_with("CL-")), "{d:#}");
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()), "{d:#}");
        assert!(!d["message"].as_str().unwrap().is_empty(), "{d:#}");
        assert!(d["help"].is_string() || d["help"].is_null(), "{d:#}");
        for key in ["line", "column", "endLine", "endColumn"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} is 1-based: {d:#}");
        }
        let start = (d["line"].as_u64(), d["column"].as_u64());
        let end = (d["endLine"].as_u64(), d["endColumn"].as_u64());
        assert!(start <= end, "{d:#}");
        assert!(d["pointer"].as_str().is_none_or(|p| p.is_empty() || p.starts_with('/')), "{d:#}");
        assert!(d["document"].is_u64() || d["document"].is_null(), "{d:#}");
        assert!(d["url"].as_str().is_none_or(|u| u.starts_with("https://")), "{d:#}");
        let file = d["file"].as_str().unwrap();
        assert!(!file.starts_with('/') && !file.starts_with("./") && !file.contains('\\'), "{d:#}");
    }

    let codes: Vec<(&str, &str, &str)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (d["file"].as_str().unwrap(), d["code"].as_str().unwrap(), d["pointer"].as_str().unwrap_or("-"))
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("apps/contoso/expense.yaml", "CL-S001", "/spec/publisher/origin"),
            ("apps/contoso/expense.yaml", "CL-S001", "/spec/permissions/0/justfication"),
            ("broken.yml", "CL-P001", "-"),
        ]
    );
    let justfication = &diagnostics(&report)[1];
    assert_eq!(justfication["document"], 1);
    assert_eq!((&justfication["line"], &justfication["column"]), (&Value::from(25), &Value::from(7)));
    assert_eq!((&justfication["endLine"], &justfication["endColumn"]), (&Value::from(25), &Value::from(19)));
    assert_eq!(justfication["help"], "did you mean `justification`?");
    assert_eq!(
        justfication["url"],
        "https://github.com/consentlint/consentlint/blob/main/docs/diagnostics.md#cl-s001"
    );

    let summary = &report["summary"];
    assert_eq!(
        keys(summary),
        BTreeSet::from([
            "files",
            "baselined",
            "documents",
            "skipped",
            "errors",
            "warnings",
            "infos",
            "suppressed",
            "staleBaseline"
        ])
    );
    assert_eq!(
        summary,
        &serde_json::json!({"files": 4, "documents": 3, "skipped": 1, "errors": 3, "warnings": 0, "infos": 0, "suppressed": 0, "baselined": 0, "staleBaseline": 0})
    );
}

#[test]
fn json_file_names_are_relative_to_the_working_directory() {
    let dir = known_repo();
    let absolute = dir.path().join("apps");
    for path in ["apps", "./apps", "apps/", absolute.to_str().unwrap()] {
        let report = run(dir.path(), &["check", path, "--format", "json"]).json();
        let files: BTreeSet<&str> =
            diagnostics(&report).iter().map(|d| d["file"].as_str().unwrap()).collect();
        assert_eq!(files, BTreeSet::from(["apps/contoso/expense.yaml"]), "check {path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism and order

#[test]
fn json_of_examples_is_identical_for_any_thread_count_and_run() {
    let args = |threads: &'static str| ["check", "examples/", "--format", "json", "--threads", threads];
    let first = run(repository(), &args("1"));
    assert_eq!(first.code, 1);
    // The examples' findings, as README.md and examples/README.md describe them.
    assert_eq!(
        first.json()["summary"],
        serde_json::json!({"files": 48, "documents": 39, "skipped": 1, "errors": 20, "warnings": 26, "infos": 1, "suppressed": 1, "baselined": 0, "staleBaseline": 0})
    );
    for threads in ["1", "2", "8"] {
        let again = run(repository(), &args(threads));
        assert!(again.stdout == first.stdout, "--threads {threads} differs from --threads 1");
    }
    let unthreaded = run(repository(), &["check", "examples/", "--format", "json"]);
    assert!(unthreaded.stdout == first.stdout, "the default thread count differs");
}

#[test]
fn many_files_give_identical_output_for_any_thread_count() {
    let dir = temp();
    for i in 0..200 {
        let contents = if i % 3 == 0 {
            FIVE_ERRORS
        } else if i % 3 == 1 {
            ONE_ERROR
        } else {
            TENANT
        };
        write(dir.path(), &format!("d{}/f{i:03}.yaml", i % 7), contents);
    }
    let reference = run(dir.path(), &["check", "--format", "plain", "--threads", "1"]);
    assert_eq!(reference.code, 1);
    // 67 files with five errors, 67 with one, and 66 copies of one tenant: 65 repeat its name.
    assert!(
        reference.stdout().ends_with("\n467 errors in 200 files (133 documents)\n"),
        "{}",
        reference.stdout()
    );
    assert_eq!(reference.stdout().matches("error[CL-S002]").count(), 65);
    for threads in ["2", "8", "64"] {
        let again = run(dir.path(), &["check", "--format", "plain", "--threads", threads]);
        assert!(again.stdout == reference.stdout, "--threads {threads} differs from --threads 1");
    }
}

#[test]
fn diagnostics_are_sorted_by_file_line_and_column() {
    let dir = temp();
    // Written in an order unlike the sorted one; each holds several errors that are found in an
    // order unlike their position (the duplicate key of the second document is found first).
    for name in ["gamma.yaml", "beta/two.yaml", "alpha.yaml", "beta/one.yaml"] {
        write(dir.path(), name, FIVE_ERRORS);
    }
    write(dir.path(), "beta/three.yaml", ONE_ERROR);

    let report = run(dir.path(), &["check", "--format", "json"]).json();

    let found: Vec<(String, u64, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted);
    let positions = [(3, 18), (3, 38), (5, 26), (12, 5), (18, 3)];
    let mut expected = Vec::new();
    for file in ["alpha.yaml", "beta/one.yaml", "beta/three.yaml", "beta/two.yaml", "gamma.yaml"] {
        if file == "beta/three.yaml" {
            expected.push((file.to_owned(), 2, 7));
        } else {
            expected.extend(positions.iter().map(|&(line, column)| (file.to_owned(), line, column)));
        }
    }
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------------------------------------
// Broken pipe

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = temp();
    for i in 0..3000 {
        write(dir.path(), &format!("apps/app{i:04}.yaml"), ONE_ERROR);
    }
    // The premise: the report is far larger than a pipe buffer (64 KiB on Linux).
    let full = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(full.code, 1);
    assert!(full.stdout.len() > 8 * 64 * 1024, "only {} bytes", full.stdout.len());

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_consentlint"))
        .current_dir(dir.path())
        .args(["check", "--format", "plain"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("consentlint did not finish within {TIMEOUT:?} after its output was closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = reader.join().unwrap();

    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(status.code(), Some(1), "{status:?}: {stderr}");
}

// ---------------------------------------------------------------------------------------------
// schema

#[test]
fn schema_prints_the_2020_12_json_schema_of_a_kind() {
    let dir = temp();
    let run_kind = |kind: &str| {
        let run = run(dir.path(), &["schema", kind]);
        assert_eq!(run.code, 0, "schema {kind}: {}", run.stderr);
        run
    };
    let tenant = run_kind("TenantConfig");
    let schema = tenant.json();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["properties"]["kind"]["const"], "TenantConfig");
    for alias in ["tenant-config", "tenantconfig", "TENANT_CONFIG"] {
        assert!(run_kind(alias).stdout == tenant.stdout, "schema {alias} differs from schema TenantConfig");
    }
    for kind in ["AppManifest", "Policy"] {
        let schema = run_kind(kind).json();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{kind}");
    }
    assert_eq!(run_kind("app-manifest").json()["properties"]["kind"]["const"], "AppManifest");
}

#[test]
fn schema_of_an_unknown_kind_exits_2_with_help() {
    let dir = temp();
    let run_nope = run(dir.path(), &["schema", "Nope"]);
    assert_eq!(run_nope.code, 2);
    assert!(run_nope.stdout.is_empty());
    assert!(run_nope.stderr.starts_with("error: unknown kind `Nope`"), "{}", run_nope.stderr);
    for kind in ["TenantConfig", "AppManifest", "Policy"] {
        assert!(run_nope.stderr.contains(kind), "{}", run_nope.stderr);
    }

    let typo = run(dir.path(), &["schema", "TenantConfg"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `TenantConfig`?"), "{}", typo.stderr);
}

#[test]
fn schema_without_a_kind_lists_the_kinds() {
    let run = run(&std::env::temp_dir(), &["schema"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout(), "TenantConfig\nAppManifest\nPolicy\nPolicyTest\nProfile\nGrant\nConfig\n");
}

// ---------------------------------------------------------------------------------------------
// Colour

#[test]
fn human_output_through_a_pipe_has_no_escape_sequences() {
    let dir = known_repo();
    // A value that decodes to ESC, so that the human renderer must neutralise user text too.
    write(dir.path(), "escape.yaml", "apiVersion: consentlint/v1\nkind: \"Te\\e[31mnant\"\n");
    for no_color in [None, Some("1")] {
        let mut command = command(dir.path());
        command.args(["check", "--format", "human", "--no-builtin-policies"]).env("TERM", "xterm-256color");
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        };
        let run = finish(&["check", "--format", "human"], command.output().unwrap());
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(!run.stdout.contains(&0x1b), "ESC with NO_COLOR={no_color:?}:\n{}", run.stdout());
        assert!(!run.stderr.contains('\u{1b}'), "{}", run.stderr);
        let text = run.stdout();
        for code in ["CL-S001", "CL-P001", "CL-P002"] {
            assert!(text.contains(code), "{code} missing:\n{text}");
        }
        assert!(text.contains("4 errors in 5 files (3 documents; 1 file was skipped)"), "{text}");
    }
}
