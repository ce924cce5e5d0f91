//! The real-world corpus: every file of `tests/fixtures/realworld/` (exports, API responses and
//! manifests as Microsoft, CISA and community projects published them; sources in its README.md)
//! is checked alone, the way a user would point consentlint at it, and is either recognised as what
//! it is or skipped with a stated reason: never a crash, never a syntax or schema error for a file
//! that is not ours, never a finding on a value the file does not state. The plain rendering of each
//! file is snapshotted (`realworld__<file>.snap`); every finding in those snapshots was checked
//! against the value it points at.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

#[path = "support/snapshots.rs"]
mod snapshots;

use Expect::{App, Invalid, Skipped, Tenant};
use Part::{Authorization, ConsentRequest, ConsentSettings, Organization};

/// The corpus, relative to the crate.
const CORPUS: &str = "tests/fixtures/realworld";

/// No run may take longer than this (the largest ScubaGear export takes well under a second).
const TIMEOUT: Duration = Duration::from_secs(60);

/// The objects a native tenant is assembled from (`src/native/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// `authorizationPolicy`: whether and how users may consent, and register apps.
    Authorization,
    /// `adminConsentRequestPolicy`: the admin consent workflow.
    ConsentRequest,
    /// The "Consent Policy Settings" directory setting: group owner consent.
    ConsentSettings,
    /// `organization` (ScubaGear's `tenant_details`): the tenant's name, no consent setting.
    Organization,
}

/// The built-in tenant rules and the parts that state every value each one reads. A rule whose
/// parts are not all in a file is not judged on it: the run says so in a note, and it finds nothing.
/// `CL-T010` reads the low-impact permission list, which no file of the corpus states.
const TENANT_RULES: [(&str, &[Part]); 10] = [
    // The default profile requires the workflow whether user consent is on or off.
    ("CL-T001", &[ConsentRequest]),
    ("CL-T002", &[ConsentRequest]),
    ("CL-T003", &[ConsentRequest]),
    ("CL-T004", &[ConsentRequest]),
    ("CL-T005", &[ConsentRequest]),
    ("CL-T006", &[Authorization]),
    ("CL-T007", &[Authorization]),
    ("CL-T008", &[ConsentSettings]),
    ("CL-T009", &[Authorization]),
    ("CL-T010", &[]),
];

/// What a file must be recognised as.
#[derive(Debug)]
enum Expect {
    /// One native tenant assembled from these parts (one judged document each).
    Tenant { parts: &'static [Part] },
    /// One app registration, in the format the notes name (`which the <format> does not state`).
    App(&'static str),
    /// Nothing judged; the note `` `<file>` was skipped: <reason> `` contains this text.
    Skipped(&'static str),
    /// JSON that names what a native object holds but does not parse (as published): one located
    /// `CL-P001` error, never a silent skip.
    Invalid,
}

/// The application permissions a ScubaGear export records as granted, each one grant: the
/// `Permissions` with `IsAdminConsented: true` of `risky_third_party_service_principals`, and those
/// with `RoleType: Application` of `risky_applications` (ScubaGear's `Get-ApplicationsWithRiskyPermissions`
/// marks a permission of an app's registration consented when its service principal holds that app
/// role), one per service principal and app role. Counted in the files by hand: the v1.7 sample
/// lists `User.Read.All` of service principal `4d567bec…` in both lists (4 + 13 - 1); the v1.8
/// sample 1 + 5 in `risky_applications` and 2 in the third-party list; the other files list none.
const GRANTS: [(&str, u64); 3] = [
    ("scubagear/scubagear-v1.7-sample-ProviderSettingsExport.json", 16),
    ("scubagear/scubagear-v1.8-sample-ProviderSettingsExport.json", 8),
    ("scubagear/scubagear-v1.8-sample-ScubaResults_fa5589b7-d528-4f80.json", 8),
];

/// Why a file that is not JSON or YAML at all (PowerShell, Bicep, JSON with comments, a pasted
/// fragment, or JSON invalid as published) is skipped: it is not ours, so its syntax is not reported.
const UNPARSABLE: &str = "could not be parsed as YAML or JSON, and it never mentions `consentlint/`";
/// Why valid JSON of a format consentlint does not read is skipped.
const OTHER_FORMAT: &str = "its content is none of the formats consentlint reads";
/// Why a Graph PATCH body of the authorization policy is skipped.
const PATCH: &str = "it changes an authorizationPolicy (a PATCH body) without stating the whole policy";

const GRAPH_APP: &str = "Microsoft Graph application";
const PORTAL_APP: &str = "Entra portal app manifest";
const TEAMS_TOOLKIT: &str = "Teams Toolkit aad.manifest.json";

/// Every file of the corpus, by its path under [`CORPUS`], and what it must be; one row a file.
#[rustfmt::skip]
const CORPUS_FILES: &[(&str, Expect)] = &[
    // Graph adminConsentRequestPolicy: GET responses (one with a CLI mock's indentation) and a PUT body.
    ("admin-consent-request-policy/cli-microsoft365-policy-list-spec-adminConsentRequestPolicy-v1.0.json", Tenant { parts: &[ConsentRequest] }),
    ("admin-consent-request-policy/graph-docs-beta-adminconsentrequestpolicy-get-response.json", Tenant { parts: &[ConsentRequest] }),
    ("admin-consent-request-policy/graph-docs-v1.0-adminconsentrequestpolicy-get-response.json", Tenant { parts: &[ConsentRequest] }),
    ("admin-consent-request-policy/graph-docs-v1.0-adminconsentrequestpolicy-update-request.json", Tenant { parts: &[ConsentRequest] }),
    // Entra portal manifests in the older shape (`name`, `oauth2Permissions`).
    ("app-manifest-aadgraph/cli-microsoft365-app-add-spec-manifest-dynamicscrm-scope.json", App(PORTAL_APP)),
    ("app-manifest-aadgraph/cli-microsoft365-app-add-spec-manifest-preauthorized-apps.json", App(PORTAL_APP)),
    // Graph application objects: CLI for Microsoft 365 mocks and output, Graph docs responses.
    ("app-manifest-graph/cli-microsoft365-app-permission-list-mock-graph-and-sharepoint.json", App(GRAPH_APP)),
    ("app-manifest-graph/cli-microsoft365-app-set-spec-single-line-entity.json", App(GRAPH_APP)),
    ("app-manifest-graph/cli-microsoft365-docs-app-get-json-output-yammer-and-custom-api.json", App(GRAPH_APP)),
    ("app-manifest-graph/cli-microsoft365-permission-list-mock-application-permission.json", App(GRAPH_APP)),
    ("app-manifest-graph/cli-microsoft365-permission-list-mock-delegated-multiple-resources.json", App(GRAPH_APP)),
    ("app-manifest-graph/graph-docs-v1.0-application-get-example1-verified-publisher.json", App(GRAPH_APP)),
    ("app-manifest-graph/graph-docs-v1.0-application-get-example2-select-requiredResourceAccess.json", App(GRAPH_APP)),
    // Azure-Samples AppCreationScripts: their own schema, permissions by name; JSON with comments
    // does not parse, the others are valid JSON of no format consentlint reads.
    ("appcreationscripts/active-directory-dotnet-webapi-onbehalfof-apps-json-custom-api-resource.json", Skipped(UNPARSABLE)),
    ("appcreationscripts/active-directory-dotnet-webapp-multitenant-openidconnect-sample-json-delegated-and-application.json", Skipped(OTHER_FORMAT)),
    ("appcreationscripts/active-directory-python-webapp-graphapi-apps-json-line-comments-blank-lines.json", Skipped(UNPARSABLE)),
    ("appcreationscripts/aspnetcore-webapp-2-3-Multi-Tenant-sample.json", Skipped(OTHER_FORMAT)),
    ("appcreationscripts/aspnetcore-webapp-3-WebApp-multi-APIs-sample.json", Skipped(OTHER_FORMAT)),
    ("appcreationscripts/aspnetcore-webapp-4-3-AnyOrg-sample.json", Skipped(OTHER_FORMAT)),
    ("appcreationscripts/aspnetcore-webapp-5-2-Groups-sample.json", Skipped(OTHER_FORMAT)),
    ("appcreationscripts/dotnetcore-daemon-v2-1-Call-MSGraph-sample.json", Skipped(OTHER_FORMAT)),
    // Graph authorizationPolicy: CLI output (a list), a CLI mock, beta as a collection, v1.0.
    ("authorization-policy/cli-microsoft365-docs-policy-list-json-output.json", Tenant { parts: &[Authorization] }),
    ("authorization-policy/cli-microsoft365-policy-list-spec-authorizationPolicy-v1.0.json", Tenant { parts: &[Authorization] }),
    ("authorization-policy/graph-docs-beta-authorizationpolicy-get-response-collection-newer-revision.json", Tenant { parts: &[Authorization] }),
    // Invalid JSON as published (two commas missing): skipped, not a syntax error, as it is not ours.
    // Commas missing as published: an authorization policy a gate must not pass over.
    ("authorization-policy/graph-docs-beta-authorizationpolicy-get-response.json", Invalid),
    ("authorization-policy/graph-docs-beta-authorizationpolicy-update-disable-user-consent-request.json", Skipped(PATCH)),
    ("authorization-policy/graph-docs-beta-authorizationpolicy-update-enable-low-request.json", Skipped(PATCH)),
    ("authorization-policy/graph-docs-v1.0-authorizationpolicy-get-response.json", Tenant { parts: &[Authorization] }),
    ("authorization-policy/graph-docs-v1.0-authorizationpolicy-update-disable-user-consent-request.json", Skipped(PATCH)),
    ("authorization-policy/graph-docs-v1.0-authorizationpolicy-update-enable-low-request.json", Skipped(PATCH)),
    // Bicep source and a compiled ARM template of the Graph Bicep extension.
    ("bicep/msgraph-bicep-types-appRequiredResourceAccess.bicep", Skipped(UNPARSABLE)),
    ("bicep/msgraph-bicep-types-sample-template-compiled-arm.json", Skipped(OTHER_FORMAT)),
    // Consent Policy Settings: a beta GET collection, a PATCH body without its template, a POST body.
    ("directory-settings/entra-docs-configure-user-consent-groups-beta-settings-get-response.json", Tenant { parts: &[ConsentSettings] }),
    ("directory-settings/entra-docs-configure-user-consent-groups-beta-settings-patch-group-scoped.json", Skipped("it changes a directory setting (a PATCH body) without naming its template")),
    ("directory-settings/entra-docs-configure-user-consent-groups-beta-settings-post-request.json", Tenant { parts: &[ConsentSettings] }),
    // Microsoft365DSC configurations are PowerShell.
    ("m365dsc/m365dsc-example-AADAdminConsentRequestPolicy-2-Update.ps1", Skipped(UNPARSABLE)),
    ("m365dsc/m365dsc-example-AADApplication-1-Create.ps1", Skipped(UNPARSABLE)),
    ("m365dsc/m365dsc-example-AADApplication-2-Update.ps1", Skipped(UNPARSABLE)),
    ("m365dsc/m365dsc-example-AADAuthorizationPolicy-2-Update.ps1", Skipped(UNPARSABLE)),
    // The newer msidentity `apps.json` (`AppRegistrations`, `x-ms-*`) opens with a comment.
    ("msidentity-app-registrations-apps-json/dotnetcore-daemon-v2-1-Call-MSGraph-apps.json", Skipped(OTHER_FORMAT)),
    // `"requiredResourceAccess": [ …` pasted from a web page, without its closing bracket.
    ("required-resource-access-fragments/pnp-powershell-registerapplication-sharepoint-allsites-fullcontrol-fragment.txt", Skipped(UNPARSABLE)),
    // ScubaGear: the admin consent policy up to 1.0 only; the RunRego stub's directory settings are
    // empty; `ScubaResults` holds the export under `Raw`.
    ("scubagear/scubagear-teststub-CreateReport-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentSettings, ConsentRequest, Organization] }),
    ("scubagear/scubagear-teststub-RunRego-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentRequest, Organization] }),
    ("scubagear/scubagear-v1.0-sample-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentSettings, ConsentRequest, Organization] }),
    ("scubagear/scubagear-v1.4-sample-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentSettings, Organization] }),
    ("scubagear/scubagear-v1.7-sample-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentSettings, Organization] }),
    ("scubagear/scubagear-v1.8-sample-ProviderSettingsExport.json", Tenant { parts: &[Authorization, ConsentSettings, Organization] }),
    ("scubagear/scubagear-v1.8-sample-ScubaResults_fa5589b7-d528-4f80.json", Tenant { parts: &[Authorization, ConsentSettings, Organization] }),
    // Teams Toolkit templates: resources and permissions by name, `${{VAR}}` placeholders.
    ("teams-toolkit-aad-manifest/community-eea-eionet2-user-management-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/community-wajeed-graph-agent-multitenant-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/teamsfx-samples-bot-sso-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/teamsfx-samples-graph-connector-app-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/teamsfx-samples-graph-connector-bot-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/teamsfx-samples-query-org-user-with-message-extension-sso-aad.manifest.json", App(TEAMS_TOOLKIT)),
    ("teams-toolkit-aad-manifest/teamsfx-samples-todo-list-with-Azure-backend-aad.manifest.json", App(TEAMS_TOOLKIT)),
    // Tenant Management Framework configuration.
    ("tmf/tmf-adminConsentRequestPolicy-example.json", Tenant { parts: &[ConsentRequest] }),
    ("tmf/tmf-authorizationPolicies-example.json", Tenant { parts: &[Authorization] }),
    ("tmf/tmf-directorySettings-consent-policy-settings-example.json", Tenant { parts: &[ConsentSettings] }),
];

/// Known bugs: files on which consentlint invents findings, on values the file does not state:
/// `(file, the invented findings, why)`. They stay visible here and in the snapshots until they are
/// fixed; the test fails when an invented finding goes away, so that its entry goes with the fix.
const KNOWN_BUGS: &[(&str, &[&str], &str)] = &[];

/// The known bug of `file`, if it has one.
fn known_bug(file: &str) -> Option<&'static (&'static str, &'static [&'static str], &'static str)> {
    KNOWN_BUGS.iter().find(|(f, _, _)| *f == file)
}

/// One run of `consentlint check` on a file copied alone into a fresh directory.
struct Run {
    /// The exit status.
    code: i32,
    /// Standard output: the report.
    stdout: String,
}

/// Runs `consentlint check --no-config --show-skipped --format FORMAT` on the corpus file `file`,
/// copied alone into a fresh directory, so that files of different tenants are never assembled
/// into one; fails when consentlint crashes, is killed, or writes anything to standard error.
fn check(file: &str, format: &str) -> Run {
    let dir = TempDir::new().unwrap();
    let name = file_name(file);
    std::fs::copy(corpus().join(file), dir.path().join(name)).unwrap();
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "--no-config", "--show-skipped", "--format", format, name])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code().unwrap_or_else(|| {
        panic!(
            "{file}: consentlint did not exit ({:?}): a crash, a signal or the timeout\n{stderr}",
            output.status
        )
    });
    assert!(stderr.is_empty(), "{file}: consentlint wrote to standard error:\n{stderr}");
    Run { code, stdout: String::from_utf8(output.stdout).unwrap() }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS)
}

fn file_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap()
}

/// The text a diagnostic's span covers, with its lines and columns (1-based, in characters, a
/// byte-order mark not counted) checked to lie inside `text`.
fn spanned<'t>(text: &'t str, at: &Value, file: &str) -> &'t str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let number = |key: &str| {
        at[key].as_u64().unwrap_or_else(|| panic!("{file}: a diagnostic without `{key}`: {at}")) as usize
    };
    let offset = |line: usize, column: usize| {
        assert!(line >= 1 && column >= 1, "{file}: lines and columns count from 1: {at}");
        let mut lines = text.split_inclusive('\n');
        let start: usize = lines.by_ref().take(line - 1).map(str::len).sum();
        let content = lines
            .next()
            .unwrap_or_else(|| panic!("{file}: line {line} is past the end of the file: {at}"))
            .trim_end_matches(['\n', '\r']);
        assert!(
            column <= content.chars().count() + 1,
            "{file}: {line}:{column} is past the line's end: {at}"
        );
        start + content.char_indices().nth(column - 1).map_or(content.len(), |(at, _)| at)
    };
    let start = offset(number("line"), number("column"));
    let end = offset(number("endLine"), number("endColumn"));
    assert!(start <= end, "{file}: the span ends before it starts: {at}");
    &text[start..end]
}

/// The rules a note says were not judged, when it is such a note about a document of `what`
/// (`tenant` or `app`), with the format it names.
fn not_judged<'n>(note: &'n str, what: &str) -> Option<(Vec<&'n str>, &'n str)> {
    let (rules, rest) = note.split_once(&format!(" not judged on {what} `"))?;
    let codes = rules.split('`').filter(|part| part.starts_with("CL-")).collect();
    let format = rest.split_once(", which the ")?.1.strip_suffix(" does not state")?;
    Some((codes, format))
}

/// Checks one file's JSON report against its row.
fn check_outcome(file: &str, expect: &Expect) {
    let run = check(file, "json");
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{file}: the JSON report does not parse ({e}):\n{}", run.stdout));
    let summary = &report["summary"];
    let errors = summary["errors"].as_u64().unwrap();
    let documents = summary["documents"].as_u64().unwrap();
    assert!(run.code == 0 || run.code == 1, "{file}: exit status {}:\n{}", run.code, run.stdout);
    assert_eq!(run.code == 1, errors > 0, "{file}: the exit status says otherwise than the error count");

    let text = std::fs::read_to_string(corpus().join(file)).unwrap();
    let name = file_name(file);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let mut codes = Vec::new();
    for diagnostic in diagnostics {
        let code = diagnostic["code"].as_str().unwrap();
        assert!(
            (!code.starts_with("CL-P") || matches!(expect, Invalid)) && code != "CL-S001",
            "{file}: {code} on a file that is not ours: {diagnostic}"
        );
        assert_eq!(diagnostic["file"], name, "{file}: a diagnostic about another file: {diagnostic}");
        let under = spanned(&text, diagnostic, file);
        assert!(!under.trim().is_empty(), "{file}: {code} points at no value: {diagnostic}");
        for related in diagnostic["related"].as_array().unwrap() {
            assert_eq!(related["file"], name, "{file}: a related span in another file: {diagnostic}");
            spanned(&text, related, file);
        }
        codes.push(code);
    }
    let notes: Vec<&str> =
        report["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    let skipped_note = format!("`{name}` was skipped: ");
    let skipped = notes.iter().find_map(|note| note.strip_prefix(&skipped_note));

    match expect {
        Invalid => {
            assert_eq!(codes, ["CL-P001"], "{file}: one syntax error expected:\n{}", run.stdout);
            assert_eq!(run.code, 1, "{file}: a native file that does not parse fails the run");
        }
        Skipped(reason) => {
            assert_eq!(documents, 0, "{file}: judged, not skipped:\n{}", run.stdout);
            assert!(codes.is_empty(), "{file}: a skipped file has findings: {codes:?}");
            let said =
                skipped.unwrap_or_else(|| panic!("{file}: no note says why it was skipped: {notes:?}"));
            assert!(said.contains(reason), "{file}: skipped because {said:?}, not {reason:?}");
        }
        App(format) => {
            assert!(skipped.is_none(), "{file}: skipped: {skipped:?}");
            assert_eq!(documents, 1, "{file}: one app, {documents} documents");
            assert!(
                !codes.iter().any(|c| c.starts_with("CL-T")),
                "{file}: tenant findings on an app: {codes:?}"
            );
            let formats: Vec<&str> =
                notes.iter().filter_map(|n| not_judged(n, "app")).map(|(_, f)| f).collect();
            assert!(!formats.is_empty(), "{file}: no note names the app's format: {notes:?}");
            assert!(formats.iter().all(|f| f == format), "{file}: read as {formats:?}, not as {format}");
        }
        Tenant { parts } => {
            assert!(skipped.is_none(), "{file}: skipped: {skipped:?}");
            let grants = GRANTS.iter().find(|(f, _)| *f == file).map_or(0, |(_, n)| *n);
            assert_eq!(
                documents,
                parts.len() as u64 + grants,
                "{file}: {} parts and {grants} grants expected",
                parts.len()
            );
            assert!(
                !codes.iter().any(|c| c.starts_with("CL-A")),
                "{file}: app findings on a tenant: {codes:?}"
            );
            let unjudged: Vec<&str> =
                notes.iter().filter_map(|n| not_judged(n, "tenant")).flat_map(|(rules, _)| rules).collect();
            let bug = known_bug(file);
            for (rule, needs) in TENANT_RULES {
                if needs.iter().all(|part| parts.contains(part)) {
                    continue;
                }
                if bug.is_some_and(|(_, invented, _)| invented.contains(&rule)) {
                    continue;
                }
                assert!(!codes.contains(&rule), "{file}: {rule} reads values that {parts:?} do not state");
                assert!(
                    bug.is_some() || unjudged.contains(&rule),
                    "{file}: no note says {rule} was not judged: {notes:?}"
                );
            }
        }
    }
    if let Some((_, invented, why)) = known_bug(file) {
        assert!(
            invented.iter().all(|code| codes.contains(code)),
            "{file}: a known invented finding of {invented:?} is gone ({why}); update KNOWN_BUGS"
        );
    }
}

#[test]
fn every_file_is_recognised_or_skipped_as_its_row_says() {
    // Two workers, for the two cores CI has: most of the time goes to starting the binary.
    std::thread::scope(|scope| {
        let workers: Vec<_> = CORPUS_FILES
            .chunks(CORPUS_FILES.len().div_ceil(2))
            .map(|rows| {
                scope.spawn(move || rows.iter().for_each(|(file, expect)| check_outcome(file, expect)))
            })
            .collect();
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// The snapshots of files with a known bug say so in their header.
#[test]
fn plain_renderings_match_their_snapshots() {
    for (file, _) in CORPUS_FILES {
        let run = check(file, "plain");
        let mut settings = insta::Settings::clone_current();
        settings.set_input_file(corpus().join(file));
        if let Some((_, invented, why)) = known_bug(file) {
            settings.set_description(format!("KNOWN BUG, invented {}: {why}", invented.join(" and ")));
        }
        settings.bind(|| insta::assert_snapshot!(file_name(file), run.stdout));
    }
}

#[test]
fn every_vendored_file_has_a_row() {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path.strip_prefix(corpus()).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut found = Vec::new();
    walk(&corpus(), &mut found);
    found.retain(|file| file != "README.md");
    found.sort();
    let rows: Vec<String> = CORPUS_FILES.iter().map(|(file, _)| (*file).to_owned()).collect();
    assert_eq!(found, rows, "tests/realworld.rs lists every file of {CORPUS} but README.md, in order");
    let readme = std::fs::read_to_string(corpus().join("README.md")).unwrap();
    for file in &rows {
        assert!(readme.contains(&format!("`{}`", file_name(file))), "README.md does not credit {file}");
    }
    let mut names: Vec<&str> = rows.iter().map(|file| file_name(file)).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), rows.len(), "file names are unique: they name the snapshots");
}

#[test]
fn no_snapshot_is_orphaned() {
    let names = CORPUS_FILES.iter().map(|(file, _)| file_name(file).to_owned());
    snapshots::assert_no_orphans("realworld", &["plain_renderings_match_their_snapshots"], names);
}
