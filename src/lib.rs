//! consentlint: a policy-as-code linter for Microsoft 365 / Entra ID app consent.
pub mod check;
pub mod cli;
pub mod codes;
pub mod diagnostic;
pub mod discover;
pub mod kind;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod yaml;
