//! The pipeline's modules depend on each other one way: no module of `src/` reaches, through
//! `crate::…` paths, a module that reaches it back. `docs/architecture.md` draws the graph.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules it names through `crate::`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.expect("walk src")) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a component").as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        let used = modules.entry(module.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                used.insert(name);
            }
        }
    }
    modules
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let graph = graph();
    assert!(graph.len() > 20, "found {} modules", graph.len());
    // Depth-first search for a path from each module back to itself.
    for start in graph.keys() {
        let mut stack: Vec<Vec<&str>> = vec![vec![start.as_str()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().copied().expect("non-empty path");
            for next in graph.get(last).into_iter().flatten() {
                assert!(next != start, "cycle: {} -> {next}", path.join(" -> "));
                if seen.insert(next.as_str()) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
}

#[test]
fn the_foundations_depend_on_nothing_above_them() {
    let graph = graph();
    let only = |module: &str, allowed: &[&str]| {
        let used: Vec<&str> =
            graph[module].iter().map(String::as_str).filter(|m| !allowed.contains(m)).collect();
        assert!(used.is_empty(), "`{module}` must not depend on {used:?}");
    };
    only("source", &[]);
    only("severity", &[]);
    only("codes", &["severity"]);
    only("diagnostic", &["codes", "severity", "source"]);
    only("yaml", &["source"]);
    only("discover", &["error", "source"]);
    only("report", &["codes", "diagnostic", "severity"]);
}
