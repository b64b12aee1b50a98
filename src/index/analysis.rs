//! Per-language text analysis for BM25: English and Russian Snowball stemming, and a light Polish stemmer with diacritic folding.
//!
//! Polish has no Snowball stemmer. kbctl folds diacritics (customers often type "haslo" for
//! "hasło") and strips the most frequent inflectional endings, keeping a stem of at least three
//! letters. That conflates the case forms that matter for search ("faktura", "faktury",
//! "fakturę"; "zamówienie", "zamówienia", "zamówień") without a dictionary; stem alternations
//! ("prawnik" / "prawnicy") are left to the vector retriever.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::lang::Lang;

/// Tokens longer than this (in bytes) are dropped: hashes, base64, URLs glued together.
const MAX_TOKEN_BYTES: usize = 40;

/// The registered analyzer name for a language's fields.
pub fn analyzer_name(lang: Lang) -> &'static str {
    match lang.analysis() {
        Lang::Ru => "kb_ru",
        Lang::Pl => "kb_pl",
        _ => "kb_en",
    }
}

/// Build the analyzer for a language.
pub fn analyzer(lang: Lang) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser);
    // Function words carry no topic; in a small knowledge base their IDF is high enough to
    // outrank the words that matter ("где" in "Где мой заказ?"), so they are removed.
    match lang.analysis() {
        Lang::Ru => base
            .filter(stop_words(Language::Russian))
            .filter(MapFilter(fold_yo))
            .filter(Stemmer::new(Language::Russian))
            .build(),
        Lang::Pl => base
            .filter(StopWordFilter::remove(
                PL_STOP_WORDS.iter().map(|w| (*w).to_string()),
            ))
            .filter(MapFilter(polish_stem))
            .build(),
        _ => base
            .filter(stop_words(Language::English))
            .filter(Stemmer::new(Language::English))
            .build(),
    }
}

fn stop_words(language: Language) -> StopWordFilter {
    StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
}

/// Polish function words (tantivy ships no Polish list), with and without diacritics.
const PL_STOP_WORDS: &[&str] = &[
    "a", "aby", "ale", "albo", "bo", "by", "być", "byc", "był", "była", "było", "były", "bez",
    "co", "czy", "dla", "do", "gdzie", "gdy", "i", "ich", "ile", "im", "ja", "jak", "jaki",
    "jakie", "jest", "jestem", "jeśli", "jesli", "już", "juz", "ku", "lub", "ma", "mam", "mi",
    "mnie", "mój", "moj", "moja", "moje", "może", "moze", "my", "na", "nad", "nam", "nas", "nie",
    "o", "od", "oraz", "po", "pod", "przez", "przy", "się", "sie", "są", "sa", "ta", "tak", "te",
    "tego", "ten", "to", "tu", "tylko", "w", "we", "więc", "wiec", "z", "za", "ze", "że", "ze",
    "żeby", "zeby", "co", "czemu", "dlaczego", "kiedy", "który", "która", "które", "ktory",
    "ktora", "ktore",
];

/// Every token's text through one function (`fn(input, output)`).
#[derive(Clone, Copy)]
pub struct MapFilter(pub fn(&str, &mut String));

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T> {
        MapTokenizer {
            inner: tokenizer,
            map: self.0,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
pub struct MapTokenizer<T> {
    inner: T,
    map: fn(&str, &mut String),
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            tail: self.inner.token_stream(text),
            map: self.map,
            buffer: &mut self.buffer,
        }
    }
}

pub struct MapTokenStream<'a, S> {
    tail: S,
    map: fn(&str, &mut String),
    buffer: &'a mut String,
}

impl<S: TokenStream> TokenStream for MapTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        (self.map)(&self.tail.token().text, self.buffer);
        std::mem::swap(&mut self.tail.token_mut().text, self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Russian: "ё" is written as "е" as often as not.
fn fold_yo(input: &str, out: &mut String) {
    out.extend(input.chars().map(|c| if c == 'ё' { 'е' } else { c }));
}

/// Polish endings (diacritics folded) and what replaces them, longest first within each group.
const PL_RULES: &[(&str, &str)] = &[
    // verbal nouns: -ienie, -owanie, -enie, -anie and their cases ("zamówień" -> "zamowien")
    ("ieniami", ""),
    ("ieniach", ""),
    ("ieniem", ""),
    ("ienia", ""),
    ("ienie", ""),
    ("ieniu", ""),
    ("ien", ""),
    ("owaniami", ""),
    ("owaniach", ""),
    ("owaniem", ""),
    ("owania", ""),
    ("owanie", ""),
    ("owaniu", ""),
    ("owan", ""),
    ("eniami", ""),
    ("eniach", ""),
    ("eniem", ""),
    ("enia", ""),
    ("enie", ""),
    ("eniu", ""),
    ("aniami", ""),
    ("aniach", ""),
    ("aniem", ""),
    ("ania", ""),
    ("anie", ""),
    ("aniu", ""),
    // -ość nouns keep their suffix: "płatności" -> "platnosc"
    ("osciami", "osc"),
    ("osciach", "osc"),
    ("oscia", "osc"),
    ("osci", "osc"),
    // adjectives and participles
    ("owymi", ""),
    ("owych", ""),
    ("owego", ""),
    ("owemu", ""),
    ("owej", ""),
    ("owym", ""),
    ("owa", ""),
    ("owe", ""),
    ("owy", ""),
    ("iejsze", ""),
    ("iejszy", ""),
    ("ejsze", ""),
    ("ejszy", ""),
    ("ymi", ""),
    ("ych", ""),
    ("ego", ""),
    ("emu", ""),
    ("iej", ""),
    ("ich", ""),
    ("imi", ""),
    ("ym", ""),
    ("im", ""),
    ("ej", ""),
    // verbs
    ("ujemy", ""),
    ("ujecie", ""),
    ("ujesz", ""),
    ("owac", ""),
    ("owal", ""),
    ("owala", ""),
    ("ywac", ""),
    ("iwac", ""),
    ("uja", ""),
    ("uje", ""),
    ("acie", ""),
    ("amy", ""),
    ("asz", ""),
    ("ac", ""),
    ("ic", ""),
    ("yc", ""),
    ("ec", ""),
    ("ala", ""),
    ("al", ""),
    ("ila", ""),
    ("il", ""),
    ("yla", ""),
    ("yl", ""),
    // nouns
    ("ami", ""),
    ("ach", ""),
    ("iem", ""),
    ("owi", ""),
    ("ow", ""),
    ("om", ""),
    ("em", ""),
    ("ie", ""),
    ("ia", ""),
    ("iu", ""),
    ("a", ""),
    ("e", ""),
    ("i", ""),
    ("o", ""),
    ("u", ""),
    ("y", ""),
];

/// Shortest stem (in letters) an ending may leave behind.
const PL_MIN_STEM: usize = 3;

/// Fold Polish diacritics to ASCII letters.
pub fn fold_polish(c: char) -> char {
    match c {
        'ą' => 'a',
        'ć' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' => 'o',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        other => other,
    }
}

/// Light Polish stemmer: fold diacritics, strip one inflectional ending, keep >= 3 letters.
pub fn polish_stem(input: &str, out: &mut String) {
    out.extend(input.chars().map(fold_polish));
    if out.chars().any(|c| c.is_ascii_digit()) {
        return;
    }
    let len = out.chars().count();
    for (suffix, replacement) in PL_RULES {
        if out.ends_with(suffix) && len - suffix.len() >= PL_MIN_STEM {
            out.truncate(out.len() - suffix.len());
            out.push_str(replacement);
            break;
        }
    }
    // Locative alternation: "fakturze" -> "fakturz" -> "faktur".
    if out.ends_with("rz") && input.ends_with("rze") && out.len() > 4 {
        out.truncate(out.len() - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        let mut a = analyzer(lang);
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn pl(word: &str) -> String {
        let mut out = String::new();
        polish_stem(&word.to_lowercase(), &mut out);
        out
    }

    #[test]
    fn polish_case_forms_share_a_stem() {
        let groups: &[&[&str]] = &[
            &[
                "faktura", "faktury", "fakturę", "fakturze", "fakturą", "faktur",
            ],
            &[
                "zamówienie",
                "zamówienia",
                "zamówieniu",
                "zamówień",
                "zamowienie",
            ],
            &["hasło", "hasła", "haslo", "hasłem"],
            &["płatność", "płatności", "płatnością", "platnosc"],
            &["dostawa", "dostawy", "dostawie", "dostawę"],
            &["zwrot", "zwrotu", "zwrotem", "zwrotów"],
            &["prawnik", "prawnika", "prawnikiem", "prawnikowi"],
        ];
        for group in groups {
            let first = pl(group[0]);
            for word in &group[1..] {
                assert_eq!(pl(word), first, "{word} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn short_words_and_numbers_stay() {
        assert_eq!(pl("api"), "api");
        assert_eq!(pl("nip"), "nip");
        assert_eq!(pl("2fa"), "2fa");
    }

    #[test]
    fn russian_stems_inflections_and_folds_yo() {
        assert_eq!(stems(Lang::Ru, "счёта"), stems(Lang::Ru, "счета"));
        assert_eq!(stems(Lang::Ru, "юриста"), stems(Lang::Ru, "юрист"));
        assert_eq!(stems(Lang::Ru, "заказы"), stems(Lang::Ru, "заказ"));
    }

    #[test]
    fn english_stems_and_lowercases() {
        assert_eq!(stems(Lang::En, "Invoices Refunded"), ["invoic", "refund"]);
        assert_eq!(stems(Lang::Und, "passwords"), ["password"]);
    }
}
