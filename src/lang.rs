//! Language of a text among the ones kbctl serves (Russian, Polish, English), from script, diacritics and function words.

use serde::{Deserialize, Serialize};

/// A language kbctl has analysis for, or `Und` for anything else (and for text with no letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
    Pl,
    Und,
}

impl Lang {
    pub const ANALYSED: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Pl];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Pl => "pl",
            Lang::Und => "und",
        }
    }

    /// Every name [`Lang::parse`] accepts besides the empty one: ISO 639-1 and 639-2 codes,
    /// regional tags, and the language's English and native names.
    pub const NAMES: &[(&str, Lang)] = &[
        ("en", Lang::En),
        ("eng", Lang::En),
        ("english", Lang::En),
        ("en-us", Lang::En),
        ("en-gb", Lang::En),
        ("ru", Lang::Ru),
        ("rus", Lang::Ru),
        ("russian", Lang::Ru),
        ("русский", Lang::Ru),
        ("ru-ru", Lang::Ru),
        ("pl", Lang::Pl),
        ("pol", Lang::Pl),
        ("polish", Lang::Pl),
        ("polski", Lang::Pl),
        ("pl-pl", Lang::Pl),
        ("und", Lang::Und),
    ];

    /// Parse a code or a name from [`Lang::NAMES`], in any case; anything else is `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_lowercase();
        if code.is_empty() {
            return Some(Lang::Und);
        }
        Self::NAMES
            .iter()
            .find(|(name, _)| *name == code)
            .map(|(_, lang)| *lang)
    }

    /// The language whose analysis a text in `self` gets (unknown text is analysed as English).
    pub fn analysis(self) -> Lang {
        match self {
            Lang::Und => Lang::En,
            other => other,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

const PL_WORDS: &[&str] = &[
    "się",
    "nie",
    "jest",
    "jak",
    "czy",
    "że",
    "mój",
    "moja",
    "moje",
    "mam",
    "oraz",
    "dla",
    "przez",
    "są",
    "mogę",
    "można",
    "proszę",
    "jestem",
    "został",
    "została",
    "było",
    "gdzie",
    "kiedy",
    "ale",
    "albo",
    "lub",
    "tak",
    "już",
    "jeszcze",
    "nasz",
    "wasz",
    "jeśli",
    "żeby",
    "aby",
    "który",
    "która",
    "które",
    "tylko",
    "bardzo",
    "dlaczego",
    "mnie",
    "mi",
    "ze",
    "we",
    "od",
    "po",
    "przy",
    "bez",
    "nad",
    "pod",
    "dzień",
    "dobry",
    "witam",
    "pan",
    "pani",
    "państwo",
    "zamówienie",
    "faktura",
    "faktury",
    "hasło",
    "haslo",
    "konto",
    "chcę",
    "chce",
    "moge",
    "prosze",
    "jesli",
    "juz",
    "sie",
    "czego",
    "co",
    "gdzie",
    "moj",
    "moja",
    "jakie",
    "jaki",
    "ile",
];

const EN_WORDS: &[&str] = &[
    "the", "and", "is", "are", "was", "were", "of", "my", "how", "what", "where", "when", "why",
    "can", "could", "would", "should", "for", "with", "you", "your", "it", "an", "in", "on", "not",
    "have", "has", "this", "that", "there", "i", "me", "we", "our", "they", "please", "hello",
    "hi", "thanks", "order", "invoice", "password", "account", "be", "been", "from", "will", "did",
    "does", "doesn't", "don't", "can't", "get", "at", "by", "if", "or", "about",
];

/// Detect the language of `text`.
pub fn detect(text: &str) -> Lang {
    let mut cyrillic = 0usize;
    let mut latin = 0usize;
    let mut pl_marks = 0usize;
    let mut en_marks = 0usize;
    for c in text.chars() {
        if is_cyrillic(c) {
            cyrillic += 1;
        } else if c.is_alphabetic() && c.is_ascii() {
            latin += 1;
            if matches!(c, 'q' | 'x' | 'v' | 'Q' | 'X' | 'V') {
                en_marks += 1;
            }
        } else if c.is_alphabetic() && is_latin_extended(c) {
            latin += 1;
            if "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c) {
                pl_marks += 1;
            }
        }
    }
    if cyrillic == 0 && latin == 0 {
        return Lang::Und;
    }
    if cyrillic >= latin {
        return if text.chars().any(|c| "іїєґІЇЄҐўЎ".contains(c)) {
            Lang::Und
        } else {
            Lang::Ru
        };
    }
    let mut pl = 3.0 * pl_marks as f32;
    let mut en = en_marks as f32 * 0.5;
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        if PL_WORDS.contains(&lower.as_str()) {
            pl += 1.0;
        }
        if EN_WORDS.contains(&lower.as_str()) {
            en += 1.0;
        }
        pl += 0.4 * polish_clusters(&lower) as f32;
        en += 0.4 * english_clusters(&lower) as f32;
    }
    if pl > en { Lang::Pl } else { Lang::En }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin_extended(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}')
}

/// Letter clusters frequent in Polish and rare in English.
fn polish_clusters(word: &str) -> usize {
    [
        "cz", "sz", "rz", "dz", "ie", "wy", "ow", "yc", "ją", "ść", "ej", "aj", "ni", "zy",
    ]
    .iter()
    .map(|c| word.matches(c).count())
    .sum()
}

/// Letter clusters frequent in English and rare in Polish.
fn english_clusters(word: &str) -> usize {
    let mut n = ["th", "wh", "ea", "ou", "ee", "oo", "ck", "ght", "ing"]
        .iter()
        .map(|c| word.matches(c).count())
        .sum();
    if word.ends_with('s') && word.len() > 3 {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_three_languages() {
        let cases = [
            ("Где мой заказ? Уже неделю жду", Lang::Ru),
            ("Здравствуйте, не могу войти в личный кабинет", Lang::Ru),
            ("Jak zmienić hasło do konta?", Lang::Pl),
            ("nie moge sie zalogowac, prosze o pomoc", Lang::Pl),
            ("Gdzie jest moja faktura za luty", Lang::Pl),
            ("zwrot pieniedzy za skaner", Lang::Pl),
            ("Where is my order? It has been a week", Lang::En),
            ("how do I reset my password", Lang::En),
            ("refund for the scanner please", Lang::En),
            ("12345 !!!", Lang::Und),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::parse("PL"), Some(Lang::Pl));
        assert_eq!(Lang::parse("russian"), Some(Lang::Ru));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse("English"), Some(Lang::En));
        assert_eq!(Lang::parse("Русский"), Some(Lang::Ru));
        assert_eq!(Lang::parse("Polski"), Some(Lang::Pl));
        assert_eq!(Lang::parse(" "), Some(Lang::Und));
    }
}
