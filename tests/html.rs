//! `--format html`: snapshots of the report on `examples/` (`check` and `simulate`), a page that is
//! the same for the same inputs but for its one time line, hostile names from every input format
//! shown as text, and the page rendered in headless Chromium: its counts, a control row and a
//! finding's snippet in the rendered DOM, a screenshot in light and dark colours, no console
//! message and no network request.
//!
//! Chromium is Debian's `chromium` package, which `.ci/run` installs; where no Chromium is found
//! the browser tests say so loudly on standard error and pass, and `CONSENTLINT_REQUIRE_CHROMIUM=1`
//! makes that a failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

#[path = "support/copy.rs"]
mod copy;
use copy::copy_dir;

#[path = "support/snapshots.rs"]
mod snapshots;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `consentlint ARGS` in `dir` at the time `epoch`: exit status and standard output.
fn run(dir: &Path, args: &[&str], epoch: &str) -> (i32, String) {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().expect("exit status"), String::from_utf8(output.stdout).unwrap())
}

/// The page as the snapshots keep it: the style sheet and script (checked on their own) and the
/// version left out, so that a snapshot changes only when what the report says changes.
fn for_snapshot(page: &str) -> String {
    let cut = |text: &str, open: &str, close: &str| {
        let start = text.find(open).expect("opening tag") + open.len();
        let end = text[start..].find(close).expect("closing tag") + start;
        format!("{}[…]{}", &text[..start], &text[end..])
    };
    let page = cut(page, "<style>\n", "</style>");
    let page = cut(&page, "<script>", "</script>");
    page.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

const CHECK: &[&str] = &["check", "examples/", "--format", "html"];
const SIMULATE: &[(&str, &[&str])] = &[
    (
        "simulate-contoso",
        &[
            "simulate",
            "--tenant",
            "examples/tenants/contoso.yaml",
            "examples/apps/contoso",
            "--format",
            "html",
        ],
    ),
    (
        "simulate-fabrikam",
        &[
            "simulate",
            "--tenant",
            "examples/tenants/fabrikam.yaml",
            "examples/apps/fabrikam",
            "--format",
            "html",
        ],
    ),
];

#[test]
fn the_report_on_the_examples_matches_the_snapshot() {
    let (code, page) = run(&root(), CHECK, "1700000000");
    assert_eq!(code, 1);
    assert!(page.contains("<time datetime=\"2023-11-14T22:13:20Z\">"), "SOURCE_DATE_EPOCH sets the time");
    insta::assert_snapshot!("check-examples", for_snapshot(&page));
}

#[test]
fn the_simulation_of_the_examples_matches_the_snapshots() {
    for (name, args) in SIMULATE {
        let (_, page) = run(&root(), args, "1700000000");
        insta::assert_snapshot!(*name, for_snapshot(&page));
    }
}

/// `consentlint grants` of the example export with its desired state.
const GRANTS: &[&str] =
    &["grants", "examples/entra-export/adatum", "examples/desired/adatum", "--format", "html"];

#[test]
fn the_grants_of_the_example_match_the_snapshot() {
    let (code, page) = run(&root(), GRANTS, "1700000000");
    assert_eq!(code, 0);
    insta::assert_snapshot!("grants-adatum", for_snapshot(&page));
}

#[test]
fn no_orphaned_snapshots() {
    let names = std::iter::once("check-examples".to_owned())
        .chain(std::iter::once("grants-adatum".to_owned()))
        .chain(SIMULATE.iter().map(|(n, _)| (*n).to_owned()));
    snapshots::assert_no_orphans(
        "html",
        &[
            "the_report_on_the_examples_matches_the_snapshot",
            "the_simulation_of_the_examples_matches_the_snapshots",
            "the_grants_of_the_example_match_the_snapshot",
        ],
        names,
    );
}

#[test]
fn the_page_differs_only_in_its_time_line_and_not_with_the_threads() {
    let args = |threads: &'static str| [CHECK, &["--threads", threads]].concat();
    let (_, first) = run(&root(), &args("1"), "0");
    let (_, second) = run(&root(), &args("2"), "86400");
    let (_, third) = run(&root(), &args("2"), "0");
    assert_eq!(first, third, "the same inputs at the same time give the same bytes");
    let differing: Vec<(&str, &str)> = first.lines().zip(second.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(first.lines().count(), second.lines().count());
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0].0.starts_with("<p class=\"time\">"), "{differing:?}");
    // Through `--output-format html:PATH` the page is the same.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let target = format!("html:{}", path.display());
    let (_, _) = run(
        &root(),
        &["check", "examples/", "--threads", "1", "--format", "json", "--output-format", &target],
        "0",
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn the_content_security_policy_names_the_script_it_carries() {
    // The page's script runs only if its hash is the one the policy names (the browser test sees it
    // run); here the hash is computed again from the page, with `sha256sum`.
    let (_, page) = run(&root(), CHECK, "0");
    let script = page.split("<script>").nth(1).and_then(|rest| rest.split("</script>").next()).unwrap();
    let named = page.split("script-src 'sha256-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap();
    let mut child = Process::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum (coreutils) runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let hex = String::from_utf8(output.stdout).unwrap();
    let bytes: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    assert_eq!(base64(&bytes), named);
    assert!(page.contains("default-src 'none'"), "the page may load nothing");
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_page_is_complete_without_its_script() {
    // Headless Chromium cannot dump the DOM with scripts off, so this is checked on the page itself:
    // every finding is in the markup, the filter (which needs the script) is hidden until the script
    // shows it, and the script writes no content of its own.
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let target = format!("json:{}", json.display());
    let (_, page) = run(&root(), &[CHECK, &["--output-format", &target]].concat(), "0");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let findings = report["diagnostics"].as_array().unwrap().len();
    assert!(findings > 20);
    // Suppressed and baselined findings are on the page too, in their collapsed section.
    let hidden =
        report["summary"]["suppressed"].as_u64().unwrap() + report["summary"]["baselined"].as_u64().unwrap();
    assert!(hidden > 0, "the examples hold a suppressed finding");
    let hidden = usize::try_from(hidden).unwrap();
    assert_eq!(page.matches("<article class=\"finding ").count(), findings + hidden);
    assert!(page.contains("<div class=\"filter\" hidden>"), "the filter is hidden without the script");
    let script = page.split("<script>").nth(1).and_then(|rest| rest.split("</script>").next()).unwrap();
    for writer in [
        "innerHTML",
        "outerHTML",
        "insertAdjacent",
        "document.write",
        "createElement",
        "fetch",
        "XMLHttpRequest",
    ] {
        assert!(!script.contains(writer), "the script uses `{writer}`");
    }
}

/// What a hostile name must never become: markup.
const HOSTILE: &str = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>";
const ESCAPED: &str =
    "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;";

/// A directory with the hostile text in every input format: a YAML manifest (as a permission name
/// and a suppression's reason), the same manifest in UTF-16 with a byte-order mark, and a native
/// Graph application (as a permission id) in a copy of the example export.
fn hostile_inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let manifest = |name: &str| {
        format!(
            "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: {name}\n  appId: 2b7e1c3a-9d4f-4a6e-8c1b-5f3e2d1a0b9c\nspec:\n  displayName: \"{HOSTILE}\"\n  publisher: {{name: Contoso, origin: organization, verified: false}}\n  signInAudience: single-tenant\n  consent: admin\n  permissions:\n    - name: \"{HOSTILE}\"\n      type: delegated\n      justification: \"{HOSTILE}\"\n    # consentlint-ignore CL-A004: {HOSTILE}\n    - name: \"Mail.Raed{HOSTILE}\"\n      type: delegated\n      justification: read mail\n"
        )
    };
    std::fs::write(dir.path().join("hostile.yaml"), manifest("hostile-yaml")).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(manifest("hostile-utf16").encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("hostile-utf16.yaml"), utf16).unwrap();
    let export = dir.path().join("northwind");
    copy_dir(&root().join("examples/entra-export/northwind"), &export);
    let app = export
        .join("Applications/c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f/c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f.json");
    let text = std::fs::read_to_string(&app).unwrap();
    let json_hostile = HOSTILE.replace('"', "\\\"");
    let text = text.replacen("\"Records Archiver\"", &format!("\"{json_hostile}\""), 1).replacen(
        "\"678536fe-1083-478a-9c59-b99265e6b0d3\"",
        &format!("\"{json_hostile}\""),
        1,
    );
    assert!(text.contains("alert(1)"), "the export holds the hostile text");
    std::fs::write(&app, text).unwrap();
    dir
}

#[test]
fn hostile_names_from_every_input_format_are_text() {
    let dir = hostile_inputs();
    let (_, page) = run(dir.path(), &["check", ".", "--format", "html"], "0");
    assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
    assert!(!page.contains("</textarea>") && !page.contains("<img"), "hostile markup is escaped");
    // In each file's findings: the message and the snippet quote it, escaped.
    for file in ["hostile.yaml", "hostile-utf16.yaml", "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f.json"] {
        let section = page
            .split("<section class=\"file\">")
            .find(|section| section.contains(file) && section.contains("CL-A004"))
            .unwrap_or_else(|| panic!("a finding in {file}:\n{page}"));
        assert!(section.matches(ESCAPED).count() >= 2, "{file}: message and snippet:\n{section}");
    }
    // The suppression's reason, in the collapsed part.
    let hidden = page.split("<section id=\"suppressed\">").nth(1).expect("a suppressed section");
    assert!(hidden.contains(&format!("<strong>suppressed inline</strong>: {ESCAPED}")), "{hidden}");
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium.

/// The Chromium binary: `$CONSENTLINT_CHROMIUM`, else `chromium`, `chromium-browser` or
/// `google-chrome` on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CONSENTLINT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The browser, or a loud message and `None` when there is none (a failure with
/// `CONSENTLINT_REQUIRE_CHROMIUM=1`).
fn browser(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        let message = format!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !!! {test}: NOT RUN: no Chromium found (install Debian's `chromium`;\n\
             !!! `.ci/run` does). The HTML report was NOT checked in a browser.\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
        assert!(std::env::var("CONSENTLINT_REQUIRE_CHROMIUM").as_deref() != Ok("1"), "{message}");
        eprintln!("{message}");
    }
    found
}

/// What one headless Chromium run saw.
struct Seen {
    /// The DOM after the page's script ran (`--dump-dom`), or empty for a screenshot run.
    dom: String,
    /// The console messages the page logged.
    console: Vec<String>,
    /// The network requests the page made (requests of the browser itself are left out).
    requests: Vec<String>,
}

/// Opens `page` in headless Chromium with its host resolver failing every name, its console logged
/// and its network events recorded; `extra` adds `--dump-dom` or `--screenshot=…`.
fn open(chromium: &Path, page: &Path, extra: &[&str]) -> Seen {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net.json");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=1",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--log-net-log={}", net.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let console = stderr.lines().filter(|line| line.contains(":CONSOLE")).map(str::to_owned).collect();
    Seen { dom: String::from_utf8_lossy(&output.stdout).into_owned(), console, requests: page_requests(&net) }
}

/// The URLs the page requested, from Chromium's net log: requests whose network isolation key is
/// the page's (`file://`), other than the page's own file.
fn page_requests(net: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(net).expect("chromium wrote its net log");
    // A log cut short lacks its closing brackets.
    let log: Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the net log is JSON");
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().expect("event type");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["type"].as_u64() == Some(start))
        .filter(|event| {
            event["params"]["network_isolation_key"].as_str().is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|event| event["params"]["url"].as_str())
        .filter(|url| !url.starts_with("file:"))
        .map(str::to_owned)
        .collect()
}

/// Width and height of a PNG, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn the_detectors_see_a_console_message_and_a_request() {
    // The checks below would pass on a browser that logged nothing: this page logs and fetches.
    let Some(chromium) = browser("the_detectors_see_a_console_message_and_a_request") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><p>bad</p><img src=\"http://example.com/x.png\"><script>console.error('boom'); missing();</script>",
    )
    .unwrap();
    let seen = open(&chromium, &page, &["--dump-dom"]);
    assert!(seen.console.iter().any(|line| line.contains("boom")), "{:?}", seen.console);
    assert!(seen.console.iter().any(|line| line.contains("missing is not defined")), "{:?}", seen.console);
    assert_eq!(seen.requests, ["http://example.com/x.png"]);
}

#[test]
fn the_report_renders_in_chromium() {
    let Some(chromium) = browser("the_report_renders_in_chromium") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let json = dir.path().join("report.json");
    let targets = [format!("html:{}", page.display()), format!("json:{}", json.display())];
    run(
        &root(),
        &["check", "examples/", "--output-format", &targets[0], "--output-format", &targets[1]],
        "0",
    );
    let seen = open(&chromium, &page, &["--dump-dom"]);
    assert!(seen.console.is_empty(), "console messages: {:?}", seen.console);
    assert!(seen.requests.is_empty(), "network requests: {:?}", seen.requests);
    let dom = &seen.dom;
    // The counts, as the JSON report of the same run gives them.
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for (key, word) in [("errors", "errors"), ("warnings", "warnings"), ("files", "files")] {
        let count = report["summary"][key].as_u64().unwrap();
        assert!(dom.contains(&format!("<li><strong>{count}</strong> {word}</li>")), "{word}: {count}\n{dom}");
    }
    // A control row: its id linked to the baseline's text, its verdict in words.
    let row = dom.split("<tr").find(|row| row.contains(">MS.AAD.5.1v1</a>")).expect("a row for MS.AAD.5.1v1");
    assert!(row.contains("href=\"https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md#msaad51v1\""), "{row}");
    assert!(row.contains("</span> fail</span>") && row.contains("href=\"#f"), "{row}");
    // A finding's snippet, with its span marked and underlined.
    assert!(dom.contains("<mark>User.Raed</mark>"), "{dom}");
    assert!(dom.contains("<b>^^^^^^^^^ unknown-permission</b>"), "{dom}");
    // The script ran (the content security policy let it): the filter is shown, headers sort.
    assert!(dom.contains("<div class=\"filter\">"), "the filter bar is shown");
    assert!(dom.contains("title=\"Sort by this column\""), "tables sort");
    // A screenshot, in light and in dark colours.
    let light = dir.path().join("light.png");
    let dark = dir.path().join("dark.png");
    let seen = open(&chromium, &page, &[&format!("--screenshot={}", light.display())]);
    assert!(seen.console.is_empty() && seen.requests.is_empty(), "{:?} {:?}", seen.console, seen.requests);
    open(&chromium, &page, &["--force-dark-mode", &format!("--screenshot={}", dark.display())]);
    let (light, dark) = (std::fs::read(light).unwrap(), std::fs::read(dark).unwrap());
    assert_eq!(png_size(&light), (1280, 1600));
    assert_eq!(png_size(&dark), (1280, 1600));
    assert!(light.len() > 20_000, "the screenshot shows a page, not a blank: {} bytes", light.len());
    assert_ne!(light, dark, "the page follows the dark colour scheme");
}

#[test]
fn the_simulation_and_hostile_names_render_in_chromium() {
    let Some(chromium) = browser("the_simulation_and_hostile_names_render_in_chromium") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("simulate.html");
    let (_, html) = run(&root(), SIMULATE[1].1, "0");
    std::fs::write(&page, html).unwrap();
    let seen = open(&chromium, &page, &["--dump-dom"]);
    assert!(seen.console.is_empty() && seen.requests.is_empty(), "{:?} {:?}", seen.console, seen.requests);
    assert!(seen.dom.contains("<a href=\"#app0\">mailbox-archiver</a>"), "{}", seen.dom);
    assert!(seen.dom.contains("</span> blocked</span>"), "{}", seen.dom);

    // The grants of the example: the table of what each app holds, with who may grant it.
    let page = dir.path().join("grants.html");
    let (_, html) = run(&root(), GRANTS, "0");
    std::fs::write(&page, html).unwrap();
    let seen = open(&chromium, &page, &["--dump-dom"]);
    assert!(seen.console.is_empty() && seen.requests.is_empty(), "{:?} {:?}", seen.console, seen.requests);
    assert!(seen.dom.contains("<caption>What <code>Fabrikam Planner</code> holds</caption>"), "{}", seen.dom);
    assert!(seen.dom.contains("<th scope=\"row\"><code>Calendars.Read</code></th>"), "{}", seen.dom);
    assert!(seen.dom.contains("<strong>3</strong> users' grants out of policy"), "{}", seen.dom);

    let inputs = hostile_inputs();
    let page = dir.path().join("hostile.html");
    let (_, html) = run(inputs.path(), &["check", ".", "--format", "html"], "0");
    std::fs::write(&page, html).unwrap();
    let seen = open(&chromium, &page, &["--dump-dom"]);
    assert!(seen.console.is_empty(), "a hostile name ran: {:?}", seen.console);
    assert!(seen.requests.is_empty(), "{:?}", seen.requests);
    assert_eq!(seen.dom.matches("<script").count(), 1, "only the page's own script");
    assert!(!seen.dom.contains("<img"), "no element from a name");
    assert!(seen.dom.contains(ESCAPED), "the name is text on the page");
}
