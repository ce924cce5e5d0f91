//! Bytes as one native file of an EntraExporter-shaped export (beside the example export's tenant
//! parts and apps) → `import` → its files written into a fresh directory → `check` of that
//! directory. Fails when import panics or fails for a reason other than the input, when a file it
//! would write lies outside the output directory, is over the size `check` reads or is not YAML
//! that parses, or when checking the written import breaks the report's invariants.
#![no_main]

use std::path::{Component, Path};
use std::sync::LazyLock;

use consentlint::error::Error;
use consentlint::fuzzing::Checker;
use consentlint::import;
use consentlint::options::Options;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/invariants.rs"]
mod invariants;

/// The example export, copied once into a temporary directory; the input goes beside its apps.
static EXPORT: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/entra-export");
    let dir = tempfile::tempdir().expect("a temporary directory");
    copy(&project, dir.path());
    dir
});

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from).expect("the example export") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let export = EXPORT.path();
    let input = export.join("northwind/Applications/fuzz/fuzz.json");
    std::fs::create_dir_all(input.parent().expect("a parent")).expect("a directory");
    std::fs::write(&input, data).expect("the input is written");
    let options = Options::new(vec![export.to_path_buf()], export.to_path_buf());
    let imported = match import::import(&options) {
        Ok(imported) => imported,
        Err(Error::Inputs(_)) => return,
        Err(error) => panic!("the import failed: {error}"),
    };
    for file in &imported.files {
        assert!(
            file.path.components().all(|c| matches!(c, Component::Normal(_))),
            "a file outside the output directory: {}",
            file.path.display()
        );
        assert!(file.text.len() as u64 <= 10 * 1024 * 1024, "{} is over the size limit", file.path.display());
    }
    let out = tempfile::tempdir().expect("a temporary directory");
    let target = out.path().join("repo");
    if let Err(refused) = import::write_all(&target, &imported.files) {
        panic!("a fresh directory refused the import: {}", refused.message);
    }
    // Every file written parses as YAML of ours: checking one gives no CL-P001 or CL-P002.
    let checker = Checker::new(out.path()).expect("the built-in rules load");
    for file in &imported.files {
        let text = std::fs::read(target.join(&file.path)).expect("the file was written");
        let report = checker.check(&text).unwrap_or_else(|e| panic!("the check failed: {e}"));
        if let Some(bad) = report.diagnostics.iter().find(|d| d.code == "CL-P001" || d.code == "CL-P002") {
            panic!("{} does not read back: {}\n{}", file.path.display(), bad.message, String::from_utf8_lossy(&text));
        }
        if let Err(problem) = invariants::check(&report) {
            panic!("{problem}");
        }
    }
});
