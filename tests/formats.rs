#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]
//! The machine formats `sarif`, `github` and `junit` over the fixture repository in
//! `tests/fixtures/formats/` (errors, warnings and an info from a house policy, a file name with a
//! space, a message with `%`, `:`, `,` and non-ASCII text), and over crafted diagnostics whose text
//! tries to break out of each format.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use consentlint::check;
use consentlint::diagnostic::{Diagnostic, Severity, Suppression, SuppressionKind};
use consentlint::options::Options;
use consentlint::policy::Sources;
use consentlint::render::{self, Format, Platform, Style};
use consentlint::report::{Report, RuleMeta};
use consentlint::source::{SourceFile, Span};
use serde_json::Value;

#[path = "support/snapshots.rs"]
mod snapshots;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// Checks the fixture repository at `root` with the built-in pack and its house policy.
fn check_with(root: &Path, threads: Option<usize>) -> Report {
    let mut options = Options::new(vec![root.join("apps"), root.join("tenants")], root.to_path_buf());
    options.threads = threads;
    options.policies = Sources { builtin: true, dirs: vec![root.join("policy")], ..Sources::default() };
    check::run(&options).expect("the check runs")
}

fn report() -> Report {
    check_with(&fixtures(), None)
}

fn rendered(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    render::render(report, format, Style::default(), &mut out).expect("rendering succeeds");
    String::from_utf8(out).expect("the output is UTF-8")
}

fn sarif(report: &Report) -> Value {
    serde_json::from_str(&rendered(report, Format::Sarif)).expect("SARIF is JSON")
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

/// A report of one diagnostic in a file of its own, described by a rule.
fn crafted(file: &str, text: &str, target: &str, message: &str, help: Option<&str>) -> Report {
    let source = Arc::new(SourceFile::new(PathBuf::from(file), file.to_owned(), text));
    let start = text.find(target).expect("the target is in the text");
    let diagnostic =
        Diagnostic::new("CL-X001", Severity::Error, message, &source, Span::new(start, start + target.len()))
            .with_optional_help(help.map(str::to_owned))
            .with_url("https://example.com/x001")
            .at(0, "/spec/x");
    let mut report = Report::new(vec![diagnostic], 1, 1, false);
    report.rules = vec![RuleMeta {
        id: "CL-X001".into(),
        name: "crafted-rule".into(),
        severity: Severity::Error,
        summary: "a crafted rule".into(),
        description: "Crafted for tests.".into(),
        url: Some("https://example.com/x001".into()),
    }];
    report
}

#[test]
fn the_fixture_has_every_severity_and_hostile_text() {
    let report = report();
    let s = report.summary;
    assert!(s.errors >= 3 && s.warnings >= 3 && s.infos >= 1, "{s:?}");
    assert!(report.diagnostics.iter().any(|d| d.message.contains("Zürich, 50%: test")));
    assert!(report.diagnostics.iter().any(|d| d.source.name().contains(' ')));
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the SARIF schema is read from {}: {e}", path.display());
    }))
    .expect("the schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles without fetching anything");
    let mut report = report();
    report.diagnostics[0].suppression =
        Some(Suppression { kind: SuppressionKind::Baseline, justification: "accepted in review".into() });
    report.recount();
    let incomplete = Report::new(Vec::new(), 0, 0, true);
    for log in [sarif(&report), sarif(&incomplete)] {
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
    }
    // The validator is not vacuous: a wrong level deep inside a result is caught.
    let mut broken = sarif(&report);
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the schema rejects an unknown level");
    assert_eq!(sarif(&incomplete)["runs"][0]["invocations"][0]["executionSuccessful"], false);
    assert_eq!(sarif(&report)["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_describes_the_tool_and_every_rule() {
    let report = report();
    let log = sarif(&report);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "consentlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], "https://github.com/consentlint/consentlint");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), report.rules.len());
    for (rule, meta) in rules.iter().zip(&report.rules) {
        assert_eq!(rule["id"], meta.id.as_str());
        assert_eq!(rule["name"], meta.name.as_str());
        assert_eq!(rule["shortDescription"]["text"], meta.summary.as_str());
        assert_eq!(rule["help"]["markdown"], meta.description.as_str());
        assert_eq!(rule["helpUri"].as_str(), meta.url.as_deref());
        let level = match meta.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{}", meta.id);
    }
    let note = rules.iter().find(|r| r["id"] == "NOTE-001").expect("the house rule is listed");
    assert_eq!(note["helpUri"], "https://example.com/style#display-names");
}

#[test]
fn sarif_rule_indexes_resolve_even_for_codes_without_a_rule() {
    let mut report = report();
    let mut stray = report.diagnostics[0].clone();
    stray.code = "internal".into();
    stray.message = "something went wrong".into();
    report.diagnostics.push(stray);
    // A failed setup leaves no rules at all: tool codes are then described from their table.
    let mut schema_error = report.diagnostics.iter().find(|d| d.code == "CL-S001").unwrap().clone();
    schema_error.message = "another".into();
    let bare = Report::new(vec![schema_error], 1, 1, true);
    for report in [&report, &bare] {
        let log = sarif(report);
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let results = results(&log);
        assert_eq!(results.len(), report.diagnostics.len());
        for result in results {
            let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }
    let log = sarif(&bare);
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["name"], "schema-violation");
}

#[test]
fn sarif_regions_and_files_match_the_json_format() {
    let report = report();
    let log = sarif(&report);
    let json: Value = serde_json::from_str(&rendered(&report, Format::Json)).unwrap();
    let items = json["diagnostics"].as_array().unwrap();
    let results = results(&log);
    assert_eq!(results.len(), items.len());
    for (result, item) in results.iter().zip(items) {
        assert_eq!(result["ruleId"], item["code"]);
        let level = match item["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(result["level"], level);
        let message = result["message"]["text"].as_str().unwrap();
        assert!(message.starts_with(item["message"].as_str().unwrap()), "{message}");
        if let Some(help) = item["help"].as_str() {
            assert!(message.ends_with(&format!(". Help: {help}")), "{message}");
            assert_eq!(result["properties"]["help"], help);
        }
        assert_eq!(result["properties"]["pointer"], item["pointer"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(uri, item["file"].as_str().unwrap().replace(' ', "%20"));
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        for (sarif_key, json_key) in [
            ("startLine", "line"),
            ("startColumn", "column"),
            ("endLine", "endLine"),
            ("endColumn", "endColumn"),
        ] {
            assert_eq!(region[sarif_key], item[json_key], "{sarif_key} of {}", item["code"]);
        }
    }
    // Columns count characters: the display name after `é`-like letters and `東京` ends where JSON says.
    let note = results.iter().find(|r| r["ruleId"] == "NOTE-001").unwrap();
    assert_eq!(note["locations"][0]["physicalLocation"]["region"]["endColumn"], 44);
}

/// Copies the fixture repository, with blank lines added at the top of every file.
fn copy_with_blank_lines(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy_with_blank_lines(&entry.path(), &target);
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(&target, format!("\n\n\n{text}")).unwrap();
        }
    }
}

fn fingerprints(log: &Value) -> Vec<String> {
    results(log)
        .iter()
        .map(|r| r["partialFingerprints"]["consentlint/v1"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let before = sarif(&report());
    let moved = tempfile::tempdir().unwrap();
    copy_with_blank_lines(&fixtures(), moved.path());
    let after = sarif(&check_with(moved.path(), None));
    let lines = |log: &Value| -> Vec<u64> {
        results(log)
            .iter()
            .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines(&after), lines(&before).iter().map(|l| l + 3).collect::<Vec<_>>());
    assert_eq!(fingerprints(&after), fingerprints(&before));
    let keys = fingerprints(&before);
    assert!(
        keys.contains(
            &"CL-A004|apps/sales reports.yaml|/spec/permissions/[name=User.Raed]/name|0".to_owned()
        ),
        "{keys:?}"
    );
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "fingerprints are unique: {keys:?}");
}

#[test]
fn sarif_fingerprints_tell_apart_findings_of_one_rule_at_one_node() {
    let mut report = report();
    let mut twin = report.diagnostics[0].clone();
    twin.message.push_str(" (again)");
    report.diagnostics.insert(1, twin);
    let keys = fingerprints(&sarif(&report));
    assert_eq!(keys[1], format!("{}|2", keys[0]));
}

#[test]
fn sarif_keeps_suppressed_findings_with_their_justification() {
    let mut report = report();
    let total = report.diagnostics.len();
    let a004 = report.diagnostics.iter().position(|d| d.code == "CL-A004").unwrap();
    report.diagnostics[a004].suppression =
        Some(Suppression { kind: SuppressionKind::Inline, justification: "a custom API, reviewed".into() });
    let t005 = report.diagnostics.iter().position(|d| d.code == "CL-T005").unwrap();
    report.diagnostics[t005].suppression =
        Some(Suppression { kind: SuppressionKind::Baseline, justification: "in the baseline".into() });
    report.recount();
    assert_eq!(results(&sarif(&report)).len(), total - 2, "by default, SARIF leaves suppressed findings out");
    let platform = Platform { include_suppressed: true, ..Platform::default() };
    let mut out = Vec::new();
    render::render_for(&report, Format::Sarif, Style::default(), &platform, &mut out).unwrap();
    let log: Value = serde_json::from_slice(&out).unwrap();
    let results = results(&log);
    assert_eq!(results.len(), total, "--sarif-include-suppressed keeps suppressed findings");
    let inline = &results[a004]["suppressions"];
    assert_eq!(inline[0]["kind"], "inSource");
    assert_eq!(inline[0]["justification"], "a custom API, reviewed");
    assert_eq!(results[t005]["suppressions"][0]["kind"], "external");
    assert_eq!(results[t005]["suppressions"][0]["justification"], "in the baseline");
    assert_eq!(results.iter().filter(|r| r.get("suppressions").is_some()).count(), 2);
    // The other formats leave them out.
    let github = rendered(&report, Format::Github);
    assert!(!github.contains("CL-A004") && !github.contains("CL-T005"));
    assert_eq!(github.lines().filter(|l| l.starts_with("::")).count(), total - 2);
    let junit = rendered(&report, Format::Junit);
    assert!(!junit.contains("CL-A004") && !junit.contains("CL-T005"));
}

#[test]
fn sarif_results_snapshot() {
    let log = sarif(&report());
    insta::assert_snapshot!(serde_json::to_string_pretty(&log["runs"][0]["results"]).unwrap());
}

#[test]
fn github_escapes_data_and_properties_exactly() {
    let report = crafted(
        "odd,dir:x/50% done.yaml",
        "key: value\n",
        "value",
        "50% done\r\nnext: a, b",
        Some("use `a, b: c`\nor 100%"),
    );
    assert_eq!(
        rendered(&report, Format::Github),
        "::error file=odd%2Cdir%3Ax/50%25 done.yaml,line=1,col=6,endLine=1,endColumn=11,\
         title=CL-X001 crafted-rule::50%25 done%0D%0Anext: a, b%0Ahelp: use `a, b: c`%0Aor 100%25\n\
         1 error in 1 file (1 document)\n"
    );
}

#[test]
fn github_neutralises_terminal_controls_and_spans_over_lines() {
    let report = crafted("x.yaml", "a: |\n  one\n  two\n", "one\n  two", "bad \u{1b}[2J\u{202e}", None);
    let output = rendered(&report, Format::Github);
    assert_eq!(
        output.lines().next().unwrap(),
        "::error file=x.yaml,line=2,endLine=3,title=CL-X001 crafted-rule::bad \\u{1b}[2J\\u{202e}"
    );
}

#[test]
fn github_maps_severities_and_matches_the_snapshot() {
    let report = report();
    let output = rendered(&report, Format::Github);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), report.diagnostics.len() + 1);
    assert_eq!(lines.iter().filter(|l| l.starts_with("::error ")).count(), report.summary.errors);
    assert_eq!(lines.iter().filter(|l| l.starts_with("::warning ")).count(), report.summary.warnings);
    assert_eq!(lines.iter().filter(|l| l.starts_with("::notice ")).count(), report.summary.infos);
    assert_eq!(*lines.last().unwrap(), report.summary.sentence());
    assert!(output.contains("from `Zürich, 50%25: test`"), "{output}");
    insta::assert_snapshot!(output);
}

fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("JUnit output is XML: {e}\n{xml}"))
}

fn count(node: roxmltree::Node<'_, '_>, attribute: &str) -> usize {
    node.attribute(attribute).expect("the attribute is there").parse().unwrap()
}

#[test]
fn junit_parses_and_its_counts_add_up() {
    let report = report();
    let xml = rendered(&report, Format::Junit);
    let doc = parse(&xml);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases =
        |node: roxmltree::Node<'_, '_>| node.descendants().filter(|n| n.has_tag_name("testcase")).count();
    let failed =
        |node: roxmltree::Node<'_, '_>| node.descendants().filter(|n| n.has_tag_name("failure")).count();
    assert_eq!(count(root, "tests"), cases(root));
    assert_eq!(count(root, "failures"), failed(root));
    assert_eq!(count(root, "tests"), report.diagnostics.len());
    assert_eq!(count(root, "failures"), report.summary.errors + report.summary.warnings);
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 3);
    for suite in &suites {
        assert_eq!(count(*suite, "tests"), cases(*suite));
        assert_eq!(count(*suite, "failures"), failed(*suite));
    }
    let info = root
        .descendants()
        .find(|n| {
            n.has_tag_name("testcase") && n.attribute("name").is_some_and(|name| name.starts_with("NOTE-001"))
        })
        .unwrap();
    assert!(info.children().all(|n| !n.has_tag_name("failure")));
    let out = info.children().find(|n| n.has_tag_name("system-out")).unwrap();
    assert!(out.text().unwrap().starts_with("info[NOTE-001]: display name `Verkaufsberichte Zürich – 東京`"));
}

#[test]
fn junit_survives_hostile_text() {
    let message = "a < b && \"c\" > 'd' ]]> <![CDATA[ \u{1b}[31m\u{0}\u{b} end\r\nnext";
    let report = crafted("<evil> & \"x\".yaml", "key: value\n", "value", message, Some("--> ]]>"));
    let xml = rendered(&report, Format::Junit);
    let doc = parse(&xml);
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    let expected = "a < b && \"c\" > 'd' ]]> <![CDATA[ \\u{1b}[31m\\u{0}\\u{b} end\r\nnext";
    assert_eq!(failure.attribute("message"), Some(expected));
    assert_eq!(failure.attribute("type"), Some("CL-X001"));
    let text = failure.text().unwrap();
    assert!(text.starts_with(&format!("error[CL-X001]: {expected}\n")), "{text:?}");
    assert!(text.contains("--> <evil> & \"x\".yaml:1:6"), "{text:?}");
    assert!(text.contains("= help: --> ]]>"), "{text:?}");
    assert!(text.contains("= docs: https://example.com/x001"), "{text:?}");
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(suite.attribute("name"), Some("<evil> & \"x\".yaml"));
    let case = doc.descendants().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("classname"), Some("<evil> & \"x\"_yaml"), "no `.` for Jenkins to split at");
    assert_eq!(case.attribute("file"), None, "junit-10.xsd allows no `file` attribute");
    assert_eq!(case.attribute("name"), Some("CL-X001 /spec/x"));
}

#[test]
fn junit_clean_run_has_one_passing_case() {
    let report = Report::new(Vec::new(), 2, 2, false);
    let xml = rendered(&report, Format::Junit);
    let doc = parse(&xml);
    let root = doc.root_element();
    assert_eq!((count(root, "tests"), count(root, "failures")), (1, 0));
    let case = root.descendants().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("name"), Some("consentlint"));
    assert_eq!(case.parent().unwrap().attribute("name"), Some("consentlint"));
}

#[test]
fn junit_matches_the_snapshot() {
    insta::assert_snapshot!(rendered(&report(), Format::Junit));
}

#[test]
fn markdown_summary_matches_the_snapshot() {
    let mut report = report();
    report.diagnostics[0].suppression =
        Some(Suppression { kind: SuppressionKind::Baseline, justification: "accepted in review".into() });
    report.recount();
    insta::assert_snapshot!(rendered(&report, Format::Markdown));
}

#[test]
fn gitlab_code_quality_matches_the_snapshot() {
    insta::assert_snapshot!(rendered(&report(), Format::Gitlab));
}

#[test]
fn no_snapshot_is_orphaned() {
    let tests = [
        "sarif_results_snapshot",
        "github_maps_severities_and_matches_the_snapshot",
        "junit_matches_the_snapshot",
        "markdown_summary_matches_the_snapshot",
        "gitlab_code_quality_matches_the_snapshot",
    ];
    snapshots::assert_no_orphans("formats", &tests, tests.map(str::to_owned));
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let one = check_with(&fixtures(), Some(1));
    let four = check_with(&fixtures(), Some(4));
    // Four threads finish in any order; the findings still come sorted by file and position.
    let found: Vec<String> = four
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d.code,
                d.source.name(),
                d.start().expect("a position").line,
                d.start().expect("a position").column
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "NOTE-001 apps/sales reports.yaml:8:16",
            "CL-A010 apps/sales reports.yaml:9:3",
            "CL-A004 apps/sales reports.yaml:16:13",
            "CL-A001 apps/sales reports.yaml:19:13",
            "CL-A007 apps/sales reports.yaml:22:13",
            "CL-A008 apps/sales reports.yaml:22:13",
            "CL-S001 apps/typo.yaml:14:7",
            "CL-T006 tenants/zurich.yaml:10:13",
            "CL-T005 tenants/zurich.yaml:21:28",
        ]
    );
    assert_eq!(four.summary.sentence(), "4 errors, 4 warnings, 1 info in 3 files (3 documents)");
    for format in [Format::Sarif, Format::Github, Format::Junit] {
        assert_eq!(rendered(&one, format), rendered(&four, format), "{format:?} depends on the thread count");
    }
}

#[test]
fn the_command_line_offers_the_formats() {
    let root = fixtures();
    // Run in the fixture directory, the CI formats give paths from the repository root.
    let platform = Platform { prefix: render::repository_prefix(&root), ..Platform::default() };
    let formats = [
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("junit", Format::Junit),
        ("gitlab", Format::Gitlab),
        ("markdown", Format::Markdown),
    ];
    for (name, format) in formats {
        let output = Command::cargo_bin("consentlint")
            .unwrap()
            .current_dir(&root)
            .args(["check", "apps", "tenants", "--policy", "policy", "--format", name])
            .env_remove("GITHUB_SHA")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let mut expected = Vec::new();
        render::render_for(&report(), format, Style::default(), &platform, &mut expected).unwrap();
        assert_eq!(String::from_utf8(output.stdout).unwrap(), String::from_utf8(expected).unwrap(), "{name}");
    }
}
