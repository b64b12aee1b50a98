//! Small text helpers shared by the domain modules: cutting text at a character boundary.

/// The first `max` characters of `text` (all of it when shorter), never splitting a character.
pub fn clip_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_character_boundaries() {
        assert_eq!(clip_chars("жёлтый", 3), "жёл");
        assert_eq!(clip_chars("abc", 10), "abc");
        assert_eq!(clip_chars("", 0), "");
    }
}
