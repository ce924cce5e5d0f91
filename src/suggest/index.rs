//! "Did you mean" over a large, fixed set of names (a catalog's permissions), without comparing
//! the input with every name: names are sorted by length, so only those whose length could be
//! close are visited, and each carries a histogram of its characters, which bounds the edit
//! distance from below in a few dozen operations before the distance itself is computed.
//!
//! The answer is the one [`super::did_you_mean`] gives over the same names: the index only skips
//! names that cannot be close enough.

/// Characters counted separately in a histogram: `a`–`z`, `0`–`9`, `.`, and one slot for the rest.
const SLOTS: usize = 38;

/// The names to suggest from.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Sorted by length in characters.
    names: Vec<Indexed>,
}

#[derive(Clone, Debug)]
struct Indexed {
    name: String,
    chars: usize,
    histogram: [u16; SLOTS],
}

impl Index {
    /// An index of `names`.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<Indexed> = names
            .into_iter()
            .map(|name| Indexed {
                name: name.to_owned(),
                chars: name.chars().count(),
                histogram: histogram(name),
            })
            .collect();
        names.sort_by(|a, b| a.chars.cmp(&b.chars).then_with(|| a.name.cmp(&b.name)));
        Self { names }
    }

    /// The name closest to `input`, as [`super::did_you_mean`] chooses it; none for an input that
    /// is a GUID, which is an identifier and never a misspelt name.
    #[must_use]
    pub fn did_you_mean(&self, input: &str) -> Option<&str> {
        if is_guid(input) {
            return None;
        }
        let length = input.chars().count();
        let limit = super::limit(length);
        let wanted = histogram(input);
        let first = self.names.partition_point(|name| name.chars + limit <= length);
        let candidates = self
            .names
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|name| name.chars < length + limit)
            // Each edit changes the histogram by at most two, so half its distance is a lower
            // bound of the edit distance.
            .filter(|name| lower_bound(&wanted, &name.histogram) < limit)
            .map(|name| name.name.as_str());
        super::did_you_mean(input, candidates)
    }
}

/// Whether `text` is written as a GUID (`8-4-4-4-12` hexadecimal digits).
#[must_use]
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, width)| group.len() == width && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn histogram(text: &str) -> [u16; SLOTS] {
    let mut counts = [0_u16; SLOTS];
    for c in text.chars().map(|c| c.to_ascii_lowercase()) {
        let slot = match c {
            'a'..='z' => usize::from(c as u8 - b'a'),
            '0'..='9' => 26 + usize::from(c as u8 - b'0'),
            '.' => 36,
            _ => 37,
        };
        if let Some(count) = counts.get_mut(slot) {
            *count = count.saturating_add(1);
        }
    }
    counts
}

fn lower_bound(a: &[u16; SLOTS], b: &[u16; SLOTS]) -> usize {
    let differ: usize = a.iter().zip(b).map(|(x, y)| usize::from(x.abs_diff(*y))).sum();
    differ.div_ceil(2)
}

#[cfg(test)]
mod tests {
    use super::{Index, is_guid};

    #[test]
    fn gives_what_a_scan_gives() {
        let names = [
            "Chat.Read.All",
            "Mail.Read",
            "Mail.ReadBasic.All",
            "Mail.ReadWrite",
            "User.Read",
            "User.ReadBasic.All",
            "openid",
            "offline_access",
        ];
        let index = Index::new(names);
        let inputs = [
            "Mail.Read.All",
            "Mial.Read",
            "User.Raed",
            "user.read",
            "Chat.Read.Al",
            "offline-access",
            "openId",
            "Calendars.Read",
            "x",
            "",
            "Mail.ReadWrite.Shared.All",
        ];
        for input in inputs {
            assert_eq!(index.did_you_mean(input), super::super::did_you_mean(input, names), "{input}");
        }
        assert_eq!(index.did_you_mean("User.Raed"), Some("User.Read"));
    }

    #[test]
    fn a_guid_is_never_a_misspelt_name() {
        let index = Index::new(["e1fe6dd8-ba31-4d61-89e7-88639da4683d"]);
        assert!(is_guid("E1FE6DD8-BA31-4D61-89E7-88639DA4683D"));
        assert!(!is_guid("e1fe6dd8-ba31-4d61-89e7") && !is_guid("User.Read"));
        assert_eq!(index.did_you_mean("e1fe6dd8-ba31-4d61-89e7-88639da4683e"), None);
    }
}
