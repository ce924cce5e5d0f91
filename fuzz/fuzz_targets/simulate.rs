//! Bytes as one app file → `simulate` against the example tenant, and as the tenant file against
//! the example apps → every `simulate` format. Fails when a run panics or fails for a reason other
//! than the input (a usage error: no tenant, several, or no app, is the input's), when JSON does
//! not parse, or when the human or Markdown output carries a control character other than a line
//! feed.
#![no_main]

use std::sync::LazyLock;

use consentlint::error::Error;
use consentlint::options::Options;
use consentlint::render::Style;
use consentlint::simulate::{self, render::Format};
use libfuzzer_sys::fuzz_target;

#[path = "workspace.rs"]
mod workspace;

static WORKSPACE: LazyLock<workspace::Workspace> = LazyLock::new(workspace::Workspace::new);

fuzz_target!(|data: &[u8]| {
    let workspace = &*WORKSPACE;
    let root = workspace.path();
    let input = root.join("input.yaml");
    std::fs::write(&input, data).expect("the input is written");
    let runs = [
        // The input as an app, in the example tenant.
        (vec![input.clone()], root.join("tenants/contoso.yaml")),
        // The input as the tenant, for the example apps.
        (vec![root.join("apps")], input.clone()),
    ];
    for (paths, tenant) in runs {
        let options = Options::new(paths, root.to_path_buf());
        let simulation = match simulate::run(&options, &tenant) {
            Ok(simulation) => simulation,
            Err(Error::Usage { .. } | Error::Inputs(_)) => continue,
            Err(error) => panic!("the run failed: {error}"),
        };
        for format in [Format::Human, Format::Markdown, Format::Json] {
            let mut out = Vec::new();
            simulate::render::render(&simulation, format, Style::default(), &mut out).expect("rendered");
            let text = String::from_utf8(out).expect("UTF-8 output");
            match format {
                Format::Json => {
                    serde_json::from_str::<serde_json::Value>(&text).expect("the JSON parses");
                }
                _ => {
                    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
                        panic!("{format:?} output carries {c:?}:\n{text}");
                    }
                }
            }
        }
    }
});
