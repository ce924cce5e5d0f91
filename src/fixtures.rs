//! Policy-test fixtures: the files that `*.test.yaml` documents name (their `documents`,
//! `policies` and `catalogs`). They are evidence for `consentlint test`, written to pass or fail on
//! purpose, so a `check` that walks a directory does not judge them as real documents.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::discover::{Input, absolute};
use crate::yaml::{Limits, Node, Value};

/// Whether a file name is that of a policy test.
fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| name.ends_with(".test.yaml") || name.ends_with(".test.yml"))
}

/// The files named by the policy tests among `inputs`, made absolute against `base`.
fn named_by_tests(inputs: &[Input], base: &Path) -> BTreeSet<PathBuf> {
    let mut named = BTreeSet::new();
    for input in inputs.iter().filter(|input| is_test_file(&input.path)) {
        let dir = absolute(input.path.parent().unwrap_or(Path::new("")), base);
        let loaded = crate::load::load_any(&input.path, String::new(), Limits::default());
        for document in &loaded.documents {
            if document.root.get("kind").and_then(Node::as_str) != Some("PolicyTest") {
                continue;
            }
            let mut add = |node: Option<&Node>| {
                if let Some(Value::Seq(items)) = node.map(|n| &n.value) {
                    named.extend(
                        items.iter().filter_map(Node::as_str).map(|name| absolute(Path::new(name), &dir)),
                    );
                }
            };
            add(document.root.get("policies"));
            add(document.root.get("catalogs"));
            if let Some(Value::Seq(cases)) = document.root.get("cases").map(|n| &n.value) {
                for case in cases {
                    add(case.get("documents"));
                }
            }
        }
    }
    named
}

/// Removes from `inputs` the walked files that a policy test among them names; returns how many.
/// Files named on the command line are always checked.
pub fn skip_walked_fixtures(inputs: &mut Vec<Input>, base: &Path) -> usize {
    let named = named_by_tests(inputs, base);
    if named.is_empty() {
        return 0;
    }
    let before = inputs.len();
    inputs.retain(|input| input.named || !named.contains(&absolute(&input.path, base)));
    before - inputs.len()
}
