//! "Did you mean": the closest valid name to a mistyped one, for config keys, front matter, metrics and values.

/// The candidate closest to `word` when it is near enough to be a typo of it: a transposition,
/// a missing, extra or wrong letter count as one edit (optimal string alignment), and up to one
/// edit is allowed in words of three to five letters, two up to nine, three beyond (none in
/// shorter words). Ties go to the first candidate. Case is ignored.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word = word.to_lowercase();
    let allowed = match word.chars().count() {
        // One edit turns any two-letter code into many others (`pt` is not a typo of `pl`).
        0..=2 => return None,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = strsim::osa_distance(&word, &candidate.to_lowercase());
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `, did you mean `NAME`?` when a candidate is close to `word`, else nothing: the tail of a
/// message that has already named the mistake.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates)
        .map(|c| format!(", did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["id", "title", "category", "language", "tags", "url"];

    #[test]
    fn typos_find_the_name_they_miss() {
        assert_eq!(closest("catgory", KEYS.iter().copied()), Some("category"));
        assert_eq!(closest("langauge", KEYS.iter().copied()), Some("language"));
        assert_eq!(closest("titel", KEYS.iter().copied()), Some("title"));
        assert_eq!(closest("tag", KEYS.iter().copied()), Some("tags"));
        assert_eq!(closest("ulr", KEYS.iter().copied()), Some("url"));
        assert_eq!(closest("Category", KEYS.iter().copied()), Some("category"));
        assert_eq!(
            closest("contaiment", ["accuracy", "containment"]),
            Some("containment")
        );
    }

    #[test]
    fn other_words_are_not_taken_for_typos() {
        for word in [
            "author",
            "date",
            "type",
            "updated",
            "description",
            "slug",
            "",
        ] {
            assert_eq!(closest(word, KEYS.iter().copied()), None, "{word}");
        }
        assert_eq!(did_you_mean("author", KEYS.iter().copied()), "");
        assert_eq!(
            did_you_mean("fuson", ["fusion", "rrf_k"]),
            ", did you mean `fusion`?"
        );
    }
}
