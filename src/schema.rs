//! JSON Schema validation of documents, with every violation mapped back to its node.
//!
//! The schemas in `schemas/` are bundled into the binary and compiled when first needed, at most
//! once per run. A violation's instance path is a JSON Pointer; [`Node::pointer`] follows it back to
//! the key or value that is wrong, and [`messages`] words it in plain language.

mod messages;

use std::sync::Arc;

use jsonschema::{Draft, Validator};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::source::SourceFile;
use crate::yaml::{Lookup, Node};

/// The bundled schema of a kind, as JSON text.
#[must_use]
pub fn text(kind: Kind) -> &'static str {
    match kind {
        Kind::TenantConfig => include_str!("../schemas/tenant-config.v1.schema.json"),
        Kind::AppManifest => include_str!("../schemas/app-manifest.v1.schema.json"),
        Kind::Policy => include_str!("../schemas/policy.v1.schema.json"),
        Kind::PolicyTest => include_str!("../schemas/policy-test.v1.schema.json"),
        Kind::Profile => include_str!("../schemas/profile.v1.schema.json"),
        Kind::Grant => include_str!("../schemas/grant.v1.schema.json"),
    }
}

/// A schema as JSON and compiled, or why it did not compile.
type Compiled = Result<(serde_json::Value, Validator), String>;

/// The schemas of every kind, each compiled when first needed: a run that reads no policy of its own
/// compiles neither the policy nor the profile schema (the built-in ones are validated by the tests),
/// and compiling is a large part of what a one-file run costs.
pub struct Schemas {
    /// Each kind's schema as JSON, parsed when first needed (the policy compiler walks it to check
    /// the paths rules read, which needs no validator).
    raw: [std::sync::OnceLock<Result<serde_json::Value, String>>; Kind::ALL.len()],
    /// Each kind's validator, compiled when a document of the kind is first validated.
    compiled: [std::sync::OnceLock<Result<Validator, String>>; Kind::ALL.len()],
    /// The tenant schema for tenants read from a native format ([`native_tenant`]).
    native_tenant: std::sync::OnceLock<Compiled>,
    /// The app schema for apps read from a native format ([`native_app`]).
    native_app: std::sync::OnceLock<Compiled>,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas").finish_non_exhaustive()
    }
}

impl Default for Schemas {
    fn default() -> Self {
        Self::new()
    }
}

impl Schemas {
    /// The bundled schemas, none compiled yet.
    #[must_use]
    pub fn new() -> Self {
        Self {
            raw: std::array::from_fn(|_| std::sync::OnceLock::new()),
            compiled: std::array::from_fn(|_| std::sync::OnceLock::new()),
            native_tenant: std::sync::OnceLock::new(),
            native_app: std::sync::OnceLock::new(),
        }
    }

    /// A kind's schema, compiled on first use, or why it does not compile: a bug that
    /// `the_bundled_schemas_compile` catches.
    fn compiled(&self, kind: Kind) -> Result<(&serde_json::Value, &Validator), &str> {
        let raw = self.parsed(kind)?;
        let cell = self.compiled.get(kind.index()).ok_or("no such kind")?;
        let validator = cell.get_or_init(|| build(raw, kind.as_str())).as_ref().map_err(String::as_str)?;
        Ok((raw, validator))
    }

    /// A kind's schema as JSON, parsed on first use, or why it does not parse.
    fn parsed(&self, kind: Kind) -> Result<&serde_json::Value, &str> {
        let cell = self.raw.get(kind.index()).ok_or("no such kind")?;
        let parse =
            || serde_json::from_str(text(kind)).map_err(|e| format!("bundled {} schema: {e}", kind.as_str()));
        cell.get_or_init(parse).as_ref().map_err(String::as_str)
    }

    /// Validates a document converted from a native format (see [`crate::native`]): a tenant with
    /// the relaxed schema of [`native_tenant`], any other kind as [`Schemas::validate`] does.
    ///
    /// # Errors
    /// Every violation, each as a `CL-S001` diagnostic at its node.
    pub fn validate_native(
        &self,
        kind: Kind,
        root: &Node,
        document: usize,
        source: &Arc<SourceFile>,
    ) -> Result<serde_json::Value, Vec<Diagnostic>> {
        let compiled = match kind {
            Kind::TenantConfig => self.native_tenant.get_or_init(|| native_tenant(text(kind))),
            Kind::AppManifest => self.native_app.get_or_init(|| native_app(text(kind))),
            _ => return self.validate(kind, root, document, source),
        };
        // A bundled schema that does not compile is a bug the tests catch; the document is then
        // checked with its kind's own schema rather than not at all.
        let Ok((raw, validator)) = compiled else {
            return self.validate(kind, root, document, source);
        };
        validate_with(validator, raw, root, document, source, Code::SchemaViolation)
    }

    /// Validates a tenant assembled from the parts of a native export with the relaxed tenant schema;
    /// `source_at` gives the file each value was read from, where its diagnostic points and its
    /// numbers are quoted from.
    ///
    /// # Errors
    /// Every violation, each as a `CL-S001` diagnostic at its node, in its file.
    pub fn validate_assembled<'s>(
        &self,
        root: &Node,
        document: usize,
        source_at: &dyn Fn(&str) -> &'s Arc<SourceFile>,
    ) -> Result<serde_json::Value, Vec<Diagnostic>> {
        let kind = Kind::TenantConfig;
        let Ok((raw, validator)) = self.native_tenant.get_or_init(|| native_tenant(text(kind))) else {
            return self.validate(kind, root, document, source_at(""));
        };
        validate_in(validator, raw, root, document, source_at, &|_, _| false, Code::SchemaViolation)
    }

    /// Validates a document of ours that marks values as not stated (`metadata.notStated`, as
    /// `consentlint import` writes it) with its kind's schema, less the requirement of those values
    /// (and of an object that would hold only them): nothing else it must state is excused.
    ///
    /// # Errors
    /// Every other violation, each as a `CL-S001` diagnostic at its node.
    pub fn validate_stating(
        &self,
        kind: Kind,
        root: &Node,
        document: usize,
        source: &Arc<SourceFile>,
        not_stated: &[&str],
    ) -> Result<serde_json::Value, Vec<Diagnostic>> {
        let (raw, validator) = match self.compiled(kind) {
            Ok(compiled) => compiled,
            Err(why) => return Err(vec![not_compiled(why, root, source)]),
        };
        let excused = |error: &jsonschema::error::ValidationErrorKind, at: &str| {
            let jsonschema::error::ValidationErrorKind::Required { property } = error else { return false };
            let mut missing: Vec<String> =
                at.split('/').skip(1).map(crate::yaml::unescape_pointer_token).collect();
            missing.push(property.as_str().unwrap_or_default().to_owned());
            let missing = missing.join(".");
            not_stated.iter().any(|path| {
                *path == missing
                    || path.strip_prefix(missing.as_str()).is_some_and(|rest| rest.starts_with('.'))
            })
        };
        validate_in(validator, raw, root, document, &|_| source, &excused, Code::SchemaViolation)
    }

    /// The raw JSON of a kind's schema, for walking paths; `None` only when the bundled schema does
    /// not parse, a bug that `the_bundled_schemas_compile` catches.
    #[must_use]
    pub fn raw(&self, kind: Kind) -> Option<&serde_json::Value> {
        self.parsed(kind).ok()
    }

    /// Validates a document; on success returns it as JSON, for the typed model.
    ///
    /// # Errors
    /// Every violation, each as a `CL-S001` diagnostic at its node.
    pub fn validate(
        &self,
        kind: Kind,
        root: &Node,
        document: usize,
        source: &Arc<SourceFile>,
    ) -> Result<serde_json::Value, Vec<Diagnostic>> {
        match self.compiled(kind) {
            Ok((raw, validator)) => {
                validate_with(validator, raw, root, document, source, Code::SchemaViolation)
            }
            Err(why) => Err(vec![not_compiled(why, root, source)]),
        }
    }
}

/// Said of a document whose kind's bundled schema does not compile, instead of passing it unchecked.
fn not_compiled(why: &str, root: &Node, source: &Arc<SourceFile>) -> Diagnostic {
    let message = format!("the document could not be validated: {why}");
    Diagnostic::tool(Code::SchemaViolation, message, source, root.span).with_optional_help(Some(
        "this is a bug in consentlint's bundled schemas; please report it".to_owned(),
    ))
}

/// The tenant schema, relaxed where a native format cannot supply what a written tenant must: the
/// tenant id (an `authorizationPolicy` holds it only in `@odata.id`, when at all), the user consent
/// settings (a tenant exported without its authorization policy) and the consent policy while
/// consent is on (a tenant's own policy has no `spec.userConsent.policy` value; rules
/// that read it are not run, see [`crate::native::Native::unknown`]).
fn native_tenant(text: &str) -> Result<(serde_json::Value, Validator), String> {
    let what = "native tenant";
    let mut raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("bundled {what} schema: {e}"))?;
    let metadata = raw.pointer_mut("/properties/metadata/required").and_then(serde_json::Value::as_array_mut);
    metadata
        .ok_or_else(|| format!("bundled {what} schema: no `metadata.required`"))?
        .retain(|key| key != "tenantId");
    let consent =
        raw.pointer_mut("/properties/spec/properties/userConsent").and_then(serde_json::Value::as_object_mut);
    let consent = consent.ok_or_else(|| format!("bundled {what} schema: no `userConsent`"))?;
    consent.remove("then");
    // A tenant assembled from some of its objects states only what they hold; rules reading the rest
    // are not run (see `crate::native::TENANT_FACTS`).
    consent.remove("required");
    let spec = raw.pointer_mut("/properties/spec").and_then(serde_json::Value::as_object_mut);
    spec.ok_or_else(|| format!("bundled {what} schema: no `spec`"))?.remove("required");
    compile(&raw.to_string(), what)
}

/// The app schema, relaxed where a native app registration cannot supply what a written manifest
/// must: its `appId` (a template's placeholder), display name, publisher name and, when one of them
/// cannot be read, its permissions. What is stated is still checked; rules that read what is not are
/// not run (see [`crate::native::Native::unknown`]).
fn native_app(text: &str) -> Result<(serde_json::Value, Validator), String> {
    let what = "native app";
    let mut raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("bundled {what} schema: {e}"))?;
    for (pointer, keep) in [
        ("/properties/metadata/required", &["name"][..]),
        ("/properties/spec/required", &[][..]),
        ("/properties/spec/properties/publisher/required", &["origin"][..]),
    ] {
        let required = raw.pointer_mut(pointer).and_then(serde_json::Value::as_array_mut);
        required
            .ok_or_else(|| format!("bundled {what} schema: no `{pointer}`"))?
            .retain(|key| key.as_str().is_some_and(|key| keep.contains(&key)));
    }
    compile(&raw.to_string(), what)
}

/// Compiles a bundled schema.
///
/// # Errors
/// When the schema is broken, which is a bug in consentlint.
pub fn compile(text: &str, what: &str) -> Result<(serde_json::Value, Validator), String> {
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("bundled {what} schema: {e}"))?;
    let validator = build(&raw, what)?;
    Ok((raw, validator))
}

/// Compiles a bundled schema given as JSON.
fn build(raw: &serde_json::Value, what: &str) -> Result<Validator, String> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(raw)
        .map_err(|e| format!("bundled {what} schema: {e}"))
}

/// Validates `root` with a compiled schema; violations become diagnostics with `code`.
///
/// # Errors
/// Every violation, each at its node.
pub fn validate_with(
    validator: &Validator,
    raw: &serde_json::Value,
    root: &Node,
    document: usize,
    source: &Arc<SourceFile>,
    code: Code,
) -> Result<serde_json::Value, Vec<Diagnostic>> {
    validate_in(validator, raw, root, document, &|_| source, &|_, _| false, code)
}

/// [`validate_with`] for a document whose values may come from several files (`source_at` gives the
/// file of the value at a JSON pointer, whose text numbers are quoted from), leaving out the
/// violations that `excused` (given the kind and the instance's pointer) says are not ones.
///
/// # Errors
/// Every violation, each at its node, in the file it was read from.
pub fn validate_in<'s>(
    validator: &Validator,
    raw: &serde_json::Value,
    root: &Node,
    document: usize,
    source_at: &dyn Fn(&str) -> &'s Arc<SourceFile>,
    excused: &dyn Fn(&jsonschema::error::ValidationErrorKind, &str) -> bool,
    code: Code,
) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let json = root.to_json();
    if validator.is_valid(&json) {
        return Ok(json);
    }
    // One lookup for every error: large mappings are indexed once, not scanned per error.
    let mut lookup = Lookup::new(root);
    let mut diagnostics = Vec::new();
    for error in validator.iter_errors(&json) {
        let at = error.instance_path().as_str().to_owned();
        if excused(error.kind(), &at) {
            continue;
        }
        let source = source_at(&at);
        for found in messages::describe(&error, &mut lookup, raw, source.text()) {
            let stable = lookup.stable_pointer(&found.pointer);
            diagnostics.push(
                Diagnostic::tool(code, found.message, source, found.span)
                    .at(document, found.pointer)
                    .with_stable_pointer(stable)
                    .with_label(found.label)
                    .with_optional_help(found.help),
            );
        }
    }
    if diagnostics.is_empty() {
        return Ok(json);
    }
    crate::diagnostic::sort(&mut diagnostics);
    Err(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::{Kind, Schemas, native_app, native_tenant, text};

    #[test]
    fn the_bundled_schemas_compile() {
        let schemas = Schemas::new();
        for kind in Kind::ALL {
            if let Err(why) = schemas.compiled(kind) {
                panic!("{}: {why}", kind.as_str());
            }
        }
    }

    #[test]
    fn the_relaxed_native_schemas_compile() {
        assert!(native_tenant(text(Kind::TenantConfig)).is_ok());
        assert!(native_app(text(Kind::AppManifest)).is_ok());
    }
}
