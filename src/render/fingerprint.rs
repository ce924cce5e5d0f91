//! The identity of a finding that survives edits elsewhere in its file, shared by SARIF
//! (`partialFingerprints`) and GitLab Code Quality (`fingerprint`).
//!
//! The key is `<code>|<file>|<stable pointer>|<document>`, the file from the repository root (so
//! that a finding has the same key wherever the command ran): the pointer names list elements by their
//! `name` where they have one, and no line number is in it, so that a finding keeps its identity
//! when lines are added above it. Findings with the same key get `|2`, `|3`, … in report order,
//! counted over every diagnostic (suppressed ones too), so that a key does not depend on which
//! findings a format shows.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::paths::in_repository;
use crate::diagnostic::Diagnostic;
use crate::report::Report;

/// The key of every diagnostic of `report`, in report order; `prefix` as in
/// [`super::Platform::prefix`].
pub(super) fn keys(report: &Report, prefix: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut key = key(d, prefix);
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                let _ = write!(key, "|{count}");
            }
            key
        })
        .collect()
}

fn key(d: &Diagnostic, prefix: &str) -> String {
    format!(
        "{}|{}|{}|{}",
        d.code,
        in_repository(prefix, d.source.name()),
        d.node_key(),
        d.document.map(|n| n.to_string()).unwrap_or_default()
    )
}

/// A key hashed to 32 hexadecimal digits with 128-bit FNV-1a: stable across versions and
/// machines, and as long as the MD5 digests GitLab's own analysers give. Not cryptographic: it
/// only has to tell findings apart.
pub(super) fn hashed(key: &str) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let hash = key.bytes().fold(OFFSET, |hash, byte| (hash ^ u128::from(byte)).wrapping_mul(PRIME));
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fnv1a_128() {
        // The published FNV-1a 128 test vector for the empty string is the offset basis.
        assert_eq!(hashed(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(hashed("a"), "d228cb696f1a8caf78912b704e4a8964");
        assert_ne!(hashed("CL-A007|a.yaml|/x|0"), hashed("CL-A007|a.yaml|/x|0|2"));
    }
}
