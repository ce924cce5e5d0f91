//! Bytes to text: UTF-8, or UTF-16 and UTF-32 announced by a byte-order mark, as YAML 1.2 allows
//! (Windows PowerShell writes UTF-16 LE with a byte-order mark by default).
//!
//! Everything downstream works on the decoded text: spans are byte offsets into it and columns count
//! its characters, so a UTF-16 file gives the same positions as the same text saved as UTF-8. The
//! byte-order mark is decoded to U+FEFF and kept, as in a UTF-8 file that has one; it is never a
//! column.

/// How a file's bytes are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Encoding {
    /// The encoding announced by the byte-order mark that `bytes` start with; UTF-8 without one.
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        // UTF-32 LE's mark starts with UTF-16 LE's, so it is looked for first.
        match bytes {
            [0xff, 0xfe, 0, 0, ..] => Self::Utf32Le,
            [0, 0, 0xfe, 0xff, ..] => Self::Utf32Be,
            [0xff, 0xfe, ..] => Self::Utf16Le,
            [0xfe, 0xff, ..] => Self::Utf16Be,
            _ => Self::Utf8,
        }
    }

    /// The name users know it by.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Utf32Le => "UTF-32LE",
            Self::Utf32Be => "UTF-32BE",
        }
    }

    /// `text` encoded this way (without a byte-order mark), to look for it in undecoded bytes.
    pub(crate) fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Self::Utf8 => text.as_bytes().to_vec(),
            Self::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Self::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            Self::Utf32Le => text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect(),
            Self::Utf32Be => text.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect(),
        }
    }
}

/// Where decoding first failed: the byte offset in the decoded text of the U+FFFD that stands for
/// the bad bytes, and what was wrong with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub at: usize,
    pub label: &'static str,
}

/// A file's text: bytes that cannot be decoded are replaced by U+FFFD, the first of them noted.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub invalid: Option<Invalid>,
}

/// Decodes `bytes` in the encoding their byte-order mark announces, UTF-8 without one.
pub(crate) fn decode(bytes: Vec<u8>) -> Decoded {
    let encoding = Encoding::sniff(&bytes);
    let (text, invalid) = match encoding {
        Encoding::Utf8 => utf8(bytes),
        Encoding::Utf16Le => utf16(&bytes, u16::from_le_bytes),
        Encoding::Utf16Be => utf16(&bytes, u16::from_be_bytes),
        Encoding::Utf32Le => utf32(&bytes, u32::from_le_bytes),
        Encoding::Utf32Be => utf32(&bytes, u32::from_be_bytes),
    };
    Decoded { text, encoding, invalid }
}

fn utf8(bytes: Vec<u8>) -> (String, Option<Invalid>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            // The repaired text is the same up to the first bad byte.
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            (text, Some(Invalid { at, label: "invalid byte sequence" }))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> (String, Option<Invalid>) {
    let (pairs, rest) = bytes.as_chunks::<2>();
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = None;
    for decoded in char::decode_utf16(pairs.iter().map(|pair| unit(*pair))) {
        match decoded {
            Ok(c) => text.push(c),
            Err(_) => bad(&mut text, &mut invalid, "unpaired surrogate"),
        }
    }
    if !rest.is_empty() {
        bad(&mut text, &mut invalid, "incomplete character: the file ends in the middle of one");
    }
    (text, invalid)
}

fn utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> (String, Option<Invalid>) {
    let (quads, rest) = bytes.as_chunks::<4>();
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = None;
    for quad in quads {
        match char::from_u32(unit(*quad)) {
            Some(c) => text.push(c),
            None => bad(&mut text, &mut invalid, "not a Unicode character"),
        }
    }
    if !rest.is_empty() {
        bad(&mut text, &mut invalid, "incomplete character: the file ends in the middle of one");
    }
    (text, invalid)
}

/// Stands U+FFFD for bad input and notes the first place it happened.
fn bad(text: &mut String, invalid: &mut Option<Invalid>, label: &'static str) {
    invalid.get_or_insert(Invalid { at: text.len(), label });
    text.push(char::REPLACEMENT_CHARACTER);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(encoding: Encoding, text: &str) -> Vec<u8> {
        encoding.encode(text)
    }

    #[test]
    fn every_encoding_with_a_byte_order_mark_decodes_to_the_same_text() {
        let text = "\u{feff}name: Zürich 東京 😀\r\n";
        for encoding in
            [Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Utf32Le, Encoding::Utf32Be]
        {
            let decoded = decode(encoded(encoding, text));
            assert_eq!(decoded.encoding, encoding);
            assert_eq!(decoded.text, text, "{encoding:?}");
            assert_eq!(decoded.invalid, None);
        }
    }

    #[test]
    fn without_a_byte_order_mark_bytes_are_utf8() {
        assert_eq!(Encoding::sniff(b"a: 1\n"), Encoding::Utf8);
        // UTF-16 without a mark is not guessed: its NUL bytes make it binary.
        let decoded = decode(encoded(Encoding::Utf16Le, "a: 1\n"));
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert!(decoded.text.contains('\0'));
    }

    #[test]
    fn invalid_input_is_replaced_and_its_first_place_noted() {
        let mut bytes = encoded(Encoding::Utf16Le, "\u{feff}a: é");
        bytes.extend_from_slice(&0xd800_u16.to_le_bytes());
        bytes.extend_from_slice(&encoded(Encoding::Utf16Le, "x"));
        let decoded = decode(bytes);
        assert_eq!(decoded.text, "\u{feff}a: é\u{fffd}x");
        assert_eq!(decoded.invalid, Some(Invalid { at: 8, label: "unpaired surrogate" }));

        let mut odd = encoded(Encoding::Utf16Be, "\u{feff}ab");
        odd.push(b'c');
        let decoded = decode(odd);
        assert_eq!(decoded.text, "\u{feff}ab\u{fffd}");
        assert_eq!(decoded.invalid.map(|i| i.at), Some(5));

        let mut wide = encoded(Encoding::Utf32Le, "\u{feff}a");
        wide.extend_from_slice(&0x0011_0000_u32.to_le_bytes());
        wide.extend_from_slice(&[1, 2]);
        let decoded = decode(wide);
        assert_eq!(decoded.text, "\u{feff}a\u{fffd}\u{fffd}");
        assert_eq!(decoded.invalid, Some(Invalid { at: 4, label: "not a Unicode character" }));
    }
}
