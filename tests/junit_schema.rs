#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]
//! `--format junit` against `tests/schemas/junit-10.xsd`, the shape the Jenkins xUnit plugin
//! validates `JUnit` reports with. A structural check that reads the schema itself: every element
//! must be declared, carry only the attributes its declaration lists and all those it requires,
//! and hold its children in the declared sequence, each within its `minOccurs`/`maxOccurs`; an
//! element of simple type holds text only. That is the subset of XSD the schema uses.
//! `scripts/check-junit-xsd.py` runs a full XSD validator (`xmlschema`, from the Python package index) over the same
//! output where Python is available; `cargo test` needs nothing outside the repository.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// One `xs:element` declaration.
#[derive(Debug, Default)]
struct Declaration {
    attributes: Vec<(String, bool)>,
    /// `(name, minOccurs, maxOccurs)`; `None`: unbounded.
    sequence: Vec<(String, usize, Option<usize>)>,
    text_only: bool,
}

fn schema() -> HashMap<String, Declaration> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/junit-10.xsd");
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut declarations = HashMap::new();
    for element in doc.root_element().children().filter(|n| n.has_tag_name("element")) {
        let name = element.attribute("name").unwrap().to_owned();
        let mut declaration =
            Declaration { text_only: element.attribute("type").is_some(), ..Declaration::default() };
        for node in element.descendants() {
            if node.has_tag_name("attribute") {
                let required = node.attribute("use") == Some("required");
                declaration.attributes.push((node.attribute("name").unwrap().to_owned(), required));
            } else if node.has_tag_name("element") && node.attribute("ref").is_some() {
                let min = node.attribute("minOccurs").map_or(1, |n| n.parse().unwrap());
                let max = match node.attribute("maxOccurs") {
                    Some("unbounded") => None,
                    Some(n) => Some(n.parse().unwrap()),
                    None => Some(1),
                };
                declaration.sequence.push((node.attribute("ref").unwrap().to_owned(), min, max));
            }
        }
        declarations.insert(name, declaration);
    }
    declarations
}

/// Every way `node` and its descendants break the schema.
fn violations(node: roxmltree::Node<'_, '_>, schema: &HashMap<String, Declaration>, found: &mut Vec<String>) {
    let name = node.tag_name().name();
    let Some(declaration) = schema.get(name) else {
        found.push(format!("<{name}> is not declared"));
        return;
    };
    for attribute in node.attributes() {
        if !declaration.attributes.iter().any(|(allowed, _)| allowed == attribute.name()) {
            found.push(format!(
                "<{name}> has attribute `{}`, which the schema does not allow",
                attribute.name()
            ));
        }
    }
    for (attribute, required) in &declaration.attributes {
        if *required && node.attribute(attribute.as_str()).is_none() {
            found.push(format!("<{name}> lacks the required attribute `{attribute}`"));
        }
    }
    let children: Vec<_> = node.children().filter(roxmltree::Node::is_element).collect();
    if declaration.text_only && !children.is_empty() {
        found.push(format!("<{name}> holds elements, but is text only"));
    }
    let mut rest = children.as_slice();
    for (expected, min, max) in &declaration.sequence {
        let count = rest.iter().take_while(|child| child.tag_name().name() == expected).count();
        if count < *min || max.is_some_and(|max| count > max) {
            found.push(format!("<{name}> holds {count} <{expected}>, outside {min}..{max:?}"));
        }
        rest = &rest[count..];
    }
    if let Some(first) = rest.first() {
        found.push(format!("<{name}> holds <{}> out of the declared order", first.tag_name().name()));
    }
    for child in children {
        violations(child, schema, found);
    }
}

fn check(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut found = Vec::new();
    violations(doc.root_element(), &schema(), &mut found);
    found
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// `consentlint check ARGS --format junit` in the format fixtures.
fn junit(args: &[&str]) -> String {
    junit_in(&fixtures(), args)
}

fn junit_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "junit", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn findings_infos_notes_and_a_clean_run_fit_the_schema() {
    // Errors, warnings and an info; a run that judged nothing (a note); a clean run.
    let findings = junit(&["apps", "tenants", "--policy", "policy"]);
    assert!(findings.contains("<failure ") && findings.contains("<system-out>"), "{findings}");
    assert_eq!(check(&findings), Vec::<String>::new(), "{findings}");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("mkdocs.yaml"), "site_name: Consent\n").unwrap();
    let nothing = junit_in(other.path(), &["."]);
    assert!(nothing.contains("<skipped message="), "{nothing}");
    assert_eq!(check(&nothing), Vec::<String>::new(), "{nothing}");
    let clean = junit(&["tenants", "--select", "CL-T001"]);
    assert_eq!(check(&clean), Vec::<String>::new(), "{clean}");
}

#[test]
fn the_check_is_not_vacuous() {
    let good = junit(&["apps", "tenants", "--policy", "policy"]);
    // GitLab's `file` attribute is what the schema rejects.
    let with_file = good.replacen("<testcase name=", "<testcase file=\"apps/x.yaml\" name=", 1);
    assert!(check(&with_file).iter().any(|v| v.contains("attribute `file`")), "{:?}", check(&with_file));
    // `skipped` counts are allowed on a suite, not on the root.
    let counted = good.replacen("<testsuites name=", "<testsuites skipped=\"0\" name=", 1);
    assert!(!check(&counted).is_empty());
    // Output after the failure in a test case is out of order.
    let reordered = good.replacen("<failure ", "<system-out>x</system-out><failure ", 1);
    assert!(
        check(&reordered).iter().any(|v| v.contains("out of the declared order")),
        "{:?}",
        check(&reordered)
    );
    // A suite without its test count.
    let untold = good.replacen(" tests=\"", " count=\"", 2);
    assert!(check(&untold).iter().any(|v| v.contains("required attribute `tests`")));
}
