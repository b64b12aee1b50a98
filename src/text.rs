//! Small text helpers shared by the domain modules: cutting text at a character boundary, names safe in file names.

/// The first `max` characters of `text` (all of it when shorter), never splitting a character.
pub fn clip_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// `s` as a file-name part: ASCII letters, digits and `-` kept, anything else `_`
/// (model ids such as `fastembed:BGESmallENV15` or a folder path).
pub fn file_name_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
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

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name_safe("fastembed:BGESmallENV15"),
            "fastembed_BGESmallENV15"
        );
        assert_eq!(file_name_safe("models/me5-small"), "models_me5-small");
    }
}
