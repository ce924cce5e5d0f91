//! Bundles the built-in policy pack: every `policies/*/rule.yaml` becomes an entry of
//! `BUILTIN_POLICIES`, so adding a rule is adding a folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=policies");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rules: Vec<String> = std::fs::read_dir(root.join("policies"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().join("rule.yaml").is_file())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    rules.sort();
    let mut code = String::from("/// The built-in policies: (path shown in diagnostics, YAML text).\n");
    code.push_str("pub(crate) const BUILTIN_POLICIES: &[(&str, &str)] = &[\n");
    for rule in &rules {
        let _ = writeln!(
            code,
            "    (\"policies/{rule}/rule.yaml\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/policies/{rule}/rule.yaml\"))),"
        );
        println!("cargo::rerun-if-changed=policies/{rule}/rule.yaml");
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    if let Err(error) = std::fs::write(Path::new(&out).join("builtin_policies.rs"), code) {
        println!("cargo::error=cannot write the built-in policy list: {error}");
    }
}
