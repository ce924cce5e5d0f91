//! consentlint: a policy-as-code linter for Microsoft 365 / Entra ID app consent.
//!
//! The library runs the same pipeline as the `consentlint` command: discover files, read and
//! parse them into located trees, validate each document against its schema, judge it with the
//! consent policies, and report diagnostics that point at a file, line and column.
//!
//! ```
//! use consentlint::options::Options;
//! use consentlint::render::{self, Format, Style};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("tenant.yaml"),
//!     "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: contoso\n  \
//!      tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47\nspec:\n  userConsent:\n    enabled: true\n    \
//!      policy: all-apps\n",
//! )?;
//! let options = Options::new(vec![dir.path().to_path_buf()], dir.path().to_path_buf());
//! let report = consentlint::check::run(&options)?;
//! assert!(report.diagnostics.iter().any(|d| d.code == "CL-T006"));
//!
//! let mut text = Vec::new();
//! render::render(&report, Format::Plain, Style::default(), &mut text)?;
//! assert!(String::from_utf8(text)?.contains("--> tenant.yaml:"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The public modules are what an embedding program needs: [`options`] and [`check`] to run a
//! check, [`report`], [`diagnostic`] and [`render`] for its outcome, [`simulate`] for what users
//! meet when they open each app in a tenant, [`policy`] and [`testing`] for rule sets, their tests
//! and their reference ([`docs`]), [`codes`] and [`error`] for what can go wrong.
pub mod check;
pub mod cli;
pub mod codes;
pub mod controls;
pub mod diagnostic;
pub mod docs;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod inventory;
pub mod kind;
pub mod options;
pub mod policy;
pub mod render;
pub mod report;
pub mod severity;
pub mod simulate;
pub mod source;
pub mod testing;

mod assemble;
mod baseline;
mod catalog;
mod config;
mod consent;
mod discover;
mod engine;
mod fixtures;
mod grants;
mod load;
mod native;
mod schema;
mod suggest;
mod suppress;
mod validate;
mod yaml;
