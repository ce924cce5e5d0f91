//! Converts the parser's character indices into byte offsets.
//!
//! `saphyr-parser` reports positions as character indices. Positions arrive almost in order, so a
//! cursor that walks forward (or, rarely, backward) from the last answer costs amortised O(1).

pub(crate) struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
    /// Characters of `text` the parser was not given, and characters it was given that `text`
    /// does not hold, both at the start (see `build::feed`).
    skipped: usize,
    prefix: usize,
}

impl<'a> CharToByte<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self::shifted(text, 0, 0)
    }

    /// For a parser given `prefix` characters of its own, then `text` from its character `skipped`.
    pub(crate) fn shifted(text: &'a str, skipped: usize, prefix: usize) -> Self {
        Self { text, ascii: text.is_ascii(), char_pos: 0, byte_pos: 0, skipped, prefix }
    }

    /// The byte offset of the parser's character `index` (the text's length past its end).
    pub(crate) fn byte(&mut self, index: usize) -> usize {
        let index = index.saturating_sub(self.prefix) + self.skipped;
        if self.ascii {
            return index.min(self.text.len());
        }
        while self.char_pos < index {
            match self.text.get(self.byte_pos..).and_then(|rest| rest.chars().next()) {
                Some(c) => {
                    self.byte_pos += c.len_utf8();
                    self.char_pos += 1;
                }
                None => break,
            }
        }
        while self.char_pos > index {
            match self.text.get(..self.byte_pos).and_then(|done| done.chars().next_back()) {
                Some(c) => {
                    self.byte_pos -= c.len_utf8();
                    self.char_pos -= 1;
                }
                None => break,
            }
        }
        self.byte_pos
    }
}

#[cfg(test)]
mod tests {
    use super::CharToByte;

    #[test]
    fn walks_both_ways() {
        let mut map = CharToByte::new("aé€😀b");
        assert_eq!(map.byte(4), 10);
        assert_eq!(map.byte(1), 1);
        assert_eq!(map.byte(2), 3);
        assert_eq!(map.byte(99), 11);
        assert_eq!(map.byte(0), 0);
    }
}
