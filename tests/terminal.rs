//! The terminal: `--color` and the colour variables, the width, the severity in the human header,
//! `--quiet`, `--statistics`, documents from standard input, several outputs in one run, "did you
//! mean" within a permission's family, severity spellings, `explain` by name, completions, the
//! manual pages and the offline configuration schema.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails loudly when its setup fails"
)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// What a run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `consentlint ARGS` in `dir` with `env` set, the colour variables cleared otherwise, and
/// `stdin` on standard input.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    let mut command = Command::cargo_bin("consentlint").unwrap();
    command.current_dir(dir).args(args).write_stdin(stdin);
    for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS"] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code().expect("exit status"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[], "")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const A002: &[&str] = &["check", "examples/", "--select", "CL-A002", "--ignore", "CL-S001"];

/// An app with an unknown permission (CL-A004) and nothing else wrong.
const APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: a, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}
spec:
  displayName: A
  publisher: {name: Contoso IT, origin: organization}
  consent: admin
  permissions:
    - {name: Mail.Read.All, type: delegated, justification: Read mail.}
";

fn colored(env: &[(&str, &str)], flag: Option<&str>) -> bool {
    let mut args = A002.to_vec();
    if let Some(flag) = flag {
        args.extend(["--color", flag]);
    }
    let run = run_with(root(), &args, env, "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.contains('\u{1b}')
}

#[test]
fn colour_follows_the_flag_then_the_environment() {
    assert!(!colored(&[], None), "a pipe gets no colour");
    assert!(colored(&[], Some("always")));
    assert!(!colored(&[("FORCE_COLOR", "1")], Some("never")), "the flag wins");
    assert!(colored(&[("NO_COLOR", "1")], Some("always")), "the flag wins");
    assert!(colored(&[("FORCE_COLOR", "1")], None));
    assert!(colored(&[("CLICOLOR_FORCE", "yes")], None));
    assert!(!colored(&[("FORCE_COLOR", "0")], None), "0 does not force");
    assert!(!colored(&[("FORCE_COLOR", "")], None), "empty does not force");
    assert!(!colored(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], None), "NO_COLOR wins in auto");
    assert!(colored(&[("NO_COLOR", ""), ("FORCE_COLOR", "1")], None), "an empty NO_COLOR is unset");
    let test = run_with(root(), &["test", "policies/", "--color", "always"], &[], "");
    assert_eq!(test.code, 0, "{}", test.stderr);
}

#[test]
fn the_width_comes_from_columns_through_a_pipe() {
    // The message is wrapped; the header's link and the source lines are never cut.
    let widest = |columns: &str| {
        let run = run_with(root(), A002, &[("COLUMNS", columns)], "");
        run.stdout.lines().find(|l| l.contains('⚠')).unwrap().chars().count()
    };
    assert!(widest("60") <= 60);
    assert!(widest("100") > 60);
}

#[test]
fn the_human_header_names_the_severity() {
    let run = run(root(), A002);
    assert!(run.stdout.starts_with("warning[CL-A002] ("), "{}", run.stdout);
}

#[test]
fn quiet_leaves_out_the_summary_and_statistics_count_per_rule() {
    let quiet = run(root(), &["check", "examples/tenants", "examples/apps", "--format", "plain", "--quiet"]);
    let full = run(root(), &["check", "examples/tenants", "examples/apps", "--format", "plain"]);
    assert_eq!(quiet.code, 1);
    assert!(full.stdout.contains(" in 14 files (15 documents)"));
    assert!(!quiet.stdout.contains(" in 14 files"), "{}", quiet.stdout);
    assert_eq!(quiet.stdout.len() + full.stdout.lines().last().unwrap().len() + 1, full.stdout.len());

    let stats = run(root(), &["check", "examples/tenants", "examples/apps", "--statistics"]);
    assert_eq!(stats.code, 1, "the exit status is that of the findings");
    let lines: Vec<&str> = stats.stdout.lines().collect();
    assert_eq!(lines[0], "2 CL-A007 high-risk-permission");
    assert!(lines.contains(&"1 CL-S001 schema-violation"));
    let counts: Vec<u32> =
        lines.iter().map(|l| l.split_whitespace().next().unwrap().parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most first: {lines:?}");
    assert!(run(root(), &["check", "--quiet", "--statistics"]).code == 2);
}

#[test]
fn a_document_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let piped = run_with(dir.path(), &["check", "-", "--format", "plain", "--no-config"], &[], APP);
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert!(piped.stdout.contains(" --> <stdin>:9:14"), "{}", piped.stdout);
    assert!(piped.stdout.contains("in 1 file (1 document)"));

    let args = ["check", "-", "--stdin-filename", "apps/a.yaml", "--format", "plain", "--no-config"];
    let named = run_with(dir.path(), &args, &[], APP);
    assert!(named.stdout.contains(" --> apps/a.yaml:9:14"), "{}", named.stdout);

    // The name is what the configuration's `exclude` matches.
    std::fs::write(dir.path().join(".consentlint.yaml"), "exclude: [\"vendor/**\"]\n").unwrap();
    let args = ["check", "-", "--stdin-filename", "vendor/a.yaml", "--format", "json"];
    let excluded = run_with(dir.path(), &args, &[], APP);
    let report: Value = serde_json::from_str(&excluded.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 0, "{}", excluded.stdout);

    let stray = run(dir.path(), &["check", "--stdin-filename", "a.yaml"]);
    assert_eq!(stray.code, 2);
    assert!(stray.stderr.contains("no path is `-`"), "{}", stray.stderr);
}

#[test]
fn several_outputs_from_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("out.json");
    let sarif_arg = format!("sarif:{}", sarif.display());
    let json_arg = format!("json:{}", json.display());
    let args =
        [A002, &["--format", "plain", "--output-format", &sarif_arg, "--output-format", &json_arg]].concat();
    let run_all = run(root(), &args);
    assert_eq!(run_all.code, 0, "{}", run_all.stderr);
    assert!(run_all.stdout.starts_with("warning[CL-A002]: "), "{}", run_all.stdout);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(json["summary"]["warnings"], 1);

    // Colour forced for the log never reaches report files.
    let human = dir.path().join("out.txt");
    let human_arg = format!("human:{}", human.display());
    let forced =
        run_with(root(), &[A002, &["--output-format", &human_arg]].concat(), &[("FORCE_COLOR", "1")], "");
    assert!(forced.stdout.contains('\u{1b}'));
    assert!(!std::fs::read_to_string(&human).unwrap().contains('\u{1b}'));

    let pathless = run(root(), &[A002, &["--output-format", "json"]].concat());
    assert!(serde_json::from_str::<Value>(&pathless.stdout).is_ok(), "{}", pathless.stdout);
    let twice = run(root(), &[A002, &["--output-format", "json", "--output-format", "plain"]].concat());
    assert_eq!(twice.code, 2);
    let unknown = run(root(), &[A002, &["--output-format", "yaml:x.yaml"]].concat());
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown format `yaml`"), "{}", unknown.stderr);
}

#[test]
fn select_never_hides_files_that_cannot_be_judged() {
    let run_select = run(root(), &["check", "examples/", "--format", "plain", "--select", "CL-A002"]);
    assert!(run_select.stdout.contains("error[CL-S001]"), "{}", run_select.stdout);
    let help = run(root(), &["check", "--help"]);
    assert!(help.stdout.contains("always reported"), "{}", help.stdout);
}

#[test]
fn suggestions_stay_in_the_family_and_know_other_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let piped = run_with(dir.path(), &["check", "-", "--format", "plain", "--no-config"], &[], APP);
    assert!(piped.stdout.contains("= help: did you mean `Mail.Read`?"), "{}", piped.stdout);

    std::fs::write(dir.path().join(".consentlint.yaml"), "rules:\n  CL-A008: disable\n  CL-A007: warn\n")
        .unwrap();
    let config = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(config.code, 2);
    assert!(config.stdout.contains("did you mean `off`?"), "{}", config.stdout);
    assert!(config.stdout.contains("did you mean `warning`?"), "{}", config.stdout);
}

#[test]
fn explain_takes_names_and_lays_out_markdown_on_request() {
    let by_name = run(root(), &["explain", "user-consent-blocked"]);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    assert!(by_name.stdout.starts_with("# CL-A002: user-consent-blocked\n"), "piped output is Markdown");
    let code = run(root(), &["explain", "schema-violation"]);
    assert!(code.stdout.starts_with("# CL-S001: schema-violation"), "{}", code.stdout);
    let styled = run(root(), &["explain", "CL-A002", "--color", "always"]);
    assert!(
        styled.stdout.starts_with("\u{1b}[1mCL-A002: user-consent-blocked\u{1b}[0m\n"),
        "{}",
        styled.stdout
    );
    assert!(styled.stdout.contains("\u{1b}[36mspec.consent: user\u{1b}[0m"));
    let typo = run(root(), &["explain", "user-consent-blockd"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `user-consent-blocked`?"), "{}", typo.stderr);
}

#[test]
fn explain_accepts_rules_of_other_policy_directories() {
    let unknown = run(root(), &["explain", "ACME-001"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `ACME-001`"), "not a usage error: {}", unknown.stderr);
}

#[test]
fn rule_ids_and_schema_kinds_complete() {
    for shell in ["bash", "zsh", "fish"] {
        let script = run(root(), &["completions", shell]).stdout;
        for word in ["CL-A002", "CL-S001", "TenantConfig", "Config"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // fish offers them where they belong: after `explain` and `schema`.
    let fish = run(root(), &["completions", "fish"]).stdout;
    assert!(fish.contains(
        "complete -c consentlint -n \"__fish_consentlint_using_subcommand explain\" -f -a \"CL-A002\tuser-consent-blocked\""
    ));
    assert!(fish.contains(
        "complete -c consentlint -n \"__fish_consentlint_using_subcommand schema\" -f -a \"TenantConfig\""
    ));
}

#[test]
fn profile_names_complete_and_are_the_profiles_listed() {
    let listed = run(root(), &["profiles"]).stdout;
    let fish = run(root(), &["completions", "fish"]).stdout;
    for profile in ["consentlint", "scuba", "cis", "eidsca"] {
        assert!(listed.lines().any(|l| l.split_whitespace().next() == Some(profile)), "{listed}");
        for command in ["check", "simulate"] {
            let offered = format!("__fish_consentlint_using_subcommand {command}\" -l profile");
            let at = fish.find(&offered).unwrap_or_else(|| panic!("no `{command} --profile` in {fish}"));
            let entry =
                fish.get(at..).and_then(|rest| rest.split("\ncomplete -c").next()).unwrap_or_default();
            assert!(
                entry.contains(&format!("{profile}\\t")),
                "`{command} --profile` does not offer {profile}: {entry}"
            );
        }
    }
    // Any name still reaches the command, which answers with "did you mean".
    let typo = run(root(), &["check", "--profile", "scubba", "examples/"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("scuba"), "{}", typo.stderr);
}

#[test]
fn a_manual_page_per_subcommand() {
    let page = run(root(), &["man", "check"]);
    assert_eq!(page.code, 0);
    for section in [".SH OPTIONS", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH EXAMPLES"] {
        assert!(page.stdout.contains(section), "{section}");
    }
    for name in
        ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS", "RAYON_NUM_THREADS", "stdin\\-filename"]
    {
        assert!(page.stdout.contains(name), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let all = run(root(), &["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for name in ["consentlint.1", "consentlint-check.1", "consentlint-explain.1", "consentlint-man.1"] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
}

#[test]
fn init_writes_a_schema_the_modeline_finds_offline() {
    let dir = tempfile::tempdir().unwrap();
    let init = run(dir.path(), &["init", "--schema"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = std::fs::read_to_string(dir.path().join(".consentlint.yaml")).unwrap();
    assert!(config.contains("# yaml-language-server: $schema=.consentlint.schema.json\n"));
    let schema = std::fs::read_to_string(dir.path().join(".consentlint.schema.json")).unwrap();
    assert_eq!(run(dir.path(), &["schema", "Config"]).stdout.trim_end(), schema.trim_end());
    assert_eq!(
        run(dir.path(), &["check", "--format", "plain"]).code,
        0,
        "the starter configuration is valid"
    );
}
