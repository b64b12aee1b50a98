//! Phrase matching through inflections: trigger terms and requests for a human, stemmed with each language's analyzer.

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::index::analysis::analyzer;
use crate::lang::Lang;

/// One configured phrase, pre-stemmed.
#[derive(Debug, Clone)]
struct Phrase {
    kind: String,
    lang: Lang,
    text: String,
    stems: Vec<String>,
}

/// What matched: the phrase as configured and the words of the ticket that matched it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhraseMatch {
    pub kind: String,
    pub language: Lang,
    pub phrase: String,
    pub matched: String,
}

/// A set of phrases by kind and language. A phrase matches when all its stems occur in the
/// ticket in order, with at most `GAP` other words between consecutive ones
/// ("хочу поговорить с живым человеком" matches "хочу поговорить с человеком").
pub struct PhraseMatcher {
    phrases: Vec<Phrase>,
    analyzers: Vec<(Lang, TextAnalyzer)>,
}

const GAP: usize = 2;

struct Stemmed {
    stems: Vec<String>,
    spans: Vec<(usize, usize)>,
}

fn stem(analyzer: &mut TextAnalyzer, text: &str) -> Stemmed {
    let mut stream = analyzer.token_stream(text);
    let mut out = Stemmed {
        stems: Vec::new(),
        spans: Vec::new(),
    };
    while stream.advance() {
        let t = stream.token();
        out.stems.push(t.text.clone());
        out.spans.push((t.offset_from, t.offset_to));
    }
    out
}

impl PhraseMatcher {
    /// `entries`: (kind, language, phrase). Phrases in an unknown language are analysed as English.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, Lang, &'a str)>) -> Self {
        let mut analyzers: Vec<(Lang, TextAnalyzer)> =
            Lang::ANALYSED.iter().map(|&l| (l, analyzer(l))).collect();
        let mut phrases = Vec::new();
        for (kind, lang, text) in entries {
            let lang = lang.analysis();
            let Some((_, a)) = analyzers.iter_mut().find(|(l, _)| *l == lang) else {
                continue;
            };
            let stems = stem(a, text).stems;
            if !stems.is_empty() {
                phrases.push(Phrase {
                    kind: kind.to_string(),
                    lang,
                    text: text.to_string(),
                    stems,
                });
            }
        }
        Self { phrases, analyzers }
    }

    /// Every phrase found in `text`, once per (kind, phrase), in the order configured.
    pub fn find(&mut self, text: &str) -> Vec<PhraseMatch> {
        let stemmed: Vec<(Lang, Stemmed)> = self
            .analyzers
            .iter_mut()
            .map(|(l, a)| (*l, stem(a, text)))
            .collect();
        let mut out = Vec::new();
        for phrase in &self.phrases {
            let Some((_, ticket)) = stemmed.iter().find(|(l, _)| *l == phrase.lang) else {
                continue;
            };
            if let Some((from, to)) = find_in_order(&ticket.stems, &phrase.stems) {
                let span = (ticket.spans[from].0, ticket.spans[to].1);
                out.push(PhraseMatch {
                    kind: phrase.kind.clone(),
                    language: phrase.lang,
                    phrase: phrase.text.clone(),
                    matched: text[span.0..span.1].to_string(),
                });
            }
        }
        out
    }
}

/// First occurrence of `needle` in `hay` in order with gaps of at most `GAP`: (first, last) index.
fn find_in_order(hay: &[String], needle: &[String]) -> Option<(usize, usize)> {
    'start: for start in 0..hay.len() {
        if hay[start] != needle[0] {
            continue;
        }
        let mut at = start;
        for want in &needle[1..] {
            let window = (at + 1)..hay.len().min(at + 2 + GAP);
            match window.clone().find(|&i| &hay[i] == want) {
                Some(i) => at = i,
                None => continue 'start,
            }
        }
        return Some((start, at));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> PhraseMatcher {
        PhraseMatcher::new([
            ("legal", Lang::Ru, "юрист"),
            ("legal", Lang::Pl, "prawnik"),
            ("legal", Lang::En, "take you to court"),
            ("human", Lang::Ru, "хочу поговорить с человеком"),
            ("human", Lang::En, "talk to a real person"),
            ("human", Lang::Pl, "rozmawiać z konsultantem"),
        ])
    }

    #[test]
    fn matches_inflected_forms() {
        let mut m = matcher();
        let found = m.find("Мой юристом займётся этим делом");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind.as_str(), found[0].matched.as_str()),
            ("legal", "юристом")
        );
        assert_eq!(
            m.find("Przekażę sprawę prawnikiem i tyle")[0].phrase,
            "prawnik"
        );
        assert_eq!(
            m.find("I will TAKE YOU TO COURT over this")[0].matched,
            "TAKE YOU TO COURT"
        );
    }

    #[test]
    fn phrases_allow_small_gaps_in_order() {
        let mut m = matcher();
        assert_eq!(
            m.find("Я хочу поговорить с живым человеком!")[0].kind,
            "human"
        );
        assert_eq!(m.find("let me talk to a real live person")[0].kind, "human");
        assert_eq!(m.find("Chcę rozmawiać z konsultantem")[0].kind, "human");
        assert!(
            m.find("a person could talk about real things").is_empty(),
            "order matters"
        );
        assert!(m.find("Где мой заказ?").is_empty());
    }
}
