//! Reading a file: bytes to text (UTF-8, UTF-16 or UTF-32), text to located YAML documents, documents
//! to kinds.

mod decode;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::kind::{self, Kind, KindError};
use crate::native::{self, Native};
use crate::source::{SourceFile, Span};
use crate::yaml::{self, Limits, Node, YamlError};
use decode::Encoding;

/// Largest file read, in bytes.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A document of ours, with its kind.
#[derive(Debug)]
pub struct LoadedDocument {
    /// 0-based position in the file.
    pub index: usize,
    /// Its kind.
    pub kind: Kind,
    /// The located tree.
    pub root: Node,
    /// The format it was read from, when not ours (see [`crate::native`]).
    pub native: Option<Native>,
}

/// What reading one file gave.
#[derive(Debug)]
pub struct LoadedFile {
    /// The text, for spans.
    pub source: Arc<SourceFile>,
    /// Our documents that parsed cleanly.
    pub documents: Vec<LoadedDocument>,
    /// Problems met while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the file could not be read at all.
    pub unreadable: bool,
    /// Why documents that are neither ours nor in a format read natively were skipped, by index.
    pub skipped: Vec<(usize, native::Skipped)>,
    /// The APIs its service principals publish.
    pub resources: Vec<native::Resource>,
}

/// Reads and parses the file at `path`, shown as `name`.
#[must_use]
pub fn load(path: &Path, name: String, limits: Limits) -> LoadedFile {
    from_read(path, name, read(path), limits, native::Context::default())
}

/// Parses what [`read`] gave, or reports why it gave nothing.
#[must_use]
pub fn from_read(
    path: &Path,
    name: String,
    read: Result<Vec<u8>, ReadProblem>,
    limits: Limits,
    context: native::Context<'_>,
) -> LoadedFile {
    match read {
        Ok(bytes) => from_bytes(path, name, bytes, limits, context),
        Err(problem) => {
            let (source, diagnostic) = unreadable(path, name, problem);
            LoadedFile {
                source,
                documents: Vec::new(),
                diagnostics: vec![diagnostic],
                unreadable: true,
                skipped: Vec::new(),
                resources: Vec::new(),
            }
        }
    }
}

/// An empty source for a file that could not be read, and why.
fn unreadable(path: &Path, name: String, problem: ReadProblem) -> (Arc<SourceFile>, Diagnostic) {
    let source = Arc::new(SourceFile::new(path.to_path_buf(), name, ""));
    let diagnostic = Diagnostic::about_file(Code::UnreadableInput, problem.message, &source)
        .with_optional_help(problem.help);
    (source, diagnostic)
}

/// Why a file could not be read.
#[derive(Clone, Debug)]
pub struct ReadProblem {
    message: String,
    reason: String,
    help: Option<String>,
}

impl ReadProblem {
    /// Why, in a few words that follow "cannot read …: " (`not a regular file`, `permission denied`).
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Reads a regular file, at most [`MAX_FILE_SIZE`] + 1 bytes: the one way consentlint opens a file
/// it reads (inputs, context, configuration, policies, profiles, catalogs, the baseline).
///
/// The path must name a regular file (after links): that is checked before it is opened, so a FIFO
/// or a device is never opened, and again on the open handle, so a file swapped for a FIFO in
/// between is refused rather than waited on (on Unix it is opened non-blocking, which changes
/// nothing for a regular file). At most one byte more than the limit is read, so the caller can
/// tell an oversized file, and a file that grows while it is read ends there.
///
/// # Errors
/// When the path is not a regular file or cannot be read.
pub fn read(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let io = |error: std::io::Error| {
        let reason = crate::source::describe_io(&error);
        ReadProblem { message: format!("cannot read the file: {reason}"), reason, help: None }
    };
    let not_regular = || ReadProblem {
        message: "not a regular file".into(),
        reason: "not a regular file".into(),
        help: Some("consentlint reads regular files and directories only".into()),
    };
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let file = open_for_reading(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len().min(MAX_FILE_SIZE)).unwrap_or(0) + 1);
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// Reads the file at `path` as UTF-8 text through [`read`], for consentlint's own JSON files (a
/// baseline): the same checks, and a file over [`MAX_FILE_SIZE`] refused.
///
/// # Errors
/// When [`read`] fails, the file is too large, or it is not UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadProblem> {
    let bytes = read(path)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        let reason = format!("the file is larger than the {} MiB limit", MAX_FILE_SIZE / 1024 / 1024);
        return Err(ReadProblem { message: reason.clone(), reason, help: None });
    }
    String::from_utf8(bytes).map_err(|_| {
        let reason = "the file is not valid UTF-8".to_owned();
        ReadProblem { message: reason.clone(), reason, help: None }
    })
}

/// Opens `path` for reading; on Unix without blocking, so that opening a FIFO returns at once.
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Parses `bytes` read from `path`; native documents are read with `context`.
#[must_use]
pub fn from_bytes(
    path: &Path,
    name: String,
    bytes: Vec<u8>,
    limits: Limits,
    context: native::Context<'_>,
) -> LoadedFile {
    let (source, problem) = decode(path, name, bytes);
    let mut file = LoadedFile {
        source,
        documents: Vec::new(),
        diagnostics: Vec::new(),
        unreadable: false,
        skipped: Vec::new(),
        resources: Vec::new(),
    };
    match problem {
        Some(diagnostic) => file.diagnostics.push(diagnostic),
        None => parse_documents(&mut file, limits, context),
    }
    file
}

/// The text of `bytes`, or why it is not YAML text: too large, binary or not valid in its encoding
/// (UTF-8, or UTF-16 or UTF-32 announced by a byte-order mark; see [`decode`]).
fn decode(path: &Path, name: String, bytes: Vec<u8>) -> (Arc<SourceFile>, Option<Diagnostic>) {
    let too_big = bytes.len() as u64 > MAX_FILE_SIZE;
    let bytes = if too_big { Vec::new() } else { bytes };
    let decoded = decode::decode(bytes);
    // Searched in the decoded text, whose offsets are the ones spans use.
    let nul = decoded.text.find('\0');
    let source = Arc::new(SourceFile::new(path.to_path_buf(), name, decoded.text));
    let fail = |message: String, span: Span, label: &str, help: &str| {
        Some(yaml_diagnostic(&source, message, span, 0).with_label(label).with_help(help))
    };
    let problem = if too_big {
        let message = format!("the file is larger than the {} MiB limit", MAX_FILE_SIZE / 1024 / 1024);
        let help = "consentlint documents are small; split the file or exclude it";
        Some(Diagnostic::about_file(Code::InvalidYaml, message, &source).with_help(help))
    } else if let Some(at) = nul {
        fail(
            "the file is binary, not YAML text".into(),
            source.char_span(at),
            "NUL byte",
            "exclude the file, or check that it was saved as text; UTF-16 and UTF-32 text needs a byte-order mark",
        )
    } else if let Some(invalid) = decoded.invalid {
        let help = match decoded.encoding {
            Encoding::Utf8 => "save the file as UTF-8; YAML 1.2 files are Unicode text".to_owned(),
            other => format!(
                "its byte-order mark says {}; save the file again from an editor, as UTF-8 or as UTF-16",
                other.name()
            ),
        };
        fail(
            format!("the file is not valid {}", decoded.encoding.name()),
            source.char_span(invalid.at),
            invalid.label,
            &help,
        )
    } else {
        None
    };
    (source, problem)
}

/// Whether the file whose first bytes are `bytes` holds `text`, in whatever encoding its byte-order
/// mark announces; without decoding it. A match may be misaligned: the answer is a hint.
#[must_use]
pub fn mentions(bytes: &[u8], text: &str) -> bool {
    let needle = Encoding::sniff(bytes).encode(text);
    !needle.is_empty() && memchr::memmem::find(bytes, &needle).is_some()
}

/// Whether the file whose first bytes are `bytes` may hold a tenant or part of one: it [`mentions`]
/// `TenantConfig`, or a field that one of the native tenant objects holds, in camel or Pascal case
/// (see [`crate::native`]). A hint, like [`mentions`]. UTF-8 text, nearly every file, is searched
/// for all of them in one pass.
#[must_use]
pub fn may_hold_tenant(bytes: &[u8]) -> bool {
    static UTF8: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    let kind = Kind::TenantConfig.as_str();
    if Encoding::sniff(bytes) == Encoding::Utf8
        && let Some(searcher) = UTF8.get_or_init(|| {
            // Case-sensitive, so that the search runs on its vectorised prefilter: the markers are
            // written to match camel and Pascal case, and ids in both cases.
            aho_corasick::AhoCorasick::new(std::iter::once(kind).chain(TENANT_MARKERS)).ok()
        })
    {
        return searcher.is_match(bytes) || principal_by_its_scopes(bytes);
    }
    mentions(bytes, kind)
        || TENANT_MARKERS.iter().any(|marker| mentions(bytes, marker))
        || principal_by_its_scopes(bytes)
}

/// Whether the file may hold a service principal known only by its `oauth2PermissionScopes` (a
/// `$select` query leaves out `servicePrincipalType`). An app registration names them too, under
/// `api`, and always names `requiredResourceAccess`, which a service principal never does: without
/// that exception every app would be parsed twice, once in the tenant pass and once when judged.
fn principal_by_its_scopes(bytes: &[u8]) -> bool {
    mentions(bytes, SCOPES_MARKER) && !mentions(bytes, "equiredResourceAccess")
}

/// The delegated permissions a service principal publishes, as [`TENANT_MARKERS`] are written.
const SCOPES_MARKER: &str = "auth2PermissionScopes\"";

/// Whether the file whose first bytes are `bytes` may hold a document consentlint reads natively: a
/// tenant part or service principal ([`may_hold_tenant`]), or an app registration (it names
/// `requiredResourceAccess` or `signInAudience`, in camel or Pascal case). A hint, like [`mentions`].
#[must_use]
pub fn may_be_native(bytes: &[u8]) -> bool {
    may_hold_tenant(bytes) || APP_MARKERS.iter().any(|marker| mentions(bytes, marker))
}

/// Text an app registration holds, written as [`TENANT_MARKERS`] are.
const APP_MARKERS: [&str; 4] = ["equiredResourceAccess", "ignInAudience", GRANT_MARKERS[0], GRANT_MARKERS[1]];

/// What the JSON key of a delegated grant (`"consentType"`, `"ConsentType"`) and of an application
/// permission assignment (`"appRoleId"`) end with: files that may hold grants, judged once the
/// run's desired state and registrations are known (a YAML comment naming the key, as an import
/// writes, has no closing quote).
const GRANT_MARKERS: [&str; 2] = ["onsentType\"", "ppRoleId\""];

/// Whether the undecoded `bytes` may hold a grant in JSON (see [`GRANT_MARKERS`]), in any encoding.
#[must_use]
pub fn may_hold_grant(bytes: &[u8]) -> bool {
    GRANT_MARKERS.iter().any(|marker| mentions(bytes, marker))
}

/// Text that a native tenant object holds, written so that camel and Pascal case both match (the
/// first letter left out) and ids in either case: the
/// authorization policy, the admin consent request policy, the consent directory setting (by its
/// template id, or TMF's display name), the organization, a permission grant policy, a ScubaGear
/// export, a permission classification, an app management policy (the default one, or one applied
/// to an app); and a service principal, which names the permissions apps request.
const TENANT_MARKERS: [&str; 21] = [
    "efaultUserRolePermissions",
    "dminConsentRequestPolicy",
    "#organization",
    "ermissionGrantPolicies",
    "ncludes\"",
    "elegatedPermissionClassification",
    "ppOwnerOrganizationId",
    "ermissionGrantPolicyIdsAssignedToDefaultUserRole",
    "equestDurationInDays",
    "dffd5d46-495d",
    "DFFD5D46-495D",
    "onsent Policy Settings",
    "erifiedDomains",
    "xcludes\"",
    "baseline_version",
    "ermissionName",
    "ervicePrincipalType",
    "#servicePrincipals",
    "pplicationRestrictions",
    "ervicePrincipalRestrictions",
    "estrictionType",
];

fn parse_documents(file: &mut LoadedFile, limits: Limits, context: native::Context<'_>) {
    let output = yaml::parse(file.source.text(), limits);
    // A repository holds other tools' YAML, such as templates that are not valid YAML until
    // rendered. A file that never mentions our apiVersion is not ours: its syntax is not our
    // business. Hostile input (over a limit) is reported whoever it belongs to.
    let ours = file.source.text().contains(kind::API_GROUP);
    // A JSON file that names what a tenant part, a service principal or an app registration holds
    // is one a gate must not pass over: its syntax errors, a duplicate key or an invalid escape, say
    // so at their place rather than leaving the file skipped and its values unstated. (Native
    // formats are JSON: other text that mentions those names, a Bicep template, is not one.)
    let native = !ours && !output.errors.is_empty() && {
        let text = file.source.text();
        let json = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).starts_with(['{', '[']);
        json && may_be_native(text.as_bytes())
    };
    for error in output.errors {
        if ours || native || error.limit {
            file.diagnostics.push(yaml_error(&file.source, error));
        }
    }
    for document in output.documents {
        match kind::identify(&document.root) {
            Ok(Some(kind)) => {
                let root = document.root;
                file.documents.push(LoadedDocument { index: document.index, kind, root, native: None });
            }
            Ok(None) if let Some((span, text)) = native::failed_export(&document.root) => {
                file.diagnostics.push(failed_export(&file.source, document.index, span, &text));
            }
            Ok(None) => {
                // JSON is YAML: a native document is recognised by its content, whatever its name.
                match native::recognise(&document.root, file.source.path(), context) {
                    Ok(converted) => {
                        for converted in converted {
                            for problem in &converted.problems {
                                file.diagnostics.push(native_problem(&file.source, document.index, problem));
                            }
                            file.documents.push(LoadedDocument {
                                index: document.index,
                                kind: converted.kind,
                                root: converted.root,
                                native: Some(converted.native),
                            });
                        }
                    }
                    Err(reason) => {
                        let published = native::principals(&document.root);
                        let reason = if published.is_empty() { reason } else { native::PRINCIPAL };
                        file.resources.extend(published);
                        file.skipped.push((document.index, reason));
                    }
                }
            }
            Err(error) => {
                file.diagnostics.push(kind_error(&file.source, document.index, &document.root, &error));
            }
        }
    }
}

/// An export its tool could not complete, at its first failed value.
/// A flaw of a native document that was read all the same, at its place.
fn native_problem(source: &Arc<SourceFile>, document: usize, problem: &native::Problem) -> Diagnostic {
    Diagnostic::tool(Code::MalformedGrant, problem.message.clone(), source, problem.span)
        .in_document(document)
        .with_label(problem.label)
        .with_help(problem.help)
}

fn failed_export(source: &Arc<SourceFile>, document: usize, span: Span, text: &str) -> Diagnostic {
    let shown: String = text.chars().take(80).collect();
    Diagnostic::tool(
        Code::FailedExport,
        format!("the export failed: `{shown}` stands where a value of the tenant should be"),
        source,
        span,
    )
    .in_document(document)
    .with_label("written by the tool in place of the value")
    .with_help(
        "the tool could not read this part of the tenant, so the file states nothing that can be judged: \
         run the export again once its connection and permissions work",
    )
}

fn yaml_diagnostic(source: &Arc<SourceFile>, message: String, span: Span, document: usize) -> Diagnostic {
    Diagnostic::tool(Code::InvalidYaml, message, source, span).in_document(document)
}

fn yaml_error(source: &Arc<SourceFile>, error: YamlError) -> Diagnostic {
    let mut diagnostic = yaml_diagnostic(source, error.message, error.span, error.document)
        .with_label(error.label)
        .with_optional_help(error.help);
    for (span, message) in error.related {
        diagnostic = diagnostic.with_related(span, message);
    }
    diagnostic
}

fn kind_error(source: &Arc<SourceFile>, document: usize, root: &Node, error: &KindError<'_>) -> Diagnostic {
    let (message, node, label, pointer, help) = match error {
        KindError::Version(node) => (
            format!("unsupported apiVersion `{}`", node.as_str().unwrap_or_default()),
            *node,
            "unsupported version",
            "/apiVersion",
            format!("this version of consentlint reads `{}` documents", kind::API_VERSION),
        ),
        KindError::Missing(version) => (
            "missing `kind`".to_owned(),
            *version,
            "a consentlint document needs a `kind`",
            "",
            format!("add `kind:` with one of {}", crate::suggest::list(Kind::ALL.map(Kind::as_str))),
        ),
        KindError::Unknown(node) => {
            let name = node.as_str().map_or_else(|| node.value.type_name().to_owned(), str::to_owned);
            (format!("unknown kind `{name}`"), *node, "unknown kind", "/kind", Kind::help_for(&name))
        }
    };
    let span = if matches!(error, KindError::Missing(_)) {
        root.entry("apiVersion").map_or(node.span, |entry| entry.key_span.join(node.span))
    } else {
        node.span
    };
    Diagnostic::tool(Code::UnknownKind, message, source, span)
        .at(document, pointer)
        .with_label(label)
        .with_help(help)
}

/// Every document of a file, whatever its kind.
#[derive(Debug)]
pub struct AnyFile {
    /// The text, for spans.
    pub source: Arc<SourceFile>,
    /// The documents that parsed cleanly, in file order, whatever their `apiVersion`.
    pub documents: Vec<yaml::Document>,
    /// Problems met while reading and parsing, at their places.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, decodes and parses the file at `path`, shown as `name`, for files that are named as what
/// they are (a catalog, a configuration): unlike [`load`], every document is kept, whatever its
/// `apiVersion`, and every YAML error is reported.
#[must_use]
pub fn load_any(path: &Path, name: String, limits: Limits) -> AnyFile {
    let (source, problem) = match read(path) {
        Ok(bytes) => decode(path, name, bytes),
        Err(problem) => {
            let (source, diagnostic) = unreadable(path, name, problem);
            (source, Some(diagnostic))
        }
    };
    if let Some(diagnostic) = problem {
        return AnyFile { source, documents: Vec::new(), diagnostics: vec![diagnostic] };
    }
    let output = yaml::parse(source.text(), limits);
    let diagnostics = output.errors.into_iter().map(|error| yaml_error(&source, error)).collect();
    AnyFile { source, documents: output.documents, diagnostics }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::may_hold_tenant;
    use crate::native::{self, Context};
    use crate::yaml::{Limits, parse};

    /// An app registration, which names `oauth2PermissionScopes` under `api`, is parsed once, when
    /// it is judged; a service principal known only by those scopes is read in the tenant pass.
    #[test]
    fn an_app_registration_is_not_read_in_the_tenant_pass() {
        let app = r#"{"appId": "1", "api": {"oauth2PermissionScopes": []}, "requiredResourceAccess": []}"#;
        let principal = r#"{"appId": "1", "displayName": "API", "oauth2PermissionScopes": [{"id": "2"}]}"#;
        assert!(!may_hold_tenant(app.as_bytes()));
        assert!(may_hold_tenant(principal.as_bytes()));
    }

    /// Every shape a tenant part or a service principal is recognised in is read in the tenant pass:
    /// a part judged outside its tenant would be judged without the facts the others state.
    #[test]
    fn every_recognised_tenant_part_is_found_by_the_tenant_pass() {
        let samples = [
            r#"{"id": "authorizationPolicy", "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": []}}"#,
            r#"[{"displayName": "Authorization Policy", "allowedToCreateApps": false, "permissionGrantPolicyIdsAssignedToDefaultUserRole": []}]"#,
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity", "isEnabled": true}"#,
            r#"{"isEnabled": true, "requestDurationInDays": 3, "reviewers": []}"#,
            r#"{"templateId": "DFFD5D46-495D-40A9-8E21-954FF55E198A", "values": []}"#,
            r#"{"displayName": "Consent Policy Settings", "present": true, "EnableAdminConsentRequests": true}"#,
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization", "value": [{"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "T"}]}"#,
            r#"{"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "T", "verifiedDomains": []}"#,
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/permissionGrantPolicies", "value": [{"id": "p"}]}"#,
            r#"{"id": "p", "includes": [], "excludes": []}"#,
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41')/delegatedPermissionClassifications", "value": []}"#,
            r#"{"id": "1", "permissionName": "User.Read", "classification": "low"}"#,
            r#"{"baseline_version": "1", "module_version": "1", "directory_settings": [{"TemplateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "Values": []}]}"#,
            r#"{"AppId": "00000003-0000-0ff1-ce00-000000000000", "AppOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "AppRoles": []}"#,
            r#"{"appId": "00000003-0000-0ff1-ce00-000000000000", "servicePrincipalType": "Application", "appRoles": []}"#,
        ];
        for sample in samples {
            let root = &parse(sample, Limits::default()).documents[0].root;
            let parts = native::recognise(root, Path::new("t/x.json"), Context::default())
                .is_ok_and(|found| found.iter().any(|c| c.native.part.is_some()));
            let principals = !native::principals(root).is_empty();
            assert!(parts || principals, "not recognised: {sample}");
            assert!(may_hold_tenant(sample.as_bytes()), "missed by the tenant pass: {sample}");
        }
    }
}
