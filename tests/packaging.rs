#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]
//! The ways in agree with each other and with the documented shapes they are read by: one version
//! in `Cargo.toml`, `pyproject.toml`, the pre-commit mirror's pin, `action.yml` and the README's
//! `rev:`; `action.yml` valid against the composite-action metadata GitHub documents (and every
//! `inputs.X` and `steps.X` it reads declared); the hooks; the container image's final stage;
//! the release workflow's platforms. Building the wheel and the image is `scripts/wheel-e2e.sh`
//! and `scripts/container-e2e.sh`.

use std::path::Path;

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::Value;

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A YAML document as JSON (strings, booleans, numbers, lists and mappings with string keys).
fn json(yaml: &Yaml<'_>) -> Value {
    match yaml {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
        Yaml::Value(Scalar::String(s)) | Yaml::Representation(s, ..) => Value::from(s.as_ref()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match json(k) {
                    Value::String(key) => (key, json(v)),
                    other => (other.to_string(), json(v)),
                })
                .collect(),
        ),
        other => panic!("unexpected YAML node {other:?}"),
    }
}

fn yaml_file(name: &str) -> Value {
    let text = read(name);
    let docs = Yaml::load_from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(docs.len(), 1, "{name} holds one document");
    json(&docs[0])
}

/// The value of `key = "…"` on the first line that starts with it.
fn toml_string(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{key} = \"")))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no `{key} = \"…\"`"))
        .to_owned()
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn every_way_in_names_the_crate_version() {
    assert_eq!(toml_string(&read("pyproject.toml"), "version"), VERSION, "pyproject.toml");
    let mirror = read("pre-commit-mirror/pyproject.toml");
    assert_eq!(toml_string(&mirror, "version"), VERSION, "the mirror's package");
    assert!(
        mirror.contains(&format!("dependencies = [\"consentlint=={VERSION}\"]")),
        "the mirror pins the wheel"
    );
    let action = yaml_file("action.yml");
    assert_eq!(action["inputs"]["version"]["default"], VERSION, "action.yml installs this version");
    let readme = read("README.md");
    let revs: Vec<&str> = readme.lines().filter_map(|l| l.trim().strip_prefix("rev: ")).collect();
    assert!(revs.len() >= 2, "{revs:?}");
    assert!(revs.iter().all(|rev| *rev == format!("v{VERSION}")), "{revs:?}");
    assert!(readme.contains(&format!("consentlint/consentlint@v{VERSION}")), "the README's action reference");
    assert!(readme.contains(&format!("pip install consentlint=={VERSION}")), "the README's pip line");
}

#[test]
fn the_python_package_is_the_binary() {
    let pyproject = read("pyproject.toml");
    assert!(pyproject.contains("build-backend = \"maturin\""));
    assert!(pyproject.contains("bindings = \"bin\""));
    assert_eq!(toml_string(&pyproject, "name"), env!("CARGO_PKG_NAME"));
}

#[test]
fn the_action_is_valid_composite_action_metadata() {
    let schema: Value = serde_json::from_str(&read("tests/schemas/github-action.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let action = yaml_file("action.yml");
    let errors: Vec<String> =
        validator.iter_errors(&action).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The schema is not vacuous: a script step without its shell, and a missing description.
    let mut broken = action.clone();
    broken["runs"]["steps"][0].as_object_mut().unwrap().remove("shell");
    assert!(!validator.is_valid(&broken));
    let mut broken = action.clone();
    broken["inputs"]["paths"].as_object_mut().unwrap().remove("description");
    assert!(!validator.is_valid(&broken));
    // Every `inputs.X` and `steps.X` an expression (`${{ … }}`) reads is declared.
    let text = read("action.yml");
    let expressions: String =
        text.split("${{").skip(1).map(|rest| rest.split("}}").next().unwrap()).collect::<Vec<_>>().join(" ");
    assert!(expressions.contains("inputs.paths") && expressions.contains("steps.check.outputs"));
    let steps: Vec<&str> =
        action["runs"]["steps"].as_array().unwrap().iter().filter_map(|s| s["id"].as_str()).collect();
    for (prefix, declared) in [
        ("inputs.", action["inputs"].as_object().unwrap().keys().map(String::as_str).collect::<Vec<_>>()),
        ("steps.", steps),
    ] {
        for (at, _) in expressions.match_indices(prefix) {
            let name: String = expressions[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(declared.contains(&name.as_str()), "`{prefix}{name}` is not declared");
        }
    }
    // It uploads SARIF and writes the job summary.
    assert!(text.contains("github/codeql-action/upload-sarif@"));
    assert!(text.contains("$GITHUB_STEP_SUMMARY"));
}

#[test]
fn the_hooks_run_check_in_pre_commit_mode() {
    let source = yaml_file(".pre-commit-hooks.yaml");
    let mirror = yaml_file("pre-commit-mirror/.pre-commit-hooks.yaml");
    let hooks: Vec<&Value> = source.as_array().unwrap().iter().chain(mirror.as_array().unwrap()).collect();
    assert_eq!(hooks.len(), 3, "build from source, system, and the wheel");
    for hook in &hooks {
        let entry = hook["entry"].as_str().unwrap();
        assert!(
            entry.ends_with("consentlint check --pre-commit") || entry == "scripts/pre-commit-hook.sh",
            "{entry}"
        );
        assert_eq!(hook["require_serial"], true);
        assert_eq!(hook["types_or"], serde_json::json!(["yaml", "json"]));
    }
    assert!(read("scripts/pre-commit-hook.sh").contains("check --pre-commit \"$@\""));
    assert_eq!(mirror[0]["language"], "python");
    assert_eq!(mirror[0]["id"], "consentlint", "the same id as the source hook, so switching is one line");
}

#[test]
fn the_image_is_the_binary_alone_as_an_unprivileged_user() {
    let dockerfile = read("Dockerfile");
    let last_stage = dockerfile.rsplit("\nFROM ").next().unwrap();
    assert!(last_stage.starts_with("scratch"), "{last_stage}");
    let copies: Vec<&str> = last_stage.lines().filter(|l| l.starts_with("COPY")).collect();
    assert_eq!(copies, ["COPY --from=build /src/target/release/consentlint /usr/local/bin/consentlint"]);
    assert!(last_stage.lines().any(|l| l == "USER 65532:65532"));
    assert!(last_stage.contains("ENTRYPOINT [\"/usr/local/bin/consentlint\"]"));
    assert!(dockerfile.contains("cargo build --release --locked"));
}

#[test]
fn the_release_builds_every_platform_and_publishes_everywhere() {
    let workflow = yaml_file(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"], serde_json::json!(["v*.*.*"]));
    let jobs = workflow["jobs"].as_object().unwrap();
    let wheels: Vec<(&str, &str)> = jobs["wheels"]["strategy"]["matrix"]["platform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["target"].as_str().unwrap(), p["manylinux"].as_str().unwrap()))
        .collect();
    for expected in [
        ("x86_64-unknown-linux-gnu", "2_17"),
        ("aarch64-unknown-linux-gnu", "2_17"),
        ("x86_64-unknown-linux-musl", "musllinux_1_2"),
        ("aarch64-unknown-linux-musl", "musllinux_1_2"),
        ("x86_64-apple-darwin", "off"),
        ("aarch64-apple-darwin", "off"),
        ("x86_64-pc-windows-msvc", "off"),
    ] {
        assert!(wheels.contains(&expected), "no wheel for {expected:?}: {wheels:?}");
    }
    let text = read(".github/workflows/release.yml");
    for needed in [
        "PyO3/maturin-action@",
        "--release --locked",
        "pypa/gh-action-pypi-publish@",
        "cargo publish --locked",
        "sha256",
        "SHA256SUMS",
        "docker/build-push-action@",
        "pre-commit-mirror/",
    ] {
        assert!(text.contains(needed), "release.yml lacks `{needed}`");
    }
    assert!(jobs["pypi"]["permissions"]["id-token"] == "write", "trusted publishing");
}

/// The action's `check` step, run as the runner runs a `shell: bash` step (`bash --noprofile
/// --norc -eo pipefail`), with this build's binary on `PATH` and the runner's files in a
/// temporary directory: annotations on standard output, the job summary appended, the SARIF log
/// written, and the exit status handed to the last step.
#[cfg(unix)]
#[test]
fn the_action_check_step_runs_as_the_runner_would() {
    let action = yaml_file("action.yml");
    let step = action["runs"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == "check").unwrap();
    assert_eq!(step["shell"], "bash");
    let script = step["run"].as_str().unwrap();
    let runner = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::create_dir(repo.path().join("apps")).unwrap();
    std::fs::write(
        repo.path().join("apps/notes.yaml"),
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata: {name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}\nspec:\n  displayName: Notes\n  publisher: {name: Contoso IT, origin: organization}\n  signInAudience: single-tenant\n  consent: admin\n  permissions:\n    - {name: User.Raed, type: delegated, justification: Sign in.}\n",
    )
    .unwrap();
    let summary = runner.path().join("summary.md");
    let outputs = runner.path().join("outputs");
    std::fs::write(&summary, "earlier steps\n").unwrap();
    let binary = assert_cmd::cargo::cargo_bin("consentlint");
    let path =
        format!("{}:{}", binary.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let output = std::process::Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(repo.path())
        .env("PATH", path)
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("PATHS", "apps")
        .env("FAIL_ON", "")
        .env("FAIL_ON_UNJUDGED", "false")
        .env("CATEGORY", "consent")
        .env("ARGS", "--no-config")
        .env_remove("GITHUB_SHA")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "the step records the status instead of failing: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("::error file=apps/notes.yaml,line=10"), "{stdout}");
    let recorded = std::fs::read_to_string(&outputs).unwrap();
    let sarif_file = runner.path().join("consentlint.sarif");
    assert_eq!(recorded, format!("sarif-file={}\nexit-code=1\n", sarif_file.display()));
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_file).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "consent/");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.starts_with("earlier steps\n## consentlint\n"), "{summary}");
}

#[test]
fn ci_runs_the_gate_the_image_and_the_action() {
    let workflow = yaml_file(".github/workflows/ci.yml");
    let jobs = workflow["jobs"].as_object().unwrap();
    let runs = |job: &str| -> Vec<String> {
        jobs[job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(runs("gate").contains(&".ci/run".to_owned()));
    assert_eq!(jobs["image"]["env"]["CI_REQUIRE_CONTAINER"], 1, "the image job may not skip");
    assert!(runs("image").contains(&"scripts/container-e2e.sh".to_owned()));
    let uses: Vec<&str> =
        jobs["action"]["steps"].as_array().unwrap().iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"./"), "the action of this commit runs: {uses:?}");
    // `.ci/run` runs the wheel end to end and the XSD check.
    let gate = read(".ci/run");
    assert!(gate.contains("scripts/wheel-e2e.sh") && gate.contains("scripts/check-junit-xsd.py"));
}
