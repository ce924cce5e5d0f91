//! A small repository for the configuration and policy targets: a tenant, two apps, a policy
//! directory and a catalog copied from the project's examples and fixtures into a temporary
//! directory, and a check that a run stays inside it.

use std::path::{Component, Path, PathBuf};

/// Files copied in, from the project root to the workspace.
const FILES: &[(&str, &str)] = &[
    ("examples/tenants/contoso.yaml", "tenants/contoso.yaml"),
    ("examples/apps/contoso/hr-portal.yaml", "apps/hr-portal.yaml"),
    ("examples/apps/contoso/expense-tracker.yaml", "apps/expense-tracker.yaml"),
    ("tests/fixtures/custom-policy/acme.yaml", "policies/acme.yaml"),
    ("tests/fixtures/catalog/sharepoint.yaml", "catalog/sharepoint.yaml"),
];

/// The temporary directory, kept for the process's life.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (from, to) in FILES {
            let to = dir.path().join(to);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("a directory");
            std::fs::copy(project.join(from), &to).expect("the fixture copies");
        }
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Whether every path in `paths` is inside the workspace: a configuration may name any path
    /// (`context: [/]` walks the whole disk), which is the user's right but not this target's
    /// business.
    #[allow(dead_code, reason = "used by the config target only")]
    pub fn contains<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) -> bool {
        paths.into_iter().all(|path| {
            path.starts_with(self.path()) && !path.components().any(|c| matches!(c, Component::ParentDir))
        })
    }
}
