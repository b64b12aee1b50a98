//! PII in ticket text: payment cards (Luhn), IBAN (mod 97), emails, phones, PESEL, INN, SNILS; found and redacted.
//!
//! How it works: three scanners produce candidates (emails by regex, IBANs by a regex anchor
//! plus manual consumption, and every other kind from "digit runs": maximal sequences of ASCII
//! digit groups joined by phone/card-style separators). Each candidate is validated with the
//! real rule of its kind (Luhn + issuer prefix, mod 97, PESEL weights + birth date, INN and SNILS
//! check numbers, phone numbering layouts), scored, and overlaps are resolved greedily by score:
//! the most specific kind wins. Keywords just before a number (`ИНН`, `СНИЛС`, `PESEL`, `тел.`,
//! `order`...) tip the balance between kinds that share a length but never replace a checksum.
//!
//! Rules decided here:
//! - Digits glued to a word ("SKU4111111111111111", "ORD-2026-00123", "v2.4.1", "ИНН7707083893")
//!   belong to that code and are not PII on their own.
//! - A phone must be a whole digit run (runs break at ", ", " - ", "/", "+", letters), so it is
//!   never cut out of a longer number; only a "+7/+48/+1/+380/+375" number, whose length is
//!   fixed, may be followed by unrelated digits after a space. Bare digit strings are phones only
//!   as Russian mobiles ("89123456789") or after a phone keyword ("тел. 601234567"). Numbers
//!   after an order/invoice/tracking/NIP keyword, or next to a currency, are not phones.
//! - A Polish account number without "PL" (NRB, 26 digits) is reported as [`PiiKind::Iban`]
//!   when its PL IBAN checksum holds.
//! - PESEL vs SNILS on the same 11 digits: the keyword decides, else the ticket's script
//!   (Cyrillic: SNILS, otherwise PESEL). SNILS numbers at or below 001-001-998 have no check
//!   number (official rule); they are accepted formatted or after a SNILS keyword only.
//! - INN: 10 or 12 digits standing alone, both check digits verified, region "00" rejected.
//! - Cards: Luhn plus a known issuer prefix and that issuer's length; groups must start with
//!   four digits and share one separator.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// Kind of personal data found in a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Card,
    Iban,
    Email,
    Phone,
    Pesel,
    Inn,
    Snils,
}

impl PiiKind {
    /// Replacement tag used by [`redact`], e.g. `"[CARD]"`.
    pub fn tag(self) -> &'static str {
        match self {
            PiiKind::Card => "[CARD]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Email => "[EMAIL]",
            PiiKind::Phone => "[PHONE]",
            PiiKind::Pesel => "[PESEL]",
            PiiKind::Inn => "[INN]",
            PiiKind::Snils => "[SNILS]",
        }
    }
}

/// One piece of PII: `start..end` are byte offsets into the scanned text (always on char
/// boundaries) and `text` is that slice, kept for callers but never serialised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PiiFinding {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub text: String,
}

/// Find PII in `text`: non-overlapping findings sorted by `start`; where candidates overlap,
/// the most specific kind wins (email > IBAN > card > SNILS/PESEL/INN > phone, with keywords
/// before the number deciding between the checksummed identity numbers and phones).
///
/// Detection runs on a width-folded copy of the text (full-width digits, letters and
/// punctuation, ideographic and other Unicode spaces, Unicode hyphens; runs of spaces collapsed
/// to one): `４１１１ １１１１ …` is found as a card, and the offsets of every finding still point
/// into `text` itself.
pub fn find_pii(text: &str) -> Vec<PiiFinding> {
    let folded = fold(text);
    let scan = folded.as_ref().map_or(text, |f| f.text.as_str());
    let mut cands = Vec::new();
    scan_emails(scan, &mut cands);
    scan_obfuscated_emails(scan, &mut cands);
    scan_ibans(scan, &mut cands);
    let cyrillic = scan.chars().any(is_cyrillic);
    for run in scan_runs(scan) {
        run_candidates(scan, &run, cyrillic, &mut cands);
    }
    let found = resolve(scan, cands);
    let Some(folded) = folded else {
        return found;
    };
    found
        .into_iter()
        .filter_map(|f| {
            let (start, end) = (folded.map[f.start], folded.map[f.end]);
            text.get(start..end).map(|s| PiiFinding {
                kind: f.kind,
                start,
                end,
                text: s.to_string(),
            })
        })
        .collect()
}

/// A width-folded copy of a text and, for every byte of it (and its end), the offset in the
/// original text of the character (or run of spaces) it came from.
struct Folded {
    text: String,
    map: Vec<usize>,
}

/// The ASCII form of a full-width or typographic character, if it has one.
fn fold_char(c: char) -> Option<char> {
    match c {
        // Full-width forms of ASCII (NFKC maps each to its ASCII character).
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0),
        '\u{3000}' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => Some(' '),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' | '\u{fe63}' => Some('-'),
        '\u{2024}' | '\u{fe52}' => Some('.'),
        '\u{2044}' | '\u{2215}' => Some('/'),
        '\u{fe6b}' => Some('@'),
        _ => None,
    }
}

fn is_hspace(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Fold `text` for detection; `None` when folding changes nothing (most tickets).
fn fold(text: &str) -> Option<Folded> {
    let mut prev_space = false;
    let needs = text.chars().any(|c| {
        let space = c == ' ';
        let change = fold_char(c).is_some() || c == '\t' || (space && prev_space);
        prev_space = space;
        change
    });
    if !needs {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut in_space = false;
    for (offset, c) in text.char_indices() {
        let folded = fold_char(c).unwrap_or(c);
        if is_hspace(folded) {
            if in_space {
                continue;
            }
            in_space = true;
            out.push(' ');
            map.push(offset);
            continue;
        }
        in_space = false;
        out.push(folded);
        map.extend(std::iter::repeat_n(offset, folded.len_utf8()));
    }
    map.push(text.len());
    Some(Folded { text: out, map })
}

/// Replace each finding by its kind's tag; everything else stays byte-identical.
///
/// Findings are taken in `start` order; ones that overlap an earlier finding, fall outside the
/// text or do not sit on char boundaries are ignored rather than trusted.
pub fn redact(text: &str, findings: &[PiiFinding]) -> String {
    let mut order: Vec<&PiiFinding> = findings.iter().collect();
    order.sort_by_key(|f| (f.start, f.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in order {
        if f.start < pos || f.start >= f.end || text.get(f.start..f.end).is_none() {
            continue;
        }
        out.push_str(&text[pos..f.start]);
        out.push_str(f.kind.tag());
        pos = f.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// [`find_pii`] then [`redact`].
pub fn redact_all(text: &str) -> String {
    redact(text, &find_pii(text))
}

// ---------------------------------------------------------------------------------------------
// Candidates and overlap resolution

#[derive(Debug, Clone, Copy)]
struct Candidate {
    kind: PiiKind,
    start: usize,
    end: usize,
    score: i32,
}

// Specificity scores; a matching keyword cue adds CUE_BOOST. The gaps are chosen so that a
// phone with a "тел."/"phone" cue beats an unrelated checksum hit (PESEL/SNILS/INN), and an
// identity number with its own keyword beats anything but an email or IBAN/card structure.
const SCORE_EMAIL: i32 = 1000;
const SCORE_IBAN: i32 = 900;
const SCORE_CARD: i32 = 800;
const SCORE_SNILS_FORMATTED: i32 = 700;
const SCORE_PESEL: i32 = 600;
const SCORE_SNILS: i32 = 600;
const SCORE_INN: i32 = 550;
const SCORE_PHONE: i32 = 300;
const CUE_BOOST: i32 = 350;
/// Tie-break between an 11-digit PESEL and SNILS without a keyword: the script of the ticket.
const SCRIPT_NUDGE: i32 = 5;

fn resolve(text: &str, mut cands: Vec<Candidate>) -> Vec<PiiFinding> {
    cands.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.kind.cmp(&b.kind))
    });
    // start -> (end, kind) of accepted, pairwise non-overlapping findings.
    let mut taken: BTreeMap<usize, (usize, PiiKind)> = BTreeMap::new();
    for c in cands {
        let clashes_before = taken
            .range(..c.end)
            .next_back()
            .is_some_and(|(_, &(end, _))| end > c.start);
        if !clashes_before {
            taken.insert(c.start, (c.end, c.kind));
        }
    }
    taken
        .into_iter()
        .filter_map(|(start, (end, kind))| {
            text.get(start..end).map(|s| PiiFinding {
                kind,
                start,
                end,
                text: s.to_string(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Emails

static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{L}\p{N}_%+\-]+(?:\.[\p{L}\p{N}_%+\-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+(?:[A-Za-z]{2,24}|\p{Cyrillic}{2,24})",
    )
    .expect("valid regex")
});

fn scan_emails(text: &str, out: &mut Vec<Candidate>) {
    for m in EMAIL_RE.find_iter(text) {
        let s = m.as_str();
        let local_len = s.find('@').unwrap_or(0);
        if local_len == 0 || local_len > 64 || s.len() > 254 {
            continue;
        }
        // A TLD glued to more ASCII word characters ("a@b.comfoo1") is not an address end; a
        // switch of script ("a@mail.ruспасибо") is, since TLDs are one script.
        if text[m.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        out.push(Candidate {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
            score: SCORE_EMAIL,
        });
    }
}

/// Written-out "@" of an obfuscated address: `(at)`, `[at]`, `{at}`, `<at>`, `(@)`, ` @ `, and
/// the Russian and Polish names of the sign (`собака`, `małpa`) bracketed or between spaces.
/// A bare English ` at ` is in a separate group: it is an address only with more evidence.
const OBF_AT: &str = r"(?:\s*[(\[{<]\s*(?:at|@|собака|собачка|małpa|malpa)\s*[)\]}>]\s*|\s+@\s*|\s*@\s+|\s+(?:собака|собачка|małpa|malpa)\s+|(?P<bare>\s+at\s+))";
/// Written-out "." of an obfuscated address: `(dot)`, `[dot]`, `(.)`, ` dot `, `точка`, `kropka`.
const OBF_DOT: &str =
    r"(?:\s*[(\[{<]\s*(?:dot|\.|точка|kropka)\s*[)\]}>]\s*|\s+(?:dot|точка|kropka)\s+)";

static OBF_EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    let atom = r"[\p{L}\p{N}_%+\-]+";
    let label = r"[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?";
    Regex::new(&format!(
        r"(?i)(?P<local>{atom}(?:(?:\.|{OBF_DOT}){atom})*){OBF_AT}(?P<domain>{label}(?:(?:\.|(?P<odot>{OBF_DOT})){label})*)(?:\.|(?P<odot2>{OBF_DOT}))(?:[a-z]{{2,24}}|\p{{Cyrillic}}{{2,24}})"
    ))
    .expect("valid regex")
});

/// Obfuscated addresses: `jan.kowalski(at)firma.pl`, `ivan собака mail точка ru`,
/// `jan [at] firma (dot) pl`. A bare ` at ` ("look at example.com") counts only when the local
/// part looks like an address (a dot, digit or `_+-%` in it) or a dot is written out too.
fn scan_obfuscated_emails(text: &str, out: &mut Vec<Candidate>) {
    let mut at = 0;
    while let Some(c) = OBF_EMAIL_RE.captures_at(text, at) {
        let Some(m) = c.get(0) else { break };
        at = m.end().max(m.start() + 1);
        while !text.is_char_boundary(at) {
            at += 1;
        }
        let local = c.name("local").map_or("", |l| l.as_str());
        let written_dot = c.name("odot").is_some() || c.name("odot2").is_some();
        if c.name("bare").is_some()
            && !written_dot
            && !local.contains(|ch: char| ch.is_ascii_digit() || "._%+-".contains(ch))
        {
            // Try again from the next word: "look at jan.kowalski at firma.pl".
            at = c.name("bare").map_or(at, |b| b.start() + 1);
            continue;
        }
        if text[m.end()..]
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        {
            continue;
        }
        out.push(Candidate {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
            score: SCORE_EMAIL,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// IBAN

static IBAN_START_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[a-zАВЕКМНОРСТХ]{2}[0-9]{2}").expect("valid regex"));

/// A Latin capital for a Cyrillic look-alike in an IBAN's country code ("РL61..." with a
/// Cyrillic Р), ASCII letters upper-cased.
fn iban_letter(c: char) -> Option<u8> {
    let latin = match c.to_uppercase().next()? {
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        other => other,
    };
    latin.is_ascii_uppercase().then_some(latin as u8)
}

/// Total IBAN length per country (SWIFT IBAN registry). Russia has no IBAN.
fn iban_length(country: &str) -> Option<usize> {
    let len = match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" | "SD" | "FK" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" | "MN" => 20,
        "CH" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "CR" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" | "VA" => 22,
        "AE" | "GI" | "IL" | "IQ" | "TL" | "SO" | "OM" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "LY" | "PT" | "ST" => 25,
        "IS" | "TR" => 26,
        "BI" | "DJ" | "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "BY" | "CY" | "DO" | "GT" | "HU" | "LB" | "NI" | "PL" | "SV" => 28,
        "BR" | "EG" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" | "YE" => 30,
        "MT" | "SC" => 31,
        "LC" => 32,
        _ => return None,
    };
    Some(len)
}

/// ISO 13616 check: move the first four characters to the end, letters become 10..35, and the
/// resulting number mod 97 must be 1.
fn iban_mod97_ok(iban: &[u8]) -> bool {
    if iban.len() < 5 {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in iban[4..].iter().chain(&iban[..4]) {
        match b {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return false,
        }
    }
    rem == 1
}

fn scan_ibans(text: &str, out: &mut Vec<Candidate>) {
    let bytes = text.as_bytes();
    for m in IBAN_START_RE.find_iter(text) {
        let mut letters = m.as_str().chars();
        let (Some(a), Some(b)) = (letters.next(), letters.next()) else {
            continue;
        };
        let (Some(a), Some(b)) = (iban_letter(a), iban_letter(b)) else {
            continue;
        };
        let country = String::from_utf8_lossy(&[a, b]).into_owned();
        let Some(len) = iban_length(&country) else {
            continue;
        };
        // Consume exactly `len` alphanumerics: either compact, or in groups of four separated
        // by one kind of single separator (space, dash, dot or slash; the paper format).
        let mut chars: Vec<u8> = vec![a, b];
        let mut spaced: Option<bool> = None;
        let mut sep_byte: Option<u8> = None;
        let mut pos = m.start()
            + m.as_str()
                .chars()
                .take(2)
                .map(char::len_utf8)
                .sum::<usize>();
        let mut ok = true;
        let mut after_space = false;
        while chars.len() < len {
            let Some(&b) = bytes.get(pos) else {
                ok = false;
                break;
            };
            let at_group_edge = !chars.is_empty() && chars.len().is_multiple_of(4) && !after_space;
            after_space = false;
            if b.is_ascii_alphanumeric() {
                if at_group_edge {
                    if spaced == Some(true) {
                        ok = false;
                        break;
                    }
                    spaced = Some(false);
                }
                chars.push(b.to_ascii_uppercase());
                pos += 1;
            } else if matches!(b, b' ' | b'-' | b'.' | b'/')
                && sep_byte.is_none_or(|s| s == b)
                && at_group_edge
                && spaced != Some(false)
                && bytes.get(pos + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                sep_byte = Some(b);
                spaced = Some(true);
                after_space = true;
                pos += 1;
            } else {
                ok = false;
                break;
            }
        }
        if !ok || bytes.get(pos).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        if iban_mod97_ok(&chars) {
            out.push(Candidate {
                kind: PiiKind::Iban,
                start: m.start(),
                end: pos,
                score: SCORE_IBAN,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Digit runs

/// One maximal group of ASCII digits inside a run.
#[derive(Debug)]
struct Group<'a> {
    start: usize,
    end: usize,
    digits: &'a str,
    /// Text between the previous group and this one ("" for the first group).
    sep: &'a str,
}

/// Digit groups joined by separators that phones and cards use (space, dash, dot, parens).
#[derive(Debug)]
struct Run<'a> {
    groups: Vec<Group<'a>>,
    /// Start of the run including a leading `+` or `(`.
    prefix_start: usize,
    plus: bool,
    /// The first group is glued to a word on its left ("ORD-2026", "FV/2026", "v2.4.1",
    /// "ИНН7707083893", the digits of "PL61..."): no candidate may start there, though later
    /// groups after a space still can.
    tainted_left: bool,
    /// The last group is glued to something that continues it ("1250,00", "12-AB", "5%").
    tainted_right: bool,
}

fn is_sep_char(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{202f}' | '-' | '\u{2013}' | '.' | '/' | '(' | ')'
    )
}

/// Separators allowed between two digit groups of one run, after mapping every kind of space
/// to ' ' and an en dash to '-'. Anything else (", ", " - ", ". ", "+") ends the run. A slash
/// joins groups ("4111/1111/1111/1111") but is a cut point too, and phones never contain one.
fn sep_allowed(sep: &str) -> bool {
    let norm: String = sep
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' => ' ',
            '\u{2013}' => '-',
            other => other,
        })
        .collect();
    matches!(
        norm.as_str(),
        " " | "-" | "." | "/" | "(" | ")" | " (" | ") " | ")-" | "-(" | ") -"
    )
}

/// A separator a candidate may be cut at: it contains a space or is a slash, so the groups on
/// either side can be separate numbers ("ИНН 7707083893 12345", "ИНН/КПП 7707083893/773601001").
fn sep_is_soft(sep: &str) -> bool {
    sep.chars().any(char::is_whitespace) || sep == "/"
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

fn scan_runs(text: &str) -> Vec<Run<'_>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Continuation bytes of multi-byte chars are never ASCII digits, so byte stepping is safe.
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = parse_run(text, i);
        i = run.groups.last().map_or(i + 1, |g| g.end);
        if let Some(run) = run.into_run(text) {
            runs.push(run);
        }
    }
    runs
}

struct RawRun<'a> {
    groups: Vec<Group<'a>>,
}

fn parse_run(text: &str, start: usize) -> RawRun<'_> {
    let bytes = text.as_bytes();
    let mut groups = Vec::new();
    let mut pos = start;
    let mut sep = "";
    loop {
        let mut end = pos;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        groups.push(Group {
            start: pos,
            end,
            digits: &text[pos..end],
            sep,
        });
        let mut next_digit = None;
        for (n, (off, c)) in text[end..].char_indices().enumerate() {
            if c.is_ascii_digit() {
                next_digit = Some(end + off);
                break;
            }
            if n >= 3 || !is_sep_char(c) {
                break;
            }
        }
        match next_digit {
            Some(nd) if nd > end && sep_allowed(&text[end..nd]) => {
                sep = &text[end..nd];
                pos = nd;
            }
            _ => break,
        }
    }
    RawRun { groups }
}

impl<'a> RawRun<'a> {
    /// Attach the `+` / area-code `(` prefix and boundary information.
    fn into_run(self, text: &'a str) -> Option<Run<'a>> {
        let first = self.groups.first()?;
        let last = self.groups.last()?;
        let mut prefix_start = first.start;
        let mut plus = false;
        // A "(" belongs to the number only when the first group is closed right after it, as in
        // "(212) 555-1234" or "(+48) 601 234 567"; "(44051401359)" is just a parenthesis.
        let area_paren = self.groups.get(1).is_some_and(|g| g.sep.starts_with(')'));
        let mut paren_taken = false;
        if area_paren && char_before(text, prefix_start) == Some('(') {
            prefix_start -= 1;
            paren_taken = true;
        }
        if char_before(text, prefix_start) == Some('+') {
            prefix_start -= 1;
            plus = true;
            if area_paren && !paren_taken && char_before(text, prefix_start) == Some('(') {
                prefix_start -= 1;
            }
        }
        let tainted_left = char_before(text, prefix_start).is_some_and(|c| {
            let before = char_before(text, prefix_start - c.len_utf8());
            match c {
                c if is_word_char(c) => true,
                '-' | '\u{2013}' | '/' | '\\' | '_' => before.is_some_and(is_word_char),
                '.' | ',' => before.is_some_and(|b| b.is_ascii_digit()),
                _ => false,
            }
        });
        let mut after = text[last.end..].chars();
        let tainted_right = match after.next() {
            None => false,
            Some(c) if is_word_char(c) || c == '@' || c == '%' => true,
            Some('.' | ',') => after.next().is_some_and(|c| c.is_ascii_digit()),
            Some('-' | '\u{2013}' | '_') => after.next().is_some_and(is_word_char),
            Some(_) => false,
        };
        Some(Run {
            groups: self.groups,
            prefix_start,
            plus,
            tainted_left,
            tainted_right,
        })
    }
}

/// Enumerate group-aligned spans of a run and validate each against the numeric kinds.
fn run_candidates(text: &str, run: &Run<'_>, cyrillic: bool, out: &mut Vec<Candidate>) {
    let n = run.groups.len();
    for i in 0..n {
        let can_start = if i == 0 {
            !run.tainted_left
        } else {
            sep_is_soft(run.groups[i].sep)
        };
        if !can_start {
            continue;
        }
        let mut digits = String::new();
        let mut sizes = Vec::new();
        for j in i..n {
            digits.push_str(run.groups[j].digits);
            sizes.push(run.groups[j].digits.len());
            if digits.len() > 34 {
                break;
            }
            let ends_clean = if j + 1 < n {
                sep_is_soft(run.groups[j + 1].sep)
            } else {
                !run.tainted_right
            };
            if !ends_clean {
                continue;
            }
            let span = Span {
                text,
                run,
                first: i,
                last: j,
                digits: &digits,
                sizes: &sizes,
                cyrillic,
            };
            span.validate(out);
        }
    }
}

/// A group-aligned slice `first..=last` of a run, with its digits concatenated.
struct Span<'s, 'a> {
    text: &'a str,
    run: &'s Run<'a>,
    first: usize,
    last: usize,
    digits: &'s str,
    sizes: &'s [usize],
    cyrillic: bool,
}

impl Span<'_, '_> {
    fn seps(&self) -> impl Iterator<Item = &str> + '_ {
        self.run.groups[self.first + 1..=self.last]
            .iter()
            .map(|g| g.sep)
    }

    fn has_prefix(&self) -> bool {
        self.first == 0 && self.run.prefix_start != self.run.groups[0].start
    }

    fn whole_run(&self) -> bool {
        self.first == 0 && self.last + 1 == self.run.groups.len()
    }

    fn single_group(&self) -> bool {
        self.first == self.last && !self.has_prefix()
    }

    fn digits_start(&self) -> usize {
        self.run.groups[self.first].start
    }

    fn end(&self) -> usize {
        self.run.groups[self.last].end
    }

    /// One separator throughout: space, dash, dot or slash.
    fn uniform_plain_seps(&self) -> bool {
        let mut seps = self.seps().map(normalize_space);
        match seps.next() {
            None => true,
            Some(first) => matches!(first, " " | "-" | "." | "/") && seps.all(|s| s == first),
        }
    }

    /// A grouped identity number: two or more groups of at least two digits, one separator.
    fn grouped_layout(&self) -> bool {
        self.sizes.len() > 1 && self.sizes.iter().all(|&s| s >= 2) && self.uniform_plain_seps()
    }

    /// PESEL written as birth date and serial: "440514 01359", "44 05 14 01359", "440514-01359".
    fn pesel_layout(&self) -> bool {
        (self.sizes == [6, 5] || self.sizes == [2, 2, 2, 5]) && self.uniform_plain_seps()
    }

    fn push(&self, out: &mut Vec<Candidate>, kind: PiiKind, start: usize, score: i32) {
        out.push(Candidate {
            kind,
            start,
            end: self.end(),
            score,
        });
    }

    fn validate(&self, out: &mut Vec<Candidate>) {
        let start = self.digits_start();
        let len = self.digits.len();
        // Cheap shape filter first: most spans of a long run cannot be anything.
        let maybe = (13..=19).contains(&len)
            || len == 26
            || (self.single_group() && (10..=12).contains(&len))
            || self.sizes == [3, 3, 3, 2]
            || (self.first == 0 && (7..=17).contains(&len));
        if !maybe {
            return;
        }
        let cue = cue_before(
            self.text,
            if self.first == 0 {
                self.run.prefix_start
            } else {
                start
            },
        );
        let weak_blocked = cue == Some(Cue::OtherNumber);
        let boost = |kind: Cue| if cue == Some(kind) { CUE_BOOST } else { 0 };

        if !self.has_prefix() && self.card_layout() && card_ok(self.digits) {
            self.push(out, PiiKind::Card, start, SCORE_CARD);
        }
        if !self.has_prefix() && len == 26 && self.nrb_layout() && nrb_ok(self.digits) {
            self.push(out, PiiKind::Iban, start, SCORE_IBAN);
        }
        if !self.has_prefix()
            && self.snils_layout(cue == Some(Cue::Snils))
            && snils_ok(self.digits, false)
        {
            self.push(
                out,
                PiiKind::Snils,
                start,
                SCORE_SNILS_FORMATTED + boost(Cue::Snils),
            );
        }
        if self.single_group() && !weak_blocked {
            if len == 11 && pesel_ok(self.digits) {
                let nudge = if self.cyrillic { 0 } else { SCRIPT_NUDGE };
                self.push(
                    out,
                    PiiKind::Pesel,
                    start,
                    SCORE_PESEL + nudge + boost(Cue::Pesel),
                );
            }
            if len == 11 && snils_ok(self.digits, cue != Some(Cue::Snils)) {
                let nudge = if self.cyrillic { SCRIPT_NUDGE } else { 0 };
                self.push(
                    out,
                    PiiKind::Snils,
                    start,
                    SCORE_SNILS + nudge + boost(Cue::Snils),
                );
            }
            if (len == 10 || len == 12) && inn_ok(self.digits) {
                self.push(out, PiiKind::Inn, start, SCORE_INN + boost(Cue::Inn));
            }
        }
        // Identity numbers written in groups; only as a whole run, so they are never cut out of
        // a phone or a longer number. A 12-digit INN has two check digits and stands on its own;
        // a grouped 10-digit one (one check digit) needs its keyword.
        if self.whole_run() && !self.has_prefix() && !weak_blocked && !self.single_group() {
            if len == 11 && self.pesel_layout() && pesel_ok(self.digits) {
                let nudge = if self.cyrillic { 0 } else { SCRIPT_NUDGE };
                self.push(
                    out,
                    PiiKind::Pesel,
                    start,
                    SCORE_PESEL + nudge + boost(Cue::Pesel),
                );
            }
            if (len == 12 || (len == 10 && cue == Some(Cue::Inn)))
                && self.grouped_layout()
                && inn_ok(self.digits)
            {
                self.push(out, PiiKind::Inn, start, SCORE_INN + boost(Cue::Inn));
            }
        }
        // A phone is a whole run, except that a "+" number of a fixed-length plan may be
        // followed by unrelated digits after a space ("+7 912 345 67 89 12345").
        let phone_span = self.whole_run()
            || (self.first == 0 && self.run.plus && fixed_plan_len(self.digits) == Some(len));
        if phone_span
            && (self.run.plus || !weak_blocked)
            && self.phone_layout(cue == Some(Cue::Phone))
            && !money_next_to(self.text, self.run.prefix_start, self.end())
        {
            self.push(
                out,
                PiiKind::Phone,
                self.run.prefix_start,
                SCORE_PHONE + boost(Cue::Phone),
            );
        }
    }

    /// 13-19 digits, compact or in groups (first group of four, as printed on cards; "3782
    /// 822463 10005" for Amex), one kind of separator throughout.
    fn card_layout(&self) -> bool {
        let len = self.digits.len();
        if !(13..=19).contains(&len) {
            return false;
        }
        if self.sizes.len() == 1 {
            return true;
        }
        let k = self.sizes.len();
        self.sizes[0] == 4
            && self.sizes[1..k - 1].iter().all(|s| (4..=6).contains(s))
            && (1..=6).contains(&self.sizes[k - 1])
            && self.uniform_plain_seps()
    }

    /// Polish account number (NRB): the 26 digits of a PL IBAN without "PL", compact or as
    /// "61 1090 1014 0000 0712 1981 2874".
    fn nrb_layout(&self) -> bool {
        self.sizes == [26] || (self.sizes == [2, 4, 4, 4, 4, 4, 4] && self.uniform_plain_seps())
    }

    /// "123-456-789 01", "123 456 789 01" or "123-456-789-01"; after the word СНИЛС also with
    /// dots or slashes throughout ("123.456.789.01").
    fn snils_layout(&self, cued: bool) -> bool {
        if self.sizes != [3, 3, 3, 2] {
            return false;
        }
        let seps: Vec<&str> = self.seps().map(normalize_space).collect();
        matches!(
            (seps[0], seps[1], seps[2]),
            ("-", "-", " " | "-") | (" ", " ", " ")
        ) || (cued && self.uniform_plain_seps())
    }

    fn phone_layout(&self, cued: bool) -> bool {
        let d = self.digits.as_bytes();
        let len = d.len();
        if !(7..=15).contains(&len) {
            return false;
        }
        // Dots separate groups only in North American numbers ("212.555.1234"); elsewhere
        // dotted digits are versions, IPs or dates. Slashes are dates, fractions and pairs.
        // After a `+` the number is international whatever separates its groups, as long as
        // one separator does throughout ("+48.601.234.567", "+48/601/234/567").
        let slashed = self.seps().any(|s| s.contains('/'));
        let dotted = self.seps().any(|s| s == ".");
        if self.run.plus {
            return (!(dotted || slashed) || self.uniform_plain_seps())
                && intl_ok(self.digits)
                && (self.sizes.len() <= 2 || self.sizes.iter().all(|&s| s <= 8));
        }
        if slashed {
            return false;
        }
        if len >= 10 && d.starts_with(b"00") && !dotted {
            return intl_ok(&self.digits[2..]);
        }
        let s = self.sizes;
        // Russian with trunk prefix: 8 (912) 345-67-89, 8 912 345 67 89, 7 912 3456789.
        if len == 11
            && s.len() >= 2
            && s[0] == 1
            && matches!(d[0], b'7' | b'8')
            && matches!(d[1], b'3' | b'4' | b'8' | b'9')
            && !dotted
            && (s[1..] == [10]
                || s[1..] == [3, 7]
                || (s.len() >= 4 && s[1..].iter().all(|x| (2..=5).contains(x))))
        {
            return true;
        }
        // Russian mobile written compactly: 89123456789 / 79123456789.
        if s == [11] && matches!(d[0], b'7' | b'8') && d[1] == b'9' {
            return true;
        }
        // Polish: 601 234 567, 601-234-567, (22) 123 45 67.
        if (s == [3, 3, 3] || s == [2, 3, 2, 2]) && d[0] != b'0' && !dotted {
            return true;
        }
        // North American: (212) 555-1234, 212-555-1234, 212.555.1234, 1-800-555-1234.
        let nanp = |a: &[u8]| matches!(a[0], b'2'..=b'9') && matches!(a[3], b'2'..=b'9');
        if s == [3, 3, 4] && nanp(d) && (!dotted || self.seps().all(|x| x == ".")) {
            return true;
        }
        if s == [1, 3, 3, 4] && d[0] == b'1' && nanp(&d[1..]) {
            return true;
        }
        // Russian without trunk prefix: (912) 345-67-89, 912 345 67 89.
        if s == [3, 3, 2, 2] && matches!(d[0], b'3' | b'4' | b'8' | b'9') && !dotted {
            return true;
        }
        // A bare digit string is a phone only when the ticket says so ("тел. 9123456789").
        cued && s.len() == 1 && (9..=12).contains(&len) && d[0] != b'0'
    }
}

fn normalize_space(s: &str) -> &str {
    match s {
        "\u{a0}" | "\u{202f}" => " ",
        "\u{2013}" => "-",
        other => other,
    }
}

/// International number after `+` (or `00`): E.164 lengths, exact where the plan is fixed.
fn intl_ok(d: &str) -> bool {
    let len = d.len();
    if d.starts_with('0') {
        return false;
    }
    if let Some(fixed) = fixed_plan_len(d) {
        return len == fixed;
    }
    if d.starts_with("44") {
        return (11..=12).contains(&len);
    }
    (8..=15).contains(&len)
}

/// Total digit count (country code included) of numbering plans with one fixed length:
/// Russia/Kazakhstan +7, Poland +48, NANP +1, Ukraine +380, Belarus +375.
fn fixed_plan_len(d: &str) -> Option<usize> {
    if d.starts_with('7') || d.starts_with("48") || d.starts_with('1') {
        Some(11)
    } else if d.starts_with("380") || d.starts_with("375") {
        Some(12)
    } else {
        None
    }
}

static MONEY_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s{0,2}(?:[$€£₽]|(?:zł|zl|pln|usd|eur|rub|rur|gbp|р\.|руб\w*|долл\w*|евро|dollars?|euros?|z[łl]ot\w*|тыс\w*|tys|млн|mln)(?:\P{L}|$))",
    )
    .expect("valid regex")
});
static MONEY_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[$€£₽]|\b(?:pln|usd|eur|rub|gbp))\s{0,2}$").expect("valid regex")
});

/// A currency right before or after the digits means an amount ("125 000 000 zł"), not a phone.
fn money_next_to(text: &str, start: usize, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let after = after.get(..floor_char_boundary(after, 16)).unwrap_or("");
    let before_all = text.get(..start).unwrap_or("");
    let before = before_all
        .get(ceil_char_boundary(before_all, before_all.len().saturating_sub(12))..)
        .unwrap_or("");
    MONEY_AFTER_RE.is_match(after) || MONEY_BEFORE_RE.is_match(before)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

// ---------------------------------------------------------------------------------------------
// Keyword cues

/// What the nearest keyword before a number says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Pesel,
    Inn,
    Snils,
    Phone,
    /// Order, invoice, tracking, contract, Polish NIP/REGON...: a number that is not personal.
    OtherNumber,
}

static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(pesel\w*)|(инн|inn)|(снилс\w*|snils)|(тел|телефон\w*|моб\w*|phone\w*|tel|telefon\w*|mobile|mob|kom[óo]rk\w*|whatsapp|viber|telegram|sms|fax|факс\w*|call)|(orders?|заказ\w*|zam[óo]wie\w*|invoice\w*|сч[её]т\w*|faktur\w*|track\w*|трек\w*|przesy[łl]k\w*|ord|inv|договор\w*|umow\w*|ticket\w*|тикет\w*|заявк\w*|zg[łl]oszeni\w*|nip|regon|krs|огрн\w*|артикул\w*|sku|awb))\b",
    )
    .expect("valid regex")
});

/// The nearest keyword in the 64 bytes before `pos`, if nothing but a short gap ("ИНН: ",
/// "тел. +", "nr PESEL ") separates it from the number.
fn cue_before(text: &str, pos: usize) -> Option<Cue> {
    let head = text.get(..pos)?;
    let from = ceil_char_boundary(head, head.len().saturating_sub(64));
    // Search the whole head from `from` so `\b` sees the real text before the window.
    let mut at = from;
    let mut last = None;
    while let Some(c) = CUE_RE.captures_at(head, at) {
        let end = c.get(0)?.end();
        if end <= at {
            break;
        }
        at = end;
        last = Some(c);
    }
    let m = last?;
    let whole = m.get(0)?;
    let gap = head[whole.end()..].trim_start_matches('.');
    if gap
        .chars()
        .any(|c| matches!(c, '\n' | '.' | '!' | '?' | ';'))
        || gap.chars().count() > 24
    {
        return None;
    }
    let cue = if m.get(1).is_some() {
        Cue::Pesel
    } else if m.get(2).is_some() {
        Cue::Inn
    } else if m.get(3).is_some() {
        Cue::Snils
    } else if m.get(4).is_some() {
        Cue::Phone
    } else {
        Cue::OtherNumber
    };
    Some(cue)
}

// ---------------------------------------------------------------------------------------------
// Checksums

fn digit_values(d: &str) -> Vec<u32> {
    d.bytes().map(|b| u32::from(b.wrapping_sub(b'0'))).collect()
}

fn luhn_ok(d: &str) -> bool {
    let mut sum = 0;
    for (i, v) in digit_values(d).into_iter().rev().enumerate() {
        let x = if i % 2 == 1 {
            let y = v * 2;
            if y > 9 { y - 9 } else { y }
        } else {
            v
        };
        sum += x;
    }
    sum % 10 == 0
}

/// Issuer prefix and length: Visa, Mastercard, Amex, Mir, Maestro, Discover, JCB, Diners,
/// UnionPay.
fn card_brand_ok(d: &str) -> bool {
    let len = d.len();
    let p = |n: usize| d.get(..n).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    let (p1, p2, p3, p4) = (p(1), p(2), p(3), p(4));
    match p1 {
        4 => matches!(len, 13 | 16 | 19), // Visa
        2 if (2200..=2204).contains(&p4) => (16..=19).contains(&len), // Mir
        2 if (2221..=2720).contains(&p4) => len == 16, // Mastercard 2-series
        5 if (51..=55).contains(&p2) => len == 16, // Mastercard
        5 if p2 == 50 || (56..=59).contains(&p2) => (13..=19).contains(&len), // Maestro
        3 if p2 == 34 || p2 == 37 => len == 15, // Amex
        3 if (3528..=3589).contains(&p4) => (16..=19).contains(&len), // JCB
        3 if (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 => {
            (14..=19).contains(&len) // Diners
        }
        6 => (13..=19).contains(&len), // Discover, UnionPay, Maestro 6x
        _ => false,
    }
}

fn card_ok(d: &str) -> bool {
    card_brand_ok(d) && luhn_ok(d)
}

/// Polish NRB = PL IBAN without the "PL" letters.
fn nrb_ok(d: &str) -> bool {
    let mut iban = Vec::with_capacity(28);
    iban.extend_from_slice(b"PL");
    iban.extend_from_slice(d.as_bytes());
    iban_mod97_ok(&iban)
}

/// PESEL: weights 1-3-7-9, check digit, and a real birth date (month offsets encode the century:
/// +80 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s).
fn pesel_ok(d: &str) -> bool {
    if d.len() != 11 {
        return false;
    }
    let v = digit_values(d);
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = W.iter().zip(&v).map(|(w, x)| w * x).sum();
    if (10 - sum % 10) % 10 != v[10] {
        return false;
    }
    let yy = v[0] * 10 + v[1];
    let mm = v[2] * 10 + v[3];
    let dd = v[4] * 10 + v[5];
    let (century, month) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        81..=92 => (1800, mm - 80),
        _ => return false,
    };
    let year = century + yy;
    dd >= 1 && dd <= days_in_month(year, month)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// Russian INN: 10 digits (organisation, one check digit) or 12 (person, two check digits);
/// region code "00" does not exist.
fn inn_ok(d: &str) -> bool {
    let v = digit_values(d);
    if v.len() < 2 || (v[0] == 0 && v[1] == 0) {
        return false;
    }
    let check = |weights: &[u32]| -> u32 {
        weights.iter().zip(&v).map(|(w, x)| w * x).sum::<u32>() % 11 % 10
    };
    match v.len() {
        10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8]) == v[9],
        12 => {
            check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == v[10]
                && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == v[11]
        }
        _ => false,
    }
}

/// SNILS: the first nine digits weighted 9..1; sum < 100 is the check number, 100 and 101 give
/// 00, larger sums are taken mod 101 (100 again gives 00). Per the Pension Fund's rule the check
/// number is only verified for numbers above 001-001-998; those at or below it are accepted with
/// any check number, except when `strict_low` (a bare 11-digit run with no SNILS keyword),
/// where accepting them would turn every zero-padded number into a SNILS.
fn snils_ok(d: &str, strict_low: bool) -> bool {
    let v = digit_values(d);
    if v.len() != 11 {
        return false;
    }
    let number: u32 = v[..9].iter().fold(0, |acc, x| acc * 10 + x);
    let control = v[9] * 10 + v[10];
    if number <= 1_001_998 {
        return !strict_low && number > 0;
    }
    let sum: u32 = v[..9]
        .iter()
        .enumerate()
        .map(|(i, x)| x * (9 - i as u32))
        .sum();
    let expected = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => {
            let r = sum % 101;
            if r == 100 { 0 } else { r }
        }
    };
    control == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, &str)> {
        find_pii(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.start..f.end]))
            .collect()
    }

    fn only(text: &str) -> Option<(PiiKind, String)> {
        let found = find_pii(text);
        assert!(
            found.len() <= 1,
            "expected at most one finding in {text:?}, got {found:?}"
        );
        found.into_iter().next().map(|f| (f.kind, f.text))
    }

    fn assert_kind(text: &str, kind: PiiKind, matched: &str) {
        assert_eq!(only(text), Some((kind, matched.to_string())), "in {text:?}");
    }

    fn assert_none(text: &str) {
        assert_eq!(find_pii(text), vec![], "in {text:?}");
    }

    // ---- checksum helpers

    #[test]
    fn luhn_accepts_known_test_numbers_and_rejects_one_off() {
        assert!(luhn_ok("4111111111111111"));
        assert!(luhn_ok("378282246310005"));
        assert!(luhn_ok("5500000000000004"));
        assert!(!luhn_ok("4111111111111112"));
    }

    #[test]
    fn iban_mod97_known_examples() {
        for iban in [
            "PL61109010140000071219812874",
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "FR1420041010050500013M02606",
        ] {
            assert!(iban_mod97_ok(iban.as_bytes()), "{iban}");
        }
        assert!(!iban_mod97_ok(b"PL61109010140000071219812875"));
        assert!(!iban_mod97_ok(b"PL6"));
    }

    #[test]
    fn pesel_checksum_and_dates() {
        assert!(pesel_ok("44051401359")); // 1944-05-14
        assert!(pesel_ok("02070803628")); // 1902-07-08
        assert!(pesel_ok("81121501238")); // 1981-12-15
        assert!(!pesel_ok("44051401358")); // wrong check digit
        assert!(!pesel_ok("02222901233")); // 2002-02-29 does not exist, checksum fine
        assert!(!pesel_ok("00022901233")); // 1900-02-29: 1900 is not a leap year
        assert!(!pesel_ok("90133101231")); // month 13
    }

    #[test]
    fn pesel_leap_day_2000_is_valid() {
        // 2000-02-29 encoded as month 22.
        let base = "0022290123";
        let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        let sum: u32 = base
            .bytes()
            .zip(w)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let pesel = format!("{base}{}", (10 - sum % 10) % 10);
        assert!(pesel_ok(&pesel), "{pesel}");
    }

    #[test]
    fn inn_checksums() {
        assert!(inn_ok("7707083893"));
        assert!(inn_ok("7736207543"));
        assert!(inn_ok("500100732259"));
        assert!(!inn_ok("7707083894"));
        assert!(!inn_ok("500100732258"));
        assert!(!inn_ok("0000000000")); // region 00
    }

    #[test]
    fn snils_checksums_and_low_numbers() {
        assert!(snils_ok("11223344595", true));
        assert!(snils_ok("11285589974", true)); // sum 175 -> 175 mod 101 = 74
        assert!(snils_ok("12345678964", true));
        assert!(!snils_ok("11223344596", true));
        // At or below 001-001-998 there is no check-number rule.
        assert!(snils_ok("00100199812", false));
        assert!(!snils_ok("00100199812", true));
        assert!(!snils_ok("00100199912", false)); // above the limit, checksum applies
        assert!(!snils_ok("00000000000", false));
    }

    #[test]
    fn snils_sum_of_100_and_101_give_00() {
        // 9*1+8*1+7*1+6*1+5*1+4*1+3*1+2*1+1*1 = 45; find numbers with sums 100 and 101.
        let mut seen = (false, false);
        for n in 100_000_000u32..100_200_000 {
            let s = format!("{n:09}");
            let sum: u32 = s
                .bytes()
                .enumerate()
                .map(|(i, b)| u32::from(b - b'0') * (9 - i as u32))
                .sum();
            if sum == 100 && !seen.0 {
                assert!(snils_ok(&format!("{s}00"), true));
                assert!(!snils_ok(&format!("{s}01"), true));
                seen.0 = true;
            }
            if sum == 101 && !seen.1 {
                assert!(snils_ok(&format!("{s}00"), true));
                seen.1 = true;
            }
            if seen == (true, true) {
                break;
            }
        }
        assert_eq!(seen, (true, true));
    }

    #[test]
    fn card_brands() {
        assert!(card_ok("4111111111111111")); // Visa
        assert!(card_ok("5500000000000004")); // Mastercard 5x
        assert!(card_ok("2221000000000009")); // Mastercard 2-series
        assert!(card_ok("378282246310005")); // Amex
        assert!(card_ok("2200700123456781")); // Mir
        assert!(card_ok("6011000990139424")); // Discover
        assert!(card_ok("6767700000000005")); // Maestro
        // Luhn-valid but no issuer starts with 1, 7, 8, 9.
        assert!(!card_ok("1111111111111117"));
        assert!(!card_ok("7000000000000008"));
        // Amex is 15 digits, not 16.
        assert!(!card_brand_ok("3782822463100050"));
    }

    // ---- cards in text

    #[test]
    fn card_in_english_ticket() {
        assert_kind(
            "My card 4111 1111 1111 1111 was charged twice",
            PiiKind::Card,
            "4111 1111 1111 1111",
        );
    }

    #[test]
    fn card_with_dashes_and_compact() {
        assert_kind(
            "karta: 5500-0000-0000-0004.",
            PiiKind::Card,
            "5500-0000-0000-0004",
        );
        assert_kind(
            "карта 2200700123456781, спасибо",
            PiiKind::Card,
            "2200700123456781",
        );
    }

    #[test]
    fn numbers_in_parentheses() {
        assert_kind("(PESEL: 44051401359)", PiiKind::Pesel, "44051401359");
        assert_kind(
            "karta (4111111111111111)",
            PiiKind::Card,
            "4111111111111111",
        );
        assert_kind(
            "tel. (+48) 601 234 567",
            PiiKind::Phone,
            "(+48) 601 234 567",
        );
        assert_kind("(212)555-1234", PiiKind::Phone, "(212)555-1234");
    }

    #[test]
    fn amex_grouping() {
        assert_kind(
            "Amex 3782 822463 10005 expired",
            PiiKind::Card,
            "3782 822463 10005",
        );
    }

    #[test]
    fn luhn_invalid_16_digits_is_not_a_card() {
        assert_none("card 4111 1111 1111 1112 please");
        assert_none("4111111111111112");
    }

    #[test]
    fn mixed_card_separators_are_not_a_card() {
        assert_none("4111 1111-1111 1111");
    }

    #[test]
    fn card_followed_by_expiry_and_cvv() {
        assert_eq!(
            kinds("Карта 4111 1111 1111 1111 12/27 CVV 123"),
            vec![(PiiKind::Card, "4111 1111 1111 1111")]
        );
    }

    #[test]
    fn card_cut_out_of_longer_digit_run() {
        assert_eq!(
            kinds("zamówienie 12345 4111 1111 1111 1111"),
            vec![(PiiKind::Card, "4111 1111 1111 1111")]
        );
    }

    // ---- IBAN

    #[test]
    fn iban_pl_spaced_and_compact() {
        assert_kind(
            "Proszę o zwrot na konto PL61 1090 1014 0000 0712 1981 2874, dziękuję",
            PiiKind::Iban,
            "PL61 1090 1014 0000 0712 1981 2874",
        );
        assert_kind(
            "IBAN: PL61109010140000071219812874.",
            PiiKind::Iban,
            "PL61109010140000071219812874",
        );
    }

    #[test]
    fn iban_de_gb_fr() {
        assert_kind(
            "DE89 3704 0044 0532 0130 00",
            PiiKind::Iban,
            "DE89 3704 0044 0532 0130 00",
        );
        assert_kind(
            "pay GB29NWBK60161331926819 now",
            PiiKind::Iban,
            "GB29NWBK60161331926819",
        );
        assert_kind(
            "RIB FR14 2004 1010 0505 0001 3M02 606",
            PiiKind::Iban,
            "FR14 2004 1010 0505 0001 3M02 606",
        );
    }

    #[test]
    fn iban_wins_over_luhn_valid_runs_inside_it() {
        // The digits of these IBANs contain Luhn-valid 13-19 digit runs; only the IBAN counts.
        for iban in [
            "PL27 1140 2004 0000 3002 0135 5387",
            "DE89 3704 0044 0532 0130 00",
            "PL61 1090 1014 0000 0712 1981 2874",
        ] {
            assert_kind(&format!("zwrot na rachunek {iban}."), PiiKind::Iban, iban);
        }
    }

    #[test]
    fn iban_lowercase_is_found() {
        assert_kind(
            "konto pl61109010140000071219812874",
            PiiKind::Iban,
            "pl61109010140000071219812874",
        );
    }

    #[test]
    fn iban_bad_checksum_or_length_rejected() {
        assert_none("PL61 1090 1014 0000 0712 1981 2875");
        assert_none("DE89 3704 0044 0532 0130 0"); // one short
        assert_none("DE89370400440532013000123"); // glued to more digits
        assert_none("RU12 3456 7890 1234 5678 90"); // no Russian IBAN
    }

    #[test]
    fn iban_inconsistent_spacing_rejected() {
        assert_none("PL61 10901014 0000 0712 1981 2874");
    }

    #[test]
    fn iban_followed_by_currency_code() {
        assert_eq!(
            kinds("PL61 1090 1014 0000 0712 1981 2874 PLN"),
            vec![(PiiKind::Iban, "PL61 1090 1014 0000 0712 1981 2874")]
        );
    }

    #[test]
    fn polish_nrb_without_country_is_iban() {
        assert_kind(
            "nr konta 61 1090 1014 0000 0712 1981 2874",
            PiiKind::Iban,
            "61 1090 1014 0000 0712 1981 2874",
        );
        assert_kind(
            "61109010140000071219812874",
            PiiKind::Iban,
            "61109010140000071219812874",
        );
        assert_none("61 1090 1014 0000 0712 1981 2875");
    }

    // ---- emails

    #[test]
    fn emails_in_three_languages() {
        assert_kind(
            "Write to john.doe+shop@example.co.uk.",
            PiiKind::Email,
            "john.doe+shop@example.co.uk",
        );
        assert_kind(
            "пишите на иван.петров@почта.рф, пожалуйста",
            PiiKind::Email,
            "иван.петров@почта.рф",
        );
        assert_kind(
            "mój e-mail: łukasz_żak@wp.pl",
            PiiKind::Email,
            "łukasz_żak@wp.pl",
        );
    }

    #[test]
    fn email_glued_to_cyrillic_text() {
        assert_kind("почта ivan@mail.ruспасибо", PiiKind::Email, "ivan@mail.ru");
        assert_none("a@b.comfoo1");
    }

    #[test]
    fn digits_glued_to_letters_are_codes_not_pii() {
        assert_none("SKU4111111111111111");
        assert_none("art-4111111111111111");
        assert_none("4111111111111111abc");
        assert_none("тел 89123456789руб");
    }

    #[test]
    fn email_wins_over_digits_inside_it() {
        assert_kind("79123456789@mail.ru", PiiKind::Email, "79123456789@mail.ru");
    }

    #[test]
    fn not_emails() {
        assert_none("user@localhost and @handle and a@b");
        assert_none("price is 5@10");
    }

    // ---- phones

    #[test]
    fn russian_phones() {
        for p in [
            "+7 (912) 345-67-89",
            "+7 912 345 67 89",
            "+79123456789",
            "8 912 345 67 89",
            "8 (912) 345-67-89",
            "8-912-345-67-89",
            "89123456789",
            "8 800 555 35 35",
            "(912) 345-67-89",
            "8 (4852) 12-34-56",
        ] {
            let text = format!("Мой телефон {p}, звоните");
            assert_kind(&text, PiiKind::Phone, p);
        }
    }

    #[test]
    fn polish_phones() {
        for p in [
            "+48 601 234 567",
            "+48601234567",
            "601-234-567",
            "601 234 567",
            "(22) 123 45 67",
            "0048 601 234 567",
        ] {
            let text = format!("Proszę dzwonić: {p}.");
            assert_kind(&text, PiiKind::Phone, p);
        }
    }

    #[test]
    fn us_and_international_phones() {
        for p in [
            "(212) 555-1234",
            "212-555-1234",
            "212.555.1234",
            "+1 212 555 1234",
            "+1 (212) 555-1234",
            "1-800-555-1234",
            "+44 20 7946 0958",
            "+380 44 123 4567",
            "+4930123456",
        ] {
            let text = format!("Call me at {p} tomorrow");
            assert_kind(&text, PiiKind::Phone, p);
        }
    }

    #[test]
    fn bare_digits_need_a_phone_keyword() {
        assert_none("Ticket 601234567 closed");
        assert_kind("tel. 601234567", PiiKind::Phone, "601234567");
        assert_kind("тел: 9123456789", PiiKind::Phone, "9123456789");
    }

    #[test]
    fn phone_keyword_beats_checksum_coincidence() {
        // 7707083893 is a valid INN; after "тел." it is read as a phone.
        assert_kind("тел. 7707083893", PiiKind::Phone, "7707083893");
        assert_kind("ИНН 7707083893", PiiKind::Inn, "7707083893");
    }

    #[test]
    fn phones_do_not_swallow_dates_times_versions_amounts() {
        assert_none("Delivered on 2026-03-15 at 10:30");
        assert_none("Dostawa 15.03.2026, godz. 14:45");
        assert_none("Updated to 2.4.1 and 10.0.19045");
        assert_none("Razem: 1 250,00 zł");
        assert_none("Сумма 125 000 000 руб.");
        assert_none("Kwota 125 000 000 zł");
        assert_none("Total $ 212 555 1234");
        assert_none("IP 192.168.100.200");
        assert_none("version 100.200.300");
    }

    #[test]
    fn phones_do_not_swallow_order_numbers() {
        assert_none("order 601-234-567 shipped");
        assert_none("заказ № 601 234 567");
        assert_none("nr zamówienia 89123456789");
        assert_none("ORD-601-234-567");
        assert_none("Order #123-456-7890 was refunded");
    }

    #[test]
    fn phone_with_plus_survives_order_context() {
        assert_kind(
            "order contact +48 601 234 567",
            PiiKind::Phone,
            "+48 601 234 567",
        );
    }

    #[test]
    fn phones_do_not_swallow_cards() {
        assert_kind(
            "Card 4111 1111 1111 1111",
            PiiKind::Card,
            "4111 1111 1111 1111",
        );
        assert_kind(
            "+7 4111 1111 1111 1111",
            PiiKind::Card,
            "4111 1111 1111 1111",
        );
    }

    #[test]
    fn plus_phone_of_fixed_length_followed_by_other_digits() {
        assert_eq!(
            kinds("тел +7 912 345 67 89 12345"),
            vec![(PiiKind::Phone, "+7 912 345 67 89")]
        );
        // Without the plus the split point is a guess, so nothing is claimed.
        assert_none("тел 8 912 345 67 89 12345");
    }

    #[test]
    fn wrong_lengths_are_not_phones() {
        assert_none("+7 912 345 67 8");
        assert_none("+48 601 234 56");
        assert_none("8 912 345 67 8");
        assert_none("601 234 567 12");
    }

    // ---- PESEL / INN / SNILS

    #[test]
    fn pesel_found_and_bad_check_digit_rejected() {
        assert_kind("Mój PESEL: 44051401359", PiiKind::Pesel, "44051401359");
        assert_none("Mój PESEL: 44051401358");
        assert_none("PESEL 02222901233"); // 29 Feb 2002
    }

    #[test]
    fn pesel_without_keyword_in_polish_text() {
        assert_kind(
            "numer 02070803628 w systemie",
            PiiKind::Pesel,
            "02070803628",
        );
    }

    #[test]
    fn inn_ten_and_twelve() {
        assert_kind("ИНН организации 7707083893", PiiKind::Inn, "7707083893");
        assert_kind("мой ИНН: 500100732259.", PiiKind::Inn, "500100732259");
        assert_none("ИНН 7707083894");
        assert_none("ИНН 500100732258");
    }

    #[test]
    fn inn_glued_to_letters_is_part_of_a_code() {
        assert_none("ИНН7707083893");
        assert_none("SKU-7707083893");
    }

    #[test]
    fn inn_kpp_pair() {
        assert_eq!(
            kinds("ИНН/КПП 7707083893/773601001"),
            vec![(PiiKind::Inn, "7707083893")]
        );
    }

    #[test]
    fn snils_formats() {
        assert_kind("СНИЛС 112-233-445 95", PiiKind::Snils, "112-233-445 95");
        assert_kind("СНИЛС 112.233.445.95", PiiKind::Snils, "112.233.445.95");
        assert_kind("tel. +48.601.234.567", PiiKind::Phone, "+48.601.234.567");
        assert_kind("call +48/601/234/567", PiiKind::Phone, "+48/601/234/567");
        assert_kind("СНИЛС 112/233/445/95", PiiKind::Snils, "112/233/445/95");
        assert_kind("снилс: 112 233 445 95", PiiKind::Snils, "112 233 445 95");
        assert_kind("СНИЛС 11223344595", PiiKind::Snils, "11223344595");
        assert_kind(
            "номер 112-233-445 95 в анкете",
            PiiKind::Snils,
            "112-233-445 95",
        );
    }

    #[test]
    fn snils_bad_checksum_rejected() {
        assert_none("СНИЛС 112-233-445 96");
        assert_none("СНИЛС 11223344596");
    }

    #[test]
    fn snils_low_numbers_follow_official_rule() {
        // 001-001-998 and below: no check-number rule.
        assert_kind("СНИЛС 001-001-998 12", PiiKind::Snils, "001-001-998 12");
        assert_kind("СНИЛС 00100199812", PiiKind::Snils, "00100199812");
        // ... but a bare zero-padded number with no keyword is not taken for one.
        assert_none("код 00100199812");
    }

    #[test]
    fn eleven_digits_pesel_vs_snils_decided_by_keyword() {
        // 1944-05-14 as a PESEL, and 440-514-006 24 as a SNILS.
        let both = "44051400624";
        assert!(pesel_ok(both) && snils_ok(both, true));
        assert_eq!(
            only(&format!("PESEL {both}")).map(|f| f.0),
            Some(PiiKind::Pesel)
        );
        assert_eq!(
            only(&format!("СНИЛС {both}")).map(|f| f.0),
            Some(PiiKind::Snils)
        );
        // Without a keyword the script of the ticket decides.
        assert_eq!(
            only(&format!("numer {both} w bazie")).map(|f| f.0),
            Some(PiiKind::Pesel)
        );
        assert_eq!(
            only(&format!("номер {both} в базе")).map(|f| f.0),
            Some(PiiKind::Snils)
        );
    }

    #[test]
    fn order_keyword_blocks_identity_checksum_coincidences() {
        assert_none("заказ № 7707083893");
        assert_none("Order 44051401359");
        // A keyword of its own closer to the number still wins.
        assert_kind("заказ оформлен, ИНН 7707083893", PiiKind::Inn, "7707083893");
    }

    #[test]
    fn random_numbers_are_not_pii() {
        assert_none("Order 12345 costs 49.99 USD");
        assert_none("1234567890"); // fails INN
        assert_none("ticket 123456");
        assert_none("0000 0000 0000 0000");
    }

    // ---- several kinds together, overlap and redaction

    #[test]
    fn multiple_findings_sorted_and_non_overlapping() {
        let text = "Email a@b.pl, tel. +48 601 234 567, PESEL 44051401359, karta 4111111111111111";
        let found = find_pii(text);
        let got: Vec<PiiKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            got,
            vec![
                PiiKind::Email,
                PiiKind::Phone,
                PiiKind::Pesel,
                PiiKind::Card
            ]
        );
        for w in found.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
    }

    #[test]
    fn offsets_land_on_char_boundaries_with_cyrillic_and_polish() {
        let text = "Здравствуйте! Żółć: тел. +7 (912) 345-67-89; łódź 4111 1111 1111 1111 ёж";
        let found = find_pii(text);
        assert_eq!(found.len(), 2);
        for f in &found {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert_eq!(&text[f.start..f.end], f.text);
        }
    }

    #[test]
    fn redaction_keeps_everything_else_byte_identical() {
        let text = "Добрый день! Карта 4111 1111 1111 1111, тел. 8 912 345 67 89, почта ivan@mail.ru — спасибо.";
        let out = redact_all(text);
        assert_eq!(
            out,
            "Добрый день! Карта [CARD], тел. [PHONE], почта [EMAIL] — спасибо."
        );
    }

    #[test]
    fn redaction_of_every_tag() {
        let text = "a@b.pl PL61109010140000071219812874 4111111111111111 +48601234567 PESEL 44051401359 ИНН 7707083893 СНИЛС 112-233-445 95";
        assert_eq!(
            redact_all(text),
            "[EMAIL] [IBAN] [CARD] [PHONE] PESEL [PESEL] ИНН [INN] СНИЛС [SNILS]"
        );
    }

    #[test]
    fn redact_ignores_bad_findings() {
        let text = "ab ёж cd";
        let bogus = vec![
            PiiFinding {
                kind: PiiKind::Email,
                start: 4,
                end: 5,
                text: String::new(),
            }, // inside 'ё'
            PiiFinding {
                kind: PiiKind::Email,
                start: 0,
                end: 100,
                text: String::new(),
            },
            PiiFinding {
                kind: PiiKind::Phone,
                start: 0,
                end: 2,
                text: String::new(),
            },
            PiiFinding {
                kind: PiiKind::Phone,
                start: 1,
                end: 3,
                text: String::new(),
            }, // overlaps
        ];
        assert_eq!(redact(text, &bogus), "[PHONE] ёж cd");
    }

    #[test]
    fn redact_without_findings_is_identity() {
        let text = "Nic tu nie ma: 15.03.2026, 2.4.1, 12:30 — ничего.";
        assert_eq!(redact_all(text), text);
        assert_eq!(redact_all(""), "");
    }

    #[test]
    fn tags_and_serde_names() {
        assert_eq!(PiiKind::Snils.tag(), "[SNILS]");
        let f = PiiFinding {
            kind: PiiKind::Iban,
            start: 1,
            end: 3,
            text: "secret".into(),
        };
        let json = serde_json::to_string(&f).expect("serialises");
        assert_eq!(json, r#"{"kind":"iban","start":1,"end":3}"#);
    }

    // ---- separators, width, obfuscation

    #[test]
    fn cards_with_every_separator() {
        for card in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111.1111.1111.1111",
            "4111/1111/1111/1111",
            "4111111111111111",
        ] {
            assert_kind(&format!("karta {card} dziękuję"), PiiKind::Card, card);
        }
        assert_none("4111.1111-1111 1111");
    }

    #[test]
    fn full_width_digits_are_found_with_offsets_into_the_original() {
        let text = "Карта ４１１１　１１１１　１１１１　１１１１, спасибо";
        let found = find_pii(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, PiiKind::Card);
        assert_eq!(found[0].text, "４１１１　１１１１　１１１１　１１１１");
        assert_eq!(redact_all(text), "Карта [CARD], спасибо");
        assert_kind(
            "mail ｊａｎ＠ｆｉｒｍａ．ｐｌ ok",
            PiiKind::Email,
            "ｊａｎ＠ｆｉｒｍａ．ｐｌ",
        );
    }

    #[test]
    fn doubled_spaces_and_tabs_between_groups() {
        assert_eq!(
            redact_all("card 4111  1111\t1111   1111 thanks"),
            "card [CARD] thanks"
        );
    }

    #[test]
    fn iban_with_dashes_dots_slashes_and_a_cyrillic_country_letter() {
        for iban in [
            "PL61-1090-1014-0000-0712-1981-2874",
            "PL61.1090.1014.0000.0712.1981.2874",
            "PL61/1090/1014/0000/0712/1981/2874",
            "РL61 1090 1014 0000 0712 1981 2874",
        ] {
            assert_kind(&format!("konto {iban}, dzięki"), PiiKind::Iban, iban);
        }
        assert_none("PL61-1090 1014-0000-0712-1981-2874");
        assert_kind(
            "nr 61-1090-1014-0000-0712-1981-2874",
            PiiKind::Iban,
            "61-1090-1014-0000-0712-1981-2874",
        );
    }

    #[test]
    fn pesel_split_as_date_and_serial() {
        for pesel in [
            "440514 01359",
            "440514-01359",
            "44 05 14 01359",
            "440514.01359",
        ] {
            assert_kind(&format!("mój PESEL {pesel}"), PiiKind::Pesel, pesel);
            assert_kind(&format!("numer {pesel} w systemie"), PiiKind::Pesel, pesel);
        }
        assert_none("PESEL 440514 01358");
        assert_none("Order 440514 01359");
    }

    #[test]
    fn inn_in_groups() {
        for inn in [
            "5001 0073 2259",
            "500-100-732-259",
            "5001.0073.2259",
            "50 01 00 73 22 59",
        ] {
            assert_kind(&format!("ИНН {inn}"), PiiKind::Inn, inn);
            assert_kind(&format!("мой номер {inn}."), PiiKind::Inn, inn);
        }
        assert_none("мой номер 5001 0073 2258");
        // A grouped 10-digit INN has one check digit: only after its keyword.
        assert_kind("ИНН 7707 083 893", PiiKind::Inn, "7707 083 893");
        assert_none("номер 7707 083 893");
    }

    #[test]
    fn obfuscated_emails() {
        for (text, email) in [
            (
                "pisz na jan.kowalski(at)firma.pl dzięki",
                "jan.kowalski(at)firma.pl",
            ),
            (
                "pisz na jan.kowalski[at]firma.pl",
                "jan.kowalski[at]firma.pl",
            ),
            (
                "pisz na jan.kowalski at firma.pl",
                "jan.kowalski at firma.pl",
            ),
            (
                "pisz na jan.kowalski (at) firma (dot) pl",
                "jan.kowalski (at) firma (dot) pl",
            ),
            (
                "pisz na jan.kowalski małpa firma.pl",
                "jan.kowalski małpa firma.pl",
            ),
            (
                "pisz na jan.kowalski małpa firma kropka pl",
                "jan.kowalski małpa firma kropka pl",
            ),
            (
                "пишите ivan собака mail точка ru",
                "ivan собака mail точка ru",
            ),
            ("пишите ivan(собака)mail.ru", "ivan(собака)mail.ru"),
            ("write ivan at mail dot ru", "ivan at mail dot ru"),
            ("write jan.kowalski @ firma.pl", "jan.kowalski @ firma.pl"),
            ("write JAN.KOWALSKI(AT)FIRMA.PL", "JAN.KOWALSKI(AT)FIRMA.PL"),
        ] {
            assert_kind(text, PiiKind::Email, email);
        }
        // A bare English "at" needs an address-like local part or a written-out dot.
        assert_none("I looked at example.com yesterday");
        assert_none("we met at noon");
    }

    #[test]
    fn order_ids_and_dates_with_new_separators_stay() {
        assert_none("zamówienie HW-2026-99491 nie dotarło");
        assert_none("Dostawa 15/03/2026");
        assert_none("ИНН/КПП 773601001");
        assert_none("ratio 4111/1111");
        assert_none("Order 4111.1111.1111.1112");
    }

    #[test]
    fn pathological_inputs_do_not_panic() {
        let long_run = "1 ".repeat(5000);
        assert!(find_pii(&long_run).is_empty());
        let junk = "+(((-- ..)) +7 ( ) №№ @@ ..@.. 8- 9".repeat(50);
        let _ = find_pii(&junk);
        let _ = redact_all("ё1ё2ё3 + 4 ёёё 5@ё.рф");
    }
}
