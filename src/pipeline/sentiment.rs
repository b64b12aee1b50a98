//! Sentiment of a ticket (negative, neutral, positive) in Russian, Polish and English: lexicon, negation, intensifiers, shouting, punctuation.
//!
//! Deterministic and explainable: every point of the score comes from a cue that
//! [`Sentiment::cues`] names. How a text is scored:
//!
//! 1. **Words.** The text is split into words and clause breaks (`. , ; : ! ? …`, dashes,
//!    brackets, new lines). Words are lowercased, `ё` is read as `е`, Polish letters lose
//!    their diacritics ("żenada" = "zenada") and apostrophes go ("doesn't" = "doesnt").
//! 2. **Lexicon.** At each word the longest matching entry wins. An entry is a word
//!    (`awful`), a stem that matches any word it begins (`отвратител*`: отвратительно,
//!    отвратительный...; stems have at least [`MIN_STEM_CHARS`] letters), or a multi-word
//!    expression ("не работает", "nie działa", "doesn't work", `# раз` where `#` is a
//!    number). Weights run from about -3.5 to +3; zero-weight entries ("good morning",
//!    "dzień dobry") are known neutral phrases that keep a word out of the score.
//! 3. **Negation.** не/нет/ни/без, nie/ani/bez, not/no/never/n't/without... turn the next
//!    polar entry within [`NEGATION_SCOPE`] words of the same clause: a positive one becomes
//!    negative (x[`NEGATED_POSITIVE`]: "не очень хорошо", "nie jestem zadowolony"), a negative
//!    one becomes mildly positive (x[`NEGATED_NEGATIVE`]: "not bad"). Expressions that begin
//!    with a negator ("не работает", "nic nie działa") already carry it and are not turned
//!    again, which is how Russian and Polish double negation reads.
//! 4. **Intensifiers** (очень, bardzo, totalnie, extremely...) multiply the next polar entry
//!    within two words; diminishers (немного, trochę, a bit) are multipliers below one. An
//!    intensifier between a negator and its word is dropped ("не очень хорошо" is milder than
//!    "не хорошо" would be turned up), one before the negator counts ("совсем не удобно").
//!    A negator followed by an intensifier and nothing polar ("не очень.", "nie bardzo") is
//!    mildly negative. A polar word IN CAPITALS counts x[`CAPS_EMPHASIS`].
//! 5. **Contrast.** In a sentence with но/однако/зато, ale/jednak/lecz, but/however, what
//!    comes before the last one counts half and what follows counts one and a half.
//! 6. **Waiting.** A waiting word (жду, уже, czekam, od, waiting, been...) followed by a
//!    span of time (уже 3 недели, od dwóch tygodni, waiting for a week, for months) is a
//!    complaint of its own.
//! 7. **Politeness.** пожалуйста, спасибо, proszę, dziękuję, please, thanks... lean
//!    positive, but all of them together add at most [`POLITE_MAX`], so on their own they
//!    never make a ticket positive, and once there is real complaint evidence they offset
//!    at most [`POLITE_SHARE`] of it. Strong thanks ("большое спасибо", "thank you so much")
//!    are ordinary positive entries.
//! 8. **Emoji and emoticons**: angry and sad ones (😡 🤬 👎 😭, `:(`, `(((`) push down,
//!    happy ones (🙂 👍 😊, `:)`, `)))`) push up; 🙏 counts as politeness.
//! 9. **Punctuation**: a run like `?!` or `???` is impatience; `!!` or longer amplifies the
//!    direction of the rest (and reads as frustration when the rest is not positive).
//! 10. **Shouting**: words of 3+ letters in capitals, not known acronyms (API, SLA, VAT,
//!     GDPR, RODO, НДС...). From [`SHOUT_MIN_WORDS`] such words making up
//!     [`SHOUT_MIN_SHARE`] of the words (or any [`SHOUT_ALWAYS_WORDS`]) the text is shouting:
//!     negative, unless the rest is clearly positive ("THANK YOU SO MUCH").
//!
//! The sum `x` is squashed into `-1..=1` as `x / sqrt(x² + `[`SQUASH_ALPHA`]`)`, rounded to
//! three decimals, and labelled with [`NEGATIVE_THRESHOLD`] and [`POSITIVE_THRESHOLD`].
//!
//! `lang` chooses lexicons. Cyrillic and Latin words cannot collide, so the Russian lexicon
//! is always on; the hint picks between the Latin-script ones: `Ru` and `En` use Russian and
//! English, `Pl` uses Polish and Russian (Polish "no" is "well", not a negator), and `Und`
//! uses all three.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::lang::Lang;

/// A score at or below this is [`SentimentLabel::Negative`].
pub const NEGATIVE_THRESHOLD: f32 = -0.25;
/// A score at or above this is [`SentimentLabel::Positive`].
pub const POSITIVE_THRESHOLD: f32 = 0.25;

/// `score = x / sqrt(x² + SQUASH_ALPHA)`: one strong word (|x| = 2.5) gives about ±0.78, a
/// plain fault report ("не работает", x = -1) about -0.45, and |x| must reach about 0.52 to
/// leave neutral.
pub const SQUASH_ALPHA: f32 = 4.0;
/// Shortest stem (in letters, after folding) a lexicon entry may match words by.
pub const MIN_STEM_CHARS: usize = 4;
/// Words after a negator that it can still turn.
pub const NEGATION_SCOPE: usize = 3;
/// Multiplier for a negated positive entry ("not helpful").
pub const NEGATED_POSITIVE: f32 = -0.75;
/// Multiplier for a negated negative entry ("not bad" is only mildly positive).
pub const NEGATED_NEGATIVE: f32 = -0.4;
/// Multiplier for a polar word written in capitals.
pub const CAPS_EMPHASIS: f32 = 1.3;
/// Most that all politeness together may add.
pub const POLITE_MAX: f32 = 0.45;
/// Share of the complaint evidence that politeness may offset.
pub const POLITE_SHARE: f32 = 0.25;
/// Negative evidence at or below this is a real complaint (politeness is then capped).
pub const COMPLAINT_EVIDENCE: f32 = -0.8;
/// Shouting needs at least this many words in capitals...
pub const SHOUT_MIN_WORDS: usize = 2;
/// ...making up at least this share of the words of 3+ letters...
pub const SHOUT_MIN_SHARE: f32 = 0.3;
/// ...or at least this many words in capitals whatever their share.
pub const SHOUT_ALWAYS_WORDS: usize = 4;

const BOOST_SCOPE: usize = 2;
const BOOST_MAX: f32 = 2.5;
const CONTRAST_BEFORE: f32 = 0.5;
const CONTRAST_AFTER: f32 = 1.5;
const DANGLING_NEGATION: f32 = -0.8;
/// Positive words in a question count this much ("Is it a good time to exchange?").
const QUESTION_POSITIVE: f32 = 0.25;
const WAITING: f32 = -1.4;
const WAIT_GAP: usize = 4;
const SHOUT_BASE: f32 = 0.6;
const SHOUT_PER_SHARE: f32 = 0.8;
const SHOUT_POSITIVE_FACTOR: f32 = 0.5;
const CLEARLY_POSITIVE: f32 = 0.5;
const PUNCT_INTERROBANG: f32 = -0.6;
const PUNCT_QUESTIONS: f32 = -0.4;
const PUNCT_BANGS_NEGATIVE: f32 = -0.4;
const PUNCT_BANGS_POSITIVE: f32 = 0.3;
const PUNCT_MAX_RUNS: usize = 3;
const EMOJI_MAX_EACH: usize = 3;
const MAX_CUES: usize = 12;
const MAX_CUE_CHARS: usize = 60;
const RAW_LIMIT: f32 = 1.0e6;

/// The three-way verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    Negative,
    Neutral,
    Positive,
}

impl SentimentLabel {
    /// The label a score gets under [`NEGATIVE_THRESHOLD`] and [`POSITIVE_THRESHOLD`].
    pub fn from_score(score: f32) -> SentimentLabel {
        if score <= NEGATIVE_THRESHOLD {
            SentimentLabel::Negative
        } else if score >= POSITIVE_THRESHOLD {
            SentimentLabel::Positive
        } else {
            SentimentLabel::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SentimentLabel::Negative => "negative",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Positive => "positive",
        }
    }
}

impl std::fmt::Display for SentimentLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sentiment of one text and what drove it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentiment {
    pub label: SentimentLabel,
    /// -1.0 (very negative) ..= 1.0 (very positive), three decimals.
    pub score: f32,
    /// What drove the score, strongest first, at most 12: "negative: ужасный",
    /// "negated: not helpful", "polite: спасибо", "waiting: уже 3 недели",
    /// "shouting: 4 words", "!!!", "emoji: 😡"; a repeated cue ends with " (x2)".
    pub cues: Vec<String>,
}

/// Sentiment of `text`; `lang` is a hint that chooses lexicons (`Und` uses all three).
pub fn analyze(text: &str, lang: Lang) -> Sentiment {
    let tokens = tokenize(text);
    let indexes = indexes_for(lang);
    let mut found = Found::default();
    lexical_pass(text, &tokens, &indexes, &mut found);
    waiting_pass(text, &tokens, &indexes, &mut found);
    apply_contrast(&mut found);
    apply_questions(text, &tokens, &mut found);
    emoji_pass(text, &mut found);
    finish(text, &tokens, found)
}

// ---------------------------------------------------------------------------------------
// Text: folding and tokens

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn fold_char(c: char) -> char {
    match c {
        'ё' => 'е',
        other => crate::index::analysis::fold_polish(other),
    }
}

/// Lowercase, `ё` -> `е`, Polish diacritics off, combining marks and apostrophes dropped.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if is_combining(c) {
            // "й" typed as "и" + breve stays "й"; other marks (ё as е + diaeresis) go.
            if c == '\u{0306}' && out.ends_with('и') {
                out.pop();
                out.push('й');
            }
            continue;
        }
        for lc in c.to_lowercase() {
            if !is_combining(lc) {
                out.push(fold_char(lc));
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Number,
    Break { sentence_end: bool },
}

#[derive(Debug)]
struct Token<'a> {
    raw: &'a str,
    start: usize,
    end: usize,
    norm: String,
    kind: TokKind,
    sentence: usize,
}

impl Token<'_> {
    fn is_word(&self) -> bool {
        !matches!(self.kind, TokKind::Break { .. })
    }
}

fn break_kind(c: char) -> Option<bool> {
    match c {
        '.' | '!' | '?' | '…' | '\n' | '！' | '？' | '‼' | '⁉' | '。' => Some(true),
        ',' | ';' | ':' | '(' | ')' | '[' | ']' | '—' | '–' | '•' | '¿' | '¡' | '/' | '|' => {
            Some(false)
        }
        c if is_hyphen(c) => Some(false),
        _ => None,
    }
}

fn joins(prev: char, c: char, next: char) -> bool {
    if is_apostrophe(c) {
        prev.is_alphabetic() && next.is_alphabetic()
    } else if is_hyphen(c) {
        prev.is_alphanumeric() && next.is_alphanumeric()
    } else if c == '.' || c == ',' {
        prev.is_ascii_digit() && next.is_ascii_digit()
    } else {
        false
    }
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut sentence = 0;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_word_char(c) {
            let mut j = i + 1;
            while j < chars.len() {
                if is_word_char(chars[j].1) {
                    j += 1;
                } else if j + 1 < chars.len() && joins(chars[j - 1].1, chars[j].1, chars[j + 1].1) {
                    j += 2;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            let raw = &text[start..end];
            let kind = if c.is_numeric() {
                TokKind::Number
            } else {
                TokKind::Word
            };
            out.push(Token {
                raw,
                start,
                end,
                norm: fold(raw),
                kind,
                sentence,
            });
            i = j;
            continue;
        }
        if let Some(sentence_end) = break_kind(c) {
            let end = start + c.len_utf8();
            match out.last_mut() {
                Some(Token {
                    kind: TokKind::Break { sentence_end: se },
                    end: e,
                    ..
                }) => {
                    *se |= sentence_end;
                    *e = end;
                }
                _ => out.push(Token {
                    raw: &text[start..end],
                    start,
                    end,
                    norm: String::new(),
                    kind: TokKind::Break { sentence_end },
                    sentence,
                }),
            }
            if sentence_end {
                sentence += 1;
            }
        }
        i += 1;
    }
    out
}

fn letters(raw: &str) -> (usize, usize, usize, bool) {
    let (mut upper, mut lower, mut all, mut digit) = (0, 0, 0, false);
    for c in raw.chars() {
        if c.is_alphabetic() {
            all += 1;
            if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        } else if c.is_numeric() {
            digit = true;
        }
    }
    (upper, lower, all, digit)
}

/// A word in capitals of at least `min_letters` letters that is not a known acronym.
fn is_caps(token: &Token<'_>, min_letters: usize) -> bool {
    if token.kind != TokKind::Word {
        return false;
    }
    let (upper, lower, all, digit) = letters(token.raw);
    !digit && lower == 0 && all >= min_letters && upper == all && !is_acronym(&token.norm)
}

fn is_acronym(norm: &str) -> bool {
    ACRONYMS.contains(&norm)
}

/// Words in capitals, not acronyms, of 3+ letters; lowercase spellings of the known
/// acronyms that a text may write in capitals without shouting.
const ACRONYMS: &[&str] = &[
    "api",
    "sla",
    "vat",
    "pdf",
    "sms",
    "gdpr",
    "rodo",
    "ндс",
    "url",
    "faq",
    "ceo",
    "cto",
    "usd",
    "eur",
    "pln",
    "rub",
    "gbp",
    "uah",
    "iban",
    "swift",
    "bic",
    "blik",
    "nip",
    "pesel",
    "regon",
    "krs",
    "ksef",
    "zus",
    "nfz",
    "pit",
    "cit",
    "uodo",
    "uokik",
    "bik",
    "knf",
    "http",
    "https",
    "json",
    "xml",
    "csv",
    "xls",
    "xlsx",
    "docx",
    "jpg",
    "png",
    "zip",
    "sso",
    "saml",
    "vpn",
    "dns",
    "ssl",
    "tls",
    "otp",
    "pin",
    "cvv",
    "cvc",
    "mfa",
    "sdk",
    "crm",
    "erp",
    "b2b",
    "b2c",
    "ios",
    "ftp",
    "sftp",
    "smtp",
    "imap",
    "aws",
    "gcp",
    "usb",
    "cpu",
    "ram",
    "ssd",
    "hdd",
    "lte",
    "nfc",
    "asap",
    "fyi",
    "eta",
    "atm",
    "faq",
    "kyc",
    "aml",
    "gmt",
    "utc",
    "cet",
    "est",
    "pst",
    "llc",
    "ltd",
    "inc",
    "gmbh",
    "ooo",
    "sp",
    "zoo",
    "uk",
    "usa",
    "eu",
    "ue",
    "rma",
    "sku",
    "ean",
    "imei",
    "sim",
    "esim",
    "wifi",
    "dhl",
    "ups",
    "gls",
    "dpd",
    "inpost",
    "nda",
    "tos",
    "ccpa",
    "hipaa",
    "ssn",
    "dob",
    "tax",
    "инн",
    "огрн",
    "огрнип",
    "кпп",
    "бик",
    "снилс",
    "ндфл",
    "ооо",
    "зао",
    "оао",
    "пао",
    "ип",
    "жкх",
    "рф",
    "сми",
    "мфц",
    "фнс",
    "пфр",
    "фсс",
    "цб",
    "ркн",
    "фз",
    "сбп",
    "лк",
    "дтп",
    "осаго",
    "каско",
    "мвд",
    "гибдд",
    "фссп",
    "егрюл",
    "эцп",
    "эдо",
    "упд",
    "снг",
    "пин",
    "смс",
    "ссылка",
    "мтс",
    "мгтс",
    "сбер",
    "втб",
    "нпф",
    "омс",
    "дмс",
    "вузы",
    "вуз",
    "егэ",
    "гост",
    "тз",
    "ккт",
    "усн",
    "енвд",
    "осно",
    "рко",
    "акт",
    "счет",
];

// ---------------------------------------------------------------------------------------
// Lexicon indexes

#[derive(Debug, Clone, PartialEq)]
enum Pat {
    Exact(String),
    Prefix(String),
    Number,
}

impl Pat {
    fn parse(word: &str) -> Option<Pat> {
        if word == "#" {
            return Some(Pat::Number);
        }
        match word.strip_suffix('*') {
            Some(stem) => {
                let stem = fold(stem);
                (!stem.is_empty()).then_some(Pat::Prefix(stem))
            }
            None => {
                let w = fold(word);
                (!w.is_empty()).then_some(Pat::Exact(w))
            }
        }
    }

    fn matches(&self, token: &Token<'_>) -> bool {
        match (self, token.kind) {
            (Pat::Number, TokKind::Number) => true,
            (Pat::Exact(s), TokKind::Word) => token.norm == *s,
            (Pat::Prefix(s), TokKind::Word) => token.norm.starts_with(s.as_str()),
            _ => false,
        }
    }

    fn chars(&self) -> usize {
        match self {
            Pat::Exact(s) | Pat::Prefix(s) => s.chars().count(),
            Pat::Number => 1,
        }
    }
}

fn parse_pats(entry: &str) -> Vec<Pat> {
    let pats: Option<Vec<Pat>> = entry.split_whitespace().map(Pat::parse).collect();
    pats.unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Polar(f32),
    /// Polar, but negation does not turn it: swearing ("I don't have a damn account").
    Fixed(f32),
    Polite(f32),
    Negator,
    Boost(f32),
    Contrast,
}

#[derive(Debug)]
struct Entry {
    pats: Vec<Pat>,
    role: Role,
    /// Negation does not turn it: it begins with a negator itself ("не работает") or is
    /// swearing.
    unturnable: bool,
    rank: (usize, usize, usize),
}

#[derive(Debug, Default)]
struct WaitRules {
    markers: Vec<Pat>,
    tight: Vec<Pat>,
    glue: Vec<Pat>,
    quantities: Vec<Pat>,
    long_units: Vec<Pat>,
    short_units: Vec<Pat>,
}

fn any_matches(pats: &[Pat], token: &Token<'_>) -> bool {
    pats.iter().any(|p| p.matches(token))
}

/// One language's lexicon, compiled: entries plus lookup by first word.
#[derive(Debug)]
struct Index {
    entries: Vec<Entry>,
    exact: HashMap<String, Vec<usize>>,
    prefix: HashMap<String, Vec<usize>>,
    number: Vec<usize>,
    wait: WaitRules,
}

/// A language's lexicon as written: see the module docs for the entry syntax.
struct LexiconData {
    polar: &'static [(&'static str, f32)],
    expletives: &'static [(&'static str, f32)],
    polite: &'static [(&'static str, f32)],
    negators: &'static [&'static str],
    boosters: &'static [(&'static str, f32)],
    contrast: &'static [&'static str],
    wait_markers: &'static [&'static str],
    wait_tight: &'static [&'static str],
    wait_glue: &'static [&'static str],
    wait_quantities: &'static [&'static str],
    wait_long: &'static [&'static str],
    wait_short: &'static [&'static str],
}

impl LexiconData {
    /// Every entry with its role, in index order.
    fn entries(&self) -> Vec<(&'static str, Role)> {
        let mut all = Vec::new();
        all.extend(self.negators.iter().map(|&s| (s, Role::Negator)));
        all.extend(self.boosters.iter().map(|&(s, m)| (s, Role::Boost(m))));
        all.extend(self.contrast.iter().map(|&s| (s, Role::Contrast)));
        all.extend(self.polite.iter().map(|&(s, w)| (s, Role::Polite(w))));
        all.extend(self.polar.iter().map(|&(s, w)| (s, Role::Polar(w))));
        all.extend(self.expletives.iter().map(|&(s, w)| (s, Role::Fixed(w))));
        all
    }
}

fn build_index(data: &LexiconData) -> Index {
    let negators: Vec<String> = data.negators.iter().map(|s| fold(s)).collect();
    let mut index = Index {
        entries: Vec::new(),
        exact: HashMap::new(),
        prefix: HashMap::new(),
        number: Vec::new(),
        wait: WaitRules {
            markers: data
                .wait_markers
                .iter()
                .flat_map(|s| Pat::parse(s))
                .collect(),
            tight: data.wait_tight.iter().flat_map(|s| Pat::parse(s)).collect(),
            glue: data.wait_glue.iter().flat_map(|s| Pat::parse(s)).collect(),
            quantities: data
                .wait_quantities
                .iter()
                .flat_map(|s| Pat::parse(s))
                .collect(),
            long_units: data.wait_long.iter().flat_map(|s| Pat::parse(s)).collect(),
            short_units: data.wait_short.iter().flat_map(|s| Pat::parse(s)).collect(),
        },
    };
    for (text, role) in data.entries() {
        let pats = parse_pats(text);
        let Some(first) = pats.first().cloned() else {
            continue;
        };
        let self_negated = role != Role::Negator
            && pats.len() > 1
            && matches!(&first, Pat::Exact(s) if negators.contains(s));
        let unturnable = self_negated || matches!(role, Role::Fixed(_));
        let exact_count = pats.iter().filter(|p| matches!(p, Pat::Exact(_))).count();
        let chars = pats.iter().map(Pat::chars).sum();
        let id = index.entries.len();
        index.entries.push(Entry {
            rank: (pats.len(), exact_count, chars),
            pats,
            role,
            unturnable,
        });
        match first {
            Pat::Exact(s) => index.exact.entry(s).or_default().push(id),
            Pat::Prefix(s) => index.prefix.entry(s).or_default().push(id),
            Pat::Number => index.number.push(id),
        }
    }
    index
}

impl Index {
    /// The best entry starting at `tokens[i]`: most words, then most exact words, then
    /// most letters, then the earliest entry.
    fn best_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(usize, (usize, usize, usize))> {
        let token = tokens.get(i)?;
        let mut best: Option<(usize, (usize, usize, usize))> = None;
        let mut consider = |ids: &[usize]| {
            for &id in ids {
                let entry = &self.entries[id];
                let n = entry.pats.len();
                if i + n > tokens.len() {
                    continue;
                }
                let all = entry
                    .pats
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(p, t)| p.matches(t));
                if all
                    && best
                        .is_none_or(|(b, rank)| entry.rank > rank || (entry.rank == rank && id < b))
                {
                    best = Some((id, entry.rank));
                }
            }
        };
        match token.kind {
            TokKind::Word => {
                if let Some(ids) = self.exact.get(&token.norm) {
                    consider(ids);
                }
                for (b, _) in token.norm.char_indices().skip(1) {
                    if let Some(ids) = self.prefix.get(&token.norm[..b]) {
                        consider(ids);
                    }
                }
                if let Some(ids) = self.prefix.get(&token.norm) {
                    consider(ids);
                }
            }
            TokKind::Number => consider(&self.number),
            TokKind::Break { .. } => {}
        }
        best
    }
}

fn index_ru() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| build_index(&RU))
}

fn index_pl() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| build_index(&PL))
}

fn index_en() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| build_index(&EN))
}

/// Lexicons for a hint, the hinted language first (it wins ties).
fn indexes_for(lang: Lang) -> Vec<&'static Index> {
    match lang {
        Lang::Ru => vec![index_ru(), index_en()],
        Lang::En => vec![index_en(), index_ru()],
        Lang::Pl => vec![index_pl(), index_ru()],
        Lang::Und => vec![index_en(), index_ru(), index_pl()],
    }
}

// ---------------------------------------------------------------------------------------
// Scoring

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Lexical,
    Polite,
    Emoji,
    Punct,
    Shout,
}

#[derive(Debug)]
struct Contribution {
    value: f32,
    source: Source,
    cue: String,
    sentence: usize,
    pos: usize,
}

#[derive(Debug, Default)]
struct Found {
    items: Vec<Contribution>,
    contrasts: Vec<(usize, usize, String)>,
}

impl Found {
    fn push(&mut self, value: f32, source: Source, cue: String, sentence: usize, pos: usize) {
        if value.is_finite() && value != 0.0 {
            self.items.push(Contribution {
                value,
                source,
                cue,
                sentence,
                pos,
            });
        }
    }
}

/// `text[start..end]`, lowercased, whitespace collapsed, at most [`MAX_CUE_CHARS`].
fn span(text: &str, start: usize, end: usize) -> String {
    let raw = text.get(start..end).unwrap_or("");
    let mut out = String::new();
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    if out.chars().count() > MAX_CUE_CHARS {
        out = out.chars().take(MAX_CUE_CHARS).collect();
        out.push('…');
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Negation {
    /// Position of the negator's last word.
    pos: usize,
    start: usize,
    sentence: usize,
    /// End byte of an intensifier right after the negator ("не очень").
    boosted_end: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Boost {
    /// Position of the last intensifier word.
    pos: usize,
    start: usize,
    /// Product of the intensifiers before any negator, and of those after one.
    before: f32,
    after: f32,
}

/// "не очень." with nothing to turn: mildly negative.
fn flush_negation(text: &str, negation: &mut Option<Negation>, found: &mut Found) {
    if let Some(n) = negation.take()
        && let Some(end) = n.boosted_end
    {
        let cue = format!("negated: {}", span(text, n.start, end));
        found.push(DANGLING_NEGATION, Source::Lexical, cue, n.sentence, n.pos);
    }
}

fn lexical_pass(text: &str, tokens: &[Token<'_>], indexes: &[&'static Index], found: &mut Found) {
    let mut negation: Option<Negation> = None;
    let mut boost: Option<Boost> = None;
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if !token.is_word() {
            flush_negation(text, &mut negation, found);
            boost = None;
            i += 1;
            continue;
        }
        if negation.is_some_and(|n| i > n.pos + NEGATION_SCOPE) {
            flush_negation(text, &mut negation, found);
        }
        if boost.is_some_and(|b| i > b.pos + BOOST_SCOPE) {
            boost = None;
        }
        let mut best: Option<(&Index, usize, (usize, usize, usize))> = None;
        for index in indexes {
            if let Some((id, rank)) = index.best_at(tokens, i)
                && best.is_none_or(|(_, _, r)| rank > r)
            {
                best = Some((index, id, rank));
            }
        }
        let Some((index, id, _)) = best else {
            i += 1;
            continue;
        };
        let entry = &index.entries[id];
        let len = entry.pats.len().max(1);
        let last = i + len - 1;
        let end = tokens[last].end;
        match entry.role {
            Role::Negator => {
                flush_negation(text, &mut negation, found);
                negation = Some(Negation {
                    pos: last,
                    start: token.start,
                    sentence: token.sentence,
                    boosted_end: None,
                });
            }
            Role::Boost(mult) => {
                let after_negator = negation.is_some();
                if let Some(n) = negation.as_mut()
                    && i == n.pos + 1
                    && n.boosted_end.is_none()
                {
                    n.boosted_end = Some(end);
                }
                let b = boost.get_or_insert(Boost {
                    pos: last,
                    start: token.start,
                    before: 1.0,
                    after: 1.0,
                });
                b.pos = last;
                if after_negator {
                    b.after = (b.after * mult).clamp(0.0, BOOST_MAX);
                } else {
                    b.before = (b.before * mult).clamp(0.0, BOOST_MAX);
                }
            }
            Role::Contrast => {
                flush_negation(text, &mut negation, found);
                boost = None;
                let word = span(text, token.start, end);
                found.contrasts.push((token.sentence, i, word));
            }
            Role::Polite(weight) => {
                let cue = format!("polite: {}", span(text, token.start, end));
                found.push(weight, Source::Polite, cue, token.sentence, i);
            }
            Role::Polar(0.0) | Role::Fixed(0.0) => {}
            Role::Polar(weight) | Role::Fixed(weight) => {
                let negated =
                    !entry.unturnable && negation.is_some_and(|n| i <= n.pos + NEGATION_SCOPE);
                let mut mult = 1.0;
                let mut start = token.start;
                if let Some(b) = boost {
                    mult *= b.before;
                    if !negated {
                        mult *= b.after;
                    }
                    start = start.min(b.start);
                }
                if negated && let Some(n) = negation {
                    start = start.min(n.start);
                }
                if tokens[i..=last].iter().any(|t| is_caps(t, 2)) {
                    mult *= CAPS_EMPHASIS;
                }
                let base = weight * mult;
                let value = match (negated, weight > 0.0) {
                    (false, _) => base,
                    (true, true) => base * NEGATED_POSITIVE,
                    (true, false) => base * NEGATED_NEGATIVE,
                };
                let kind = if negated {
                    "negated"
                } else if value < 0.0 {
                    "negative"
                } else {
                    "positive"
                };
                let cue = format!("{kind}: {}", span(text, start, end));
                found.push(value, Source::Lexical, cue, token.sentence, i);
                if negated || entry.unturnable {
                    negation = None;
                }
                boost = None;
            }
        }
        i += len;
    }
    flush_negation(text, &mut negation, found);
}

/// End of a waiting expression that starts at `tokens[i]`, if one does.
fn waiting_at(rules: &WaitRules, tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let token = tokens.get(i)?;
    let marker = any_matches(&rules.markers, token);
    let tight = any_matches(&rules.tight, token);
    if !marker && !tight {
        return None;
    }
    let mut quantity = false;
    for (j, t) in tokens.iter().enumerate().skip(i + 1).take(WAIT_GAP + 1) {
        if !t.is_word() {
            return None;
        }
        let long = any_matches(&rules.long_units, t);
        let short = any_matches(&rules.short_units, t);
        if long || short {
            if !marker {
                return (j == i + 1).then_some(j);
            }
            return (long || quantity).then_some(j);
        }
        if t.kind == TokKind::Number || any_matches(&rules.quantities, t) {
            quantity = true;
        } else if !any_matches(&rules.glue, t) {
            return None;
        }
    }
    None
}

fn waiting_pass(text: &str, tokens: &[Token<'_>], indexes: &[&'static Index], found: &mut Found) {
    let mut i = 0;
    while i < tokens.len() {
        let hit = if tokens[i].kind == TokKind::Word {
            indexes
                .iter()
                .find_map(|ix| waiting_at(&ix.wait, tokens, i))
        } else {
            None
        };
        match hit {
            Some(j) => {
                let cue = format!("waiting: {}", span(text, tokens[i].start, tokens[j].end));
                found.push(WAITING, Source::Lexical, cue, tokens[i].sentence, i);
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// Before the last contrast word of a sentence counts less, after it more.
fn apply_contrast(found: &mut Found) {
    if found.contrasts.is_empty() {
        return;
    }
    let mut used = vec![false; found.contrasts.len()];
    for item in &mut found.items {
        if !matches!(item.source, Source::Lexical | Source::Polite) {
            continue;
        }
        let last = found
            .contrasts
            .iter()
            .enumerate()
            .rfind(|(_, (s, _, _))| *s == item.sentence);
        if let Some((k, (_, pos, _))) = last {
            item.value *= if item.pos < *pos {
                CONTRAST_BEFORE
            } else {
                CONTRAST_AFTER
            };
            used[k] = true;
        }
    }
    for (k, (sentence, pos, word)) in found.contrasts.iter().enumerate() {
        if used[k] {
            found.items.push(Contribution {
                value: 0.0,
                source: Source::Lexical,
                cue: format!("contrast: {word}"),
                sentence: *sentence,
                pos: *pos,
            });
        }
    }
}

/// Positive words in a question are asked about, not said.
fn apply_questions(text: &str, tokens: &[Token<'_>], found: &mut Found) {
    let sentences = tokens.last().map_or(0, |t| t.sentence) + 1;
    let mut question = vec![false; sentences];
    for t in tokens {
        if matches!(t.kind, TokKind::Break { sentence_end: true })
            && text
                .get(t.start..t.end)
                .is_some_and(|s| s.contains(['?', '？', '⁉']))
            && let Some(q) = question.get_mut(t.sentence)
        {
            *q = true;
        }
    }
    for item in &mut found.items {
        if item.source == Source::Lexical
            && item.value > 0.0
            && question.get(item.sentence).copied().unwrap_or(false)
        {
            item.value *= QUESTION_POSITIVE;
        }
    }
}

fn emoji_pass(text: &str, found: &mut Found) {
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in text.chars() {
        let Some(&(e, weight, polite)) = EMOJI.iter().find(|(e, _, _)| *e == c) else {
            continue;
        };
        let n = counts.entry(e).or_default();
        *n += 1;
        if *n <= EMOJI_MAX_EACH {
            let source = if polite {
                Source::Polite
            } else {
                Source::Emoji
            };
            found.push(weight, source, format!("emoji: {e}"), 0, 0);
        }
    }
    let open = text.chars().filter(|&c| c == '(').count();
    let close = text.chars().filter(|&c| c == ')').count();
    let mut emoticons = 0;
    for chunk in text.split_whitespace() {
        if emoticons >= EMOJI_MAX_EACH * 2 {
            break;
        }
        let chunk = chunk.trim_end_matches(['.', ',', '!', '?', ';']);
        let hit = EMOTICONS
            .iter()
            .filter(|(e, _, exact)| {
                if *exact {
                    chunk == *e
                } else {
                    chunk.ends_with(e)
                }
            })
            .max_by_key(|(e, _, _)| e.len())
            .map(|&(e, w, _)| (e.to_string(), w))
            .or_else(|| {
                if close > open && chunk.ends_with("))") {
                    Some(("))".to_string(), 1.0))
                } else if open > close && chunk.ends_with("((") {
                    Some(("((".to_string(), -1.0))
                } else {
                    None
                }
            });
        if let Some((e, weight)) = hit {
            emoticons += 1;
            found.push(weight, Source::Emoji, format!("emoji: {e}"), 0, 0);
        }
    }
}

fn sum_where(items: &[Contribution], keep: impl Fn(&Contribution) -> bool) -> f32 {
    items.iter().filter(|c| keep(c)).map(|c| c.value).sum()
}

fn complaint_evidence(items: &[Contribution]) -> f32 {
    sum_where(items, |c| c.source != Source::Polite && c.value < 0.0)
}

/// Politeness adds at most [`POLITE_MAX`], and at most [`POLITE_SHARE`] of a complaint.
fn cap_politeness(items: &mut [Contribution]) {
    let polite = sum_where(items, |c| c.source == Source::Polite && c.value > 0.0);
    if polite <= 0.0 {
        return;
    }
    let evidence = complaint_evidence(items);
    let cap = if evidence <= COMPLAINT_EVIDENCE {
        POLITE_MAX.min(POLITE_SHARE * -evidence)
    } else {
        POLITE_MAX
    };
    if polite > cap {
        let factor = cap / polite;
        for c in items
            .iter_mut()
            .filter(|c| c.source == Source::Polite && c.value > 0.0)
        {
            c.value *= factor;
        }
    }
}

fn punctuation_pass(text: &str, rest: f32, found: &mut Found) {
    let mut runs = 0;
    let mut run = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '!' | '！' => run.push('!'),
            '?' | '？' => run.push('?'),
            '‼' => run.push_str("!!"),
            '⁉' => run.push_str("!?"),
            _ => {}
        }
        let continues = chars
            .peek()
            .is_some_and(|n| matches!(n, '!' | '！' | '?' | '？' | '‼' | '⁉'));
        if continues || run.is_empty() {
            continue;
        }
        let bangs = run.matches('!').count();
        let questions = run.len() - bangs;
        let value = if bangs >= 1 && questions >= 1 {
            PUNCT_INTERROBANG
        } else if questions >= 3 {
            PUNCT_QUESTIONS
        } else if bangs >= 2 && rest > 0.0 {
            PUNCT_BANGS_POSITIVE
        } else if bangs >= 2 {
            PUNCT_BANGS_NEGATIVE
        } else {
            0.0
        };
        if value != 0.0 && runs < PUNCT_MAX_RUNS {
            runs += 1;
            let cue: String = run.chars().take(5).collect();
            found.push(value, Source::Punct, cue, 0, 0);
        }
        run.clear();
    }
}

fn shouting_pass(tokens: &[Token<'_>], rest: f32, found: &mut Found) {
    let words = tokens
        .iter()
        .filter(|t| t.kind == TokKind::Word && letters(t.raw).2 >= 3)
        .count();
    let caps = tokens.iter().filter(|t| is_caps(t, 3)).count();
    if words == 0 || caps < SHOUT_MIN_WORDS {
        return;
    }
    let share = caps as f32 / words as f32;
    if share < SHOUT_MIN_SHARE && caps < SHOUT_ALWAYS_WORDS {
        return;
    }
    let amount = SHOUT_BASE + SHOUT_PER_SHARE * share.min(1.0);
    let value = if rest > CLEARLY_POSITIVE && complaint_evidence(&found.items) > COMPLAINT_EVIDENCE
    {
        amount * SHOUT_POSITIVE_FACTOR
    } else {
        -amount
    };
    let noun = if caps == 1 { "word" } else { "words" };
    found.push(
        value,
        Source::Shout,
        format!("shouting: {caps} {noun}"),
        0,
        0,
    );
}

fn finish(text: &str, tokens: &[Token<'_>], mut found: Found) -> Sentiment {
    cap_politeness(&mut found.items);
    let rest = sum_where(&found.items, |c| c.source != Source::Polite);
    punctuation_pass(text, rest, &mut found);
    shouting_pass(tokens, rest, &mut found);
    cap_politeness(&mut found.items);
    let raw = sum_where(&found.items, |_| true).clamp(-RAW_LIMIT, RAW_LIMIT);
    let raw = if raw.is_finite() { raw } else { 0.0 };
    let squashed = raw / (raw * raw + SQUASH_ALPHA).sqrt();
    let mut score = ((squashed * 1000.0).round() / 1000.0).clamp(-1.0, 1.0);
    if score == 0.0 {
        score = 0.0; // no "-0"
    }
    Sentiment {
        label: SentimentLabel::from_score(score),
        score,
        cues: render_cues(&found.items),
    }
}

/// Identical cues merged, strongest first, at most [`MAX_CUES`].
fn render_cues(items: &[Contribution]) -> Vec<String> {
    let mut groups: Vec<(&str, f32, usize)> = Vec::new();
    let mut by_cue: HashMap<&str, usize> = HashMap::new();
    for item in items {
        match by_cue.get(item.cue.as_str()) {
            Some(&g) => {
                groups[g].1 += item.value;
                groups[g].2 += 1;
            }
            None => {
                by_cue.insert(item.cue.as_str(), groups.len());
                groups.push((item.cue.as_str(), item.value, 1));
            }
        }
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        groups[b]
            .1
            .abs()
            .total_cmp(&groups[a].1.abs())
            .then(a.cmp(&b))
    });
    order
        .into_iter()
        .take(MAX_CUES)
        .map(|g| {
            let (cue, _, n) = groups[g];
            if n > 1 {
                format!("{cue} (x{n})")
            } else {
                cue.to_string()
            }
        })
        .collect()
}

/// Emoji: (emoji, weight, counts as politeness).
const EMOJI: &[(char, f32, bool)] = &[
    ('😡', -2.0, false),
    ('🤬', -2.5, false),
    ('😠', -1.8, false),
    ('👎', -1.5, false),
    ('😤', -1.2, false),
    ('💩', -1.5, false),
    ('🖕', -2.5, false),
    ('🙄', -1.0, false),
    ('😒', -1.0, false),
    ('😞', -1.0, false),
    ('😔', -0.8, false),
    ('😟', -0.8, false),
    ('🙁', -1.0, false),
    ('☹', -1.0, false),
    ('😢', -1.0, false),
    ('😭', -1.2, false),
    ('😩', -1.2, false),
    ('😫', -1.2, false),
    ('😖', -1.0, false),
    ('😣', -1.0, false),
    ('🤦', -1.2, false),
    ('🤯', -1.0, false),
    ('💔', -1.2, false),
    ('😑', -0.5, false),
    ('🙂', 0.8, false),
    ('😊', 1.2, false),
    ('☺', 1.0, false),
    ('😀', 1.0, false),
    ('😃', 1.0, false),
    ('😄', 1.2, false),
    ('😁', 1.2, false),
    ('😆', 1.0, false),
    ('😉', 0.6, false),
    ('😍', 1.8, false),
    ('🥰', 1.8, false),
    ('😇', 0.8, false),
    ('🤗', 1.2, false),
    ('🥳', 1.5, false),
    ('👍', 1.2, false),
    ('👌', 1.0, false),
    ('👏', 1.2, false),
    ('💪', 0.8, false),
    ('❤', 1.5, false),
    ('♥', 1.2, false),
    ('💙', 1.2, false),
    ('💚', 1.2, false),
    ('💯', 1.0, false),
    ('🎉', 1.2, false),
    ('⭐', 0.8, false),
    ('🌟', 1.0, false),
    ('🔥', 0.5, false),
    ('🤝', 0.8, false),
    ('🙏', 0.45, true),
];

/// ASCII emoticons: (emoticon, weight, must be the whole word).
const EMOTICONS: &[(&str, f32, bool)] = &[
    (":)", 0.8, false),
    (":-)", 0.8, false),
    ("=)", 0.8, false),
    (":]", 0.8, false),
    (":D", 1.0, false),
    (":-D", 1.0, false),
    (";)", 0.6, false),
    (";-)", 0.6, false),
    ("xD", 1.0, true),
    ("XD", 1.0, true),
    ("<3", 1.2, true),
    (":(", -1.0, false),
    (":-(", -1.0, false),
    ("=(", -1.0, false),
    (":'(", -1.2, false),
    (">:(", -1.8, false),
    (":/", -0.6, true),
    (":-/", -0.6, true),
    (":|", -0.4, true),
];

// ---------------------------------------------------------------------------------------
// Lexicons. Syntax: words separated by spaces; `stem*` matches any word the stem begins
// (at least MIN_STEM_CHARS letters); `#` matches a number. Written in natural spelling
// (ё, ą, ż...): entries are folded like the text.

const RU: LexiconData = LexiconData {
    polar: RU_POLAR,
    expletives: &[
        ("пиздец", -3.0),
        ("херня", -2.8),
        ("хрень", -2.5),
        ("фигня", -2.0),
        ("блин", -0.8),
        ("блять", -1.8),
        ("бля", -1.5),
        ("нахрен", -2.5),
        ("нафиг", -1.5),
        ("задрали", -2.8),
        ("заколебал*", -2.8),
        ("офигеть", -1.5),
        ("черт", -0.8),
        ("черт возьми", -1.5),
        ("какого черта", -2.2),
        ("какого хрена", -2.5),
        ("капец", -2.0),
        ("трындец", -2.5),
        ("жесть", -2.0),
        ("дерьм*", -3.0),
        ("говн*", -3.0),
    ],
    polite: RU_POLITE,
    negators: &["не", "нет", "ни", "без"],
    boosters: &[
        ("очень", 1.5),
        ("очень-очень", 1.8),
        ("совсем", 1.5),
        ("совершенно", 1.6),
        ("абсолютно", 1.6),
        ("полностью", 1.5),
        ("вообще", 1.4),
        ("вовсе", 1.4),
        ("крайне", 1.8),
        ("чрезвычайно", 1.8),
        ("невероятно", 1.6),
        ("безумно", 1.6),
        ("жутко", 1.6),
        ("дико", 1.6),
        ("страшно", 1.4),
        ("слишком", 1.4),
        ("чересчур", 1.4),
        ("настолько", 1.4),
        ("так", 1.3),
        ("такой", 1.3),
        ("такая", 1.3),
        ("такое", 1.3),
        ("такие", 1.3),
        ("просто", 1.2),
        ("реально", 1.3),
        ("действительно", 1.3),
        ("максимально", 1.5),
        ("весьма", 1.2),
        ("довольно", 1.15),
        ("самый", 1.3),
        ("самая", 1.3),
        ("самое", 1.3),
        ("самые", 1.3),
        ("полный", 1.4),
        ("полная", 1.4),
        ("полное", 1.4),
        ("полнейший", 1.6),
        ("полнейшая", 1.6),
        ("сплошной", 1.4),
        ("сплошное", 1.4),
        ("нисколько", 1.4),
        ("ужасающе", 1.6),
        ("немного", 0.6),
        ("немножко", 0.6),
        ("чуть", 0.6),
        ("чуть-чуть", 0.6),
        ("слегка", 0.5),
        ("отчасти", 0.6),
        ("частично", 0.6),
        ("местами", 0.7),
        ("несколько", 0.8),
        ("вроде", 0.8),
        ("малость", 0.6),
    ],
    contrast: &["но", "однако", "зато", "тем не менее"],
    wait_markers: &[
        "жду",
        "ждем",
        "ждал",
        "ждала",
        "ждали",
        "ожидаю",
        "ожидаем",
        "уже",
    ],
    wait_tight: &[],
    wait_glue: &[
        "уже",
        "больше",
        "более",
        "почти",
        "около",
        "как",
        "целый",
        "целую",
        "целых",
        "целые",
        "ровно",
    ],
    wait_quantities: &[
        "два",
        "две",
        "двух",
        "три",
        "трех",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "десять",
        "пару",
        "пары",
        "полтора",
        "полторы",
        "нескольк*",
        "втор*",
        "трет*",
        "четверт*",
        "пятый",
        "пятую",
        "пятые",
        "десят*",
        "которую",
        "который",
        "которые",
        "какой",
        "какую",
        "энный",
        "энную",
        "много",
        "многие",
    ],
    wait_long: &[
        "недел*",
        "месяц*",
        "полгода",
        "полмесяца",
        "год",
        "года",
        "лет",
    ],
    wait_short: &[
        "день",
        "дня",
        "дней",
        "дни",
        "сутки",
        "суток",
        "час",
        "часа",
        "часов",
    ],
};

const RU_POLITE: &[(&str, f32)] = &[
    ("пожалуйста", 0.3),
    ("пожалуйсто", 0.3),
    ("плиз", 0.2),
    ("спасиб*", 0.45),
    ("спс", 0.3),
    ("благодар*", 0.45),
    ("заранее спасибо", 0.3),
    ("заранее благодар*", 0.3),
    ("заранее большое спасибо", 0.3),
    ("спасибо заранее", 0.3),
    ("спасибо за помощь", 0.45),
    ("спасибо за ответ", 0.45),
    ("спасибо за понимание", 0.3),
    ("с уважением", 0.2),
    ("будьте добры", 0.3),
    ("будьте любезны", 0.3),
    ("не могли бы вы", 0.3),
    ("если не сложно", 0.3),
    ("если вас не затруднит", 0.3),
    ("извините", 0.2),
    ("прошу прощения", 0.2),
    ("хорошего дня", 0.3),
    ("всего доброго", 0.3),
];

const RU_POLAR: &[(&str, f32)] = &[
    // Known neutral phrases.
    ("добрый день", 0.0),
    ("доброе утро", 0.0),
    ("добрый вечер", 0.0),
    ("как раз", 0.0),
    ("в лучшем случае", 0.0),
    ("лучше всего", 0.0),
    ("не за что", 0.0),
    ("ничего страшного", 0.5),
    ("не страшно", 0.3),
    ("не проблема", 0.5),
    ("без проблем", 0.8),
    ("без нареканий", 1.5),
    ("нет претензий", 1.2),
    ("претензий нет", 1.2),
    // Strong negative words.
    ("отвратител*", -3.0),
    ("отвратн*", -3.0),
    ("омерзител*", -3.0),
    ("мерзк*", -3.0),
    ("мерзост*", -3.0),
    ("ужас*", -2.5),
    ("кошмар*", -2.8),
    ("безобраз*", -2.8),
    ("беспредел*", -3.0),
    ("позор*", -2.8),
    ("обман*", -2.5),
    ("развод", -2.2),
    ("разводят", -2.5),
    ("развели", -2.5),
    ("разводилов*", -2.8),
    ("мошенни*", -3.0),
    ("жулик*", -3.0),
    ("жульнич*", -3.0),
    ("лохотрон*", -3.0),
    ("кидалов*", -3.0),
    ("кидалы", -3.0),
    ("кинули", -2.5),
    ("обокрал*", -3.0),
    ("воры", -2.8),
    ("ворюг*", -3.0),
    ("грабеж*", -2.8),
    ("грабител*", -2.8),
    ("вымогат*", -3.0),
    ("издева*", -2.8),
    ("хамств*", -2.8),
    ("хамск*", -2.8),
    ("хамят", -2.8),
    ("хамит", -2.8),
    ("нахамил*", -2.8),
    ("хам", -2.5),
    ("наглост*", -2.5),
    ("нагло", -2.0),
    ("наглый", -2.2),
    ("наглая", -2.2),
    ("наглые", -2.2),
    ("обнаглел*", -2.8),
    ("охренел*", -2.8),
    ("офигел*", -2.5),
    ("отстой", -2.5),
    ("отстойн*", -2.5),
    ("днище", -2.8),
    ("фигн*", -1.8),
    ("хуже", -1.8),
    ("худш*", -2.5),
    ("наихудш*", -3.0),
    ("хуже некуда", -3.0),
    ("ниже плинтуса", -2.8),
    ("плох*", -1.8),
    ("жуть", -2.2),
    ("жутк*", -2.2),
    ("катастроф*", -2.5),
    ("фиаско", -2.2),
    ("провал", -1.8),
    ("треш", -2.0),
    ("трэш", -2.0),
    ("бардак*", -2.5),
    ("дурдом*", -2.5),
    ("цирк", -1.8),
    ("шарашк*", -2.8),
    ("абсурд*", -2.0),
    ("бред", -2.0),
    ("бредов*", -2.0),
    ("ерунд*", -1.5),
    ("чушь", -1.8),
    ("возмущ*", -2.5),
    ("возмутител*", -2.8),
    ("недопустим*", -2.5),
    ("неприемлем*", -2.5),
    ("безответствен*", -2.5),
    ("некомпетент*", -2.5),
    ("непрофессионал*", -2.5),
    ("неадекват*", -2.5),
    ("невыносим*", -2.5),
    ("неуважени*", -2.2),
    ("неуважител*", -2.2),
    ("безразли*", -1.8),
    ("равнодуш*", -1.8),
    ("игнор*", -2.0),
    ("проигнорир*", -2.0),
    ("отписк*", -2.0),
    ("отфутбол*", -2.0),
    ("футболят", -2.0),
    ("футболите", -2.0),
    ("бесполезн*", -2.2),
    ("бестолков*", -2.0),
    ("бессмыслен*", -1.8),
    ("тупой", -2.0),
    ("тупая", -2.0),
    ("тупые", -2.0),
    ("тупо", -1.5),
    ("тупость", -2.2),
    ("идиот*", -2.5),
    ("дебил*", -2.8),
    ("кретин*", -2.8),
    ("дураки", -2.5),
    ("дурак", -2.2),
    ("клоуны", -2.5),
    ("лжец*", -2.5),
    ("ложь", -2.2),
    ("врете", -2.5),
    ("врут", -2.5),
    ("вранье", -2.5),
    ("лгут", -2.5),
    ("наврали", -2.5),
    ("обещани*", -0.5),
    ("обещали", -0.8),
    ("халтур*", -2.2),
    ("паршив*", -2.2),
    ("дрянн*", -2.2),
    ("гадк*", -2.0),
    ("гадост*", -2.0),
    ("убог*", -2.2),
    ("жалк*", -2.0),
    ("позорищ*", -3.0),
    ("подделк*", -2.0),
    ("фальшив*", -2.0),
    ("бракован*", -1.8),
    ("брак", -1.0),
    ("незаконн*", -2.0),
    ("навязан*", -1.5),
    ("навязыва*", -1.5),
    ("угрож*", -2.0),
    // Feelings.
    ("разочаров*", -2.2),
    ("расстроен*", -1.8),
    ("расстроил*", -1.8),
    ("расстраива*", -1.8),
    ("огорчен*", -1.8),
    ("печаль*", -1.2),
    ("печально", -1.2),
    ("к сожалению", -0.6),
    ("увы", -0.6),
    ("грустн*", -1.2),
    ("обидн*", -1.5),
    ("злой", -2.0),
    ("злая", -2.0),
    ("злюсь", -2.2),
    ("злит", -2.2),
    ("бесит", -2.5),
    ("бесят", -2.5),
    ("бесите", -2.5),
    ("взбешен*", -3.0),
    ("бешенств*", -2.8),
    ("раздража*", -2.0),
    ("раздражен*", -2.0),
    ("надоел*", -2.5),
    ("надоедает", -2.2),
    ("задолбал*", -2.8),
    ("достали", -2.2),
    ("достало", -2.2),
    ("достал", -2.0),
    ("вымотал*", -1.8),
    ("измучил*", -2.0),
    ("замучил*", -2.0),
    ("замучен*", -2.0),
    ("мучаюсь", -1.8),
    ("мучени*", -1.8),
    ("мотаете нервы", -2.5),
    ("нервы", -1.0),
    ("недоволен", -2.0),
    ("недовольна", -2.0),
    ("недовольны", -2.0),
    ("недовольн*", -2.0),
    ("недовольств*", -2.0),
    ("возмущен*", -2.5),
    ("шок", -1.8),
    ("шокирован*", -2.0),
    ("в шоке", -2.2),
    ("нет слов", -2.0),
    ("слов нет", -2.0),
    ("руки опуска*", -2.0),
    ("нет сил", -1.5),
    ("сил нет", -1.5),
    ("терпение лопнуло", -2.8),
    ("терпение кончил*", -2.8),
    ("терпение закончил*", -2.8),
    // Faults, described: weak, a report of a fault is not yet anger.
    ("проблем*", -0.3),
    ("ошибк*", -0.3),
    ("ошибочн*", -0.5),
    ("сбой", -0.5),
    ("сбои", -0.5),
    ("сбоя", -0.5),
    ("сбоем", -0.5),
    ("неполад*", -0.5),
    ("неисправ*", -0.5),
    ("глюк*", -1.0),
    ("глюч*", -1.5),
    ("баг", -0.4),
    ("баги", -0.5),
    ("багов", -0.5),
    ("крив*", -1.5),
    ("тормоз*", -1.2),
    ("лагает", -1.0),
    ("зависа*", -0.8),
    ("завис", -0.8),
    ("зависло", -0.8),
    ("зависла", -0.8),
    ("вылета*", -0.8),
    ("вылетел*", -0.8),
    ("сломал*", -1.2),
    ("сломан*", -1.2),
    ("поломк*", -0.8),
    ("неудоб*", -1.2),
    ("непонятн*", -0.8),
    ("неясн*", -0.6),
    ("невозможн*", -1.2),
    ("нереальн*", -1.0),
    ("долго", -0.6),
    ("долгий", -0.6),
    ("медленн*", -1.0),
    ("дорого", -0.8),
    ("переплат*", -1.0),
    ("завышен*", -1.0),
    ("списали", -0.3),
    ("неправильн*", -0.8),
    ("неверн*", -0.6),
    ("некорректн*", -0.6),
    ("нерабоч*", -1.2),
    ("опять", -0.6),
    ("снова", -0.4),
    ("вечно", -0.8),
    ("постоянно", -0.4),
    ("до сих пор", -0.8),
    ("все еще", -0.5),
    // Things not working, not answered, not done.
    ("не работа*", -1.0),
    ("ничего не работает", -1.8),
    ("перестал* работать", -1.0),
    ("не функционир*", -1.0),
    ("не помог*", -1.2),
    ("не отвеча*", -1.2),
    ("не ответили", -1.2),
    ("не перезвонил*", -1.2),
    ("не дозвон*", -1.2),
    ("не могу", -0.5),
    ("не получа*", -0.6),
    ("не получил*", -0.6),
    ("не получилось", -0.6),
    ("не приш*", -0.6),
    ("не вернул*", -1.0),
    ("не вернули", -1.0),
    ("не возвраща*", -1.0),
    ("не решен*", -1.0),
    ("не решил*", -1.0),
    ("не реша*", -1.0),
    ("не исправил*", -1.0),
    ("не устраива*", -1.5),
    ("не нравит*", -1.5),
    ("не понрав*", -1.5),
    ("не рекоменду*", -2.2),
    ("не советую", -2.0),
    ("нет ответа", -1.5),
    ("ответа нет", -1.5),
    ("нет реакции", -1.5),
    ("нет связи", -0.8),
    ("никакой реакции", -1.5),
    ("никакого ответа", -1.5),
    ("никакой помощи", -1.8),
    ("ни ответа", -1.5),
    ("ноль реакции", -1.5),
    ("ноль внимания", -1.8),
    ("в ответ тишина", -1.5),
    ("без ответа", -1.5),
    ("без толку", -1.5),
    ("бестолку", -1.5),
    ("толку нет", -1.5),
    ("толку ноль", -1.5),
    ("никто ничего", -1.2),
    // Repetition and impatience.
    ("сколько можно", -2.5),
    ("сколько еще", -1.5),
    ("сколько раз", -1.2),
    ("сколько ждать", -2.0),
    ("сколько мне ждать", -2.0),
    ("когда уже", -1.5),
    ("когда наконец", -1.5),
    ("доколе", -1.8),
    ("в который раз", -1.5),
    ("который раз", -1.2),
    ("очередной раз", -1.0),
    ("трет* раз", -1.2),
    ("четверт* раз", -1.5),
    ("пятый раз", -1.5),
    ("десятый раз", -1.8),
    ("сотый раз", -1.8),
    ("# раз", -0.8),
    ("одно и то же", -0.8),
    ("по кругу", -1.2),
    ("как об стен*", -1.5),
    ("кормите завтраками", -2.2),
    ("кормят завтраками", -2.2),
    ("верните деньги", -1.2),
    ("верните мои деньги", -1.5),
    ("требую", -0.8),
    ("деньги на ветер", -2.2),
    ("выброшенные деньги", -2.2),
    ("зря потрачен*", -1.8),
    ("пустая трата", -1.8),
    ("трата времени", -1.8),
    ("потеря времени", -1.8),
    ("больше никогда", -2.2),
    ("никогда больше", -2.2),
    ("держитесь подальше", -2.5),
    ("обходите стороной", -2.5),
    ("спасибо за ничего", -2.5),
    ("ну спасибо", -1.0),
    ("вы издеваетесь", -2.8),
    // Positive.
    ("отличн*", 2.5),
    ("прекрасн*", 2.5),
    ("замечательн*", 2.5),
    ("великолепн*", 2.8),
    ("превосходн*", 2.8),
    ("шикарн*", 2.5),
    ("восхитител*", 2.8),
    ("потрясающ*", 2.8),
    ("чудесн*", 2.2),
    ("изумител*", 2.5),
    ("идеальн*", 2.2),
    ("безупречн*", 2.5),
    ("супер", 2.0),
    ("суперск*", 2.2),
    ("класс", 2.0),
    ("классн*", 2.0),
    ("круто", 2.0),
    ("крутой", 2.0),
    ("крутая", 2.0),
    ("крутые", 2.0),
    ("клево", 1.8),
    ("здорово", 2.0),
    ("хорош*", 1.8),
    ("неплох*", 1.2),
    ("нормально", 0.6),
    ("так себе", -0.8),
    ("норм", 0.5),
    ("ок", 0.3),
    ("окей", 0.3),
    ("лучший", 2.0),
    ("лучшая", 2.0),
    ("лучшие", 2.0),
    ("лучше", 1.0),
    ("могло быть лучше", -1.0),
    ("хотелось бы побыстрее", -1.0),
    ("побыстрее", -0.5),
    ("могло бы быть быстрее", -1.0),
    ("неужели", -0.8),
    ("неужели так сложно", -2.0),
    ("неужели нельзя", -1.5),
    ("сложно", -0.4),
    ("порван*", -1.0),
    ("поврежден*", -1.0),
    ("повредил*", -1.0),
    ("разбит*", -1.0),
    ("помят*", -0.8),
    ("дважды", -0.3),
    ("списали дважды", -1.2),
    ("двойное списание", -1.2),
    ("могли бы лучше", -1.0),
    ("могло бы быть лучше", -1.0),
    ("доволен", 1.8),
    ("довольна", 1.8),
    ("довольны", 1.8),
    ("рад", 1.5),
    ("рада", 1.5),
    ("рады", 1.5),
    ("радует", 1.5),
    ("порадовал*", 1.8),
    ("приятн*", 1.5),
    ("удобн*", 1.0),
    ("понятн*", 0.4),
    ("все понятно", 1.0),
    ("вежлив*", 1.5),
    ("профессионал*", 1.5),
    ("компетентн*", 1.5),
    ("внимательн*", 1.2),
    ("отзывчив*", 1.8),
    ("оперативн*", 1.0),
    ("быстр* ответ*", 1.5),
    ("быстр* реакци*", 1.5),
    ("быстро помогл*", 2.0),
    ("быстро решил*", 2.0),
    ("помогли", 1.5),
    ("помогло", 1.5),
    ("помог", 1.5),
    ("помогла", 1.5),
    ("помогает", 1.0),
    ("выручил*", 2.0),
    ("спасли", 2.0),
    ("спасаете", 2.0),
    ("решено", 1.5),
    ("решена", 1.5),
    ("решен", 1.5),
    ("решили", 1.2),
    ("вопрос снят", 1.0),
    ("исправили", 1.5),
    ("исправлено", 1.5),
    ("заработал*", 1.8),
    ("все работает", 1.5),
    ("теперь работает", 1.5),
    ("снова работает", 1.5),
    ("опять работает", 1.5),
    ("уже работает", 1.2),
    ("работает отлично", 2.5),
    ("получилось", 1.2),
    ("разобрался", 0.8),
    ("разобралась", 0.8),
    ("надежн*", 1.2),
    ("стабильн*", 1.0),
    ("молодц*", 2.2),
    ("умнички", 2.2),
    ("умница", 2.0),
    ("респект", 2.0),
    ("браво", 2.0),
    ("ура", 1.5),
    ("вау", 1.5),
    ("люблю", 2.0),
    ("обожаю", 2.5),
    ("рекомендую", 2.0),
    ("советую", 1.5),
    ("восторг*", 2.5),
    ("счастлив*", 2.0),
    ("благодарен", 1.2),
    ("благодарна", 1.2),
    ("большое спасибо", 1.5),
    ("спасибо большое", 1.5),
    ("огромное спасибо", 1.8),
    ("спасибо огромное", 1.8),
    ("огромнейшее спасибо", 2.0),
    ("от души", 1.5),
    ("вы лучшие", 2.5),
];

const EN: LexiconData = LexiconData {
    polar: EN_POLAR,
    expletives: &[
        ("shit", -3.0),
        ("shitty", -3.0),
        ("fuck*", -3.0),
        ("bloody", -1.2),
        ("freaking", -1.2),
        ("frigging", -1.2),
        ("bullshit", -3.0),
        ("wtf", -2.5),
        ("ffs", -2.5),
        ("what the hell", -2.2),
        ("the hell", -1.5),
        ("damn", -1.5),
        ("dammit", -1.8),
        ("goddamn", -2.0),
        ("crap", -2.8),
        ("crappy", -2.8),
    ],
    polite: EN_POLITE,
    negators: &[
        "not", "no", "never", "without", "n't", "dont", "doesnt", "didnt", "isnt", "arent",
        "wasnt", "werent", "cant", "cannot", "couldnt", "wont", "wouldnt", "shouldnt", "havent",
        "hasnt", "hadnt", "aint", "nothing", "nobody", "no one", "none", "neither", "nor",
        "hardly", "barely",
    ],
    boosters: &[
        ("very", 1.5),
        ("really", 1.3),
        ("so", 1.3),
        ("too", 1.3),
        ("such", 1.3),
        ("extremely", 1.8),
        ("incredibly", 1.6),
        ("absolutely", 1.6),
        ("totally", 1.5),
        ("completely", 1.5),
        ("utterly", 1.7),
        ("entirely", 1.4),
        ("highly", 1.5),
        ("deeply", 1.5),
        ("truly", 1.4),
        ("seriously", 1.4),
        ("terribly", 1.5),
        ("awfully", 1.5),
        ("ridiculously", 1.6),
        ("insanely", 1.6),
        ("unbelievably", 1.6),
        ("exceptionally", 1.6),
        ("especially", 1.2),
        ("particularly", 1.2),
        ("remarkably", 1.4),
        ("most", 1.3),
        ("pretty", 1.2),
        ("quite", 1.1),
        ("real", 1.2),
        ("way too", 1.6),
        ("far too", 1.6),
        ("at all", 1.3),
        ("whatsoever", 1.3),
        ("complete", 1.4),
        ("total", 1.4),
        ("absolute", 1.5),
        ("utter", 1.6),
        ("a bit", 0.6),
        ("a little", 0.6),
        ("a little bit", 0.5),
        ("slightly", 0.5),
        ("somewhat", 0.6),
        ("kind of", 0.7),
        ("kinda", 0.7),
        ("sort of", 0.7),
        ("fairly", 0.8),
        ("rather", 0.8),
        ("mildly", 0.5),
        ("partly", 0.6),
        ("partially", 0.6),
        ("marginally", 0.5),
    ],
    contrast: &["but", "however", "nevertheless", "nonetheless", "yet still"],
    wait_markers: &["waiting", "waited", "wait", "been", "already"],
    wait_tight: &["for"],
    wait_glue: &[
        "for", "over", "more", "than", "almost", "nearly", "about", "around", "the", "last",
        "past", "whole", "entire", "already", "now", "since", "like",
    ],
    wait_quantities: &[
        "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "few", "couple", "of", "several", "many",
    ],
    wait_long: &[
        "week", "weeks", "month", "months", "year", "years", "ages", "forever",
    ],
    wait_short: &["day", "days", "hour", "hours"],
};

const EN_POLITE: &[(&str, f32)] = &[
    ("please", 0.3),
    ("pls", 0.2),
    ("plz", 0.2),
    ("kindly", 0.3),
    ("thanks", 0.45),
    ("thank you", 0.45),
    ("thank", 0.45),
    ("thankful", 0.45),
    ("thx", 0.4),
    ("tnx", 0.4),
    ("appreciate", 0.45),
    ("appreciated", 0.45),
    ("grateful", 0.45),
    ("cheers", 0.3),
    ("regards", 0.2),
    ("kind regards", 0.2),
    ("best regards", 0.2),
    ("warm regards", 0.2),
    ("best wishes", 0.2),
    ("sincerely", 0.2),
    ("thanks in advance", 0.3),
    ("thank you in advance", 0.3),
    ("thanks for your help", 0.45),
    ("thank you for your help", 0.45),
    ("thanks for your time", 0.3),
    ("thank you for your time", 0.3),
    ("thanks for your patience", 0.3),
    ("thanks for the reply", 0.45),
    ("thank you for the reply", 0.45),
    ("would you mind", 0.3),
    ("could you please", 0.3),
    ("would appreciate", 0.3),
    ("i would appreciate", 0.3),
    ("sorry to bother", 0.3),
    ("have a nice day", 0.3),
    ("have a great day", 0.3),
];

const EN_POLAR: &[(&str, f32)] = &[
    // Known neutral phrases.
    ("good morning", 0.0),
    ("good afternoon", 0.0),
    ("good evening", 0.0),
    ("good day", 0.0),
    ("good night", 0.0),
    ("best way", 0.0),
    ("the best way", 0.0),
    ("the best option", 0.0),
    ("outstanding", 0.0),
    ("outstanding service", 2.8),
    ("outstanding support", 2.8),
    ("outstanding job", 2.8),
    ("get this fixed", 0.0),
    ("get it fixed", 0.0),
    ("need it fixed", 0.0),
    ("need this fixed", 0.0),
    ("want it fixed", 0.0),
    ("want this fixed", 0.0),
    ("be fixed", 0.0),
    ("get fixed", 0.0),
    ("fixed fee", 0.0),
    ("fixed price", 0.0),
    ("fixed rate", 0.0),
    ("fixed amount", 0.0),
    ("fixed term", 0.0),
    ("fixed-term", 0.0),
    ("get this resolved", 0.0),
    ("get it resolved", 0.0),
    ("need it resolved", 0.0),
    ("need this resolved", 0.0),
    ("be resolved", 0.0),
    ("be solved", 0.0),
    ("get this sorted", 0.0),
    ("get it sorted", 0.0),
    ("good time", 0.0),
    ("good idea", 0.0),
    ("as well", 0.0),
    ("fine for", 0.0),
    ("was fine", 0.0),
    ("were fine", 0.0),
    ("worked fine", 0.0),
    ("was working fine", 0.0),
    ("used to work", -0.3),
    ("do you recommend", 0.0),
    ("would you recommend", 0.0),
    ("need this sorted", 0.0),
    ("need it sorted", 0.0),
    ("best practice", 0.0),
    ("best practices", 0.0),
    ("at best", 0.0),
    ("as good as", 0.0),
    ("what kind", 0.0),
    ("a fine", 0.0),
    ("fine print", 0.0),
    ("pretty much", 0.0),
    ("no problem", 0.5),
    ("not a problem", 0.5),
    ("no worries", 0.5),
    ("no issues", 0.8),
    ("no complaints", 1.2),
    ("not bad at all", 1.2),
    // Strong negative words.
    ("terribl*", -2.8),
    ("horribl*", -2.8),
    ("horrendous", -3.0),
    ("awful", -2.8),
    ("atrocious", -3.0),
    ("appalling", -3.0),
    ("appalled", -3.0),
    ("disgust*", -3.0),
    ("dreadful", -2.5),
    ("abysmal", -3.0),
    ("pathetic", -2.8),
    ("ridiculous", -2.5),
    ("absurd", -2.0),
    ("ludicrous", -2.5),
    ("unacceptable", -2.8),
    ("not acceptable", -2.5),
    ("outrageous", -2.8),
    ("outraged", -2.8),
    ("disgrace*", -3.0),
    ("shameful", -2.8),
    ("shame", -1.8),
    ("shame on you", -3.0),
    ("scandal*", -2.5),
    ("scam*", -3.0),
    ("fraud*", -3.0),
    ("rip-off", -2.8),
    ("ripoff", -2.8),
    ("rip off", -2.8),
    ("ripped off", -2.8),
    ("cheat*", -2.8),
    ("swindl*", -3.0),
    ("steal", -2.5),
    ("stealing", -2.5),
    ("stole", -2.2),
    ("thief", -2.8),
    ("thieves", -2.8),
    ("robbery", -2.8),
    ("robbed", -2.8),
    ("daylight robbery", -3.0),
    ("liar", -2.8),
    ("liars", -2.8),
    ("lied", -2.5),
    ("lying", -2.5),
    ("lies", -2.2),
    ("dishonest*", -2.5),
    ("misleading", -2.0),
    ("misled", -2.0),
    ("useless", -2.5),
    ("worthless", -2.8),
    ("pointless", -2.0),
    ("hopeless", -2.2),
    ("incompeten*", -2.8),
    ("unprofessional", -2.5),
    ("rude", -2.5),
    ("rudely", -2.5),
    ("rudeness", -2.5),
    ("disrespect*", -2.5),
    ("arrogant", -2.2),
    ("condescending", -2.2),
    ("clueless", -2.2),
    ("idiots", -2.8),
    ("idiotic", -2.8),
    ("stupid", -2.5),
    ("clowns", -2.5),
    ("joke", -1.8),
    ("what a joke", -2.8),
    ("nightmare", -2.8),
    ("disaster*", -2.5),
    ("catastroph*", -2.5),
    ("mess", -1.8),
    ("messed up", -2.0),
    ("fiasco", -2.5),
    ("shambles", -2.5),
    ("garbage", -2.8),
    ("trash", -2.5),
    ("rubbish", -2.5),
    ("junk", -2.2),
    ("sucks", -2.5),
    ("suck", -2.2),
    ("sucked", -2.2),
    ("hate", -2.5),
    ("hated", -2.5),
    ("hates", -2.2),
    ("hateful", -2.5),
    // Feelings.
    ("angry", -2.5),
    ("anger", -2.2),
    ("furious", -3.0),
    ("livid", -3.0),
    ("fuming", -2.8),
    ("mad", -2.0),
    ("pissed", -2.8),
    ("annoy*", -2.0),
    ("irritat*", -2.0),
    ("frustrat*", -2.2),
    ("exasperat*", -2.5),
    ("upset", -2.0),
    ("disappoint*", -2.2),
    ("dissatisf*", -2.2),
    ("unsatisf*", -2.0),
    ("unhappy", -2.0),
    ("sad", -1.2),
    ("unfortunately", -0.6),
    ("sadly", -0.6),
    ("worried", -1.0),
    ("concerned", -0.6),
    ("shocked", -2.0),
    ("stressed", -1.5),
    ("stressful", -1.5),
    ("sick of", -2.5),
    ("tired of", -2.0),
    ("fed up", -2.5),
    ("had enough", -2.2),
    ("enough is enough", -2.8),
    ("last straw", -2.5),
    ("losing my patience", -2.5),
    ("lost my patience", -2.5),
    ("at my wits end", -2.5),
    ("cant believe", -1.5),
    ("cannot believe", -1.5),
    ("are you kidding", -2.0),
    ("you kidding me", -2.0),
    ("are you serious", -1.8),
    // Quality.
    ("bad", -1.8),
    ("badly", -1.8),
    ("worse", -2.0),
    ("worst", -3.0),
    ("worst ever", -3.5),
    ("poor", -1.5),
    ("poorly", -1.5),
    ("lousy", -2.5),
    ("shoddy", -2.5),
    ("sloppy", -2.0),
    ("subpar", -2.0),
    ("mediocre", -1.5),
    ("so-so", -0.6),
    ("unreliable", -2.0),
    ("unusable", -2.2),
    ("unresponsive", -1.5),
    ("unhelpful", -2.0),
    ("inadequate", -1.8),
    ("negligen*", -2.5),
    ("ignored", -2.0),
    ("ignoring", -2.0),
    ("ignore my", -2.0),
    ("ghosted", -2.2),
    ("waste", -2.0),
    ("wasted", -2.0),
    ("waste of time", -2.8),
    ("waste of money", -2.8),
    ("never again", -2.5),
    ("do not recommend", -2.5),
    ("dont recommend", -2.5),
    ("wouldnt recommend", -2.5),
    ("would not recommend", -2.5),
    ("stay away", -2.5),
    ("avoid", -1.2),
    ("thanks for nothing", -2.8),
    ("thank you for nothing", -2.8),
    ("nobody cares", -2.2),
    ("no one cares", -2.2),
    // Faults, described: weak.
    ("problem", -0.3),
    ("problems", -0.3),
    ("problematic", -1.0),
    ("issue", -0.2),
    ("issues", -0.2),
    ("error", -0.3),
    ("errors", -0.3),
    ("bug", -0.4),
    ("bugs", -0.4),
    ("buggy", -1.8),
    ("glitch*", -1.0),
    ("broken", -1.5),
    ("broke", -0.8),
    ("fail", -1.0),
    ("fails", -1.0),
    ("failed", -1.0),
    ("failing", -1.0),
    ("failure", -1.2),
    ("crash", -1.0),
    ("crashes", -1.0),
    ("crashed", -1.0),
    ("crashing", -1.0),
    ("freezes", -0.8),
    ("freezing", -0.8),
    ("frozen", -0.8),
    ("stuck", -0.8),
    ("slow", -1.0),
    ("sluggish", -1.2),
    ("laggy", -1.0),
    ("delay", -0.6),
    ("delayed", -0.8),
    ("delays", -0.8),
    ("overdue", -1.0),
    ("overcharg*", -2.0),
    ("charged twice", -1.5),
    ("double charged", -1.5),
    ("wrong", -1.0),
    ("confusing", -1.0),
    ("confused", -0.8),
    ("unclear", -0.6),
    ("complicated", -0.6),
    ("impossible", -1.2),
    ("inconvenien*", -1.2),
    ("unable to", -0.5),
    ("cant log", -0.6),
    ("cant login", -0.6),
    ("cannot log", -0.6),
    ("cannot login", -0.6),
    ("cant access", -0.6),
    ("cannot access", -0.6),
    ("doesnt work", -1.0),
    ("doesnt even work", -1.5),
    ("dont work", -1.0),
    ("didnt work", -1.0),
    ("wont work", -1.0),
    ("not work*", -1.0),
    ("isnt work*", -1.0),
    ("arent work*", -1.0),
    ("wasnt work*", -1.0),
    ("stopped work*", -1.0),
    ("nothing works", -1.8),
    ("still not work*", -1.6),
    ("still doesnt work", -1.6),
    ("still isnt work*", -1.6),
    ("still broken", -1.8),
    ("still not fixed", -1.8),
    ("still not resolved", -1.8),
    ("still waiting", -1.5),
    ("still no", -1.2),
    ("still not", -0.8),
    ("still havent", -0.8),
    ("still hasnt", -0.8),
    ("still dont", -0.6),
    ("still didnt", -0.6),
    ("still cant", -0.8),
    ("still nothing", -1.5),
    ("no response", -1.5),
    ("no reply", -1.5),
    ("no replies", -1.5),
    ("no answer", -1.2),
    ("no help", -1.5),
    ("no one answers", -1.5),
    ("nobody answers", -1.5),
    ("without a response", -1.5),
    ("without any response", -1.5),
    ("how many times", -1.5),
    ("how much longer", -1.8),
    ("how long do i have to", -1.8),
    ("yet again", -1.2),
    ("once again", -0.8),
    ("again", -0.4),
    ("third time", -1.2),
    ("fourth time", -1.5),
    ("fifth time", -1.5),
    ("umpteenth", -1.8),
    ("# times", -0.8),
    ("several times", -0.8),
    ("multiple times", -0.8),
    ("over and over", -1.5),
    ("keeps happening", -1.2),
    ("every single time", -1.5),
    ("i demand", -1.0),
    ("refund my money", -1.0),
    ("give me my money back", -1.5),
    ("want my money back", -1.2),
    // Positive.
    ("great", 2.2),
    ("excellent", 2.8),
    ("amazing", 2.8),
    ("awesome", 2.8),
    ("fantastic", 2.8),
    ("wonderful", 2.8),
    ("brilliant", 2.5),
    ("perfect", 2.5),
    ("perfectly", 2.0),
    ("superb", 2.8),
    ("terrific", 2.5),
    ("incredible", 2.0),
    ("exceptional", 2.5),
    ("flawless*", 2.5),
    ("good", 1.8),
    ("nice", 1.5),
    ("fine", 0.5),
    ("ok", 0.3),
    ("okay", 0.3),
    ("cool", 1.2),
    ("super", 1.8),
    ("love", 2.5),
    ("loved", 2.5),
    ("loving", 2.2),
    ("lovely", 2.2),
    ("enjoy", 1.8),
    ("enjoyed", 1.8),
    ("happy", 2.0),
    ("glad", 1.8),
    ("pleased", 1.8),
    ("satisfied", 1.8),
    ("delighted", 2.5),
    ("thrilled", 2.5),
    ("impressed", 2.2),
    ("impressive", 2.2),
    ("helpful", 1.8),
    ("useful", 1.5),
    ("quick response", 1.5),
    ("quick reply", 1.5),
    ("fast response", 1.5),
    ("fast reply", 1.5),
    ("prompt response", 1.5),
    ("prompt reply", 1.5),
    ("promptly", 1.0),
    ("quick fix", 1.2),
    ("resolved", 1.2),
    ("solved", 1.5),
    ("fixed", 1.5),
    ("sorted", 1.0),
    ("sorted out", 1.2),
    ("works now", 1.8),
    ("working now", 1.8),
    ("now works", 1.8),
    ("it works", 1.2),
    ("it works now", 1.8),
    ("its working now", 1.8),
    ("it is working now", 1.8),
    ("works fine", 1.5),
    ("works again", 1.5),
    ("working again", 1.5),
    ("smooth", 1.5),
    ("smoothly", 1.5),
    ("seamless", 1.8),
    ("easy", 1.0),
    ("easier", 1.0),
    ("reliable", 1.2),
    ("recommend", 2.0),
    ("recommended", 1.8),
    ("highly recommend", 2.8),
    ("best", 1.2),
    ("the best", 2.0),
    ("better", 0.5),
    ("could be better", -1.0),
    ("could be faster", -1.0),
    ("should be faster", -1.0),
    ("is it that hard", -1.8),
    ("is it really that hard", -2.0),
    ("how hard is it", -1.8),
    ("how hard can it be", -2.0),
    ("cant reach", -1.0),
    ("cannot reach", -1.0),
    ("unable to reach", -1.0),
    ("cant get through", -1.0),
    ("cant get hold", -1.0),
    ("every time", -0.6),
    ("damaged", -1.0),
    ("torn", -0.8),
    ("smashed", -1.0),
    ("could have been better", -1.0),
    ("should be better", -1.0),
    ("kind", 1.2),
    ("friendly", 1.5),
    ("polite", 1.2),
    ("patient", 1.2),
    ("professional", 1.2),
    ("competent", 1.2),
    ("responsive", 1.2),
    ("knowledgeable", 1.5),
    ("beautiful*", 2.0),
    ("elegant", 1.5),
    ("intuitive", 1.5),
    ("convenient", 1.2),
    ("wow", 1.5),
    ("yay", 1.8),
    ("hooray", 1.8),
    ("kudos", 2.0),
    ("bravo", 2.0),
    ("well done", 2.2),
    ("good job", 2.2),
    ("great job", 2.5),
    ("lifesaver", 2.5),
    ("life saver", 2.5),
    ("you rock", 2.5),
    ("saved me", 2.0),
    ("saved my day", 2.5),
    ("genius", 2.0),
    ("legend", 1.5),
    ("much appreciated", 1.5),
    ("really appreciate", 1.5),
    ("thank you so much", 1.6),
    ("thank you very much", 1.4),
    ("thanks so much", 1.6),
    ("thanks a lot", 1.4),
    ("thanks a million", 1.8),
    ("thanks a ton", 1.6),
    ("many thanks", 1.2),
    ("big thanks", 1.4),
    ("huge thanks", 1.6),
];

const PL: LexiconData = LexiconData {
    polar: PL_POLAR,
    expletives: &[
        ("kurwa", -2.5),
        ("kurde", -1.0),
        ("kurczę", -0.8),
        ("jasny gwint", -1.5),
        ("psia krew", -1.5),
        ("do diabła", -1.5),
        ("ja pierdolę", -3.0),
        ("pierdol*", -3.0),
        ("spierdol*", -3.0),
        ("zajebi*", 0.0),
        ("cholera", -1.5),
        ("cholern*", -1.8),
        ("szlag", -2.0),
        ("szlag mnie trafia", -2.8),
        ("gówn*", -3.0),
        ("chujow*", -3.0),
        ("do dupy", -2.8),
        ("wkurw*", -3.0),
    ],
    polite: PL_POLITE,
    negators: &["nie", "ani", "bez"],
    boosters: &[
        ("bardzo", 1.5),
        ("bardzo bardzo", 1.8),
        ("totalnie", 1.6),
        ("strasznie", 1.6),
        ("kompletnie", 1.6),
        ("całkowicie", 1.5),
        ("zupełnie", 1.5),
        ("absolutnie", 1.6),
        ("naprawdę", 1.3),
        ("serio", 1.2),
        ("niesamowicie", 1.6),
        ("niezwykle", 1.6),
        ("wyjątkowo", 1.5),
        ("szalenie", 1.6),
        ("potwornie", 1.7),
        ("okropnie", 1.6),
        ("mega", 1.5),
        ("ultra", 1.5),
        ("tak", 1.2),
        ("taki", 1.3),
        ("taka", 1.3),
        ("takie", 1.3),
        ("zbyt", 1.4),
        ("wcale", 1.5),
        ("w ogóle", 1.4),
        ("po prostu", 1.2),
        ("wręcz", 1.3),
        ("najbardziej", 1.4),
        ("mocno", 1.3),
        ("kompletny", 1.4),
        ("kompletna", 1.4),
        ("kompletne", 1.4),
        ("totalny", 1.5),
        ("totalna", 1.5),
        ("totalne", 1.5),
        ("absolutny", 1.5),
        ("absolutna", 1.5),
        ("istny", 1.4),
        ("istna", 1.4),
        ("dosyć", 1.1),
        ("dość", 1.1),
        ("trochę", 0.6),
        ("troszkę", 0.6),
        ("nieco", 0.6),
        ("lekko", 0.6),
        ("odrobinę", 0.5),
        ("częściowo", 0.6),
        ("raczej", 0.8),
        ("jakby", 0.8),
    ],
    contrast: &["ale", "jednak", "lecz", "jednakże", "natomiast"],
    wait_markers: &[
        "czekam",
        "czekamy",
        "czekałem",
        "czekałam",
        "czekaliśmy",
        "już",
        "od",
    ],
    wait_tight: &[],
    wait_glue: &[
        "już", "od", "ponad", "prawie", "około", "przez", "cały", "całe", "całego", "całych",
        "dobre", "dobrych", "dobry", "blisko", "niemal",
    ],
    wait_quantities: &[
        "dwa",
        "dwie",
        "dwóch",
        "dwu",
        "trzy",
        "trzech",
        "cztery",
        "czterech",
        "pięć",
        "pięciu",
        "kilka",
        "kilku",
        "kilkanaście",
        "kilkunastu",
        "parę",
        "paru",
        "półtora",
        "pół",
        "drug*",
        "trzec*",
        "czwart*",
        "piąty",
        "kolejny",
        "kolejne",
        "kolejnego",
        "któryś",
        "wiele",
        "wielu",
    ],
    wait_long: &[
        "tydzień",
        "tygodni*",
        "miesiąc*",
        "miesięcy",
        "rok",
        "roku",
        "lat",
        "lata",
        "wieki",
    ],
    wait_short: &["dzień", "dni", "dnia", "doby", "godzin*"],
};

const PL_POLITE: &[(&str, f32)] = &[
    ("proszę", 0.3),
    ("uprzejmie proszę", 0.3),
    ("bardzo proszę", 0.3),
    ("dziękuję", 0.45),
    ("dzięki", 0.45),
    ("dziękujemy", 0.45),
    ("z góry dziękuję", 0.3),
    ("dziękuję z góry", 0.3),
    ("z góry dzięki", 0.3),
    ("dziękuję za pomoc", 0.45),
    ("dziękuję za odpowiedź", 0.45),
    ("dzięki za pomoc", 0.45),
    ("dziękuję za informację", 0.45),
    ("dziękuję za zrozumienie", 0.3),
    ("pozdrawiam", 0.2),
    ("serdecznie pozdrawiam", 0.2),
    ("z poważaniem", 0.2),
    ("łączę pozdrowienia", 0.2),
    ("czy mogliby państwo", 0.3),
    ("czy mógłby pan", 0.3),
    ("czy mogłaby pani", 0.3),
    ("będę wdzięczny", 0.3),
    ("będę wdzięczna", 0.3),
    ("byłbym wdzięczny", 0.3),
    ("byłabym wdzięczna", 0.3),
    ("przepraszam", 0.2),
    ("miłego dnia", 0.3),
];

const PL_POLAR: &[(&str, f32)] = &[
    // Known neutral phrases.
    ("dzień dobry", 0.0),
    ("dobry wieczór", 0.0),
    ("dobrze by było", 0.0),
    ("dzięki temu", 0.0),
    ("nie ma za co", 0.0),
    ("nie ma problemu", 0.5),
    ("bez problemu", 0.8),
    ("bez problemów", 0.8),
    ("bez zarzutu", 1.5),
    ("nie mam zastrzeżeń", 1.2),
    ("w porządku", 0.6),
    ("nie jest źle", 0.8),
    // Strong negative words.
    ("żenad*", -2.8),
    ("żenuj*", -2.8),
    ("skandal*", -2.8),
    ("oszust*", -3.0),
    ("oszuści", -3.0),
    ("oszuk*", -3.0),
    ("naciąg*", -2.8),
    ("wyłudz*", -2.8),
    ("złodziej*", -3.0),
    ("okrad*", -3.0),
    ("kradzież", -2.2),
    ("kradną", -2.8),
    ("ściem*", -2.5),
    ("kłamst*", -2.5),
    ("kłamie*", -2.5),
    ("kłamcy", -2.8),
    ("kłamią", -2.5),
    ("beznadziej*", -2.8),
    ("tragedi*", -2.5),
    ("tragiczn*", -2.8),
    ("dramat*", -2.0),
    ("katastrof*", -2.5),
    ("koszmar*", -2.8),
    ("horror", -2.5),
    ("masakr*", -2.5),
    ("fataln*", -2.8),
    ("okropn*", -2.8),
    ("straszn*", -2.5),
    ("potworn*", -2.5),
    ("porażk*", -2.5),
    ("klęsk*", -2.5),
    ("kpin*", -2.5),
    ("kpicie", -2.8),
    ("żart", -1.5),
    ("jakiś żart", -2.5),
    ("wstyd*", -2.5),
    ("hańb*", -3.0),
    ("haniebn*", -3.0),
    ("karygodn*", -3.0),
    ("niedopuszczaln*", -2.8),
    ("nieakceptowaln*", -2.8),
    ("niedorzeczn*", -2.2),
    ("absurd*", -2.0),
    ("paranoj*", -2.0),
    ("bzdur*", -2.0),
    ("cyrk", -2.0),
    ("kabaret", -1.8),
    ("burdel", -2.8),
    ("bajzel", -2.5),
    ("bałagan", -1.8),
    ("chaos", -1.5),
    ("dziadost*", -2.8),
    ("amatorszczyzn*", -2.5),
    ("partact*", -2.5),
    ("partacz*", -2.5),
    ("fuszerk*", -2.5),
    ("niekompetent*", -2.5),
    ("nieudol*", -2.5),
    ("nieprofesjonal*", -2.5),
    ("niepoważn*", -2.0),
    ("bezczel*", -2.8),
    ("chamsk*", -2.8),
    ("chamst*", -2.8),
    ("cham", -2.5),
    ("arogan*", -2.2),
    ("lekceważ*", -2.2),
    ("brak szacunku", -2.5),
    ("olew*", -2.2),
    ("olali", -2.2),
    ("ignoruj*", -2.0),
    ("zignorow*", -2.0),
    ("spychologi*", -2.2),
    ("bezużyteczn*", -2.5),
    ("bezsens*", -2.0),
    ("bez sensu", -2.0),
    ("żałosn*", -2.5),
    ("badziew*", -2.5),
    ("chłam", -2.5),
    ("szajs", -2.5),
    ("bubel", -2.5),
    ("bubl*", -2.5),
    ("złom", -2.0),
    ("do bani", -2.2),
    ("do niczego", -2.2),
    ("lipa", -2.0),
    ("lipn*", -2.0),
    ("kiepsk*", -2.0),
    ("marn*", -1.8),
    ("słab*", -1.5),
    ("niedobr*", -1.8),
    ("najgorsz*", -3.0),
    ("gorsz*", -1.8),
    ("gorzej", -1.5),
    ("zły", -1.8),
    ("zła", -1.8),
    ("źle", -1.5),
    ("ręce opadają", -2.5),
    // Feelings.
    ("rozczarow*", -2.2),
    ("zawiedzion*", -2.2),
    ("zawiodł*", -2.0),
    ("niezadowol*", -2.0),
    ("wkurz*", -2.5),
    ("wściek*", -2.8),
    ("oburz*", -2.5),
    ("bulwersuj*", -2.5),
    ("zbulwersowan*", -2.5),
    ("irytuj*", -2.0),
    ("irytac*", -2.0),
    ("zirytowan*", -2.0),
    ("denerwuj*", -2.0),
    ("zdenerwowan*", -2.2),
    ("frustr*", -2.0),
    ("sfrustrowan*", -2.2),
    ("nerwy", -1.0),
    ("smutn*", -1.2),
    ("przykr*", -0.8),
    ("szkoda", -0.8),
    ("niestety", -0.6),
    ("żal", -1.0),
    ("mam dość", -2.5),
    ("mam tego dość", -2.8),
    ("mam dosyć", -2.5),
    ("dość tego", -2.5),
    ("dosyć tego", -2.5),
    ("mam serdecznie dość", -3.0),
    ("śmieszn*", -1.0),
    ("śmiechu warte", -2.5),
    ("nie do przyjęcia", -2.8),
    ("nie do zaakceptowania", -2.8),
    // Faults, described: weak.
    ("problem*", -0.3),
    ("błąd", -0.3),
    ("błędy", -0.3),
    ("błędu", -0.3),
    ("błędem", -0.3),
    ("błędów", -0.3),
    ("błędn*", -0.8),
    ("kłopot*", -0.5),
    ("awari*", -0.8),
    ("usterk*", -0.6),
    ("zepsut*", -1.5),
    ("zepsuł*", -1.5),
    ("popsuł*", -1.5),
    ("popsut*", -1.5),
    ("wywala*", -1.0),
    ("wysypuj*", -0.8),
    ("zacina*", -0.8),
    ("zawiesza*", -0.8),
    ("zawiesił*", -0.8),
    ("laguj*", -0.8),
    ("muli", -0.8),
    ("niestabiln*", -1.2),
    ("niewygodn*", -1.2),
    ("nieintuicyjn*", -1.5),
    ("niezrozumiał*", -0.8),
    ("skomplikowan*", -0.6),
    ("utrudni*", -0.8),
    ("uciążliw*", -1.5),
    ("niemożliw*", -1.2),
    ("wolno", -0.6),
    ("powoln*", -1.0),
    ("długo", -0.6),
    ("za długo", -1.2),
    ("za wolno", -1.2),
    ("za drogo", -1.2),
    ("mogło być lepiej", -1.0),
    ("mogłoby być szybciej", -1.0),
    ("mogło być szybciej", -1.0),
    ("czy to takie trudne", -1.8),
    ("czy naprawdę tak trudno", -2.0),
    ("trudno", -0.4),
    ("w szoku", -2.2),
    ("szok", -1.8),
    ("uszkodzon*", -1.0),
    ("uszkodził*", -1.0),
    ("rozbit*", -1.0),
    ("podart*", -1.0),
    ("zgniecion*", -0.8),
    ("dwukrotnie", -0.3),
    ("pobrano dwa razy", -1.2),
    ("pobrali dwa razy", -1.2),
    ("podwójn* obciąż*", -1.2),
    ("mogłoby być lepiej", -1.0),
    ("opóźni*", -0.8),
    ("zwłok*", -1.0),
    ("drogo", -0.8),
    ("nadpłat*", -0.8),
    ("niesłuszn*", -1.2),
    ("niezgodn*", -0.6),
    ("nieprawidłow*", -0.8),
    ("ciągle", -0.5),
    ("wciąż", -0.4),
    ("nadal", -0.3),
    ("nadal nie działa*", -1.6),
    ("dalej nie działa*", -1.6),
    ("wciąż nie działa*", -1.6),
    ("ciągle nie działa*", -1.6),
    ("znowu", -0.5),
    ("znów", -0.5),
    ("ponownie", -0.4),
    // Things not working, not answered, not done.
    ("nie działa*", -1.0),
    ("nic nie działa", -1.8),
    ("przestał* działać", -1.0),
    ("nie funkcjonuje", -1.0),
    ("nie pomog*", -1.2),
    ("nie pomag*", -1.2),
    ("nie odpowiada*", -1.2),
    ("nie odpisuj*", -1.2),
    ("nie odpisali", -1.2),
    ("nie odpowiedzieli", -1.2),
    ("nie oddzwoni*", -1.2),
    ("nie mogę", -0.5),
    ("nie da się", -0.8),
    ("nie można", -0.5),
    ("nie mogę się dodzwoni*", -1.5),
    ("nie można się dodzwoni*", -1.5),
    ("nie da się dodzwoni*", -1.5),
    ("nie otrzymał*", -0.6),
    ("nie dostał*", -0.6),
    ("nie przyszł*", -0.6),
    ("nie dotarł*", -0.6),
    ("nie rozwiąz*", -1.0),
    ("nie naprawi*", -1.0),
    ("nie zwróc*", -1.0),
    ("nie oddal*", -1.0),
    ("nie wiem co robić", -0.8),
    ("nie polecam", -2.2),
    ("nie szanuj*", -2.2),
    ("nie odpuszczę", -1.5),
    ("brak odpowiedzi", -1.5),
    ("brak reakcji", -1.5),
    ("brak kontaktu", -1.2),
    ("brak pomocy", -1.8),
    ("zero reakcji", -1.8),
    ("zero odpowiedzi", -1.8),
    ("zero kontaktu", -1.8),
    ("zero pomocy", -2.0),
    ("bez odpowiedzi", -1.5),
    ("bez kontaktu", -1.2),
    ("bez skutku", -1.2),
    ("bezskuteczn*", -1.2),
    ("cisza", -0.8),
    ("w kółko", -1.2),
    ("od ściany", -1.5),
    ("grochem o ścianę", -2.0),
    // Repetition and impatience.
    ("ile można", -2.5),
    ("ile jeszcze", -1.5),
    ("ile razy", -1.2),
    ("ile mam czekać", -2.0),
    ("jak długo jeszcze", -1.8),
    ("kiedy wreszcie", -1.5),
    ("kiedy w końcu", -1.5),
    ("po raz kolejny", -1.2),
    ("kolejny raz", -1.0),
    ("któryś raz", -1.2),
    ("trzeci raz", -1.2),
    ("czwarty raz", -1.5),
    ("piąty raz", -1.5),
    ("# razy", -0.8),
    ("# razów", -0.8),
    ("# raz", -0.8),
    ("nadal czekam", -1.5),
    ("wciąż czekam", -1.5),
    ("dalej czekam", -1.5),
    ("ciągle czekam", -1.5),
    ("czekam i czekam", -2.0),
    ("oddajcie", -1.0),
    ("oddajcie pieniądze", -1.5),
    ("oddajcie moje pieniądze", -1.8),
    ("domagam się", -1.0),
    ("strata czasu", -2.5),
    ("strata pieniędzy", -2.5),
    ("stracony czas", -2.0),
    ("wyrzucone pieniądze", -2.5),
    ("szerokim łukiem", -2.5),
    ("nigdy więcej", -2.5),
    ("dzięki za nic", -2.8),
    ("dziękuję za nic", -2.8),
    // Positive.
    ("super", 2.0),
    ("świetn*", 2.5),
    ("doskonał*", 2.5),
    ("wspaniał*", 2.8),
    ("rewel*", 2.8),
    ("genialn*", 2.5),
    ("fantastyczn*", 2.8),
    ("znakomit*", 2.5),
    ("cudown*", 2.5),
    ("idealn*", 2.2),
    ("perfekcyj*", 2.5),
    ("bezbłędn*", 2.2),
    ("ekstra", 1.8),
    ("fajn*", 1.8),
    ("spoko", 1.0),
    ("dobry", 1.5),
    ("dobra", 1.2),
    ("dobre", 1.5),
    ("dobrze", 1.2),
    ("dobrego", 1.5),
    ("dobrej", 1.5),
    ("dobrzy", 1.5),
    ("niezł*", 1.2),
    ("ok", 0.3),
    ("okej", 0.3),
    ("zadowol*", 1.8),
    ("polecam", 2.0),
    ("polecamy", 2.0),
    ("godn* polecenia", 2.2),
    ("pomocn*", 1.8),
    ("pomógł", 1.5),
    ("pomogł*", 1.5),
    ("pomogli", 1.5),
    ("pomogliście", 1.8),
    ("uprzejm*", 1.2),
    ("miły", 1.5),
    ("miła", 1.5),
    ("miło", 1.5),
    ("miłe", 1.5),
    ("mili", 1.5),
    ("profesjonaln*", 1.5),
    ("kompetentn*", 1.5),
    ("sprawn*", 1.5),
    ("szybk* odpowied*", 1.5),
    ("szybk* reakcj*", 1.5),
    ("szybk* pomoc*", 1.5),
    ("szybko odpowiedzi*", 1.5),
    ("szybko rozwiąza*", 2.0),
    ("rozwiązany", 1.5),
    ("rozwiązana", 1.5),
    ("rozwiązane", 1.5),
    ("rozwiązało", 1.5),
    ("naprawion*", 1.5),
    ("naprawili", 1.5),
    ("naprawiliście", 1.8),
    ("już działa", 1.8),
    ("działa już", 1.8),
    ("wszystko działa", 1.8),
    ("znowu działa", 1.5),
    ("znów działa", 1.5),
    ("nareszcie działa", 1.8),
    ("działa poprawnie", 1.5),
    ("działa bez zarzutu", 2.2),
    ("udało się", 1.2),
    ("łatw*", 1.0),
    ("wygodn*", 1.2),
    ("intuicyjn*", 1.5),
    ("stabiln*", 1.0),
    ("przyjazn*", 1.2),
    ("cierpliw*", 1.0),
    ("kocham", 2.0),
    ("uwielbiam", 2.5),
    ("brawo", 2.0),
    ("gratulacje", 1.8),
    ("gratuluję", 1.8),
    ("wow", 1.5),
    ("hurra", 1.8),
    ("pod wrażeniem", 2.2),
    ("na plus", 1.2),
    ("lepiej", 1.0),
    ("lepsz*", 1.0),
    ("najlepsz*", 2.2),
    ("wdzięczn*", 1.2),
    ("bardzo dziękuję", 1.5),
    ("dziękuję bardzo", 1.5),
    ("serdecznie dziękuję", 1.5),
    ("bardzo dziękujemy", 1.5),
    ("wielkie dzięki", 1.6),
    ("stokrotne dzięki", 1.8),
    ("ogromne dzięki", 1.8),
    ("jesteście najlepsi", 2.5),
    ("dobra robota", 2.2),
    ("świetna robota", 2.8),
    ("kawał dobrej roboty", 2.5),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, lang: Lang) -> SentimentLabel {
        analyze(text, lang).label
    }

    fn has_cue(s: &Sentiment, prefix: &str) -> bool {
        s.cues.iter().any(|c| c.starts_with(prefix))
    }

    /// (text, expected label) per language: angry, neutral, polite, positive, negated,
    /// shouted, mixed, waiting, emoji, inflection.
    const RU_CASES: &[(&str, SentimentLabel)] = &[
        (
            "Это просто отвратительно! Третий раз пишу, никто не отвечает!!!",
            SentimentLabel::Negative,
        ),
        (
            "Безобразие, отвратительный сервис, кошмар какой-то",
            SentimentLabel::Negative,
        ),
        (
            "Сколько можно?! Жду уже 3 недели, это обман и развод.",
            SentimentLabel::Negative,
        ),
        ("Здравствуйте, как поменять тариф?", SentimentLabel::Neutral),
        (
            "Подскажите, пожалуйста, где найти счёт за март. Спасибо.",
            SentimentLabel::Neutral,
        ),
        (
            "Пришлите, пожалуйста, акт сверки за второй квартал.",
            SentimentLabel::Neutral,
        ),
        ("Спасибо большое, всё заработало!", SentimentLabel::Positive),
        (
            "Отличная поддержка, рекомендую 👍",
            SentimentLabel::Positive,
        ),
        (
            "Оператор был очень вежлив и быстро помог, спасибо",
            SentimentLabel::Positive,
        ),
        (
            "Не очень хорошо, что пришлось ждать.",
            SentimentLabel::Negative,
        ),
        ("Я не доволен вашим сервисом", SentimentLabel::Negative),
        ("Совсем не удобно пользоваться", SentimentLabel::Negative),
        ("Ну не плохо", SentimentLabel::Positive),
        (
            "ВЫ ВООБЩЕ СОБИРАЕТЕСЬ ВЕРНУТЬ МОИ ДЕНЬГИ?!",
            SentimentLabel::Negative,
        ),
        (
            "Спасибо за быстрый ответ, но проблема так и не решена.",
            SentimentLabel::Negative,
        ),
        (
            "Ничего не работает. Заранее спасибо за помощь.",
            SentimentLabel::Negative,
        ),
        ("Надоело! Опять не работает 😡", SentimentLabel::Negative),
        (
            "Отвратительная, отвратительное, отвратительными",
            SentimentLabel::Negative,
        ),
    ];

    const PL_CASES: &[(&str, SentimentLabel)] = &[
        (
            "To jest żenada, nie działa od tygodnia!!!",
            SentimentLabel::Negative,
        ),
        (
            "Zenada i oszustwo, beznadziejna firma",
            SentimentLabel::Negative,
        ),
        (
            "Czekam od dwóch tygodni na zwrot. Ile można?",
            SentimentLabel::Negative,
        ),
        (
            "Dzień dobry, jak mogę zmienić hasło?",
            SentimentLabel::Neutral,
        ),
        (
            "Proszę o fakturę VAT za marzec, dziękuję.",
            SentimentLabel::Neutral,
        ),
        (
            "Czy mogę zmienić adres dostawy zamówienia 12345?",
            SentimentLabel::Neutral,
        ),
        (
            "Bardzo dziękuję, wszystko już działa!",
            SentimentLabel::Positive,
        ),
        ("Super obsługa, polecam!", SentimentLabel::Positive),
        (
            "Konsultant był bardzo miły i pomocny 🙂",
            SentimentLabel::Positive,
        ),
        ("Nie jestem zadowolony z obsługi.", SentimentLabel::Negative),
        ("Nie polecam, strata czasu.", SentimentLabel::Negative),
        ("Nie jest źle", SentimentLabel::Positive),
        (
            "ODDAJCIE MOJE PIENIĄDZE NATYCHMIAST",
            SentimentLabel::Negative,
        ),
        (
            "Dzięki za szybką odpowiedź, ale nadal nie działa",
            SentimentLabel::Negative,
        ),
        ("Nic nie działa, tragedia 👎", SentimentLabel::Negative),
        (
            "Beznadziejny, beznadziejna, beznadziejne",
            SentimentLabel::Negative,
        ),
    ];

    const EN_CASES: &[(&str, SentimentLabel)] = &[
        (
            "This is the worst service ever. Absolutely useless!!!",
            SentimentLabel::Negative,
        ),
        (
            "I've been waiting for 3 weeks and no response. This is a scam.",
            SentimentLabel::Negative,
        ),
        (
            "Your app is broken and your support is terrible",
            SentimentLabel::Negative,
        ),
        ("How do I reset my password?", SentimentLabel::Neutral),
        (
            "Could you please send me the invoice? Thank you.",
            SentimentLabel::Neutral,
        ),
        (
            "What is the best way to export my data?",
            SentimentLabel::Neutral,
        ),
        ("Thank you so much, it works now!", SentimentLabel::Positive),
        (
            "Great support, very helpful and friendly 👍",
            SentimentLabel::Positive,
        ),
        (
            "Problem solved, you guys are amazing",
            SentimentLabel::Positive,
        ),
        ("The app is not helpful at all", SentimentLabel::Negative),
        ("I'm not happy with this", SentimentLabel::Negative),
        ("Not bad", SentimentLabel::Positive),
        ("WHY IS MY ORDER STILL NOT HERE?!", SentimentLabel::Negative),
        (
            "Thanks for the quick reply, but it still doesn't work",
            SentimentLabel::Negative,
        ),
        (
            "It's not working and I'm very disappointed :(",
            SentimentLabel::Negative,
        ),
        (
            "I don't have a damn account, help",
            SentimentLabel::Negative,
        ),
    ];

    fn check(cases: &[(&str, SentimentLabel)], lang: Lang) {
        for &(text, expected) in cases {
            let s = analyze(text, lang);
            assert_eq!(s.label, expected, "{text:?} -> {s:?}");
        }
    }

    #[test]
    fn russian_cases() {
        check(RU_CASES, Lang::Ru);
    }

    #[test]
    fn polish_cases() {
        check(PL_CASES, Lang::Pl);
    }

    #[test]
    fn english_cases() {
        check(EN_CASES, Lang::En);
    }

    #[test]
    fn und_uses_all_three_lexicons() {
        check(RU_CASES, Lang::Und);
        check(EN_CASES, Lang::Und);
        for &(text, expected) in PL_CASES {
            assert_eq!(label(text, Lang::Und), expected, "{text:?}");
        }
    }

    #[test]
    fn stems_match_inflections() {
        for text in [
            "отвратительно",
            "отвратительный",
            "отвратительная",
            "отвратительные",
        ] {
            let s = analyze(text, Lang::Ru);
            assert!(has_cue(&s, "negative: отвратител"), "{text}: {s:?}");
        }
        for text in ["beznadziejny", "beznadziejna", "beznadziejnie"] {
            assert_eq!(label(text, Lang::Pl), SentimentLabel::Negative, "{text}");
        }
        for text in ["disappointed", "disappointing", "disappointment"] {
            assert_eq!(label(text, Lang::En), SentimentLabel::Negative, "{text}");
        }
    }

    #[test]
    fn diacritics_and_yo_fold() {
        assert_eq!(
            analyze("żenada", Lang::Pl).score,
            analyze("zenada", Lang::Pl).score
        );
        assert_eq!(analyze("ŻENADA", Lang::Pl).label, SentimentLabel::Negative);
        assert_eq!(
            analyze("Żenada", Lang::Pl).score,
            analyze("Zenada", Lang::Pl).score
        );
        assert_eq!(
            analyze("nie działa", Lang::Pl).score,
            analyze("nie dziala", Lang::Pl).score
        );
        assert_eq!(
            analyze("всё ещё плохо", Lang::Ru).score,
            analyze("все еще плохо", Lang::Ru).score
        );
        // Decomposed letters (z + combining dot, е + combining diaeresis) read the same.
        assert_eq!(
            analyze("z\u{307}enada", Lang::Pl).score,
            analyze("żenada", Lang::Pl).score
        );
        assert_eq!(fold("пое\u{308}хали"), "поехали");
        assert_eq!(fold("и\u{306}"), "й");
        assert_eq!(fold("doesn’t"), "doesnt");
    }

    #[test]
    fn multi_word_expressions() {
        let cases = [
            ("Приложение не работает", Lang::Ru, "negative: не работает"),
            ("сколько можно", Lang::Ru, "negative: сколько можно"),
            ("Aplikacja nie działa", Lang::Pl, "negative: nie działa"),
            ("It doesn't work", Lang::En, "negative: doesn't work"),
            ("worst ever", Lang::En, "negative: worst ever"),
        ];
        for (text, lang, cue) in cases {
            let s = analyze(text, lang);
            assert!(s.cues.iter().any(|c| c == cue), "{text}: {s:?}");
            assert_eq!(s.label, SentimentLabel::Negative, "{text}");
        }
    }

    #[test]
    fn negation_turns_and_dampens() {
        let good = analyze("хорошо", Lang::Ru).score;
        let not_good = analyze("не очень хорошо", Lang::Ru);
        assert!(good > POSITIVE_THRESHOLD && not_good.score <= NEGATIVE_THRESHOLD);
        assert!(
            has_cue(&not_good, "negated: не очень хорошо"),
            "{not_good:?}"
        );
        // "not bad" is positive, but milder than "bad" is negative.
        let bad = analyze("bad", Lang::En).score;
        let not_bad = analyze("not bad", Lang::En).score;
        assert!(not_bad > 0.0 && not_bad < -bad, "{bad} {not_bad}");
        assert!(has_cue(
            &analyze("not helpful", Lang::En),
            "negated: not helpful"
        ));
        // Scope: a clause break ends negation.
        assert_eq!(
            label("Nie wiem. Świetna obsługa!", Lang::Pl),
            SentimentLabel::Positive
        );
        // Words that begin with their own negator are not turned again (double negation).
        assert_eq!(
            label("никто не отвечает", Lang::Ru),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("nikt nie odpowiada", Lang::Pl),
            SentimentLabel::Negative
        );
        // A negator with an intensifier and nothing else is mildly negative.
        assert_eq!(
            label("Ваш сервис? Не очень.", Lang::Ru),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("Obsługa? Nie bardzo.", Lang::Pl),
            SentimentLabel::Negative
        );
    }

    #[test]
    fn intensifiers_and_diminishers_scale() {
        let plain = analyze("плохо", Lang::Ru).score;
        let very = analyze("очень плохо", Lang::Ru).score;
        let bit = analyze("немного плохо", Lang::Ru).score;
        assert!(very < plain && plain < bit, "{very} {plain} {bit}");
        let plain = analyze("wolno", Lang::Pl).score;
        let very = analyze("strasznie wolno", Lang::Pl).score;
        assert!(very < plain);
        let plain = analyze("slow", Lang::En).score;
        let very = analyze("extremely slow", Lang::En).score;
        let bit = analyze("a bit slow", Lang::En).score;
        assert!(very < plain && plain < bit, "{very} {plain} {bit}");
        let plain = analyze("good", Lang::En).score;
        let so = analyze("so good", Lang::En).score;
        assert!(so > plain);
    }

    #[test]
    fn shouting_counts_and_acronyms_do_not() {
        let s = analyze("PLEASE SEND THE INVOICE NOW", Lang::En);
        assert!(has_cue(&s, "shouting: 5 words"), "{s:?}");
        assert_eq!(s.label, SentimentLabel::Negative);
        for (text, lang) in [
            (
                "Please send the PDF with VAT and SLA details for the API",
                Lang::En,
            ),
            ("Prośba o RODO i GDPR, PDF oraz SMS z kodem", Lang::Pl),
            ("Нужен счёт с НДС и PDF, SMS не пришло", Lang::Ru),
        ] {
            let s = analyze(text, lang);
            assert!(!has_cue(&s, "shouting"), "{text}: {s:?}");
        }
        // Shouting a thank-you is not anger.
        let s = analyze("THANK YOU SO MUCH GUYS", Lang::En);
        assert_eq!(s.label, SentimentLabel::Positive, "{s:?}");
    }

    #[test]
    fn punctuation_and_emoji() {
        let s = analyze("Где мои деньги?!", Lang::Ru);
        assert!(s.cues.iter().any(|c| c == "?!"), "{s:?}");
        assert_eq!(s.label, SentimentLabel::Negative);
        let plain = analyze("Thanks, it works now", Lang::En).score;
        let bangs = analyze("Thanks, it works now!!!", Lang::En).score;
        assert!(bangs > plain);
        assert_eq!(
            label("Zamówienie 123 😡😡", Lang::Pl),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("Zamówienie dotarło 👍", Lang::Pl),
            SentimentLabel::Positive
        );
        assert_eq!(
            label("Заказ получил, спасибо)))", Lang::Ru),
            SentimentLabel::Positive
        );
        assert_eq!(label("ну вот опять(((", Lang::Ru), SentimentLabel::Negative);
        // Brackets that close what they opened are not smileys, URLs are not ":/".
        assert!(!has_cue(&analyze("see (section (a))", Lang::En), "emoji"));
        assert!(!has_cue(&analyze("https://example.com", Lang::En), "emoji"));
    }

    #[test]
    fn politeness_leans_positive_but_never_cancels_a_complaint() {
        let bare = analyze("Как поменять тариф?", Lang::Ru).score;
        let polite = analyze(
            "Подскажите, пожалуйста, как поменять тариф? Спасибо!",
            Lang::Ru,
        );
        assert!(polite.score > bare);
        assert_eq!(polite.label, SentimentLabel::Neutral);
        for (complaint, lang) in [
            ("Ничего не работает, это безобразие.", Lang::Ru),
            ("Nic nie działa, to skandal.", Lang::Pl),
            ("Nothing works, this is unacceptable.", Lang::En),
        ] {
            let base = analyze(complaint, lang);
            let thanks = match lang {
                Lang::Ru => " Пожалуйста, помогите. Заранее спасибо, спасибо, спасибо!",
                Lang::Pl => " Proszę o pomoc. Z góry dziękuję, dziękuję, dziękuję!",
                _ => " Please help. Thanks in advance, thank you, thanks!",
            };
            let polite = analyze(&format!("{complaint}{thanks}"), lang);
            assert_eq!(polite.label, SentimentLabel::Negative, "{polite:?}");
            assert!(polite.score >= base.score);
            assert!(polite.score - base.score < 0.2, "{base:?} {polite:?}");
        }
    }

    #[test]
    fn waiting_is_a_complaint() {
        for (text, lang) in [
            ("Жду возврат уже 3 недели", Lang::Ru),
            ("жду уже которую неделю", Lang::Ru),
            ("Czekam już od dwóch tygodni", Lang::Pl),
            ("Zwrot od miesiąca", Lang::Pl),
            ("I've been waiting for two weeks", Lang::En),
            ("No refund for months", Lang::En),
        ] {
            let s = analyze(text, lang);
            assert!(has_cue(&s, "waiting: "), "{text}: {s:?}");
            assert_eq!(s.label, SentimentLabel::Negative, "{text}");
        }
        for (text, lang) in [
            ("Уже на следующий день всё пришло", Lang::Ru),
            ("Umowa od dnia podpisania", Lang::Pl),
            ("A subscription for 12 months", Lang::En),
        ] {
            assert!(!has_cue(&analyze(text, lang), "waiting"), "{text}");
        }
    }

    #[test]
    fn contrast_weighs_what_follows() {
        let s = analyze(
            "Support was friendly, but the bug is still there and it's terrible",
            Lang::En,
        );
        assert_eq!(s.label, SentimentLabel::Negative);
        assert!(has_cue(&s, "contrast: but"), "{s:?}");
        let s = analyze("Долго ждал, но в итоге всё отлично", Lang::Ru);
        assert_eq!(s.label, SentimentLabel::Positive, "{s:?}");
    }

    #[test]
    fn positive_words_in_questions_are_asked_about() {
        assert_eq!(
            label("Is the premium plan good for teams?", Lang::En),
            SentimentLabel::Neutral
        );
        assert_eq!(
            label("The premium plan is good for teams.", Lang::En),
            SentimentLabel::Positive
        );
    }

    #[test]
    fn cues_are_merged_capped_and_strongest_first() {
        let s = analyze("ужас ужас ужас, плохо", Lang::Ru);
        assert_eq!(
            s.cues.first().map(String::as_str),
            Some("negative: ужас (x3)")
        );
        let long = "terrible awful horrible useless broken scam fraud garbage rubbish nightmare \
                    disaster pathetic ridiculous unacceptable outrageous"
            .repeat(3);
        let s = analyze(&long, Lang::En);
        assert!(s.cues.len() <= MAX_CUES);
        assert_eq!(s.score, -1.0);
    }

    #[test]
    fn empty_and_wordless_text_is_neutral() {
        for text in ["", "   ", "12345", "-- // ..", "\n\n"] {
            let s = analyze(text, Lang::Und);
            assert_eq!(s.label, SentimentLabel::Neutral);
            assert_eq!(s.score, 0.0);
            assert!(s.cues.is_empty(), "{text:?}: {s:?}");
        }
    }

    #[test]
    fn deterministic() {
        let text = "Жду уже 3 недели!!! Nie działa, żenada. WHY IS THIS SO SLOW?! Thanks 🙏";
        let first = analyze(text, Lang::Und);
        for _ in 0..20 {
            assert_eq!(analyze(text, Lang::Und), first);
        }
        for lang in [Lang::En, Lang::Ru, Lang::Pl] {
            assert_eq!(analyze(text, lang), analyze(text, lang));
        }
    }

    #[test]
    fn thresholds_label_scores() {
        assert_eq!(SentimentLabel::from_score(-0.25), SentimentLabel::Negative);
        assert_eq!(SentimentLabel::from_score(-0.249), SentimentLabel::Neutral);
        assert_eq!(SentimentLabel::from_score(0.249), SentimentLabel::Neutral);
        assert_eq!(SentimentLabel::from_score(0.25), SentimentLabel::Positive);
        assert_eq!(SentimentLabel::Negative.to_string(), "negative");
    }

    /// xorshift64*, so the fuzz test needs no dependency and always runs the same inputs.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn fuzz_never_panics_and_stays_in_range() {
        let palette: Vec<char> = "aZżŻąęłóśćńźЁёйИЙшЩ ыъ0189 \t\n.,;:!?…-–—'’`\"()[]/\\|#*@\
                                  😡🤬👎🙂👍🙏❤️‍\u{300}\u{306}\u{307}\u{308}\u{FE0F}\u{200D}\u{0}\
                                  İ ß ǅ ﬁ ⁉‼！？ 中文 العربية"
            .chars()
            .collect();
        let words = [
            "не",
            "nie",
            "not",
            "очень",
            "bardzo",
            "very",
            "работает",
            "działa",
            "work",
            "за",
            "уже",
            "od",
            "for",
            "waiting",
            "3",
            "недели",
            "tygodni",
            "weeks",
            "спасибо",
            "dziękuję",
            "thanks",
            "API",
            "ŻENADA",
            "ужас",
            "but",
            "но",
            "ale",
            ":)",
            ")))",
            "(((",
            "#",
            "*",
            "no one",
            "a bit",
            "так",
            "и",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..rng.below(60) {
                if rng.below(3) == 0 {
                    text.push_str(words[rng.below(words.len())]);
                } else {
                    text.push(palette[rng.below(palette.len())]);
                }
                if rng.below(4) == 0 {
                    text.push(' ');
                }
            }
            let lang = [Lang::En, Lang::Ru, Lang::Pl, Lang::Und][round % 4];
            let s = analyze(&text, lang);
            assert!(
                s.score.is_finite() && (-1.0..=1.0).contains(&s.score),
                "{text:?}"
            );
            assert_eq!(s.label, SentimentLabel::from_score(s.score), "{text:?}");
            assert!(s.cues.len() <= MAX_CUES);
            assert_eq!(analyze(&text, lang), s);
        }
        for text in [
            "!".repeat(10_000),
            "ужас ".repeat(20_000),
            "\u{306}".repeat(1000),
        ] {
            let s = analyze(&text, Lang::Und);
            assert!(s.score.is_finite());
        }
    }

    fn all_data() -> [(&'static str, &'static LexiconData); 3] {
        [("ru", &RU), ("pl", &PL), ("en", &EN)]
    }

    #[test]
    fn lexicon_entries_are_well_formed() {
        for (code, data) in all_data() {
            let mut seen = std::collections::HashSet::new();
            for (text, role) in data.entries() {
                let pats = parse_pats(text);
                assert!(!pats.is_empty(), "{code}: unparsable entry {text:?}");
                assert_eq!(text, text.trim(), "{code}: {text:?}");
                assert_eq!(
                    text.to_lowercase(),
                    text,
                    "{code}: {text:?} is not lowercase"
                );
                for p in &pats {
                    if let Pat::Prefix(stem) = p {
                        assert!(
                            stem.chars().count() >= MIN_STEM_CHARS,
                            "{code}: stem {text:?} shorter than {MIN_STEM_CHARS}"
                        );
                    }
                }
                assert!(
                    seen.insert(format!("{pats:?}")),
                    "{code}: duplicate entry {text:?}"
                );
                match role {
                    Role::Polar(w) | Role::Fixed(w) => {
                        assert!((-3.5..=3.0).contains(&w), "{code}: {text:?} {w}")
                    }
                    Role::Polite(w) => assert!(w > 0.0 && w <= POLITE_MAX, "{code}: {text:?}"),
                    Role::Boost(m) => assert!(m > 0.0 && m <= BOOST_MAX, "{code}: {text:?}"),
                    Role::Negator | Role::Contrast => {}
                }
            }
            let wait_lists = [
                data.wait_markers,
                data.wait_tight,
                data.wait_glue,
                data.wait_quantities,
                data.wait_long,
                data.wait_short,
            ];
            for word in wait_lists.iter().flat_map(|l| l.iter()) {
                assert_eq!(word.to_lowercase(), *word, "{code}: {word:?}");
                match Pat::parse(word) {
                    Some(Pat::Prefix(stem)) => assert!(
                        stem.chars().count() >= MIN_STEM_CHARS,
                        "{code}: stem {word:?} shorter than {MIN_STEM_CHARS}"
                    ),
                    Some(_) => {}
                    None => panic!("{code}: unparsable waiting word {word:?}"),
                }
            }
            let polar = data.polar.len() + data.expletives.len();
            assert!(polar >= 250, "{code}: only {polar} polar entries");
        }
    }
}
